"""Webhook delivery: one task per delivery, retried with backoff; never blocks the change that caused it."""

import logging
from datetime import timedelta

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from config import outbound

from . import services, webhooks
from .models import WebhookDelivery

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 8


@shared_task(bind=True, acks_late=True, max_retries=MAX_ATTEMPTS - 1)
def deliver_webhook(self, delivery_id):
    with transaction.atomic():
        delivery = WebhookDelivery.objects.select_for_update().select_related("organisation").get(pk=delivery_id)
        if delivery.status != WebhookDelivery.Status.PENDING:
            return delivery.status  # delivered already (a duplicate task) or given up
        delivery.attempts += 1
        delivery.save(update_fields=["attempts"])
    organisation = delivery.organisation
    try:
        code = webhooks.post(organisation.webhook_url, organisation.webhook_secret, delivery.payload)
        error = "" if 200 <= code < 300 else f"HTTP {code}"
    except outbound.FetchRefused as refused:
        code, error = None, str(refused)
    done, now = not error, timezone.now()
    with transaction.atomic():
        delivery = WebhookDelivery.objects.select_for_update().get(pk=delivery_id)
        delivery.attempt_log = [*delivery.attempt_log, {"at": now.isoformat(), "status": code, "error": error}]
        delivery.last_status_code, delivery.last_error = code, error
        delivery.status = WebhookDelivery.Status.DELIVERED if done else WebhookDelivery.Status.PENDING
        delivery.delivered_at = now if done else None
        delivery.save(update_fields=["attempt_log", "last_status_code", "last_error", "status", "delivered_at"])
    if done:
        return WebhookDelivery.Status.DELIVERED
    if self.request.retries >= self.max_retries:
        WebhookDelivery.objects.filter(pk=delivery_id).update(status=WebhookDelivery.Status.FAILED)
        return WebhookDelivery.Status.FAILED
    countdown = min(2 ** (self.request.retries + 1), 600)
    logger.info("Webhook %s to %s failed (%s); retrying in %ss", delivery_id, organisation, error, countdown)
    raise self.retry(countdown=countdown)


@shared_task
def redispatch_unsent_webhooks(older_than_seconds=300):
    """Beat: send again the deliveries never attempted (their message was lost: a broker outage at commit, a
    worker killed before it started). The task itself is idempotent, so a duplicate send does nothing."""
    cutoff = timezone.now() - timedelta(seconds=older_than_seconds)
    unsent = WebhookDelivery.objects.filter(status=WebhookDelivery.Status.PENDING, attempts=0, created_at__lt=cutoff)
    ids = list(unsent.values_list("pk", flat=True))
    for delivery_id in ids:
        deliver_webhook.delay(delivery_id)
    return {"sent_again": len(ids)}


@shared_task
def purge_expired_shares(keep_days=30):
    """Beat: delete shares withdrawn or expired more than ``keep_days`` ago (their access log entries stay)."""
    return services.shares_purge(older_than=timedelta(days=keep_days))
