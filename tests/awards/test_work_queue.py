"""The re-dispatch sweep and certificate failures: lost work comes back once, failed PDFs stay visible."""

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from awards import certificates, services
from awards.models import Award
from tests.concurrency import rows_locked_elsewhere
from tests.factories import assessable_enrolment, record_pass

pytestmark = pytest.mark.django_db


def _pending_award():
    enrolment = assessable_enrolment()
    award, _ = services.award_request(learner=enrolment.learner, program=enrolment.program, enrolment=enrolment)
    return award


@pytest.fixture
def issue_pass(registrar, django_capture_on_commit_callbacks):
    """Finalise a passing attempt on a new enrolment and run its award's tasks (eagerly); returns the award."""

    def issue():
        enrolment = assessable_enrolment()
        with django_capture_on_commit_callbacks(execute=True):
            record_pass(enrolment, registrar)
        return Award.objects.get(enrolment=enrolment)

    return issue


def _sent_minutes_ago(award, minutes):
    Award.objects.filter(pk=award.pk).update(last_dispatched_at=timezone.now() - datetime.timedelta(minutes=minutes))


def test_a_sweep_does_not_resend_work_sent_recently(signing_key):
    award = _pending_award()
    _sent_minutes_ago(award, 2)
    assert services.dispatch_pending(datetime.timedelta(minutes=5)) == 0


def test_a_swept_award_waits_a_full_interval_before_the_next_sweep_sends_it_again(
    signing_key, django_capture_on_commit_callbacks
):
    award = _pending_award()
    _sent_minutes_ago(award, 10)
    with django_capture_on_commit_callbacks() as sent:
        assert services.dispatch_pending(datetime.timedelta(minutes=5)) == 1
        assert services.dispatch_pending(datetime.timedelta(minutes=5)) == 0
    assert len(sent) == 1


def test_an_immediate_sweep_sends_each_pending_award_once_even_across_chunks(
    signing_key, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(services, "SWEEP_CHUNK", 2)
    for _ in range(5):
        _pending_award()
    with django_capture_on_commit_callbacks() as sent:
        assert services.dispatch_pending(datetime.timedelta(0)) == 5
    assert len(sent) == 5


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="SKIP LOCKED is a PostgreSQL feature")
def test_a_sweep_skips_awards_another_sweep_has_claimed(signing_key, monkeypatch):
    from awards import tasks

    sent = []
    monkeypatch.setattr(tasks.issue_award, "delay", sent.append)  # autocommit would otherwise issue it at once
    award = _pending_award()
    _sent_minutes_ago(award, 10)
    with rows_locked_elsewhere(Award.objects.filter(pk=award.pk)):
        assert services.dispatch_pending(datetime.timedelta(minutes=5)) == 0
    assert services.dispatch_pending(datetime.timedelta(minutes=5)) == 1
    assert sent == [str(award.pk), str(award.pk)]  # once when requested, once by the second sweep


@pytest.fixture
def broken_renderer(monkeypatch, retries_run_eagerly):
    def fail(award, **options):
        raise ValueError("font file is corrupt")

    monkeypatch.setattr(certificates, "render", fail)


def test_a_permanent_pdf_failure_leaves_the_credential_issued_and_the_certificate_marked_failed(
    passed_attempt, issue_pass, broken_renderer
):
    earlier = Award.objects.get()
    award = issue_pass()
    assert award.status == Award.Status.ISSUED and award.credential
    assert not award.certificate
    assert award.certificate_error == "ValueError: font file is corrupt"
    earlier.refresh_from_db()
    assert earlier.certificate and not earlier.certificate_error


def test_the_admin_lists_the_failed_certificate_with_its_error(
    passed_attempt, issue_pass, registrar_client, broken_renderer
):
    issue_pass()
    response = registrar_client.get("/admin/awards/award/", {"certificate": "failed"})
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == list(Award.objects.exclude(certificate_error=""))
    assert "Failed: ValueError: font file is corrupt" in response.content.decode()


def test_the_sweep_leaves_failed_certificates_alone(passed_attempt, issue_pass, broken_renderer):
    issue_pass()
    Award.objects.update(last_dispatched_at=timezone.now() - datetime.timedelta(hours=1))
    assert services.dispatch_missing_certificates(datetime.timedelta(minutes=5)) == 0


def test_a_registrar_renders_a_failed_certificate_again_from_the_admin(
    passed_attempt,
    issue_pass,
    registrar,
    registrar_client,
    monkeypatch,
    retries_run_eagerly,
    django_capture_on_commit_callbacks,
):
    real_render = certificates.render
    monkeypatch.setattr(certificates, "render", lambda award, **options: 1 / 0)
    failed = issue_pass()
    monkeypatch.setattr(certificates, "render", real_render)
    with django_capture_on_commit_callbacks(execute=True):
        response = registrar_client.post(
            "/admin/awards/award/", {"action": "render_certificate_again", "_selected_action": [failed.pk]}
        )
    assert response.status_code == 302
    failed.refresh_from_db()
    assert failed.certificate and failed.certificate_error == ""
    assert failed.history.first().history_user == registrar


def test_rendering_again_needs_the_issue_permission(passed_attempt, approver):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.certificate_retry(award=Award.objects.get(), user=approver)
