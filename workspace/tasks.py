"""Celery tasks of the workspace: they take primary keys, are idempotent, and retry transient failures."""

import logging

from celery import shared_task
from django.db import InterfaceError, OperationalError

from . import exports

logger = logging.getLogger(__name__)
TRANSIENT = (OperationalError, InterfaceError, ConnectionError, TimeoutError)


@shared_task(bind=True, acks_late=True, max_retries=5)
def export_list(self, job_pk):
    """Build an export job's file; a transient failure is retried with backoff, a permanent one is recorded."""
    try:
        job = exports.export_job_run(job_pk)
    except TRANSIENT as error:
        if self.request.retries >= self.max_retries:
            exports.export_job_mark_failed(job_pk, f"Gave up after {self.request.retries} retries: {error}")
            raise
        countdown = min(2**self.request.retries * 5, 120)
        logger.warning("Export job %s failed transiently (%s); retrying in %ss", job_pk, error, countdown)
        raise self.retry(exc=error, countdown=countdown) from error
    except Exception as error:
        exports.export_job_mark_failed(job_pk, f"{type(error).__name__}: {error}")
        raise
    return {"job": job.pk, "rows": job.rows_total}


@shared_task(acks_late=True)
def purge_expired_exports():
    """Delete export files past their retention (REGISTRY_EXPORT_RETENTION); run daily by beat."""
    return {"expired": exports.export_jobs_purge()}
