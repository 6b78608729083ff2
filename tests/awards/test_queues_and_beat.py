"""Work is routed to one queue per kind, and beat's periodic jobs name tasks that exist."""

import datetime

import pytest
from django.conf import settings
from django.utils import timezone

from awards.models import Award
from config import celery_app
from partners import services as partner_services
from partners.models import Share


@pytest.mark.parametrize(
    "task, queue",
    [
        ("awards.tasks.issue_award", "signing"),
        ("awards.tasks.issue_awards", "signing"),
        ("awards.tasks.render_certificate", "certificates"),
        ("awards.tasks.queue_certificates", "certificates"),
        ("partners.tasks.deliver_webhook", "notifications"),
        ("awards.tasks.redispatch_stale_work", "maintenance"),
    ],
)
def test_each_kind_of_work_has_its_own_queue(task, queue):
    route = celery_app.amqp.router.route({}, task)
    assert route["queue"].name == queue


def test_every_scheduled_job_is_a_registered_task():
    celery_app.loader.import_default_modules()
    for job in settings.CELERY_BEAT_SCHEDULE.values():
        assert job["task"] in celery_app.tasks, job["task"]


@pytest.mark.django_db
def test_beat_redispatches_stale_pending_awards(passed_attempt, django_capture_on_commit_callbacks):
    from awards import services, tasks
    from tests.factories import assessable_enrolment

    enrolment = assessable_enrolment()
    award, _ = services.award_request(learner=enrolment.learner, program=enrolment.program, enrolment=enrolment)
    Award.objects.filter(pk=award.pk).update(last_dispatched_at=timezone.now() - datetime.timedelta(minutes=10))
    with django_capture_on_commit_callbacks(execute=True):
        result = tasks.redispatch_stale_work.apply().get()
    assert result["awards"] == 1
    award.refresh_from_db()
    assert award.status == Award.Status.ISSUED


@pytest.mark.django_db
def test_beat_purges_long_ended_shares_only(passed_attempt):
    from partners import tasks

    award = Award.objects.get()
    old = partner_services.share_create(learner=award.learner, label="old", awards=[award])
    recent = partner_services.share_create(learner=award.learner, label="recent", awards=[award])
    Share.objects.filter(pk=old.pk).update(revoked_at=timezone.now() - datetime.timedelta(days=40))
    Share.objects.filter(pk=recent.pk).update(revoked_at=timezone.now() - datetime.timedelta(days=1))
    tasks.purge_expired_shares.apply()
    assert list(Share.objects.values_list("label", flat=True)) == ["recent"]
