import copy
import json
from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from awards import keys, services, verification
from awards.models import Award
from awards.vc import bitstring, data_integrity, jsonld
from tests.awards.helpers import credential_of
from tests.factories import UserFactory
from tests.vc import independent_verifier

pytestmark = pytest.mark.django_db
VECTORS = __import__("pathlib").Path(__file__).resolve().parents[1] / "vc" / "vectors" / "1edtech"


@pytest.fixture
def award(passed_attempt):
    return Award.objects.get()


def _flag(purpose, award, client):
    status_credential = client.get(f"/status/{purpose}/").json()
    return bitstring.is_set(
        bitstring.decode(status_credential["credentialSubject"]["encodedList"]), award.status_list_index
    )


def test_fresh_credential_is_valid(award):
    result = verification.verify(credential_of(award))
    assert result.verdict == "valid", result.reasons


def test_revocation_updates_the_published_list_and_the_verdict(award, registrar, client):
    assert not _flag("revocation", award, client)
    services.award_revoke(award=award, user=registrar, reason="Issued in error")
    assert _flag("revocation", award, client)
    assert verification.verify(credential_of(award)).verdict == "revoked"


def test_suspension_and_reinstatement(award, registrar, client):
    services.award_suspend(award=award, user=registrar, reason="Under investigation")
    assert _flag("suspension", award, client)
    assert verification.verify(credential_of(award)).verdict == "suspended"
    services.award_unsuspend(award=award, user=registrar, reason="Cleared")
    assert not _flag("suspension", award, client)
    assert verification.verify(credential_of(award)).verdict == "valid"


def test_status_changes_need_a_reason_and_permission(award, registrar, approver):
    with pytest.raises(ValidationError, match="reason is required"):
        services.award_revoke(award=award, user=registrar, reason="  ")
    with pytest.raises(PermissionDenied):
        services.award_revoke(award=award, user=approver, reason="No")
    award.refresh_from_db()
    assert not award.is_revoked


def test_revocation_is_audited_with_user_and_reason(award, registrar):
    services.award_revoke(award=award, user=registrar, reason="Plagiarism confirmed")
    record = award.history.latest()
    assert (record.history_user, record.revocation_reason) == (registrar, "Plagiarism confirmed")


def test_status_list_credential_is_signed_and_verifies_independently(award, client, signing_key):
    status_credential = client.get("/status/revocation/").json()
    assert status_credential["credentialSubject"]["statusPurpose"] == "revocation"
    assert len(bitstring.decode(status_credential["credentialSubject"]["encodedList"])) == 131072 // 8
    assert independent_verifier.verify(status_credential, signing_key.public_key_multibase)
    jsonld.expand_safe(status_credential)


def test_expired_credential(award):
    later = datetime.now(UTC) + timedelta(days=365 * 3)
    assert verification.verify(credential_of(award), now=later).verdict == "expired"


@pytest.mark.parametrize(
    "path",
    [
        ("name",),
        ("validFrom",),
        ("credentialSubject", "achievement", "name"),
        ("credentialSubject", "result", 0, "achievedLevel"),
        ("credentialSubject", "identifier", 0, "identityHash"),
        ("issuer", "name"),
        ("evidence", 1, "id"),
    ],
)
def test_tampering_with_any_field_invalidates_the_signature(award, path):
    document = copy.deepcopy(credential_of(award))
    target = document
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = str(target[path[-1]]) + "x"
    assert verification.verify(document).verdict == "invalid_signature"


def test_tampered_stored_credential_shows_signature_invalid_on_its_page(award, client):
    tampered = credential_of(award)
    tampered["name"] = "Doctor of Everything"
    Award.objects.filter(pk=award.pk).update(credential=json.dumps(tampered))
    assert "Signature invalid" in client.get(award.get_absolute_url()).content.decode()


def test_rotated_keys_keep_old_credentials_valid(award, client):
    old_method = credential_of(award)["proof"]["verificationMethod"]
    new_key = keys.generate_key()
    did = client.get("/.well-known/did.json").json()
    assert old_method in did["assertionMethod"] and keys.verification_method(new_key) in did["assertionMethod"]
    assert verification.verify(credential_of(award)).verdict == "valid"


def test_compromised_key_is_removed_and_its_credentials_reported(award, client, signing_key, capsys):
    keys.generate_key()
    call_command("signing_keys", "compromise", signing_key.key_id)
    assert str(award.pk) in capsys.readouterr().out
    did = client.get("/.well-known/did.json").json()
    assert keys.verification_method(signing_key) not in did["assertionMethod"]
    assert verification.verify(credential_of(award)).verdict == "unverifiable"


def test_did_web_encodes_a_port(settings):
    settings.REGISTRY_PUBLIC_URL = "http://localhost:8000"
    assert keys.issuer_did() == "did:web:localhost%3A8000"
    assert verification.did_web_url("did:web:localhost%3A8000") == "https://localhost:8000/.well-known/did.json"


def test_private_keys_are_encrypted_at_rest(signing_key):
    from awards.vc.multikey import private_key_multibase

    secret = private_key_multibase(keys.private_key(signing_key))
    assert secret not in signing_key.encrypted_private_key
    assert signing_key.encrypted_private_key.startswith("gAAAA")  # a Fernet token


def _foreign_credential(issuer_id):
    credential = json.loads((VECTORS / "ob30-simple.json").read_text())
    credential.pop("proof")
    credential["issuer"]["id"] = issuer_id
    return credential


def test_foreign_did_key_credential_verifies():
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from awards.vc.multikey import public_key_multibase

    secret = Ed25519PrivateKey.generate()
    did = "did:key:" + public_key_multibase(secret.public_key())
    signed = data_integrity.sign(
        _foreign_credential(did),
        private_key=secret,
        verification_method=f"{did}#{did[8:]}",
        created="2024-01-01T00:00:00Z",
    )
    result = verification.verify(signed)
    assert result.verdict == "valid", result.reasons


def test_sound_signature_by_a_key_not_of_the_issuer_is_not_accepted():
    # 1EdTech's example: issuer urn:uuid:…, signed by an unrelated did:key.
    credential = json.loads((VECTORS / "ob30-simple-did-key-method.json").read_text())
    result = verification.verify(credential)
    assert result.verdict == "unverifiable"
    assert "signature is intact" in result.reasons[0]


def test_changing_the_issuer_breaks_the_signature(award):
    document = credential_of(award)
    document["issuer"]["id"] = "did:web:impostor.example"
    assert verification.verify(document).verdict == "invalid_signature"


def test_staff_without_revoke_permission_cannot_revoke(award):
    with pytest.raises(PermissionDenied):
        services.award_suspend(award=award, user=UserFactory(is_staff=True), reason="x")
