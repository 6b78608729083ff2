"""The 1EdTech Open Badges 3.0 / CLR 2.0 REST APIs: a backpack registers, the learner consents, the backpack reads
exactly that learner's credentials and profile, and loses access when the learner withdraws it."""

import base64
import hashlib
import json
import secrets
from urllib.parse import parse_qs, urlsplit

import pytest
from drf_spectacular.validation import validate_schema

from awards import transfer
from awards.models import Award, ForeignCredential
from tests.awards.helpers import foreign_credential, schema_errors
from tests.factories import assessable_enrolment, learner_user, record_pass
from wallets.ims_api import (
    CLR_CREDENTIALS,
    CLR_PROFILE_UPDATE,
    CLR_UPSERT,
    OB_CREDENTIALS,
    OB_PROFILE,
    OB_PROFILE_UPDATE,
    OB_UPSERT,
)

pytestmark = pytest.mark.django_db
CALLBACK = "https://backpack.example/callback"
BACKPACK = {
    "client_name": "Example Backpack",
    "client_uri": "https://backpack.example",
    "logo_uri": "https://backpack.example/logo.png",
    "tos_uri": "https://backpack.example/terms",
    "policy_uri": "https://backpack.example/privacy",
    "software_id": "example-backpack",
    "software_version": "2.1",
    "redirect_uris": [CALLBACK],
    "token_endpoint_auth_method": "client_secret_basic",
    "grant_types": ["authorization_code", "refresh_token"],
    "response_types": ["code"],
    "scope": f"{OB_CREDENTIALS} {OB_PROFILE} {CLR_CREDENTIALS}",
}


def register(client, **changes):
    return client.post("/oauth/register/", {**BACKPACK, **changes}, content_type="application/json")


def authorisation_request(registration, scope=OB_CREDENTIALS, **extra) -> tuple[dict, str]:
    """The query a backpack sends the learner's browser to /oauth/authorize/ with (PKCE S256), and its verifier."""
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    params = {
        "response_type": "code", "client_id": registration["client_id"], "redirect_uri": CALLBACK, "scope": scope,
        "state": "xyz", "code_challenge": challenge, "code_challenge_method": "S256", **extra,
    }  # fmt: skip
    return params, verifier


def code_of(answer) -> str:
    """The authorisation code in the redirect back to the backpack."""
    redirect = urlsplit(answer["Location"])
    assert f"{redirect.scheme}://{redirect.netloc}{redirect.path}" == CALLBACK
    query = parse_qs(redirect.query)
    assert query["state"] == ["xyz"]
    return query["code"][0]


def token_request(client, registration, **form):
    """A POST to the token endpoint, the backpack authenticating with its secret (client_secret_basic)."""
    basic = base64.b64encode(f"{registration['client_id']}:{registration['client_secret']}".encode()).decode()
    return client.post("/oauth/token/", form, HTTP_AUTHORIZATION=f"Basic {basic}")


def consent(client, user, registration, scope=OB_CREDENTIALS) -> tuple[str, str]:
    """The learner allows the backpack on the consent page: the code it receives and its PKCE verifier."""
    params, verifier = authorisation_request(registration, scope)
    client.force_login(user)
    page = client.get("/oauth/authorize/", params).content.decode()
    assert "Let Example Backpack read" in page and "https://backpack.example" in page
    code = code_of(client.post("/oauth/authorize/", {**params, "allow": "Authorize"}))
    client.logout()
    return code, verifier


def tokens(client, user, registration, scope=OB_CREDENTIALS) -> dict:
    """The authorisation code grant with PKCE, as a backpack runs it: consent page, code, token response."""
    code, verifier = consent(client, user, registration, scope)
    response = token_request(
        client, registration, grant_type="authorization_code", code=code, redirect_uri=CALLBACK, code_verifier=verifier
    )
    assert response.status_code == 200, response.content
    return response.json()


def access_token(client, user, registration, scope=OB_CREDENTIALS):
    return tokens(client, user, registration, scope)["access_token"]


def bearer(token):
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


@pytest.fixture
def backpack(client):
    response = register(client)
    assert response.status_code == 201, response.content
    return response.json()


def test_registration_echoes_the_1edtech_metadata_with_a_secret(backpack):
    assert backpack["client_secret"] and backpack["client_secret_expires_at"] == 0
    assert backpack["client_uri"] == "https://backpack.example" and backpack["software_version"] == "2.1"
    assert backpack["scope"] == BACKPACK["scope"] and backpack["redirect_uris"] == [CALLBACK]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"redirect_uris": ["http://backpack.example/callback"]}, "https URLs"),
        ({"redirect_uris": ["https://elsewhere.example/callback"]}, "client_uri's host"),
        ({"scope": "https://example.com/everything"}, "Unknown scopes"),
        ({"client_uri": ""}, "Missing: client_uri"),
        ({"software_version": "2" * 61}, "software_version must be printable text of at most 60 characters"),
        ({"client_name": "Example\x00Backpack"}, "client_name must be printable text"),
        ({"client_name": {"en": "Example Backpack"}}, "client_name must be printable text"),
        ({"logo_uri": "https://backpack.example/logo.png\n"}, "logo_uri must be printable text"),
        ({"scope": [OB_CREDENTIALS]}, "scope must be text"),
        ({"client_uri": "https://[::1/"}, "client_uri must be an https URL"),
        ({"redirect_uris": ["https://backpack.example:99999/callback"]}, "redirect_uris must be a list of https URLs"),
        ({"response_types": ["code", "token"]}, "response_types may only be code"),
    ],
)
def test_a_bad_registration_is_refused_with_the_reason(client, changes, message):
    response = register(client, **changes)
    assert response.status_code == 400 and response.json()["error"] == "invalid_client_metadata"
    assert message in response.json()["error_description"]


def test_after_consent_the_backpack_reads_exactly_the_learner_s_credentials(
    client, award, backpack, registrar, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        record_pass(assessable_enrolment(), registrar)  # another learner's credential stays theirs
    assert Award.objects.issued().count() == 2
    token = access_token(client, award.learner.user, backpack)
    response = client.get("/ims/ob/v3p0/credentials", **bearer(token))
    assert response.status_code == 200 and response["X-Total-Count"] == "1"
    [credential] = response.json()["credential"]
    assert credential == json.loads(award.credential) and schema_errors(credential) == []


def test_credentials_are_paged_with_total_count_and_links(
    client, award, backpack, registrar, django_capture_on_commit_callbacks
):
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            record_pass(assessable_enrolment(learner=award.learner), registrar)
    token = access_token(client, award.learner.user, backpack)
    first = client.get("/ims/ob/v3p0/credentials", {"limit": 2}, **bearer(token))
    assert first["X-Total-Count"] == "3" and len(first.json()["credential"]) == 2
    assert 'offset=2>; rel="next"' in first["Link"] and 'offset=2>; rel="last"' in first["Link"]
    second = client.get("/ims/ob/v3p0/credentials", {"limit": 2, "offset": 2}, **bearer(token))
    assert len(second.json()["credential"]) == 1 and 'offset=0>; rel="prev"' in second["Link"]
    ids = {c["id"] for c in first.json()["credential"] + second.json()["credential"]}
    assert len(ids) == 3 == Award.objects.filter(learner=award.learner).count()


def test_the_credential_list_takes_the_same_queries_however_many(
    client, award, backpack, registrar, django_assert_num_queries, django_capture_on_commit_callbacks
):
    token = access_token(client, award.learner.user, backpack)
    with django_assert_num_queries(CREDENTIALS_QUERIES):
        client.get("/ims/ob/v3p0/credentials", **bearer(token))
    for _ in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            record_pass(assessable_enrolment(learner=award.learner), registrar)
    with django_assert_num_queries(CREDENTIALS_QUERIES):
        assert len(client.get("/ims/ob/v3p0/credentials", **bearer(token)).json()["credential"]) == 4


# the token (with its application and user), the learner, the count, the page
CREDENTIALS_QUERIES = 4


def test_the_profile_needs_its_own_scope(client, award, backpack):
    token = access_token(client, award.learner.user, backpack)
    refused = client.get("/ims/ob/v3p0/profile", **bearer(token))
    assert refused.status_code == 403
    assert refused.json()["imsx_codeMinor"]["imsx_codeMinorField"][0]["imsx_codeMinorFieldValue"] == "forbidden"
    token = access_token(client, award.learner.user, backpack, scope=f"{OB_CREDENTIALS} {OB_PROFILE}")
    profile = client.get("/ims/ob/v3p0/profile", **bearer(token)).json()
    assert profile["name"] == award.learner.display_name and profile["id"].startswith("urn:uuid:")
    assert schema_errors(profile, "ob_v3p0_profile_schema.json") == []


def test_the_clr_endpoint_serves_the_signed_record(client, award, backpack):
    token = access_token(client, award.learner.user, backpack, scope=CLR_CREDENTIALS)
    [record] = client.get("/ims/clr/v2p0/credentials", **bearer(token)).json()["credential"]
    assert record["type"] == ["VerifiableCredential", "ClrCredential"]
    assert schema_errors(record, "clr_v2p0_clrcredential_schema.json") == []


def test_without_a_token_the_answer_is_401_in_the_spec_s_format(client):
    response = client.get("/ims/ob/v3p0/credentials")
    assert response.status_code == 401 and response.json()["imsx_codeMajor"] == "failure"
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_the_learner_withdraws_access_and_the_backpack_is_refused(client, award, backpack):
    token = access_token(client, award.learner.user, backpack)
    client.force_login(award.learner.user)
    page = client.get("/me/apps/").content.decode()
    assert "Example Backpack" in page and "Read your Open Badges credentials" in page
    from oauth2_provider.models import Application

    application = Application.objects.get(client_id=backpack["client_id"])
    assert client.post(f"/me/apps/{application.pk}/revoke/").status_code == 302
    client.logout()
    assert client.get("/ims/ob/v3p0/credentials", **bearer(token)).status_code == 401


def test_another_learner_cannot_withdraw_someone_else_s_platform(client, award, backpack):
    from oauth2_provider.models import Application

    token = access_token(client, award.learner.user, backpack)
    client.force_login(learner_user().user)
    application = Application.objects.get(client_id=backpack["client_id"])
    assert client.post(f"/me/apps/{application.pk}/revoke/").status_code == 404
    client.logout()
    assert client.get("/ims/ob/v3p0/credentials", **bearer(token)).status_code == 200


@pytest.mark.parametrize("path", ["/ims/ob/v3p0/discovery", "/ims/clr/v2p0/discovery"])
def test_discovery_is_a_valid_openapi_document_naming_the_oauth_endpoints(client, path):
    document = client.get(path).json()
    validate_schema(document)  # against the OpenAPI 3.0 JSON Schema drf-spectacular ships
    scheme = document["components"]["securitySchemes"]["OAuth2ACG"]
    assert scheme["x-imssf-registrationUrl"].endswith("/oauth/register/")
    assert scheme["flows"]["authorizationCode"]["tokenUrl"].endswith("/oauth/token/")


def test_the_authorisation_server_metadata_offers_pkce_s256_and_registration(client):
    metadata = client.get("/.well-known/oauth-authorization-server").json()
    assert metadata["code_challenge_methods_supported"] == ["S256"]
    assert metadata["registration_endpoint"].endswith("/oauth/register/")


def test_registrations_from_one_address_are_limited(client, settings):
    settings.IMS_REGISTRATIONS_PER_HOUR = 2
    assert [register(client).status_code for _ in range(3)] == [201, 201, 429]


# The write side: upsertCredential and putProfile (the authlib-driven flows are in test_ims_write)

WRITER = f"{OB_CREDENTIALS} {OB_UPSERT} {OB_PROFILE} {OB_PROFILE_UPDATE} {CLR_UPSERT} offline_access"


@pytest.fixture
def writer(client):
    response = register(client, scope=WRITER)
    assert response.status_code == 201, response.content
    return response.json()


@pytest.fixture
def learner():
    return learner_user()


def _imsx(response) -> tuple[int, str]:
    return response.status_code, response.json()["imsx_codeMinor"]["imsx_codeMinorField"][0]["imsx_codeMinorFieldValue"]


def _upsert(client, token, body, content_type="application/json", path="/ims/ob/v3p0/credentials"):
    return client.post(path, body, content_type=content_type, **bearer(token))


def test_a_credential_sent_as_application_vc_ld_json_is_added(client, writer, learner):
    token = access_token(client, learner.user, writer, scope=OB_UPSERT)
    response = _upsert(client, token, json.dumps(foreign_credential()), content_type="application/vc+ld+json")
    assert response.status_code == 201 and ForeignCredential.objects.filter(learner=learner).exists()


def test_a_vc_jwt_is_refused_as_not_verifiable_here(client, writer, learner):
    token = access_token(client, learner.user, writer, scope=OB_UPSERT)
    response = _upsert(client, token, "eyJhbGciOiJFZERTQSJ9.eyJ2YyI6e319.c2lnbmF0dXJl", content_type="text/plain")
    assert _imsx(response) == (400, "invalid_data") and "VC-JWT" in response.json()["imsx_description"]


def test_a_body_of_another_media_type_is_refused_in_the_spec_s_format(client, writer, learner):
    token = access_token(client, learner.user, writer, scope=OB_UPSERT)
    response = _upsert(client, token, "<credential/>", content_type="application/xml")
    assert _imsx(response) == (415, "invalid_data")


def test_the_open_badges_endpoint_refuses_a_comprehensive_learner_record(client, writer, learner):
    from tests.wallets.test_ims_write import foreign_clr

    token = access_token(client, learner.user, writer, scope=OB_UPSERT)
    response = _upsert(client, token, json.dumps(foreign_clr()))
    assert _imsx(response) == (400, "invalid_data") and "not an Open Badges credential" in response.content.decode()


def test_a_credential_without_an_id_is_refused(client, writer, learner):
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from awards.vc import data_integrity

    issuer = Ed25519PrivateKey.generate()
    document = foreign_credential(issuer)
    del document["proof"], document["id"]
    did = document["issuer"]["id"]
    unnamed = data_integrity.sign(
        document, private_key=issuer, verification_method=f"{did}#{did[8:]}", created="2024-01-01T00:00:00Z"
    )
    token = access_token(client, learner.user, writer, scope=OB_UPSERT)
    response = _upsert(client, token, json.dumps(unnamed))
    assert _imsx(response) == (400, "invalid_data") and "needs an id" in response.json()["imsx_description"]


def test_a_copy_the_registrar_decided_on_is_not_replaced(client, writer, learner, registrar):
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    issuer = Ed25519PrivateKey.generate()
    first = foreign_credential(issuer)
    token = access_token(client, learner.user, writer, scope=OB_UPSERT)
    assert _upsert(client, token, json.dumps(first)).status_code == 201
    brought = ForeignCredential.objects.get(learner=learner)
    transfer.foreign_credential_decide(credential=brought, user=registrar, approve=False, note="Not equivalent.")
    response = _upsert(client, token, json.dumps(foreign_credential(issuer, validFrom="2024-06-01T00:00:00Z")))
    assert _imsx(response) == (400, "invalid_data") and "decided" in response.json()["imsx_description"]
    assert json.loads(ForeignCredential.objects.get(pk=brought.pk).document) == first
    assert _upsert(client, token, json.dumps(first)).status_code == 200  # the very same copy is still accepted


def test_a_profile_that_changes_the_email_is_refused_and_changes_nothing(client, writer, learner):
    token = access_token(client, learner.user, writer, scope=f"{OB_PROFILE} {OB_PROFILE_UPDATE}")
    profile = client.get("/ims/ob/v3p0/profile", **bearer(token)).json()
    changed = {**profile, "name": "Sam", "email": "someone.else@example.com"}
    response = client.put("/ims/ob/v3p0/profile", changed, content_type="application/json", **bearer(token))
    assert _imsx(response) == (400, "invalid_data") and "email" in response.json()["imsx_description"]
    learner.refresh_from_db()
    assert (learner.display_name, learner.email) == (profile["name"], profile["email"])


def test_a_profile_carrying_what_is_not_kept_here_is_refused(client, writer, learner):
    token = access_token(client, learner.user, writer, scope=f"{OB_PROFILE} {OB_PROFILE_UPDATE}")
    profile = client.get("/ims/ob/v3p0/profile", **bearer(token)).json()
    response = client.put(
        "/ims/ob/v3p0/profile", {**profile, "phone": "111-222-3333"}, content_type="application/json", **bearer(token)
    )
    assert _imsx(response) == (400, "invalid_data") and "phone" in response.json()["imsx_description"]


def test_another_learner_s_profile_cannot_be_replaced(client, writer, learner):
    token = access_token(client, learner.user, writer, scope=f"{OB_PROFILE} {OB_PROFILE_UPDATE}")
    other = learner_user()
    other_token = access_token(client, other.user, writer, scope=OB_PROFILE)
    theirs = client.get("/ims/ob/v3p0/profile", **bearer(other_token)).json()
    response = client.put(
        "/ims/ob/v3p0/profile", {**theirs, "name": "Sam"}, content_type="application/json", **bearer(token)
    )
    assert response.status_code == 400
    other.refresh_from_db()
    assert other.display_name == theirs["name"]


def test_the_clr_profile_needs_the_clr_update_scope(client, writer, learner):
    token = access_token(client, learner.user, writer, scope=f"{OB_PROFILE} {OB_PROFILE_UPDATE}")
    profile = client.get("/ims/ob/v3p0/profile", **bearer(token)).json()
    response = client.put("/ims/clr/v2p0/profile", profile, content_type="application/json", **bearer(token))
    assert _imsx(response) == (403, "forbidden")


def test_head_needs_the_read_scope_as_get_does(client, writer, learner):
    token = access_token(client, learner.user, writer, scope=OB_UPSERT)
    assert client.head("/ims/ob/v3p0/credentials", **bearer(token)).status_code == 403


def test_a_method_the_api_does_not_offer_is_405_in_the_spec_s_format(client, writer, learner):
    token = access_token(client, learner.user, writer, scope=OB_UPSERT)
    assert _imsx(client.delete("/ims/ob/v3p0/credentials", **bearer(token))) == (405, "not_allowed")


@pytest.mark.parametrize(
    ("path", "upsert", "update"),
    [
        ("/ims/ob/v3p0/discovery", OB_UPSERT, OB_PROFILE_UPDATE),
        ("/ims/clr/v2p0/discovery", CLR_UPSERT, CLR_PROFILE_UPDATE),
    ],
)
def test_discovery_lists_the_write_operations_with_their_scopes(client, path, upsert, update):
    document = client.get(path).json()
    validate_schema(document)
    write = document["paths"]["/credentials"]["post"]
    assert write["operationId"] == "upsertCredential" and write["security"] == [{"OAuth2ACG": [upsert]}]
    assert set(write["responses"]) >= {"200", "201", "400", "401", "403"}
    profile = document["paths"]["/profile"]["put"]
    assert profile["operationId"] == "putProfile" and profile["security"] == [{"OAuth2ACG": [update]}]
    assert {upsert, update} <= set(
        document["components"]["securitySchemes"]["OAuth2ACG"]["flows"]["authorizationCode"]["scopes"]
    )


def test_the_consent_page_says_in_plain_words_what_the_platform_would_add(client, writer, learner):
    params, _verifier = authorisation_request(writer, f"{OB_CREDENTIALS} {OB_UPSERT} offline_access")
    client.force_login(learner.user)
    page = client.get("/oauth/authorize/", params).content.decode()
    assert "Let Example Backpack read and add to your credentials?" in page
    assert "Add Open Badges credentials other issuers gave you to your record here" in page
    assert "Keep this access between your visits, until you withdraw it" in page


def test_connected_platforms_name_the_write_scopes(client, writer, learner):
    access_token(client, learner.user, writer, scope=f"{OB_UPSERT} {OB_PROFILE_UPDATE}")
    client.force_login(learner.user)
    page = client.get("/me/apps/").content.decode()
    assert "Add Open Badges credentials other issuers gave you to your record here" in page
    assert "Change the name this registry calls you by" in page


def test_a_credential_past_the_upload_limit_is_refused_before_it_is_read(client, writer, learner, settings):
    token = access_token(client, learner.user, writer, scope=OB_UPSERT)
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1_000
    response = _upsert(client, token, json.dumps({**foreign_credential(), "padding": "x" * 2_000}))
    assert response.status_code == 413 and response.json()["imsx_codeMajor"] == "failure"
    assert not ForeignCredential.objects.filter(learner=learner).exists()


def test_the_clr_list_pages_the_signed_record_then_those_brought_reading_only_the_page(client, award, backpack):
    for number in range(3):
        ForeignCredential.objects.create(
            learner=award.learner, kind=ForeignCredential.Kind.CLR, document=json.dumps({"name": f"Record {number}"}),
            issuer_id=f"did:example:{number}", issuer_name="Elsewhere", achievement_name=f"Record {number}",
        )  # fmt: skip
    token = access_token(client, award.learner.user, backpack, scope=CLR_CREDENTIALS)

    def page(offset):
        response = client.get("/ims/clr/v2p0/credentials", {"limit": 2, "offset": offset}, **bearer(token))
        return response["X-Total-Count"], [record.get("name") for record in response.json()["credential"]]

    total, first = page(0)
    assert total == "4" and first[1] == "Record 0" and first[0] != "Record 0"
    assert page(2) == ("4", ["Record 1", "Record 2"])
