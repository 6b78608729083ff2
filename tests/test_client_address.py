"""Per-client limits count clients, not what a client writes into X-Forwarded-For (config.http.client_ip and
DRF's NUM_PROXIES, both from TRUSTED_PROXY_COUNT)."""

import pytest

from config.api import AnonymousRateThrottle
from tests.wallets.test_ims_api import BACKPACK

pytestmark = pytest.mark.django_db


def test_a_client_cannot_escape_the_anonymous_api_rate_by_writing_x_forwarded_for(client, monkeypatch):
    monkeypatch.setattr(AnonymousRateThrottle, "THROTTLE_RATES", {"anon": "2/min"})
    statuses = [client.get("/api/v1/programs", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").status_code for n in range(3)]
    assert statuses == [200, 200, 429]


def register(client, forwarded_for):
    """A registration arriving through the load balancer (10.0.0.2) with this X-Forwarded-For."""
    return client.post(
        "/oauth/register/", BACKPACK, content_type="application/json",
        HTTP_X_FORWARDED_FOR=forwarded_for, REMOTE_ADDR="10.0.0.2",
    )  # fmt: skip


def test_behind_the_load_balancer_each_client_has_its_own_registration_limit(client, settings):
    settings.TRUSTED_PROXY_COUNT, settings.IMS_REGISTRATIONS_PER_HOUR = 1, 1
    first, second = register(client, "203.0.113.7"), register(client, "203.0.113.8")
    assert (first.status_code, second.status_code) == (201, 201)


def test_a_client_behind_the_load_balancer_cannot_choose_its_address(client, settings):
    settings.TRUSTED_PROXY_COUNT, settings.IMS_REGISTRATIONS_PER_HOUR = 1, 1
    first, again = register(client, "1.1.1.1, 203.0.113.7"), register(client, "2.2.2.2, 203.0.113.7")
    assert (first.status_code, again.status_code) == (201, 429)
