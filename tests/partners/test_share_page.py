"""The share page (/shared/<token>/) against guessing and flooding: codes as long as links, a rate per client,
and one entry in the learner's log per reader and interval — clients told apart behind the load balancer too."""

import math

import pytest
from django.test import Client

from partners import services
from partners.models import SHARE_CODE_ALPHABET, AccessLog, Share

pytestmark = pytest.mark.django_db


@pytest.fixture
def share(award):
    return services.share_create(learner=award.learner, label="Acme application", awards=[award])


def _page(share_or_code, address="203.0.113.5", **headers):
    value = share_or_code if isinstance(share_or_code, str) else share_or_code.token
    return Client().get(f"/shared/{value}/", REMOTE_ADDR=address, **headers)


LOAD_BALANCER = "10.0.0.2"


def _through_the_load_balancer(share, reader, sent=""):
    """As the load balancer forwards a reader's request: it appends the reader's address to whatever
    X-Forwarded-For the reader ``sent``."""
    forwarded = f"{sent}, {reader}" if sent else reader
    return _page(share, address=LOAD_BALANCER, HTTP_X_FORWARDED_FOR=forwarded)


def test_new_share_codes_carry_at_least_128_bits(share):
    symbols = share.code.replace("-", "")
    assert set(symbols) <= set(SHARE_CODE_ALPHABET)
    assert len(symbols) * math.log2(len(SHARE_CODE_ALPHABET)) >= 128


def test_the_page_opens_with_the_code_in_any_case(share):
    assert _page(share.code.lower()).status_code == 200


def test_a_short_code_of_before_opens_its_share_through_the_api_only(share, api):
    Share.objects.filter(pk=share.pk).update(code="ABCD-EFGH")
    assert _page("ABCD-EFGH").status_code == 404
    assert api.get("/api/v1/shares/ABCD-EFGH").status_code == 200
    assert _page(share).status_code == 200  # its link still works


def test_the_page_is_rate_limited_per_client(share, settings):
    settings.SHARE_PAGE_VIEWS_PER_MINUTE = 2
    assert [_page(share).status_code for _ in range(2)] == [200, 200]
    refused = _page("NOT-A-REAL-CODE")
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert _page(share, address="203.0.113.6").status_code == 200


def test_one_reader_opening_the_page_again_makes_one_log_entry(share):
    for _ in range(3):
        assert _page(share).status_code == 200
    assert AccessLog.objects.filter(share=share).count() == 1


def test_each_reader_is_logged(share):
    _page(share, address="203.0.113.5")
    _page(share, address="203.0.113.6")
    assert AccessLog.objects.filter(share=share).count() == 2


def test_behind_the_load_balancer_each_reader_has_a_rate_of_their_own(share, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.SHARE_PAGE_VIEWS_PER_MINUTE = 2
    assert [_through_the_load_balancer(share, "203.0.113.5").status_code for _ in range(3)] == [200, 200, 429]
    assert _through_the_load_balancer(share, "203.0.113.6").status_code == 200


def test_a_reader_cannot_escape_the_rate_by_sending_addresses_of_its_own(share, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.SHARE_PAGE_VIEWS_PER_MINUTE = 2
    statuses = [_through_the_load_balancer(share, "203.0.113.5", sent=f"192.0.2.{n}").status_code for n in range(3)]
    assert statuses == [200, 200, 429]


def test_behind_the_load_balancer_each_reader_is_logged(share, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    _through_the_load_balancer(share, "203.0.113.5")
    _through_the_load_balancer(share, "203.0.113.6")
    assert AccessLog.objects.filter(share=share).count() == 2
