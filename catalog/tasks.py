"""The catalog's Celery tasks: they take primary keys, are idempotent (an email is sent once, stamped under a row
lock) and retry transient failures of the mail server or database with backoff."""

from smtplib import SMTPException

from celery import shared_task
from django.db import InterfaceError, OperationalError

from . import services

TRANSIENT = (OperationalError, InterfaceError, ConnectionError, TimeoutError, SMTPException)


@shared_task(bind=True, acks_late=True, max_retries=5)
def email_submitter_decision(self, decision_id):
    """Tell a program's submitter that an approver approved it or sent it back (with the approver's comment)."""
    try:
        return {"decision": decision_id, "sent": services.decision_email(decision_id)}
    except TRANSIENT as error:
        raise self.retry(exc=error, countdown=min(30 * 2**self.request.retries, 900)) from error
