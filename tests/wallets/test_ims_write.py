"""The write side of the 1EdTech OB 3.0 / CLR 2.0 APIs driven by authlib, unmodified, as the platform over the live
server: the specification's own registration example, the learner's consent (code with PKCE S256) to add to their
record, upsertCredential (201 new, 200 replaced; refusals) and putProfile."""

import json
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests
from authlib.common.security import generate_token
from authlib.integrations.requests_client import OAuth2Session
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from awards.models import ForeignCredential
from awards.vc import data_integrity
from awards.vc.multikey import public_key_multibase
from tests.awards.helpers import foreign_credential, schema_errors
from tests.factories import learner_user
from wallets.ims_api import (
    CLR_CREDENTIALS,
    CLR_UPSERT,
    OB_CREDENTIALS,
    OB_PROFILE,
    OB_PROFILE_UPDATE,
    OB_UPSERT,
)

pytestmark = pytest.mark.django_db(transaction=True)

# OB 3.0 §6.1.1.2 "Sample registration request", exactly as 1EdTech/openbadges-specification@1af145f
# (ob_v3p0/security.html) gives it.
SPEC_REGISTRATION = {
    "client_name": "Example Client Application",
    "client_uri": "https://client.1edtech.org/",
    "logo_uri": "https://client.1edtech.org/logo.png",
    "tos_uri": "https://client.1edtech.org/terms",
    "policy_uri": "https://client.1edtech.org/privacy",
    "software_id": "c88b6ed8-269e-448e-99be-7e2ff47167d1",
    "software_version": "v4.0.30319",
    "redirect_uris": ["https://client.1edtech.org/Authorize"],
    "token_endpoint_auth_method": "client_secret_basic",
    "grant_types": ["authorization_code", "refresh_token"],
    "response_types": ["code"],
    "scope": "https://purl.imsglobal.org/spec/ob/v3p0/scope/credential.readonly "
    "https://purl.imsglobal.org/spec/ob/v3p0/scope/credential.upsert offline_access",
}
VECTORS = Path(__file__).resolve().parents[1] / "vc" / "vectors" / "1edtech"


@pytest.fixture(autouse=True)
def plain_http(monkeypatch):
    monkeypatch.setenv("AUTHLIB_INSECURE_TRANSPORT", "1")  # the live server speaks http


def register(live_server, **changes):
    return requests.post(live_server.url + "/oauth/register/", json={**SPEC_REGISTRATION, **changes}, timeout=10)


def connect(live_server, client, learner, scope) -> OAuth2Session:
    """authlib's session for the example platform, registered for ``scope`` and allowed it by the learner on the
    consent page (authorisation code with PKCE S256)."""
    registration = register(live_server, scope=scope).json()
    session = OAuth2Session(
        registration["client_id"], registration["client_secret"], scope=scope,
        redirect_uri=SPEC_REGISTRATION["redirect_uris"][0], code_challenge_method="S256",
        token_endpoint_auth_method="client_secret_basic",
    )  # fmt: skip
    verifier = generate_token(48)
    url, _state = session.create_authorization_url(live_server.url + "/oauth/authorize/", code_verifier=verifier)
    client.force_login(learner.user)  # the learner's browser
    consent = client.get(urlsplit(url).path + "?" + urlsplit(url).query)
    answer = {key: value for key, value in consent.context["form"].initial.items() if value is not None}
    redirect = client.post("/oauth/authorize/", {**answer, "allow": "Authorize"})["Location"]
    client.logout()
    session.fetch_token(live_server.url + "/oauth/token/", authorization_response=redirect, code_verifier=verifier)
    return session


def foreign_clr(secret=None, **changes):
    """The 1EdTech CLR 2.0 example, issued and signed by ``secret``'s did:key (a fresh key unless given)."""
    secret = secret or Ed25519PrivateKey.generate()
    did = "did:key:" + public_key_multibase(secret.public_key())
    record = json.loads((VECTORS / "clr20-simple.json").read_text())
    record.pop("proof")
    record["issuer"]["id"] = did
    record.update(changes)
    return data_integrity.sign(
        record, private_key=secret, verification_method=f"{did}#{did[8:]}", created="2024-01-01T00:00:00Z"
    )


def _imsx_minor(response) -> str:
    return response.json()["imsx_codeMinor"]["imsx_codeMinorField"][0]["imsx_codeMinorFieldValue"]


@pytest.fixture
def learner():
    return learner_user()


@pytest.fixture
def platform(live_server, client, learner):
    """The specification's example platform, which the learner let read and add to their credentials."""
    return connect(live_server, client, learner, SPEC_REGISTRATION["scope"])


def test_the_specification_s_registration_example_is_accepted_with_its_scope_echoed(live_server):
    response = register(live_server)
    assert response.status_code == 201, response.content
    registration = response.json()
    assert registration["scope"] == SPEC_REGISTRATION["scope"]
    assert registration["client_name"] == "Example Client Application" and registration["client_secret"]
    assert registration["software_id"] == SPEC_REGISTRATION["software_id"]


def test_a_platform_adds_a_credential_another_issuer_gave_the_learner(platform, live_server, learner):
    document = foreign_credential()
    response = platform.post(live_server.url + "/ims/ob/v3p0/credentials", json=document, timeout=10)
    assert response.status_code == 201, response.content
    assert response.json() == document and schema_errors(response.json()) == []
    brought = ForeignCredential.objects.get(learner=learner)
    assert (brought.sent_by, brought.status, brought.achievement_name) == (
        "Example Client Application", "pending", "Teamwork",
    )  # fmt: skip
    listed = platform.get(live_server.url + "/ims/ob/v3p0/credentials", timeout=10)
    assert listed.headers["X-Total-Count"] == "1" and listed.json()["credential"] == [document]


def test_the_same_credential_sent_again_answers_200_and_replaces_the_copy(platform, live_server, learner):
    issuer = Ed25519PrivateKey.generate()
    first, newer = foreign_credential(issuer), foreign_credential(issuer, validFrom="2024-06-01T00:00:00Z")
    url = live_server.url + "/ims/ob/v3p0/credentials"
    assert [platform.post(url, json=document, timeout=10).status_code for document in (first, first, newer)] == [
        201, 200, 200,
    ]  # fmt: skip
    [kept] = ForeignCredential.objects.filter(learner=learner)
    assert json.loads(kept.document) == newer


def test_a_tampered_credential_is_refused_with_the_reason(platform, live_server):
    document = foreign_credential()
    document["credentialSubject"]["achievement"]["name"] = "Leadership"  # changed after signing
    response = platform.post(live_server.url + "/ims/ob/v3p0/credentials", json=document, timeout=10)
    assert response.status_code == 400 and _imsx_minor(response) == "invalid_data"
    assert "does not verify" in response.json()["imsx_description"]
    assert not ForeignCredential.objects.exists()


def test_a_token_without_the_upsert_scope_is_refused(live_server, client, learner):
    reader = connect(live_server, client, learner, OB_CREDENTIALS)
    response = reader.post(live_server.url + "/ims/ob/v3p0/credentials", json=foreign_credential(), timeout=10)
    assert response.status_code == 403 and _imsx_minor(response) == "forbidden"
    assert not ForeignCredential.objects.exists()


def test_another_learner_s_platform_neither_sees_nor_replaces_the_learner_s_copy(
    platform, live_server, client, learner
):
    issuer = Ed25519PrivateKey.generate()
    mine, theirs = foreign_credential(issuer), foreign_credential(issuer, validFrom="2024-06-01T00:00:00Z")
    url = live_server.url + "/ims/ob/v3p0/credentials"
    assert platform.post(url, json=mine, timeout=10).status_code == 201
    other = connect(live_server, client, learner_user(), f"{OB_CREDENTIALS} {OB_UPSERT}")
    assert other.get(url, timeout=10).headers["X-Total-Count"] == "0"
    assert other.post(url, json=theirs, timeout=10).status_code == 201  # the same credential id: their own copy
    assert json.loads(ForeignCredential.objects.get(learner=learner).document) == mine


def test_put_profile_changes_the_name_the_learner_goes_by_and_is_recorded(live_server, client, learner):
    platform = connect(live_server, client, learner, f"{OB_PROFILE} {OB_PROFILE_UPDATE}")
    url = live_server.url + "/ims/ob/v3p0/profile"
    profile = platform.get(url, timeout=10).json()
    response = platform.put(url, json={**profile, "name": "Sam"}, timeout=10)
    assert response.status_code == 200 and response.json() == {**profile, "name": "Sam"}
    assert schema_errors(response.json(), "ob_v3p0_profile_schema.json") == []
    assert platform.get(url, timeout=10).json()["name"] == "Sam"
    learner.refresh_from_db()
    change = learner.history.latest()
    assert (learner.display_name, change.history_user) == ("Sam", learner.user)
    assert change.history_change_reason == "putProfile from Example Client Application"


def test_a_platform_adds_a_comprehensive_learner_record(live_server, client, learner, signing_key):
    platform = connect(live_server, client, learner, f"{CLR_CREDENTIALS} {CLR_UPSERT}")
    record = foreign_clr()
    url = live_server.url + "/ims/clr/v2p0/credentials"
    response = platform.post(url, json=record, timeout=10)
    assert response.status_code == 201, response.content
    assert schema_errors(response.json(), "clr_v2p0_clrcredential_schema.json") == []
    listed = platform.get(url, timeout=10)
    assert listed.headers["X-Total-Count"] == "2" and listed.json()["credential"][1] == record
    assert ForeignCredential.objects.get(learner=learner).kind == ForeignCredential.Kind.CLR


def test_credentials_brought_before_are_named_so_a_platform_replaces_rather_than_repeats_them(learner):
    from importlib import import_module

    from django.apps import apps

    migration = import_module("awards.migrations.0010_foreign_credential_upsert")
    document = json.dumps(foreign_credential())
    earlier = [
        ForeignCredential.objects.create(
            learner=learner, document=document, issuer_id="did:key:z6Mk", issuer_name="Example Corp",
            achievement_name="Teamwork",
        )
        for _ in range(2)
    ]  # fmt: skip
    migration.credential_ids_fill(apps, None)
    named = [ForeignCredential.objects.get(pk=credential.pk).credential_id for credential in earlier]
    assert sorted(named) == ["", "http://example.com/credentials/3527"]  # one name per credential and learner
