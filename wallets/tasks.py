"""Housekeeping for wallet deliveries and the OAuth 2.0 server."""

from celery import shared_task
from oauth2_provider.models import clear_expired

from . import services


@shared_task
def purge_expired_secrets():
    """Beat: drop the records of used OpenID4VCI nonces once they would have expired anyway, expired access
    tokens, and django-oauth-toolkit's expired tokens and grants (offers stay: they are the learner's history of
    deliveries)."""
    removed = services.purge_expired()
    clear_expired()
    return removed
