"""Learners are told when a credential is issued, revoked, suspended, reinstated or about to expire: one email
each (the registrar's wording when there is one) and a notice on their dashboard."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from awards import notices, services, tasks
from awards.models import Award, EmailTemplate, Notice

pytestmark = pytest.mark.django_db


def _send_queued(callbacks):
    for callback in callbacks:
        callback()


def test_an_issued_credential_emails_its_learner_once_with_the_link(award):
    notice = Notice.objects.get(award=award)
    assert notice.event == "issued" and notice.emailed_at is not None  # sent when issuing committed (eagerly)
    message = next(m for m in mail.outbox if "is ready" in m.subject)
    assert message.to == [award.learner.email] and award.program.title in message.subject
    assert award.get_absolute_url() in message.body and "/me/credentials/" in message.body
    assert tasks.email_notices.apply(args=[[notice.pk]]).get() == {"sent": 0}  # a second run sends nothing
    assert sum(1 for m in mail.outbox if "is ready" in m.subject) == 1


def test_revoking_tells_the_learner_the_public_reason(award, registrar, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.award_revoke(award=award, user=registrar, reason="internal", public_reason="Issued in error.")
    message = mail.outbox[-1]
    assert "was revoked" in message.subject and "Reason: Issued in error." in message.body
    assert "internal" not in message.body


def test_suspension_and_reinstatement_each_send_an_email_every_time(
    award, registrar, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(2):
            services.award_suspend(award=Award.objects.get(pk=award.pk), user=registrar, reason="check")
            services.award_unsuspend(award=Award.objects.get(pk=award.pk), user=registrar, reason="fine")
    events = list(Notice.objects.filter(award=award).order_by("pk").values_list("event", flat=True))
    assert events == ["issued", "suspended", "reinstated", "suspended", "reinstated"]
    assert Notice.objects.filter(award=award, emailed_at=None).count() == 0


def test_a_rolled_back_revocation_tells_nobody(award, registrar, monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(services, "_suspend_dependents", fail)
    with pytest.raises(RuntimeError):
        services.award_revoke(award=award, user=registrar, reason="x")
    assert not Notice.objects.filter(award=award, event="revoked").exists()


def test_the_registrar_s_template_replaces_the_default_wording(award, registrar, django_capture_on_commit_callbacks):
    EmailTemplate.objects.create(
        event="suspended",
        subject="{{ program }}: on hold",
        body="Hello {{ learner_name }}, {{ institution }} put {{ program }} on hold: {{ reason }}",
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.award_suspend(award=award, user=registrar, reason="x", public_reason="Under review")
    message = mail.outbox[-1]
    assert message.subject == f"{award.program.title}: on hold"
    assert message.body == (
        f"Hello {award.learner.display_name}, {award.program.institution.name} put {award.program.title} on hold: "
        "Under review"
    )


def test_a_template_that_does_not_parse_is_refused_in_the_admin(registrar_client):
    response = registrar_client.post(
        reverse("admin:awards_emailtemplate_add"), {"event": "issued", "subject": "Hi", "body": "{% if %}"}
    )
    assert "This template cannot be read" in response.content.decode()
    assert not EmailTemplate.objects.exists()


def test_expiry_reminders_go_out_60_and_14_days_before_once_each(award, django_capture_on_commit_callbacks):
    now = timezone.now()
    Award.objects.filter(pk=award.pk).update(valid_until=now + timedelta(days=50))
    with django_capture_on_commit_callbacks(execute=True):
        assert notices.expiry_reminders(now) == 1
        assert notices.expiry_reminders(now) == 0  # the beat runs daily: nothing twice
        assert notices.expiry_reminders(now + timedelta(days=40)) == 1  # 10 days left
    events = list(Notice.objects.filter(award=award).exclude(event="issued").values_list("event", flat=True))
    assert sorted(events) == ["expires_14", "expires_60"]
    assert "expires in 14 days" in mail.outbox[-1].subject


def test_a_credential_first_seen_with_14_days_left_gets_only_the_14_day_reminder(award):
    now = timezone.now()
    Award.objects.filter(pk=award.pk).update(valid_until=now + timedelta(days=10))
    notices.expiry_reminders(now)
    assert list(Notice.objects.filter(award=award).exclude(event="issued").values_list("event", flat=True)) == [
        "expires_14"
    ]


def test_revoked_credentials_get_no_expiry_reminder(award, registrar):
    services.award_revoke(award=award, user=registrar, reason="x")
    Award.objects.filter(pk=award.pk).update(valid_until=timezone.now() + timedelta(days=20))
    assert notices.expiry_reminders() == 0


def test_the_dashboard_shows_the_notice_until_the_learner_dismisses_it(client, award):
    client.force_login(award.learner.user)
    page = client.get("/me/").content.decode()
    assert "About your credentials" in page and "Credential issued" in page
    notice = Notice.objects.get(award=award)
    assert client.post(reverse("portal:dismiss-notice", args=[notice.pk])).status_code == 302
    assert "About your credentials" not in client.get("/me/").content.decode()


def test_a_learner_cannot_dismiss_another_s_notice(client, award):
    from tests.factories import learner_user

    client.force_login(learner_user().user)
    notice = Notice.objects.get(award=award)
    assert client.post(reverse("portal:dismiss-notice", args=[notice.pk])).status_code == 404
    notice.refresh_from_db()
    assert notice.dismissed_at is None


def test_the_registrar_filters_credentials_expiring_soon(registrar_client, award):
    url = reverse("admin:awards_award_changelist")
    Award.objects.filter(pk=award.pk).update(valid_until=timezone.now() + timedelta(days=45))
    assert registrar_client.get(url, {"expires_within": "30"}).context["cl"].result_count == 0
    assert registrar_client.get(url, {"expires_within": "60"}).context["cl"].result_count == 1


def test_a_french_program_s_learners_are_written_to_in_french(award, registrar, django_capture_on_commit_callbacks):
    from catalog.models import Program

    Program.objects.filter(pk=award.program_id).update(language="fr")
    with django_capture_on_commit_callbacks(execute=True):
        services.award_suspend(award=Award.objects.get(pk=award.pk), user=registrar, reason="x", public_reason="Examen")
    message = mail.outbox[-1]
    assert message.subject == f"Votre certificat {award.program.title} est suspendu"
    assert message.body.startswith(f"Bonjour {award.learner.display_name},")
    assert "le temps de son réexamen" in message.body
