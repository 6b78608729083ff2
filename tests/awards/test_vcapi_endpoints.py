"""The VC-API endpoints: /credentials/issue (a registrar or an issuer key signs as the registry),
/credentials/verify and /presentations/verify (public, the registry's verifier and its cost limits)."""

import json
from datetime import timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.cache import cache
from django.utils import timezone

from awards import keys
from awards.models import VCAPIIssuance
from awards.vc import data_integrity
from awards.vc.multikey import encode_base58btc, public_key_multibase
from awards.vcapi.services import issuer_api_key_create
from awards.vcapi.views import TrustedOrAnonymousRate
from tests.factories import UserFactory

from .helpers import third_party_verify

pytestmark = pytest.mark.django_db

EXAMPLES_CONTEXT = "https://www.w3.org/ns/credentials/examples/v2"


def unsigned(**changes):
    credential = {
        "@context": ["https://www.w3.org/ns/credentials/v2", EXAMPLES_CONTEXT],
        "type": ["VerifiableCredential", "ExampleAlumniCredential"],
        "issuer": keys.issuer_did(),
        "validFrom": "2023-07-01T19:23:24Z",
        "credentialSubject": {"id": "did:example:ebfeb1f712", "alumniOf": {"name": "Example University"}},
    }
    return {**credential, **changes}


def post(client, path, body, **headers):
    return client.post(path, json.dumps(body), content_type="application/json", **headers)


@pytest.fixture
def issuer_key(signing_key):
    _, secret = issuer_api_key_create(name="Student system", expires_at=timezone.now() + timedelta(days=30))
    return {"HTTP_AUTHORIZATION": f"Api-Key {secret}"}


@pytest.fixture
def issued(client, issuer_key):
    return post(client, "/credentials/issue", {"credential": unsigned(), "options": {}}, **issuer_key).json()[
        "verifiableCredential"
    ]


def test_issuing_without_a_session_or_key_is_401(client, signing_key):
    response = post(client, "/credentials/issue", {"credential": unsigned()})
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Api-Key"


def test_a_learner_may_not_issue(client, signing_key):
    client.force_login(UserFactory())
    assert post(client, "/credentials/issue", {"credential": unsigned()}).status_code == 403


def test_a_registrar_issues_a_credential_signed_with_the_registry_s_key(registrar_client, signing_key):
    response = post(registrar_client, "/credentials/issue", {"credential": unsigned(), "options": {}})
    assert response.status_code == 201
    proof = response.json()["verifiableCredential"]["proof"]
    assert (proof["cryptosuite"], proof["verificationMethod"]) == (
        "eddsa-rdfc-2022",
        keys.verification_method(signing_key),
    )


def test_every_issuance_is_recorded_with_its_caller(client, issuer_key, registrar):
    post(client, "/credentials/issue", {"credential": unsigned(id="urn:uuid:4f1c")}, **issuer_key)
    client.force_login(registrar)
    post(client, "/credentials/issue", {"credential": unsigned()})
    by_key, by_registrar = VCAPIIssuance.objects.order_by("issued_at")
    assert (by_key.credential_id, by_key.api_key.name, by_key.issued_by) == ("urn:uuid:4f1c", "Student system", None)
    assert (by_registrar.issued_by, by_registrar.api_key) == (registrar, None)


def test_a_revoked_issuer_key_is_refused(client, issuer_key):
    from awards.models import IssuerAPIKey

    IssuerAPIKey.objects.update(revoked=True)
    assert post(client, "/credentials/issue", {"credential": unsigned()}, **issuer_key).status_code == 401


def test_an_issuer_key_expires_within_ninety_days(signing_key):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        issuer_api_key_create(name="Forever", expires_at=timezone.now() + timedelta(days=91))
    assert "expiry_date" in error.value.message_dict


def test_an_issued_credential_verifies_with_digital_bazaar_s_verifier(client, issued, signing_key):
    assert third_party_verify(client, [issued]) == [{"verified": True, "error": ""}]


def test_an_issued_credential_verifies_at_credentials_verify(client, issued):
    response = post(client, "/credentials/verify", {"verifiableCredential": issued, "options": {}})
    assert response.status_code == 200
    assert (response.json()["verified"], response.json()["errors"]) == (True, [])


def test_a_tampered_credential_is_not_verified_and_the_error_names_the_proof_check(client, issued):
    issued["credentialSubject"]["alumniOf"]["name"] = "Another University"
    response = post(client, "/credentials/verify", {"verifiableCredential": issued})
    assert response.status_code == 400
    assert response.json()["verified"] is False
    assert [(e["check"], e["title"]) for e in response.json()["errors"]] == [("proof", "Signature invalid")]


def test_a_malformed_credential_is_refused_with_its_field_errors(registrar_client, signing_key):
    credential = unsigned(validFrom="Sat 25 Feb 2023", credentialSubject={})
    credential["@context"] = [EXAMPLES_CONTEXT]
    del credential["type"]
    response = post(registrar_client, "/credentials/issue", {"credential": credential})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert set(response.json()["errors"]) == {"@context", "type", "validFrom", "credentialSubject"}


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"issuer": "did:web:someone.example"}, "issuer"),
        ({"proof": {"type": "DataIntegrityProof"}}, "proof"),
        ({"validUntil": "2020-01-01T00:00:00Z"}, "validUntil"),  # before validFrom
        ({"relatedResource": [{"id": "https://example.org/r"}]}, "relatedResource"),
    ],
)
def test_a_credential_the_registry_may_not_sign_is_refused(registrar_client, signing_key, changes, field):
    response = post(registrar_client, "/credentials/issue", {"credential": unsigned(**changes)})
    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_ids_under_the_registry_s_address_are_reserved_for_its_awards(registrar_client, signing_key, settings):
    credential = unsigned(id=f"{settings.REGISTRY_PUBLIC_URL}/credentials/6f1c6b0e-3d5a-4b8e-9c57-0d1f8a2b7c41/")
    response = post(registrar_client, "/credentials/issue", {"credential": credential})
    assert response.status_code == 400
    assert "id" in response.json()["errors"]


@pytest.mark.parametrize("suffix", ["", "?x", "#list", "-copy"])
def test_a_status_entry_in_any_list_under_the_registry_s_address_is_refused(
    registrar_client, signing_key, settings, suffix
):
    entry = {
        "type": "BitstringStatusListEntry", "statusPurpose": "revocation", "statusListIndex": "7",
        "statusListCredential": f"{settings.REGISTRY_PUBLIC_URL}/status/revocation/{suffix}",
    }  # fmt: skip
    response = post(registrar_client, "/credentials/issue", {"credential": unsigned(credentialStatus=entry)})
    assert response.status_code == 400
    assert "credentialStatus" in response.json()["errors"]


def test_a_term_no_context_defines_is_refused_when_issuing(registrar_client, signing_key):
    credential = unsigned(credentialSubject={"id": "did:example:1", "undefinedTerm": "x"})
    credential["@context"] = ["https://www.w3.org/ns/credentials/v2", {"@vocab": None}]
    response = post(registrar_client, "/credentials/issue", {"credential": credential})
    assert response.status_code == 400
    assert "credential" in response.json()["errors"]


def test_an_unsupported_issue_option_is_refused(registrar_client, signing_key):
    response = post(
        registrar_client, "/credentials/issue", {"credential": unsigned(), "options": {"mandatoryPointers": []}}
    )
    assert response.status_code == 400
    assert "options.mandatoryPointers" in response.json()["errors"]


def test_a_hostile_credential_is_too_complex_to_issue(registrar_client, signing_key, settings):
    settings.VERIFIER_MAX_JSON_VALUES = 50
    credential = unsigned(credentialSubject={"id": "did:example:1", "alumniOf": [{"name": str(n)} for n in range(60)]})
    response = post(registrar_client, "/credentials/issue", {"credential": credential})
    assert response.status_code == 400
    assert response.json()["errors"]["credential"][0].startswith("Too complex to sign")


def test_a_hostile_credential_is_too_complex_to_verify(client, issued):
    issued["@context"] = [*issued["@context"], EXAMPLES_CONTEXT]  # a context twice: JSON-LD work grows with each
    response = post(client, "/credentials/verify", {"verifiableCredential": issued})
    assert response.status_code == 400
    assert response.json()["verdict"] == "too_complex"


def test_a_verification_request_without_a_credential_is_refused(client):
    response = post(client, "/credentials/verify", {"options": {}})
    assert response.status_code == 400
    assert "verifiableCredential" in response.json()["errors"]


def _signed_presentation(credentials, *, challenge, domain):
    """A presentation of ``credentials`` signed by a fresh did:key holder (DID Authentication, eddsa-rdfc-2022)."""
    secret = Ed25519PrivateKey.generate()
    did = "did:key:" + public_key_multibase(secret.public_key())
    presentation = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiablePresentation"],
        "holder": did,
        "verifiableCredential": credentials,
    }
    config = data_integrity.proof_configuration(
        presentation, verification_method=f"{did}#{did[8:]}", created="2026-01-01T00:00:00Z"
    )
    config.update(proofPurpose="authentication", challenge=challenge, domain=domain)
    proof = {key: value for key, value in config.items() if key != "@context"}
    proof["proofValue"] = encode_base58btc(secret.sign(data_integrity.hash_data(presentation, config)))
    return {**presentation, "proof": proof}


def test_a_holder_s_presentation_of_an_issued_credential_verifies(client, issued):
    presentation = _signed_presentation([issued], challenge="c-123", domain="verifier.example")
    options = {"challenge": "c-123", "domain": "verifier.example"}
    response = post(client, "/presentations/verify", {"verifiablePresentation": presentation, "options": options})
    assert response.status_code == 200
    assert [result["verified"] for result in response.json()["credentialResults"]] == [True]


def test_a_presentation_over_another_challenge_is_not_verified(client, issued):
    presentation = _signed_presentation([issued], challenge="c-123", domain="verifier.example")
    options = {"challenge": "another", "domain": "verifier.example"}
    response = post(client, "/presentations/verify", {"verifiablePresentation": presentation, "options": options})
    assert response.status_code == 400
    assert [e["check"] for e in response.json()["errors"]] == ["proof"]


def test_a_presentation_carrying_a_tampered_credential_is_not_verified(client, issued):
    issued["validFrom"] = "2020-01-01T00:00:00Z"
    response = post(client, "/presentations/verify", {"verifiablePresentation": _signed_presentation(
        [issued], challenge="c", domain="d")})  # fmt: skip
    assert response.status_code == 400
    assert response.json()["credentialResults"][0]["verdict"] == "invalid_signature"


def test_a_presentation_whose_holder_is_not_a_url_is_refused(client):
    presentation = {"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiablePresentation"],
                    "holder": {"name": "Acme"}}  # fmt: skip
    response = post(client, "/presentations/verify", {"verifiablePresentation": presentation})
    assert response.status_code == 400
    assert "holder" in response.json()["errors"]


@pytest.fixture
def two_verifications_a_minute(monkeypatch):
    cache.clear()
    monkeypatch.setattr(TrustedOrAnonymousRate, "THROTTLE_RATES", {"anon": "2/min"})


def test_a_signed_in_account_verifies_at_the_per_address_rate_like_anyone(client, issued, two_verifications_a_minute):
    client.force_login(UserFactory())
    answers = [post(client, "/credentials/verify", {"verifiableCredential": issued}).status_code for _ in range(3)]
    assert answers == [200, 200, 429]


def test_an_issuer_key_verifies_without_the_per_address_rate(client, issued, issuer_key, two_verifications_a_minute):
    body = {"verifiableCredential": issued}
    answers = [post(client, "/credentials/verify", body, **issuer_key).status_code for _ in range(3)]
    assert answers == [200, 200, 200]


def test_a_body_past_the_upload_limit_is_refused_before_it_is_parsed(client, settings):
    """DRF's JSON parsers read ``request.body``, so Django's limit holds; a parser reading the raw stream would not."""
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1_000
    response = post(client, "/credentials/verify", {"verifiableCredential": {"padding": "x" * 2_000}})
    assert response.status_code == 400 and response["Content-Type"] == "application/problem+json"
