"""Renewal: a new credential that refers to the one it renews, granted on a basis an assessor approved."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from awards import services
from awards.models import Award
from tests.awards.helpers import credential_of, did_public_key
from tests.factories import UserFactory
from tests.vc import independent_verifier

pytestmark = pytest.mark.django_db
BASIS = "Continuing practice: 120 hours of supervised analysis work in 2028, approved by the assessor."


def test_a_renewal_is_a_new_signed_credential_naming_the_one_it_renews(
    award, registrar, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        renewal = services.award_renew(award=award, user=registrar, reason=BASIS)
    renewal.refresh_from_db()
    assert renewal.status == "issued" and renewal.pk != award.pk and renewal.renews == award
    credential = credential_of(renewal)
    evidence = credential["evidence"][-1]
    assert evidence["name"] == "Renews an earlier credential" and evidence["narrative"] == BASIS
    assert evidence["id"].endswith(reverse("awards:credential", args=[award.pk]))
    assert independent_verifier.verify(credential, did_public_key(client, credential["proof"]["verificationMethod"]))
    award.refresh_from_db()
    assert award.standing == "valid" and award.credential  # the renewed one is untouched


def test_a_credential_is_renewed_once_then_its_renewal_is(award, registrar):
    renewal = services.award_renew(award=award, user=registrar, reason=BASIS)
    with pytest.raises(ValidationError, match="renewed already"):
        services.award_renew(award=award, user=registrar, reason=BASIS)
    Award.objects.filter(pk=renewal.pk).update(status="issued")
    assert (
        services.award_renew(award=Award.objects.get(pk=renewal.pk), user=registrar, reason=BASIS).renews_id
        == renewal.pk
    )


def test_renewing_needs_a_basis_and_the_permission(award, registrar):
    with pytest.raises(ValidationError):
        services.award_renew(award=award, user=registrar, reason="  ")
    with pytest.raises(PermissionDenied):
        services.award_renew(award=award, user=UserFactory(), reason=BASIS)
    assert not Award.objects.filter(renews=award).exists()


def test_a_revoked_credential_cannot_be_renewed(award, registrar):
    services.award_revoke(award=award, user=registrar, reason="misconduct")
    with pytest.raises(ValidationError, match="unrevoked"):
        services.award_renew(award=award, user=registrar, reason=BASIS)


def test_the_registrar_renews_from_the_award_list(registrar_client, award):
    url = reverse("admin:awards_award_changelist")
    page = registrar_client.post(url, {"action": "renew", "_selected_action": [award.pk]})
    assert "Basis of the renewal" in page.content.decode()
    registrar_client.post(url, {"action": "renew", "_selected_action": [award.pk], "apply": "1", "reason": BASIS})
    assert Award.objects.get(renews=award).renewal_basis == BASIS
