"""The 1EdTech OB 3.0 REST API driven by an OAuth 2.0 client library nobody here wrote — authlib, unmodified — over
the live server: registration (RFC 7591), authorisation code with PKCE S256 (the learner consents in their
browser), token, getCredentials and getProfile, refresh rotation, and the refusals of issue #23."""

from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from authlib.common.security import generate_token
from authlib.integrations.base_client.errors import OAuthError
from authlib.integrations.requests_client import OAuth2Session

from tests.wallets.test_ims_api import BACKPACK, CALLBACK, OB_CREDENTIALS, OB_PROFILE

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def authorised(live_server, client, award, monkeypatch):
    """authlib's session after the learner consented and the code was exchanged: (session, registration,
    the redirect that carried the code, the PKCE verifier)."""
    monkeypatch.setenv("AUTHLIB_INSECURE_TRANSPORT", "1")  # the live server speaks http
    registration = requests.post(live_server.url + "/oauth/register/", json=BACKPACK, timeout=10).json()
    session = OAuth2Session(
        registration["client_id"], registration["client_secret"], scope=f"{OB_CREDENTIALS} {OB_PROFILE}",
        redirect_uri=CALLBACK, code_challenge_method="S256", token_endpoint_auth_method="client_secret_basic",
    )  # fmt: skip
    verifier = generate_token(48)
    url, _state = session.create_authorization_url(live_server.url + "/oauth/authorize/", code_verifier=verifier)
    client.force_login(award.learner.user)  # the learner's browser
    consent = client.get(urlsplit(url).path + "?" + urlsplit(url).query)
    answer = {key: value for key, value in consent.context["form"].initial.items() if value is not None}
    redirect = client.post("/oauth/authorize/", {**answer, "allow": "Authorize"})["Location"]
    session.fetch_token(live_server.url + "/oauth/token/", authorization_response=redirect, code_verifier=verifier)
    return session, registration, redirect, verifier


def test_authlib_reads_the_learner_s_credentials_and_profile(authorised, live_server, award):
    session, *_ = authorised
    credentials = session.get(live_server.url + "/ims/ob/v3p0/credentials")
    assert credentials.status_code == 200 and credentials.headers["X-Total-Count"] == "1"
    assert [c["id"] for c in credentials.json()["credential"]] == [award.document()["id"]]
    assert session.get(live_server.url + "/ims/ob/v3p0/profile").status_code == 200


def test_authlib_s_refresh_rotates_the_refresh_token(authorised, live_server):
    session, *_ = authorised
    first = session.token["refresh_token"]
    assert session.refresh_token(live_server.url + "/oauth/token/")["refresh_token"] != first
    assert session.get(live_server.url + "/ims/ob/v3p0/credentials").status_code == 200


def test_a_replayed_code_revokes_the_tokens_authlib_holds(authorised, live_server):
    session, registration, redirect, verifier = authorised
    form = {
        "grant_type": "authorization_code", "code": parse_qs(urlsplit(redirect).query)["code"][0],
        "redirect_uri": CALLBACK, "code_verifier": verifier,
    }  # fmt: skip
    credentials = (registration["client_id"], registration["client_secret"])
    replay = requests.post(live_server.url + "/oauth/token/", data=form, auth=credentials, timeout=10)
    assert replay.status_code == 400
    assert session.get(live_server.url + "/ims/ob/v3p0/credentials").status_code == 401


def test_authlib_s_client_credentials_grant_is_unsupported(authorised, live_server):
    _session, registration, *_ = authorised
    other = OAuth2Session(registration["client_id"], registration["client_secret"])
    with pytest.raises(OAuthError) as refusal:
        other.fetch_token(live_server.url + "/oauth/token/", grant_type="client_credentials")
    assert refusal.value.error == "unsupported_grant_type"
