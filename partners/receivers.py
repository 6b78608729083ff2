from django.db import transaction

from config.dispatch import send_after_commit

from . import services


def notify_partners_of_status_change(sender, award_id, event, **kwargs):
    """awards.award_status_changed → one signed webhook per interested partner, queued after commit."""
    from .tasks import deliver_webhook

    with transaction.atomic():
        deliveries = services.webhook_events_create(award_id=award_id, event=event)
        for delivery in deliveries:
            send_after_commit(deliver_webhook, delivery.pk)


def remember_verified_credentials(sender, api_key, verdicts, **kwargs):
    """awards.credentials_verified → what the partner's checks found; a valid one means it will be told when the
    credential changes status."""
    services.verification_record(api_key=api_key, verdicts=verdicts)
