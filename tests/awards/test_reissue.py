"""Re-issue after a correction: the learner's record was wrong when a credential was signed; the registrar corrects
it and re-issues. The old credential is revoked as replaced and points to the new one, signed the normal way."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from awards import credentials, services, verification
from awards.models import Award, Notice
from awards.selectors import holder_awards
from tests.awards.helpers import credential_of
from tests.factories import ProgramFactory, UserFactory

pytestmark = pytest.mark.django_db
REASON = "Email address mistyped at enrolment; corrected in the learner record."


@pytest.fixture
def corrected(award):
    """The award's learner record, corrected after the credential was signed."""
    award.learner.email = "corrected.address@example.org"
    award.learner.save()
    return award


def _reissue(award, user, callbacks):
    with callbacks(execute=True):
        return services.award_reissue(award=award, user=user, reason=REASON)


def test_reissuing_signs_a_new_credential_from_the_corrected_record(
    corrected, registrar, django_capture_on_commit_callbacks
):
    replacement, created = _reissue(corrected, registrar, django_capture_on_commit_callbacks)
    replacement.refresh_from_db()
    assert created and replacement.status == "issued" and replacement.replaces_id == corrected.pk
    assert (replacement.learner, replacement.program, replacement.attempt) == (
        corrected.learner,
        corrected.program,
        corrected.attempt,
    )
    identity = credential_of(replacement)["credentialSubject"]["identifier"][0]
    assert identity["identityHash"] == credentials.identity_hash("corrected.address@example.org", identity["salt"])
    assert verification.verify(credential_of(replacement)).verdict == "valid"


def test_the_replaced_credential_fails_verification_as_revoked_with_the_reason_kept(
    corrected, registrar, django_capture_on_commit_callbacks
):
    _reissue(corrected, registrar, django_capture_on_commit_callbacks)
    corrected.refresh_from_db()
    assert corrected.is_revoked and corrected.revoked_by == registrar and REASON in corrected.revocation_reason
    assert verification.verify(credential_of(corrected)).verdict == "revoked"
    record = corrected.history.latest()
    assert record.history_user == registrar and REASON in record.revocation_reason


def test_reissuing_again_returns_the_replacement_and_creates_nothing(
    corrected, registrar, django_capture_on_commit_callbacks
):
    replacement, _ = _reissue(corrected, registrar, django_capture_on_commit_callbacks)
    again, created = _reissue(Award.objects.get(pk=corrected.pk), registrar, django_capture_on_commit_callbacks)
    assert not created and again == replacement and Award.objects.count() == 2


def test_a_credential_cannot_have_two_replacements(corrected, registrar, django_capture_on_commit_callbacks):
    replacement, _ = _reissue(corrected, registrar, django_capture_on_commit_callbacks)
    with pytest.raises(IntegrityError), transaction.atomic():
        Award.objects.create(
            learner=corrected.learner, program=corrected.program, replaces=corrected, status_list_index=7
        )
    assert list(Award.objects.filter(replaces=corrected)) == [replacement]


def test_the_learner_is_told_once_when_the_corrected_credential_is_signed(
    corrected, registrar, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    replacement, _ = _reissue(corrected, registrar, django_capture_on_commit_callbacks)
    assert [
        (notice.award_id, notice.event) for notice in Notice.objects.filter(created_at__gte=replacement.created_at)
    ] == [(replacement.pk, "reissued")]
    [message] = mail.outbox
    assert "corrected credential" in message.subject and message.to == ["corrected.address@example.org"]
    assert replacement.get_absolute_url() in message.body


def test_the_old_public_page_says_it_was_replaced_and_links_to_the_new_one(
    corrected, registrar, client, django_capture_on_commit_callbacks
):
    replacement, _ = _reissue(corrected, registrar, django_capture_on_commit_callbacks)
    page = client.get(reverse("awards:credential", args=[corrected.pk])).content.decode()
    assert "Replaced by a corrected credential" in page
    assert f'href="{replacement.get_absolute_url()}"' in page


def test_reissuing_needs_both_the_issue_and_the_revoke_permission_and_a_reason(corrected, registrar):
    issuer_only = UserFactory(is_staff=True)
    issuer_only.user_permissions.add(Permission.objects.get(codename="issue_award"))
    with pytest.raises(PermissionDenied):
        services.award_reissue(award=corrected, user=issuer_only, reason=REASON)
    with pytest.raises(ValidationError):
        services.award_reissue(award=corrected, user=registrar, reason=" ")
    assert not Award.objects.filter(replaces=corrected).exists()


def test_a_revoked_credential_cannot_be_reissued(award, registrar):
    services.award_revoke(award=award, user=registrar, reason="Academic misconduct")
    with pytest.raises(ValidationError, match="not revoked"):
        services.award_reissue(award=award, user=registrar, reason=REASON)


def test_a_stacked_award_keeps_its_standing_and_takes_the_replacement_as_its_component(
    corrected, registrar, django_capture_on_commit_callbacks
):
    stacked = Award.objects.create(
        learner=corrected.learner, program=ProgramFactory(), status="issued", status_list_index=11
    )
    stacked.components.add(corrected)
    replacement, _ = _reissue(corrected, registrar, django_capture_on_commit_callbacks)
    stacked.refresh_from_db()
    assert list(stacked.components.all()) == [replacement] and not stacked.is_suspended
    assert not Notice.objects.filter(award=stacked).exists()


def test_the_corrected_credential_keeps_the_validity_period_of_the_one_it_replaces(
    corrected, registrar, django_capture_on_commit_callbacks
):
    period = (timezone.now() - timedelta(days=40), timezone.now() + timedelta(days=300))
    Award.objects.filter(pk=corrected.pk).update(valid_from=period[0], valid_until=period[1])
    corrected.refresh_from_db()
    replacement, _ = _reissue(corrected, registrar, django_capture_on_commit_callbacks)
    replacement.refresh_from_db()
    assert (replacement.valid_from, replacement.valid_until) == period
    document = credential_of(replacement)
    assert (document["validFrom"], document["validUntil"]) == tuple(credentials.iso(moment) for moment in period)


def test_an_expired_credential_is_not_reissued_a_correction_does_not_renew_it(corrected, registrar):
    Award.objects.filter(pk=corrected.pk).update(valid_until=timezone.now() - timedelta(days=1))
    corrected.refresh_from_db()
    with pytest.raises(ValidationError, match="expired"):
        services.award_reissue(award=corrected, user=registrar, reason=REASON)
    assert not Award.objects.filter(replaces=corrected).exists()


def test_a_suspended_credential_is_not_reissued_until_it_is_reinstated(corrected, registrar):
    services.award_suspend(award=corrected, user=registrar, reason="Under investigation.")
    corrected.refresh_from_db()
    with pytest.raises(ValidationError, match="suspended"):
        services.award_reissue(award=corrected, user=registrar, reason=REASON)
    assert not Award.objects.filter(replaces=corrected).exists()


def test_the_learner_s_credentials_list_the_correction_not_the_replaced_one(
    corrected, registrar, django_capture_on_commit_callbacks
):
    replacement, _ = _reissue(corrected, registrar, django_capture_on_commit_callbacks)
    assert list(holder_awards(corrected.learner)) == [replacement]
