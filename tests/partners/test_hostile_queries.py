"""Hostile query strings and bodies get a 200 or a 400 problem document, never a 5xx (on SQLite and PostgreSQL)."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url, status",
    [
        ("/api/v1/programs?level=99999999999999999999", 200),  # beyond every integer column
        ("/api/v1/programs?cost_max=-99999999999999999999999999", 200),
        ("/api/v1/programs?credits_min=1e400", 400),
        ("/api/v1/programs?updated_since=9999-99-99", 400),
        ("/api/v1/programs?delivery_mode=%00", 400),
        ("/api/v1/programs?ordering=password", 200),  # unknown orderings are ignored, not applied
        ("/api/v1/programs?cursor=%25%25%25", 200),  # read as the first page
        ("/api/v1/programs?page_size=0", 400),
        ("/api/v1/programs?page_size=1&page_size=2", 400),
        ("/api/v1/programs?search=" + "x" * 5000, 200),
        ("/api/v1/talent?min_level=99999999999999999999", 200),
        ("/api/v1/talent?min_level=ten", 400),
        ("/api/v1/shares/" + "A" * 3000, 404),
    ],
)
def test_hostile_query_strings_never_reach_a_server_error(api, url, status):
    response = api.get(url)
    assert response.status_code == status, response.content[:300]
    if status >= 400:
        assert response["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize(
    "body",
    [
        '{"credentials": [' + "[" * 100_000 + "]" * 100_000 + "]}",  # deeper than the parser's recursion
        '{"credentials": [' + '{"a":' * 40 + "1" + "}" * 40 + "]}",  # past the 32-level limit, within recursion
        '{"credentials": "not a list"}',
        "[1, 2]",
        "not json",
    ],
)
def test_hostile_request_bodies_are_400_problem_documents(api, body):
    response = api.post("/api/v1/verifications", body, content_type="application/json")
    assert response.status_code == 400, response.content[:300]
    assert response["Content-Type"] == "application/problem+json"


def test_a_body_that_is_not_utf8_is_a_400(api):
    response = api.post("/api/v1/verifications", b'{"credentials": ["\xff\xfe"]}', content_type="application/json")
    assert response.status_code == 400


def test_a_credential_that_is_a_lone_surrogate_gets_a_malformed_verdict(api):
    response = api.post("/api/v1/verifications", '{"credentials": ["\\ud800"]}', content_type="application/json")
    assert [result["verdict"] for result in response.json()["results"]] == ["malformed"]
