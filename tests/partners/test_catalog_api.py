"""The catalog over the API: published versions only, filters, cursor pages, conditional GETs, fixed queries."""

import datetime

import pytest
from django.utils import timezone

from catalog.models import Program
from tests.factories import AlignmentFactory, CompetencyFactory, ProgramFactory, rubric_with_criteria

pytestmark = pytest.mark.django_db


def _published(code, **kwargs):
    program = ProgramFactory(code=code, status=Program.Status.PUBLISHED, **kwargs)
    rubric_with_criteria(program)
    AlignmentFactory(program=program)
    return program


def test_programs_are_public_and_published_only(client):
    _published("PUB-1")
    ProgramFactory(code="DRAFT-1")
    response = client.get("/api/v1/programs")
    assert response.status_code == 200
    codes = [program["code"] for program in response.json()["results"]]
    assert codes == ["PUB-1"]
    assert client.get(f"/api/v1/programs/{Program.objects.get(code='DRAFT-1').pk}").status_code == 404


def test_a_program_carries_its_rubric_and_competencies(client):
    program = _published("PUB-1")
    body = client.get(f"/api/v1/programs/{program.pk}").json()
    assert [c["name"] for c in body["rubric"]["criteria"]] == ["Analysis", "Communication"]
    assert [level["name"] for level in body["rubric"]["criteria"][0]["levels"]] == ["L0", "L1", "L2", "L3"]
    assert body["competencies"][0]["framework"]
    assert body["learning_outcomes"] == ["Do one thing", "Do another"]


def test_filters_by_competency_level_credits_and_updated_since(client):
    skill = CompetencyFactory(code="SQL-1")
    matching = _published("MATCH", level=5, credit_value=4)
    AlignmentFactory(program=matching, competency=skill)
    _published("OTHER", level=3, credit_value=1)
    assert [p["code"] for p in client.get("/api/v1/programs", {"competency": "SQL-1"}).json()["results"]] == ["MATCH"]
    assert [p["code"] for p in client.get("/api/v1/programs", {"level": 5}).json()["results"]] == ["MATCH"]
    assert [p["code"] for p in client.get("/api/v1/programs", {"credits_min": 2}).json()["results"]] == ["MATCH"]
    later = (timezone.now() + datetime.timedelta(hours=1)).isoformat()
    assert client.get("/api/v1/programs", {"updated_since": later}).json()["results"] == []


def test_cursor_pages_are_bounded(client):
    for index in range(5):
        _published(f"P-{index}")
    first = client.get("/api/v1/programs", {"page_size": 2}).json()
    assert len(first["results"]) == 2 and first["next"]
    assert len(client.get("/api/v1/programs", {"page_size": 100_000}).json()["results"]) == 5  # capped, not an error


def test_conditional_get_answers_304(client):
    _published("PUB-1")
    first = client.get("/api/v1/programs")
    assert first["ETag"] and first["Last-Modified"]
    assert client.get("/api/v1/programs", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert client.get("/api/v1/programs", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304


@pytest.mark.parametrize(
    "url",
    ["/api/v1/programs", "/api/v1/pathways", "/api/v1/institutions", "/api/v1/frameworks", "/api/v1/competencies"],
)
def test_list_queries_do_not_grow_with_the_page(client, url, django_assert_num_queries):
    for index in range(6):
        _published(f"Q-{index}")
    client.get(url, {"page_size": 2})  # warm caches (content types, sites)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        client.get(url, {"page_size": 2})
    with django_assert_num_queries(len(small.captured_queries)):
        client.get(url, {"page_size": 6})
