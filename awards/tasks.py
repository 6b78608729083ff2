"""Celery tasks: they take primary keys, are idempotent, and retry transient failures with backoff."""

import logging
from datetime import timedelta

from celery import shared_task
from django.db import InterfaceError, OperationalError

from . import services

logger = logging.getLogger(__name__)
# A database restart surfaces as OperationalError, or InterfaceError on a connection it already closed.
TRANSIENT = (OperationalError, InterfaceError, ConnectionError, TimeoutError)


def _attempt(task, award_id, work, mark_failed, *, base_delay, max_delay):
    """Run ``work``; retry a transient failure with exponential backoff, and record a permanent one (or the last
    transient one) with ``mark_failed`` so that it shows in the admin instead of vanishing into a log."""
    try:
        return work()
    except TRANSIENT as error:
        if task.request.retries >= task.max_retries:
            mark_failed(award_id, f"Gave up after {task.request.retries} retries: {error}")
            raise
        countdown = min(base_delay * 2**task.request.retries, max_delay)
        logger.warning("Transient failure in %s for %s (%s); retrying in %ss", task.name, award_id, error, countdown)
        raise task.retry(exc=error, countdown=countdown) from error
    except Exception as error:
        mark_failed(award_id, f"{type(error).__name__}: {error}")
        raise


@shared_task(bind=True, acks_late=True, max_retries=6)
def issue_award(self, award_id):
    """Sign and store one award's credential. Running it twice, or on two workers at once, issues it once."""
    award, issued = _attempt(
        self,
        award_id,
        lambda: services.award_issue(award_id),
        services.award_mark_failed,
        base_delay=1,
        max_delay=60,
    )
    return {"award": str(award.pk), "issued_now": issued}


@shared_task(bind=True, acks_late=True, max_retries=6)
def issue_awards(self, award_ids):
    """Issue a chunk of a cohort in one transaction. If the chunk fails for good, its awards are issued one by
    one instead, so that one bad award records its own failure and holds up none of the others."""
    try:
        issued = services.award_issue_batch(award_ids)
    except TRANSIENT as error:
        if self.request.retries >= self.max_retries:
            raise
        raise self.retry(exc=error, countdown=min(2**self.request.retries, 60)) from error
    except Exception:
        logger.exception("Issuing a chunk of %s awards failed; issuing them one by one", len(award_ids))
        for award_id in award_ids:
            issue_award.delay(award_id)
        return {"issued_now": 0, "sent_one_by_one": len(award_ids)}
    return {"issued_now": len(issued)}


@shared_task(bind=True, acks_late=True, max_retries=4)
def render_certificate(self, award_id, force=False):
    """Render and store the PDF certificate; does nothing if it exists, unless ``force``."""
    rendered = _attempt(
        self,
        award_id,
        lambda: services.certificate_render(award_id, force=force),
        services.certificate_mark_failed,
        base_delay=5,
        max_delay=120,
    )
    return {"award": str(award_id), "rendered_now": rendered}


@shared_task(acks_late=True)
def queue_certificates(award_ids):
    """Send each certificate of an issued chunk to be rendered on its own, with its own retries and failure."""
    for award_id in award_ids:
        render_certificate.delay(award_id)
    return {"queued": len(award_ids)}


@shared_task
def redispatch_stale_work(older_than_seconds=300):
    """Beat: re-send awards still pending and certificates still missing after a lost task or a broker outage."""
    older_than = timedelta(seconds=older_than_seconds)
    return {
        "awards": services.dispatch_pending(older_than),
        "certificates": services.dispatch_missing_certificates(older_than),
    }


@shared_task(bind=True, acks_late=True, max_retries=5)
def email_notices(self, notice_ids):
    """Email learners their notices (each once, however often this runs)."""
    from . import notices

    try:
        return {"sent": notices.notices_email(notice_ids)}
    except TRANSIENT as error:
        raise self.retry(exc=error, countdown=min(30 * 2**self.request.retries, 900)) from error


@shared_task
def send_expiry_reminders():
    """Beat: remind learners 60 and 14 days before a credential expires."""
    from . import notices

    return {"created": notices.expiry_reminders()}
