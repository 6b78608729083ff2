"""Under the paths programs call, every error is JSON in the form their clients read, with DEBUG on or off: never
Django's HTML error pages nor its DEBUG pages (config/protocol_errors.py)."""

import uuid

import pytest
from django.http import HttpResponse
from django.urls import path

from config.urls import urlpatterns as site_urlpatterns
from tests.factories import learner_user

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


def fails(request):
    raise RuntimeError("a bug")


def answers_json_as_html(request):
    return HttpResponse('{"error": "invalid_target"}', status=400)  # as oauthlib answers some errors


# The site, and under each protocol path a view with a bug.
PROTOCOL_PATHS = ["/wallets/", "/.well-known/", "/oauth/", "/ims/", "/api/", "/presentations/"]
urlpatterns = [
    *(path(f"{prefix.strip('/')}/fails", fails) for prefix in PROTOCOL_PATHS),
    path("oauth/json-as-html", answers_json_as_html),
    *site_urlpatterns,
]


@pytest.fixture(params=[False, True], ids=["debug-off", "debug-on"])
def debug(request, settings):
    settings.DEBUG = request.param
    return request.param


def error_of(response, status) -> str:
    """The error's description, checked to be JSON in the form of its path's clients."""
    assert response.status_code == status
    assert b"<html" not in response.content.lower() and b"<!doctype" not in response.content.lower()
    body = response.json()
    if response.request["PATH_INFO"].startswith(("/api/", "/credentials/", "/presentations/")):
        assert response["Content-Type"] == "application/problem+json" and body["status"] == status
        return body["detail"]
    if response.request["PATH_INFO"].startswith("/ims/"):
        assert body["imsx_codeMajor"] == "failure"
        return body["imsx_description"]
    assert isinstance(body["error"], str) and body["error"]
    return body["error_description"]


@pytest.mark.parametrize("prefix", PROTOCOL_PATHS)
def test_an_address_that_does_not_exist_is_a_json_404(client, debug, prefix):
    response = client.get(f"{prefix}no-such-thing")
    assert error_of(response, 404) == "There is nothing at this address."


def test_a_wallet_s_404_is_oauth_s_error_object(client, debug):
    body = client.get("/wallets/.well-known/openid-configuration").json()
    assert body == {"error": "not_found", "error_description": "There is nothing at this address."}


@pytest.mark.parametrize(
    ("method", "address"),
    [
        ("get", "/wallets/token"),
        ("post", "/.well-known/openid-credential-issuer"),
        ("get", "/oauth/token/"),
    ],
)  # the 1EdTech APIs and the REST API answer 405 themselves, in JSON
def test_a_method_the_address_does_not_answer_is_a_json_405_that_keeps_its_allow_header(client, debug, method, address):
    response = getattr(client, method)(address)
    assert error_of(response, 405)
    assert response.has_header("Allow")


@pytest.mark.parametrize("prefix", PROTOCOL_PATHS)
def test_a_request_for_another_host_is_a_json_400(client, debug, prefix):
    assert error_of(client.get(f"{prefix}fails", HTTP_HOST="attacker.example"), 400)


@pytest.mark.parametrize("prefix", PROTOCOL_PATHS)
def test_a_bug_is_a_json_500_that_says_nothing_of_it(client, debug, prefix):
    client.raise_request_exception = False
    response = client.get(f"{prefix}fails")
    assert error_of(response, 500) and b"a bug" not in response.content and b"RuntimeError" not in response.content


def test_an_error_in_json_under_another_content_type_keeps_its_body_and_says_it_is_json(client):
    response = client.get("/oauth/json-as-html")
    assert response.status_code == 400 and response["Content-Type"] == "application/json"
    assert response.json() == {"error": "invalid_target"}


def test_the_wallet_offer_page_a_person_opens_stays_a_page(client):
    response = client.get(f"/wallets/interactions/{uuid.uuid4()}")
    assert response.status_code == 404 and "text/html" in response["Content-Type"]


def test_a_wallet_asking_for_json_at_the_offer_page_s_address_gets_json(client, debug):
    response = client.get(f"/wallets/interactions/{uuid.uuid4()}", HTTP_ACCEPT="application/json")
    assert error_of(response, 404)


def test_the_oauth_consent_page_stays_a_page_for_the_learner(client):
    client.force_login(learner_user().user)
    response = client.get("/oauth/authorize/", {"client_id": "unknown", "response_type": "code"})
    assert response.status_code == 400 and "This request cannot be accepted" in response.content.decode()


def test_pages_outside_the_protocol_paths_keep_their_html_errors(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404 and "text/html" in response["Content-Type"]


def test_the_vc_api_s_errors_are_problem_documents_but_a_credential_s_page_stays_a_page(client, debug):
    assert error_of(client.post("/credentials/verify/", {}), 404) == "There is nothing at this address."
    response = client.get("/credentials/00000000-0000-0000-0000-000000000000/")
    assert response.status_code == 404 and "text/html" in response["Content-Type"]
