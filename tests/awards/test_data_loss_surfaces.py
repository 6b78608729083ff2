"""Every place that accepts someone else's credential or presentation refuses one whose signature does not cover
all of it: a VC 1.1 credential (no ``@vocab``) signed with eddsa-rdfc-2022, then given a type its contexts do not
define. JSON-LD → RDF would drop that type, so the signature would still match; canonicalization refuses it
instead (awards/vc/jsonld.py), and each surface must say "not valid" while the untampered credential passes."""

import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from awards import transfer, verification
from awards.models import ForeignCredential
from awards.vc import data_integrity
from awards.vc.data_integrity import ProofError
from awards.vc.multikey import encode_base58btc, public_key_multibase
from awards.vc.presentations import verify_did_authentication
from partners.models import PartnerOrganisation
from tests.awards.helpers import third_party_verify
from tests.partners.conftest import key_for
from tests.wallets.test_ims_api import access_token, bearer, register
from wallets import services as wallet_services
from wallets.ims_api import OB_UPSERT

pytestmark = pytest.mark.django_db

VC_1_1 = "https://www.w3.org/2018/credentials/v1"
VC_2_0 = "https://www.w3.org/ns/credentials/v2"
DATA_INTEGRITY = "https://w3id.org/security/data-integrity/v2"
SIMPLE = Path(__file__).resolve().parents[1] / "vc" / "vectors" / "1edtech" / "ob30-simple.json"
UNDEFINED = "UndefinedType"


def _did(secret):
    did = "did:key:" + public_key_multibase(secret.public_key())
    return did, f"{did}#{did[8:]}"


def vc11_credential():
    """1EdTech's simple Open Badge as an OB 3.0 issuer of the VC 1.1 era wrote it, signed by a fresh did:key."""
    secret = Ed25519PrivateKey.generate()
    did, method = _did(secret)
    credential = json.loads(SIMPLE.read_text())
    del credential["proof"]
    credential["@context"] = [VC_1_1, "https://purl.imsglobal.org/spec/ob/v3p0/context.json", DATA_INTEGRITY]
    credential["issuanceDate"] = credential.pop("validFrom")
    credential["issuer"]["id"] = did
    return data_integrity.sign(
        credential, private_key=secret, verification_method=method, created="2024-01-01T00:00:00Z"
    )


def tampered(document):
    return {**document, "type": [*document["type"], UNDEFINED]}


@pytest.fixture
def credential():
    return vc11_credential()


def test_digital_bazaar_s_verifier_agrees(client, signing_key, credential):
    [untouched, changed] = third_party_verify(client, [credential, tampered(credential)])
    assert untouched == {"verified": True, "error": ""}
    assert changed["verified"] is False


def test_a_base_direction_is_covered_by_the_signature_as_digital_bazaar_s_verifier_covers_it(client, signing_key):
    secret = Ed25519PrivateKey.generate()
    did, method = _did(secret)
    credential = {
        "@context": [VC_2_0],
        "type": ["VerifiableCredential"],
        "issuer": did,
        "name": {"@value": "شهادة", "@language": "ar", "@direction": "rtl"},
        "credentialSubject": {"id": "did:example:subject"},
    }
    signed = data_integrity.sign(
        credential, private_key=secret, verification_method=method, created="2024-01-01T00:00:00Z"
    )
    flipped = {**signed, "name": {**signed["name"], "@direction": "ltr"}}
    assert [verification.verify(document).verdict for document in (signed, flipped)] == ["valid", "invalid_signature"]
    assert [result["verified"] for result in third_party_verify(client, [signed, flipped])] == [True, False]


def test_the_verifier_refuses_the_tampered_credential(credential):
    assert verification.verify(credential).verdict == "valid"
    result = verification.verify(tampered(credential))
    assert result.verdict == "invalid_signature"
    assert f"The type “{UNDEFINED}” is not defined" in result.reasons[0]


@pytest.mark.parametrize("how", ["paste", "upload"])
def test_the_public_verify_page_refuses_the_tampered_credential(client, credential, how):
    from django.core.files.uploadedfile import SimpleUploadedFile

    def verdict(document):
        text = json.dumps(document)
        form = (
            {"credential_json": text}
            if how == "paste"
            else {"credential_file": SimpleUploadedFile("c.json", text.encode())}
        )
        return client.post(reverse("awards:verify"), form).context["result"].verdict

    assert verdict(credential) == "valid"
    assert verdict(tampered(credential)) == "invalid_signature"


def _post(client, path, body):
    return client.post(path, json.dumps(body), content_type="application/json")


def test_vc_api_credentials_verify_refuses_the_tampered_credential(client, credential):
    assert _post(client, "/credentials/verify", {"verifiableCredential": credential}).json()["verified"] is True
    response = _post(client, "/credentials/verify", {"verifiableCredential": tampered(credential)})
    assert response.status_code == 400 and response.json()["verified"] is False


def _signed_presentation(content, *, challenge="c-123", domain="verifier.example"):
    """``content`` (a presentation without proof) signed for DID Authentication by a fresh did:key holder."""
    secret = Ed25519PrivateKey.generate()
    did, method = _did(secret)
    presentation = {"type": ["VerifiablePresentation"], "holder": did, **content}
    config = data_integrity.proof_configuration(
        presentation, verification_method=method, created="2026-01-01T00:00:00Z"
    )
    config.update(proofPurpose="authentication", challenge=challenge, domain=domain)
    proof = {key: value for key, value in config.items() if key != "@context"}
    proof["proofValue"] = encode_base58btc(secret.sign(data_integrity.hash_data(presentation, config)))
    return {**presentation, "proof": proof}


def test_vc_api_presentations_verify_with_the_credential_embedded_refuses_the_tampered_credential(client, credential):
    def results(embedded):
        # Unsigned: a holder's proof over the tampered credential could not be made (signing refuses it too).
        presentation = {"@context": [VC_2_0], "type": ["VerifiablePresentation"], "verifiableCredential": [embedded]}
        response = _post(client, "/presentations/verify", {"verifiablePresentation": presentation})
        return response.status_code, [result["verified"] for result in response.json()["credentialResults"]]

    assert results(credential) == (200, [True])
    assert results(tampered(credential)) == (400, [False])


def test_the_partner_batch_verification_api_refuses_the_tampered_credential(credential):
    _, secret = key_for(PartnerOrganisation.objects.create(name="Acme Hiring", contact_email="hr@acme.example"))
    api = Client(HTTP_AUTHORIZATION=f"Api-Key {secret}")
    payload = {"credentials": [credential, tampered(credential)]}
    body = api.post("/api/v1/verifications", payload, content_type="application/json").json()
    assert [result["verdict"] for result in body["results"]] == ["valid", "invalid_signature"]


def test_credit_transfer_refuses_the_tampered_credential(award, credential):
    with pytest.raises(ValidationError, match="does not verify"):
        transfer.foreign_credential_upload(learner=award.learner, text=json.dumps(tampered(credential)))
    assert not ForeignCredential.objects.exists()
    brought = transfer.foreign_credential_upload(learner=award.learner, text=json.dumps(credential))
    assert brought.status == "pending"


def test_the_1edtech_upsert_refuses_the_tampered_credential(client, award, credential):
    writer = register(client, scope=OB_UPSERT).json()
    token = access_token(client, award.learner.user, writer, scope=OB_UPSERT)

    def upsert(document):
        return client.post("/ims/ob/v3p0/credentials", json.dumps(document), "application/json", **bearer(token))

    assert upsert(tampered(credential)).status_code == 400
    assert not ForeignCredential.objects.exists()
    assert upsert(credential).status_code == 201


def test_a_wallet_s_did_authentication_is_refused_when_its_own_content_has_an_undefined_type(award):
    offer = wallet_services.offer_create(learner=award.learner, award=award)
    domain = wallet_services.domain()
    presentation = _signed_presentation(
        {"@context": [VC_1_1, DATA_INTEGRITY]}, challenge=offer.challenge, domain=domain
    )
    assert verify_did_authentication(presentation, challenge=offer.challenge, domain=domain) == presentation["holder"]
    with pytest.raises(ProofError, match="cannot be canonicalized"):
        verify_did_authentication(tampered(presentation), challenge=offer.challenge, domain=domain)
    exchange = reverse("wallets:exchange", args=[offer.pk])
    response = _post(Client(), exchange, {"verifiablePresentation": tampered(presentation)})
    assert response.status_code == 400 and response.json()["error"] == "invalid_proof"
