"""Our credentials, verified by Digital Bazaar's JavaScript VC stack (the basis of the DCC verifiers)."""

import pytest

from awards import services
from awards.models import Award
from tests.awards.helpers import credential_of, third_party_verify

pytestmark = pytest.mark.django_db


def test_issued_credential_is_accepted_by_the_third_party_verifier(passed_attempt, client):
    [result] = third_party_verify(client, [credential_of(Award.objects.get())])
    assert result == {"verified": True, "error": ""}


def test_third_party_verifier_sees_revocation(passed_attempt, client, registrar):
    award = Award.objects.get()
    services.award_revoke(award=award, user=registrar, reason="Issued in error")
    [result] = third_party_verify(client, [credential_of(award)])
    assert result["verified"] is False and "revocation" in result["error"]


def test_third_party_verifier_rejects_tampering(passed_attempt, client):
    credential = credential_of(Award.objects.get())
    credential["credentialSubject"]["achievement"]["name"] = "Something grander"
    [result] = third_party_verify(client, [credential])
    assert result["verified"] is False
