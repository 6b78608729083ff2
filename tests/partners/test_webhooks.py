"""Revocation webhooks: signed, replay-safe, retried, recorded, never blocking, never to private addresses."""

import json

import pytest

from awards import services as award_services
from partners import services, webhooks
from partners.admin import PartnerOrganisationForm
from partners.models import PartnerOrganisation, WebhookDelivery
from tests.awards.tls_server import serve_https
from tests.partners.conftest import key_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def receiver(fake_dns, tmp_path, settings):
    """The partner's HTTPS endpoint at hooks.acme.test (a local TLS server, allowed by setting)."""
    routes = {"/hooks": (204, {}, b"")}
    with serve_https(tmp_path, "hooks.acme.test", routes) as (port, ca_file, requests):
        fake_dns["hooks.acme.test"] = ["127.0.0.1"]
        settings.WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.1/32"]
        settings.WEBHOOK_CA_FILE = ca_file
        yield {"url": f"https://hooks.acme.test:{port}/hooks", "routes": routes, "requests": requests}


@pytest.fixture
def retries_report_failure():
    """Eager retries re-run the task at once; let the last failure be recorded instead of raised."""
    from config import celery_app

    celery_app.conf.task_eager_propagates = False
    yield
    celery_app.conf.task_eager_propagates = True


@pytest.fixture
def subscribed(partner, receiver, award):
    PartnerOrganisation.objects.filter(pk=partner.pk).update(webhook_url=receiver["url"])
    partner.refresh_from_db()
    services.share_create(learner=award.learner, label="x", awards=[award], partner=partner)
    return partner


def test_revoking_a_shared_credential_posts_a_signed_event(
    subscribed, receiver, award, registrar, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        award_services.award_revoke(award=award, user=registrar, reason="x")
    path, headers, body = receiver["requests"].posts[0]
    assert path == "/hooks"
    event = json.loads(body)
    assert event["type"] == "credential.revoked" and event["credential_id"] == str(award.pk)
    assert webhooks.verify_signature(subscribed.webhook_secret, headers["Registry-Signature"], body)
    assert not webhooks.verify_signature("another-secret", headers["Registry-Signature"], body)
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("delivered", 1, 204)


def test_an_old_signature_is_refused_as_a_replay(subscribed):
    body = b'{"id":"x"}'
    header = webhooks.signature(subscribed.webhook_secret, 1_000_000, body)
    assert not webhooks.verify_signature(subscribed.webhook_secret, header, body)
    assert webhooks.verify_signature(subscribed.webhook_secret, header, body, now=1_000_100)


def test_a_failing_endpoint_is_retried_and_every_attempt_recorded(
    subscribed, receiver, award, registrar, django_capture_on_commit_callbacks, retries_report_failure
):
    receiver["routes"]["/hooks"] = (500, {}, b"down")
    with django_capture_on_commit_callbacks(execute=True):
        award_services.award_suspend(award=award, user=registrar, reason="x")
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "failed" and delivery.attempts == 8
    assert delivery.last_status_code == 500 and delivery.last_error == "HTTP 500"
    assert [attempt["status"] for attempt in delivery.attempt_log] == [500] * 8
    assert len(receiver["requests"].posts) == 8
    award.refresh_from_db()
    assert award.is_suspended  # the suspension itself never waited for the partner


def test_partners_without_interest_hear_nothing(
    partner, receiver, award, registrar, django_capture_on_commit_callbacks
):
    PartnerOrganisation.objects.filter(pk=partner.pk).update(webhook_url=receiver["url"])
    with django_capture_on_commit_callbacks(execute=True):
        award_services.award_revoke(award=award, user=registrar, reason="x")
    assert not WebhookDelivery.objects.exists() and receiver["requests"].posts == []


def test_a_partner_whose_check_could_not_be_completed_hears_nothing(partner, receiver, award):
    PartnerOrganisation.objects.filter(pk=partner.pk).update(webhook_url=receiver["url"])
    key, _ = key_for(partner)
    services.verification_record(api_key=key, verdicts=[(award.pk, "unverifiable")])
    assert services.webhook_events_create(award_id=award.pk, event="revoked") == []


def test_a_partner_that_verified_a_credential_hears_of_its_revocation(partner, receiver, award):
    PartnerOrganisation.objects.filter(pk=partner.pk).update(webhook_url=receiver["url"])
    key, _ = key_for(partner)
    services.verification_record(api_key=key, verdicts=[(award.pk, "valid")])
    assert [d.organisation for d in services.webhook_events_create(award_id=award.pk, event="revoked")] == [partner]


@pytest.mark.parametrize("url", ["https://127.0.0.1/hook", "http://hooks.example.org/x", "https://10.1.2.3/x"])
def test_callback_urls_must_be_public_https(url, fake_dns):
    form = PartnerOrganisationForm(
        data={"name": "X", "contact_email": "x@example.org", "is_active": True, "webhook_url": url}
    )
    assert not form.is_valid()
    assert "public address" in str(form.errors["webhook_url"]) or "valid URL" in str(form.errors["webhook_url"])


def test_a_callback_to_a_private_address_is_never_contacted(
    partner, award, registrar, fake_dns, django_capture_on_commit_callbacks, monkeypatch, retries_report_failure
):
    import socket

    fake_dns["evil.test"] = ["10.0.0.8"]
    PartnerOrganisation.objects.filter(pk=partner.pk).update(webhook_url="https://evil.test/x")
    services.share_create(learner=award.learner, label="x", awards=[award], partner=partner)
    monkeypatch.setattr(socket, "create_connection", lambda *a, **k: pytest.fail("no connection may be opened"))
    with django_capture_on_commit_callbacks(execute=True):
        award_services.award_revoke(award=award, user=registrar, reason="x")
    assert "not a public address" in WebhookDelivery.objects.get().last_error


def test_staff_see_the_webhook_secret_to_give_to_the_partner(registrar_client, partner):
    page = registrar_client.get(f"/admin/partners/partnerorganisation/{partner.pk}/change/").content.decode()
    assert partner.webhook_secret in page


def test_a_broker_outage_does_not_fail_the_revocation_and_the_delivery_stays_recorded(
    subscribed, award, registrar, django_capture_on_commit_callbacks, monkeypatch
):
    from partners import tasks

    def broker_down(*args):
        raise ConnectionError("broker unreachable")

    monkeypatch.setattr(tasks.deliver_webhook, "delay", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        award_services.award_revoke(award=award, user=registrar, reason="x")
    award.refresh_from_db()
    assert award.is_revoked
    delivery = WebhookDelivery.objects.get(organisation=subscribed, event="credential.revoked")
    assert (delivery.status, delivery.attempts) == ("pending", 0)


def test_beat_sends_again_a_delivery_whose_message_was_lost(subscribed, receiver, award):
    import datetime

    from django.utils import timezone

    from partners import tasks

    delivery = services.webhook_events_create(award_id=award.pk, event="revoked")[0]
    assert tasks.redispatch_unsent_webhooks.apply(kwargs={"older_than_seconds": 300}).get() == {"sent_again": 0}
    WebhookDelivery.objects.filter(pk=delivery.pk).update(created_at=timezone.now() - datetime.timedelta(minutes=10))
    assert tasks.redispatch_unsent_webhooks.apply(kwargs={"older_than_seconds": 300}).get() == {"sent_again": 1}
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("delivered", 1)
    assert len(receiver["requests"].posts) == 1
