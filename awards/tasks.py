"""Celery tasks: they take primary keys, are idempotent, and retry transient failures with backoff."""

import logging
from datetime import timedelta

from celery import shared_task
from django.db import OperationalError

from . import services

logger = logging.getLogger(__name__)
TRANSIENT = (OperationalError, ConnectionError, TimeoutError)


@shared_task(bind=True, acks_late=True, max_retries=6)
def issue_award(self, award_id):
    """Sign and store one award's credential. Running it twice, or on two workers at once, issues it once."""
    try:
        award, issued = services.award_issue(award_id)
    except TRANSIENT as error:
        if self.request.retries >= self.max_retries:
            services.award_mark_failed(award_id, f"Gave up after {self.request.retries} retries: {error}")
            raise
        countdown = min(2**self.request.retries, 60)
        logger.warning("Transient failure issuing %s (%s); retrying in %ss", award_id, error, countdown)
        raise self.retry(exc=error, countdown=countdown) from error
    except Exception as error:
        services.award_mark_failed(award_id, f"{type(error).__name__}: {error}")
        raise
    return {"award": str(award.pk), "issued_now": issued}


@shared_task(bind=True, acks_late=True, max_retries=4)
def render_certificate(self, award_id, force=False):
    """Render and store the PDF certificate; does nothing if it exists, unless ``force``."""
    try:
        rendered = services.certificate_render(award_id, force=force)
    except TRANSIENT as error:
        raise self.retry(exc=error, countdown=min(2**self.request.retries * 5, 120)) from error
    return {"award": str(award_id), "rendered_now": rendered}


@shared_task
def redispatch_stale_work(older_than_minutes=5):
    """Beat: re-send awards still pending and certificates still missing after a lost task or a broker outage."""
    older_than = timedelta(minutes=older_than_minutes)
    return {
        "awards": services.dispatch_pending(older_than),
        "certificates": services.dispatch_missing_certificates(older_than),
    }
