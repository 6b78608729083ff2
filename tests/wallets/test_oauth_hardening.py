"""The OAuth 2.0 server under attack (issue 23): registration updates get the registration's checks and ask the
learner again, a replayed code takes back what it was exchanged for, the consent page's answer is checked again,
grants this server does not offer are refused, the 1EdTech APIs serve only tokens that act for a learner, with
bounded paging, and values django-oauth-toolkit let through as a 500 get a 4xx."""

import json
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import timezone
from oauth2_provider.models import AccessToken, Application, set_token_value
from oauthlib.common import Request
from oauthlib.oauth2.rfc6749.errors import InvalidGrantError

from tests.factories import learner_user
from tests.wallets.test_ims_api import (
    BACKPACK,
    CALLBACK,
    OB_CREDENTIALS,
    OB_PROFILE,
    authorisation_request,
    bearer,
    consent,
    register,
    token_request,
    tokens,
)
from wallets.oauth_clients import granted_scope
from wallets.oauth_server import Validator

pytestmark = pytest.mark.django_db


@pytest.fixture
def backpack(client):
    response = register(client)
    assert response.status_code == 201, response.content
    return response.json()


@pytest.fixture
def learner():
    return learner_user().user


def _update(client, registration, **changes):
    """RFC 7592: the backpack replaces its registration, authenticated by its registration access token."""
    return client.put(
        registration["registration_client_uri"],
        {**BACKPACK, **changes},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {registration['registration_access_token']}",
    )


def _asks_consent(client, user, registration, scope=OB_CREDENTIALS) -> bool:
    """Whether /oauth/authorize/ shows the consent page rather than approving at once (DOT's approval_prompt=auto
    approves without asking when the learner already gave this platform these scopes)."""
    params, _verifier = authorisation_request(registration, scope, approval_prompt="auto")
    client.force_login(user)
    answer = client.get("/oauth/authorize/", params)
    client.logout()
    return answer.status_code == 200


def _imsx_minor(response) -> str:
    return response.json()["imsx_codeMinor"]["imsx_codeMinorField"][0]["imsx_codeMinorFieldValue"]


# Registration updates (RFC 7592)


def test_an_update_cannot_move_the_redirect_uri_to_another_host(client, backpack):
    response = _update(client, backpack, redirect_uris=["https://attacker.example/callback"])
    assert response.status_code == 400 and "client_uri's host" in response.json()["error_description"]
    application = Application.objects.get(client_id=backpack["client_id"])
    assert application.redirect_uris == CALLBACK


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"redirect_uris": ["http://backpack.example/callback"]}, "https URLs"),
        ({"scope": "https://example.com/everything"}, "Unknown scopes"),
        ({"client_uri": ""}, "Missing: client_uri"),
        ({"grant_types": ["client_credentials"]}, "authorization_code"),
    ],
)
def test_an_update_gets_the_checks_of_a_registration(client, backpack, changes, message):
    response = _update(client, backpack, **changes)
    assert response.status_code == 400 and response.json()["error"] == "invalid_client_metadata"
    assert message in response.json()["error_description"]


def test_an_update_keeps_and_echoes_the_1edtech_metadata(client, backpack):
    response = _update(client, backpack, logo_uri="https://backpack.example/new-logo.png", software_version="2.2")
    assert response.status_code == 200, response.content
    assert response.json()["logo_uri"] == "https://backpack.example/new-logo.png"
    assert response.json()["software_version"] == "2.2"
    client_metadata = Application.objects.get(client_id=backpack["client_id"]).registered_client
    assert client_metadata.logo_uri == "https://backpack.example/new-logo.png"


def test_reading_a_registration_echoes_the_1edtech_metadata(client, backpack):
    response = client.get(
        backpack["registration_client_uri"], HTTP_AUTHORIZATION=f"Bearer {backpack['registration_access_token']}"
    )
    assert response.status_code == 200 and response.json()["client_uri"] == "https://backpack.example"


@pytest.mark.parametrize(
    "changes",
    [
        {"client_name": "Trusted Backpack"},
        {"logo_uri": "https://backpack.example/other-logo.png"},
        {"redirect_uris": [CALLBACK, "https://backpack.example/elsewhere"]},
    ],
)
def test_changing_what_the_learner_approved_asks_for_consent_again(client, backpack, learner, changes):
    tokens(client, learner, backpack)
    assert not _asks_consent(client, learner, backpack)
    assert _update(client, backpack, **changes).status_code == 200
    assert _asks_consent(client, learner, backpack)


def test_an_update_that_changes_nothing_the_learner_saw_keeps_their_approval(client, backpack, learner):
    tokens(client, learner, backpack)
    assert _update(client, backpack, software_version="2.2").status_code == 200
    assert not _asks_consent(client, learner, backpack)


def test_after_asking_consent_again_the_platform_still_manages_its_registration(client, backpack, learner):
    tokens(client, learner, backpack)
    updated = _update(client, backpack, client_name="Renamed Backpack").json()
    assert _update(client, updated, client_name="Renamed Again").status_code == 200


# Consent and codes


def test_consent_is_asked_again_for_more_scopes_than_were_approved(client, backpack, learner):
    tokens(client, learner, backpack, scope=OB_CREDENTIALS)
    assert not _asks_consent(client, learner, backpack, scope=OB_CREDENTIALS)
    assert _asks_consent(client, learner, backpack, scope=f"{OB_CREDENTIALS} {OB_PROFILE}")


def test_a_platform_cannot_ask_for_a_scope_it_did_not_register(client, learner):
    narrow = register(client, scope=OB_CREDENTIALS).json()
    params, _verifier = authorisation_request(narrow, scope=f"{OB_CREDENTIALS} {OB_PROFILE}")
    client.force_login(learner)
    answer = client.get("/oauth/authorize/", params)
    assert answer.status_code == 302
    assert parse_qs(urlsplit(answer["Location"]).query)["error"] == ["invalid_scope"]


@pytest.mark.parametrize(
    "changes", [{"code_challenge": "x" * 129}, {"code_challenge": "short"}, {"nonce": "n" * 256}], ids=str
)
@pytest.mark.parametrize("method", ["get", "post"])
def test_a_code_challenge_or_nonce_that_cannot_be_stored_gets_the_error_page(
    client, backpack, learner, changes, method
):
    params, _verifier = authorisation_request(
        backpack, **changes, **({"allow": "Authorize"} if method == "post" else {})
    )
    client.force_login(learner)
    response = getattr(client, method)("/oauth/authorize/", params)
    assert response.status_code == 400 and "This request cannot be accepted" in response.content.decode()


def test_an_answer_to_the_consent_page_for_an_unknown_platform_gets_the_error_page(client, backpack, learner):
    params, _verifier = authorisation_request(backpack, client_id="no-such-platform", allow="Authorize")
    client.force_login(learner)
    response = client.post("/oauth/authorize/", params)
    assert response.status_code == 400 and "This request cannot be accepted" in response.content.decode()


def test_a_refusal_posted_with_an_unregistered_redirect_uri_goes_nowhere(client, backpack, learner):
    params, _verifier = authorisation_request(backpack, redirect_uri="https://attacker.example/callback")
    client.force_login(learner)
    response = client.post("/oauth/authorize/", params)  # Deny: no "allow"
    assert response.status_code == 400 and "This request cannot be accepted" in response.content.decode()


def _code_exchange(client, registration, code, verifier):
    return token_request(
        client, registration, grant_type="authorization_code", code=code, redirect_uri=CALLBACK, code_verifier=verifier
    )


def test_a_replayed_code_is_refused_and_revokes_the_tokens_it_gave(client, backpack, learner):
    code, verifier = consent(client, learner, backpack)
    issued = _code_exchange(client, backpack, code, verifier).json()
    replay = _code_exchange(client, backpack, code, verifier)
    assert replay.status_code == 400 and replay.json()["error"] == "invalid_grant"
    assert client.get("/ims/ob/v3p0/credentials", **bearer(issued["access_token"])).status_code == 401
    refresh = token_request(client, backpack, grant_type="refresh_token", refresh_token=issued["refresh_token"])
    assert refresh.status_code == 400 and refresh.json()["error"] == "invalid_grant"


def test_a_replayed_code_also_revokes_the_tokens_refreshed_since(client, backpack, learner):
    code, verifier = consent(client, learner, backpack)
    issued = _code_exchange(client, backpack, code, verifier).json()
    refreshed = token_request(client, backpack, grant_type="refresh_token", refresh_token=issued["refresh_token"])
    assert refreshed.status_code == 200
    _code_exchange(client, backpack, code, verifier)
    assert client.get("/ims/ob/v3p0/credentials", **bearer(refreshed.json()["access_token"])).status_code == 401


def test_two_exchanges_of_one_code_at_once_leave_neither_its_tokens(client, backpack, learner):
    code, verifier = consent(client, learner, backpack)
    issued = _code_exchange(client, backpack, code, verifier).json()
    racing = Request("/oauth/token/")  # the other exchange, checked before the first one spent the code
    racing.client = Application.objects.get(client_id=backpack["client_id"])
    with pytest.raises(InvalidGrantError):
        Validator().invalidate_authorization_code(backpack["client_id"], code, racing)
    assert client.get("/ims/ob/v3p0/credentials", **bearer(issued["access_token"])).status_code == 401


def test_a_code_presented_by_another_client_revokes_nothing(client, backpack, learner):
    code, verifier = consent(client, learner, backpack)
    issued = _code_exchange(client, backpack, code, verifier).json()
    other = register(client, client_name="Other Backpack").json()
    assert _code_exchange(client, other, code, verifier).status_code == 400
    assert client.get("/ims/ob/v3p0/credentials", **bearer(issued["access_token"])).status_code == 200


# Grants this server does not offer


@pytest.mark.parametrize(
    "form",
    [
        {"grant_type": "client_credentials", "scope": OB_CREDENTIALS},
        {"grant_type": "password", "username": "learner", "password": "secret"},
        {"grant_type": "urn:ietf:params:oauth:grant-type:device_code"},
        {"grant_type": "urn:ietf:params:oauth:grant-type:device_code", "device_code": "abc"},
    ],
)
def test_a_grant_this_server_does_not_offer_is_refused(client, backpack, form):
    response = token_request(client, backpack, **form)
    assert response.status_code == 400 and response.json()["error"] == "unsupported_grant_type"


@pytest.mark.parametrize(
    "grant_types",
    [["client_credentials"], ["password"], ["implicit"], ["urn:ietf:params:oauth:grant-type:device_code"]],
)
def test_a_registration_for_another_grant_is_refused(client, grant_types):
    response = register(client, grant_types=grant_types)
    assert response.status_code == 400 and "authorization_code" in response.json()["error_description"]


# Registration scopes (RFC 7591 §3.2.1: the server may register a subset of what is asked)

UNOFFERED = "https://purl.imsglobal.org/spec/ob/v3p0/scope/credential.delete"


def test_granted_scope_keeps_the_supported_scopes_once_in_the_order_asked():
    asked = f"offline_access {UNOFFERED} {OB_PROFILE}  {OB_CREDENTIALS} {OB_PROFILE}"
    assert granted_scope(asked) == f"offline_access {OB_PROFILE} {OB_CREDENTIALS}"


def test_a_registration_asking_for_more_than_is_offered_is_granted_and_told_the_supported_part(client):
    response = register(client, scope=f"{OB_CREDENTIALS} {UNOFFERED} {OB_PROFILE}")
    assert response.status_code == 201 and response.json()["scope"] == f"{OB_CREDENTIALS} {OB_PROFILE}"
    client_metadata = Application.objects.get(client_id=response.json()["client_id"]).registered_client
    assert client_metadata.scope == f"{OB_CREDENTIALS} {OB_PROFILE}"


def test_a_registration_asking_for_nothing_offered_is_refused(client):
    response = register(client, scope=f"{UNOFFERED} https://example.com/everything")
    assert response.status_code == 400 and response.json()["error"] == "invalid_client_metadata"
    assert response.json()["error_description"].startswith("Unknown scopes:")


def test_an_update_is_granted_the_supported_part_of_its_scope(client, backpack):
    response = _update(client, backpack, scope=f"{UNOFFERED} {OB_CREDENTIALS}")
    assert response.status_code == 200 and response.json()["scope"] == OB_CREDENTIALS


def test_a_platform_cannot_ask_the_learner_for_a_scope_it_was_not_granted(client, learner):
    partial = register(client, scope=f"{OB_CREDENTIALS} {UNOFFERED}").json()
    params, _verifier = authorisation_request(partial, scope=f"{OB_CREDENTIALS} {UNOFFERED}")
    client.force_login(learner)
    answer = client.get("/oauth/authorize/", params)
    assert parse_qs(urlsplit(answer["Location"]).query)["error"] == ["invalid_scope"]


def test_the_metadata_advertises_only_the_grants_served(client):
    metadata = client.get("/.well-known/oauth-authorization-server").json()
    assert metadata["grant_types_supported"] == ["authorization_code", "refresh_token"]
    assert metadata["response_types_supported"] == ["code"]


# The 1EdTech APIs


def test_a_token_acting_for_no_learner_is_refused_in_the_spec_s_format(client, backpack):
    token = AccessToken(
        application=Application.objects.get(client_id=backpack["client_id"]),
        user=None,
        scope=OB_CREDENTIALS,
        expires=timezone.now() + timedelta(hours=1),
    )  # what a client credentials grant would have issued
    set_token_value(token, "no-learner-token")
    token.save()
    response = client.get("/ims/ob/v3p0/credentials", **bearer("no-learner-token"))
    assert response.status_code == 403 and _imsx_minor(response) == "forbidden"
    assert "learner" in response.json()["imsx_description"]


@pytest.mark.parametrize(
    "query",
    [
        {"offset": "9" * 20},
        {"limit": "9" * 20},
        {"offset": "-1"},
        {"limit": "0"},
        {"limit": "ten"},
    ],
)
def test_paging_outside_its_bounds_is_a_400_in_the_spec_s_format(client, backpack, learner, query):
    token = tokens(client, learner, backpack)["access_token"]
    response = client.get("/ims/ob/v3p0/credentials", query, **bearer(token))
    assert response.status_code == 400 and response.json()["imsx_codeMajor"] == "failure"
    assert next(iter(query)) in response.json()["imsx_description"]


def test_a_deeply_nested_update_is_refused_as_bad_json(client, backpack):
    response = client.put(
        backpack["registration_client_uri"],
        "[" * 100_000,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {backpack['registration_access_token']}",
    )
    assert response.status_code == 400 and response.json()["error"] == "invalid_client_metadata"


# Values django-oauth-toolkit let through as a 500 (a NUL only on PostgreSQL, which refuses to compare one)

MALFORMED = "https://[::1/"  # urlsplit raises ValueError


def test_a_client_id_holding_a_nul_is_an_unknown_client(client, backpack):
    holding_a_nul = {**backpack, "client_id": "backpack\x00"}
    response = token_request(client, holding_a_nul, grant_type="authorization_code", code="x")
    assert response.status_code == 401 and response.json()["error"] == "invalid_client"


def test_a_code_holding_a_nul_is_refused(client, backpack):
    response = token_request(client, backpack, grant_type="authorization_code", code="code\x00", redirect_uri=CALLBACK)
    assert response.status_code == 400 and response.json()["error"] == "invalid_grant"


def test_a_registration_address_holding_a_nul_is_refused(client, backpack):
    response = _update(client, {**backpack, "registration_client_uri": "/oauth/register/backpack%00/"})
    assert response.status_code == 401


def test_an_authorisation_request_with_a_malformed_resource_gets_the_error_page(client, backpack, learner):
    params, _verifier = authorisation_request(backpack, resource=MALFORMED)
    client.force_login(learner)
    response = client.get("/oauth/authorize/", params)
    assert response.status_code == 400 and "This request cannot be accepted" in response.content.decode()


def test_an_authorisation_request_with_a_port_out_of_range_gets_the_error_page(client, backpack, learner):
    params, _verifier = authorisation_request(backpack, redirect_uri="https://backpack.example:99999/callback")
    client.force_login(learner)
    response = client.get("/oauth/authorize/", params)
    assert response.status_code == 400 and "This request cannot be accepted" in response.content.decode()


def test_an_answer_with_a_malformed_resource_gets_the_error_page(client, backpack, learner):
    params, _verifier = authorisation_request(backpack, resource=MALFORMED, allow="Authorize")
    client.force_login(learner)
    response = client.post("/oauth/authorize/", params)
    assert response.status_code == 400 and "This request cannot be accepted" in response.content.decode()


def test_a_token_request_with_a_malformed_resource_is_refused(client, backpack, learner):
    code, verifier = consent(client, learner, backpack)
    response = token_request(
        client, backpack, grant_type="authorization_code", code=code, redirect_uri=CALLBACK, code_verifier=verifier,
        resource=MALFORMED,
    )  # fmt: skip
    assert response.status_code == 400 and json.loads(response.content)["error"] == "invalid_target"
