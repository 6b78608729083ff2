"""Quality's Celery tasks: they take primary keys, are idempotent (an email is sent once, stamped under a row
lock) and retry transient failures of the mail server or database with backoff."""

from smtplib import SMTPException

from celery import shared_task
from django.db import InterfaceError, OperationalError

from . import services

TRANSIENT = (OperationalError, InterfaceError, ConnectionError, TimeoutError, SMTPException)


@shared_task(bind=True, acks_late=True, max_retries=5)
def email_survey_invitation(self, survey_id):
    try:
        return {"survey": survey_id, "sent": services.survey_email(survey_id)}
    except TRANSIENT as error:
        raise self.retry(exc=error, countdown=min(30 * 2**self.request.retries, 900)) from error


@shared_task(bind=True, acks_late=True, max_retries=5)
def email_follow_up(self, follow_up_id):
    try:
        return {"follow_up": follow_up_id, "sent": services.follow_up_email(follow_up_id)}
    except TRANSIENT as error:
        raise self.retry(exc=error, countdown=min(30 * 2**self.request.retries, 900)) from error


@shared_task
def invite_outcome_follow_ups():
    """Beat: create the 3- and 6-month follow-ups now due and send their invitations."""
    return {"created": services.follow_ups_invite()}
