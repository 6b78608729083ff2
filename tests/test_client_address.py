"""Per-client limits count clients, not what a client writes into X-Forwarded-For (config.http.client_ip and
DRF's NUM_PROXIES, both from TRUSTED_PROXY_COUNT)."""

import pytest
from django.core.cache import cache
from django.test import RequestFactory

from config.api import AnonymousRateThrottle
from config.http import client_ip, over_rate
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


def _client_ip(forwarded=None, remote="198.51.100.1"):
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return client_ip(RequestFactory().get("/", REMOTE_ADDR=remote, **headers))


def test_without_proxies_the_client_is_the_connection_s_address(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert _client_ip("203.0.113.7") == "198.51.100.1"


def test_behind_one_proxy_the_client_is_the_address_it_appended(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    assert _client_ip("203.0.113.7") == "203.0.113.7"


def test_addresses_a_client_sent_on_the_left_are_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    assert _client_ip("192.0.2.66, 10.1.1.1,203.0.113.7") == "203.0.113.7"


def test_behind_two_proxies_the_client_is_the_second_address_from_the_right(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    assert _client_ip("192.0.2.66, 203.0.113.7, 10.0.0.9") == "203.0.113.7"


@pytest.mark.parametrize("forwarded", [None, "", "not-an-address", "203.0.113.7\nforged log line"])
def test_a_header_the_proxies_did_not_write_falls_back_to_the_connection_s_address(settings, forwarded):
    settings.TRUSTED_PROXY_COUNT = 1
    assert _client_ip(forwarded) == "198.51.100.1"


def test_fewer_addresses_than_proxies_fall_back_to_the_connection_s_address(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    assert _client_ip("203.0.113.7") == "198.51.100.1"


def test_a_rate_counts_each_client_in_each_scope_apart():
    assert [over_rate("s", "203.0.113.5", 2, 60) for _ in range(3)] == [False, False, True]
    assert not over_rate("s", "203.0.113.6", 2, 60) and not over_rate("other", "203.0.113.5", 2, 60)


def test_a_window_that_ends_between_counting_steps_opens_the_next(monkeypatch):
    def expired(key, delta=1):
        cache.delete(key)
        raise ValueError(key)

    monkeypatch.setattr(cache, "incr", expired)
    assert not over_rate("s", "203.0.113.5", 1, 60)
    assert cache.get("rate:s:203.0.113.5") == 1
