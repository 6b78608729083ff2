"""Verification over the API gives the public page's verdicts, single and in batches."""

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from awards import services
from partners import services as partner_services
from partners.models import VerifiedCredential
from tests.awards.helpers import credential_of
from tests.partners.conftest import key_for

pytestmark = pytest.mark.django_db


def test_a_credential_of_this_registry_is_verified_without_a_key(client, award):
    body = client.get(f"/api/v1/credentials/{award.pk}/verification").json()
    assert body["verdict"] == "valid" and body["label"] == "Valid"
    assert body["checks"] == ["The signature is valid and was made with a key of the issuer."]


def test_a_revoked_credential_is_reported_revoked(client, award, registrar):
    services.award_revoke(award=award, user=registrar, reason="x")
    assert client.get(f"/api/v1/credentials/{award.pk}/verification").json()["verdict"] == "revoked"


def test_batch_verification_needs_a_key_with_the_verify_scope(client, partner, award):
    payload = {"credentials": [credential_of(award)]}
    assert client.post("/api/v1/verifications", payload, content_type="application/json").status_code == 401
    from django.test import Client

    _, secret = key_for(partner, scopes=["catalog"])
    response = Client(HTTP_AUTHORIZATION=f"Api-Key {secret}").post(
        "/api/v1/verifications", payload, content_type="application/json"
    )
    assert response.status_code == 403


def test_batch_gives_every_verdict_in_order(api, award, registrar):
    from awards.vc import data_integrity
    from awards.vc.multikey import public_key_multibase

    good = credential_of(award)
    tampered = {**good, "name": "Something else"}
    secret = Ed25519PrivateKey.generate()
    did = "did:key:" + public_key_multibase(secret.public_key())
    foreign = data_integrity.sign(
        {
            **{k: v for k, v in good.items() if k not in ("proof", "credentialStatus", "id")},
            "issuer": {**good["issuer"], "id": did},
        },
        private_key=secret,
        verification_method=f"{did}#{did[8:]}",
        created="2026-01-01T00:00:00Z",
    )
    unknown_issuer = {**good, "issuer": {"id": "did:web:unknown.example"}}
    documents = [good, tampered, foreign, {"not": "a credential"}, "text", unknown_issuer]
    body = api.post("/api/v1/verifications", {"credentials": documents}, content_type="application/json").json()
    assert [r["verdict"] for r in body["results"]] == [
        "valid", "invalid_signature", "valid", "unverifiable", "malformed", "invalid_signature"
    ]  # fmt: skip


def test_a_verifiable_presentation_is_accepted(api, award):
    presentation = {"type": ["VerifiablePresentation"], "verifiableCredential": [credential_of(award)]}
    body = api.post("/api/v1/verifications", presentation, content_type="application/json").json()
    assert [r["verdict"] for r in body["results"]] == ["valid"]


def test_batches_are_limited_in_size(api, partner):
    response = api.post("/api/v1/verifications", {"credentials": [{}] * 101}, content_type="application/json")
    assert response.status_code == 400
    assert "At most 100" in str(response.json()["errors"])


def test_a_keys_own_batch_limit_applies(partner):
    from django.test import Client

    key, secret = key_for(partner)
    key.max_batch = 2
    key.save()
    client = Client(HTTP_AUTHORIZATION=f"Api-Key {secret}")
    response = client.post("/api/v1/verifications", {"credentials": [{}] * 3}, content_type="application/json")
    assert response.status_code == 400


def test_a_partner_that_verified_a_credential_is_remembered_for_webhooks(api, award, partner):
    api.post("/api/v1/verifications", {"credentials": [credential_of(award)]}, content_type="application/json")
    assert VerifiedCredential.objects.verified().get(organisation=partner, award=award).verdict == "valid"


def test_a_check_whose_issuer_key_cannot_be_fetched_is_recorded_as_unverifiable(api, award, partner):
    unreachable = credential_of(award)
    unreachable["proof"]["verificationMethod"] = "did:web:unreachable.example#key-1"
    body = api.post("/api/v1/verifications", {"credentials": [unreachable]}, content_type="application/json").json()
    assert body["results"][0]["verdict"] == "unverifiable"
    record = VerifiedCredential.objects.get(organisation=partner, award=award)
    assert (record.verdict, record.verified_at) == ("unverifiable", None)
    assert not VerifiedCredential.objects.verified().exists()


def test_a_single_verification_with_a_key_records_its_verdict(api, award, partner, registrar):
    services.award_revoke(award=award, user=registrar, reason="x")
    api.get(f"/api/v1/credentials/{award.pk}/verification")
    assert VerifiedCredential.objects.get(organisation=partner, award=award).verdict == "revoked"
    assert not VerifiedCredential.objects.verified().exists()


@pytest.mark.parametrize("verdict", ["unverifiable", "too_complex"])
def test_a_check_that_could_not_be_completed_is_not_a_verification(partner, award, verdict):
    key, _ = key_for(partner)
    partner_services.verification_record(api_key=key, verdicts=[(award.pk, verdict)])
    record = VerifiedCredential.objects.get(organisation=partner, award=award)
    assert record.verdict == verdict and not VerifiedCredential.objects.verified().exists()


def test_a_later_inconclusive_check_leaves_an_earlier_verification_standing(partner, award):
    key, _ = key_for(partner)
    partner_services.verification_record(api_key=key, verdicts=[(award.pk, "valid")])
    partner_services.verification_record(api_key=key, verdicts=[(award.pk, "too_complex")])
    record = VerifiedCredential.objects.verified().get(organisation=partner, award=award)
    assert record.verdict == "too_complex"


def test_a_valid_copy_in_a_batch_makes_the_credential_verified_whatever_the_order(partner, award):
    key, _ = key_for(partner)
    partner_services.verification_record(api_key=key, verdicts=[(award.pk, "valid"), (award.pk, "invalid_signature")])
    assert VerifiedCredential.objects.verified().get(organisation=partner, award=award).verdict == "valid"


def test_a_suspended_credential_is_reported_suspended(client, award, registrar):
    services.award_suspend(award=award, user=registrar, reason="x")
    assert client.get(f"/api/v1/credentials/{award.pk}/verification").json()["verdict"] == "suspended"


def test_an_expired_credential_is_reported_expired(api, award):
    from datetime import UTC, datetime, timedelta
    from unittest import mock

    later = datetime.now(UTC) + timedelta(days=365 * 30)
    with mock.patch("awards.verification.datetime") as clock:
        clock.now.return_value = later
        clock.fromisoformat = datetime.fromisoformat
        body = api.post(
            "/api/v1/verifications", {"credentials": [credential_of(award)]}, content_type="application/json"
        )
    assert body.json()["results"][0]["verdict"] == "expired"
