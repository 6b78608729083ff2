"""A wallet offer is worth nothing to someone who only saw its QR code or link: whatever the protocol, nothing is
delivered until the signed-in learner approves the wallet's DID on their offer page
(docs/decisions/0008-wallet-offer-binding.md). Played over the live server by test wallets."""

import contextlib
import datetime
import threading
import time
from types import SimpleNamespace

import pytest
import requests
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from tests.factories import learner_user
from tests.wallets.lcw import LearnerCredentialWallet
from tests.wallets.wallet import TestWallet
from wallets import services
from wallets.models import WalletCopy, WalletOffer

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def stranger(public_url):
    """Someone else's wallet, holding only what the learner's QR code, link or page showed."""
    return TestWallet(public_url, public_url)


def _reloaded(offer):
    return WalletOffer.objects.get(pk=offer.pk)


def _approve(offer, holder):
    return services.offer_approve(offer=offer, learner=offer.learner, holder=holder)


def test_a_second_party_with_only_the_interaction_url_gets_nothing(stranger, offer):
    response = stranger.vcapi(stranger.protocols(services.interaction_url(offer))["vcapi"])
    assert response.status_code == 403 and response.json()["error"] == "authorization_pending"
    assert "verifiablePresentation" not in response.json() and not WalletCopy.objects.exists()
    offer = _reloaded(offer)
    assert (offer.state, offer.pending_holder, offer.pending_protocol) == ("pending", stranger.did, "vcapi")


def test_a_second_party_with_only_the_lcw_link_gets_nothing(public_url, offer):
    strangers_lcw = LearnerCredentialWallet()
    answer = strangers_lcw.follow(services.lcw_request_link(offer))
    assert answer["status"] == 403 and answer["error"]["error"] == "authorization_pending"
    assert "credentials" not in answer and not WalletCopy.objects.exists()
    offer = _reloaded(offer)
    assert (offer.state, offer.pending_holder, offer.pending_protocol) == ("pending", strangers_lcw.did, "lcw")


def test_a_second_party_with_the_pre_authorised_code_and_the_pin_gets_nothing(stranger, offer):
    credential_offer = stranger.credential_offer(stranger.protocols(services.interaction_url(offer))["OID4VCI"])
    token = stranger.oid4vci_token(credential_offer, services.tx_code(offer)).json()["access_token"]
    response = stranger.oid4vci_credential(credential_offer, token)
    assert response.status_code == 403 and response.json()["error"] == "authorization_pending"
    assert "credentials" not in response.json() and not WalletCopy.objects.exists()
    assert _reloaded(offer).pending_holder == stranger.jwk_did()


def test_the_approved_wallet_asking_again_gets_the_credential_once(wallet, offer):
    exchange = services.exchange_url(offer)
    assert wallet.vcapi(exchange).json()["error"] == "authorization_pending"  # the learner was not looking
    _approve(offer, wallet.did)
    response = wallet.vcapi(exchange)
    assert response.status_code == 200, response.text
    [credential] = response.json()["verifiablePresentation"]["verifiableCredential"]
    assert credential["credentialSubject"]["id"] == wallet.did
    assert wallet.vcapi(exchange).status_code == 404
    assert WalletCopy.objects.get().holder == wallet.did


def test_another_wallet_is_turned_away_while_one_waits_and_the_attempt_is_recorded(wallet, stranger, offer):
    exchange = services.exchange_url(offer)
    stranger.vcapi(exchange)
    response = wallet.vcapi(exchange)
    assert response.status_code == 409 and response.json()["error"] == "credential_request_denied"
    offer = _reloaded(offer)
    assert (offer.pending_holder, offer.other_holder, offer.other_holder_attempts) == (stranger.did, wallet.did, 1)
    assert offer.other_holder_at is not None and not WalletCopy.objects.exists()


def test_another_wallet_is_turned_away_after_the_learner_approved_one(wallet, stranger, offer):
    exchange = services.exchange_url(offer)
    wallet.vcapi(exchange)
    _approve(offer, wallet.did)
    assert stranger.vcapi(exchange).status_code == 409
    assert not WalletCopy.objects.exists()
    assert wallet.vcapi(exchange).status_code == 200
    assert WalletCopy.objects.get().holder == wallet.did


def test_the_learner_approves_only_the_wallet_they_were_shown(wallet, offer):
    wallet.vcapi(services.exchange_url(offer))
    with pytest.raises(ValidationError, match="No wallet is waiting"):
        _approve(offer, "did:key:z6MkpTHR8VNsBxYAAWHut2Geadd9jSwuBV8xRoAnwWsdvktH")
    assert _reloaded(offer).state == "pending"


def test_another_learner_cannot_approve(wallet, offer):
    wallet.vcapi(services.exchange_url(offer))
    with pytest.raises(PermissionDenied):
        services.offer_approve(offer=offer, learner=learner_user(), holder=wallet.did)
    assert _reloaded(offer).approved_at is None


def test_refusing_withdraws_the_offer_and_the_waiting_wallet_gets_nothing(stranger, offer, learner_refuses):
    exchange = services.exchange_url(offer)
    response = stranger.vcapi(exchange)
    assert response.status_code == 403 and response.json()["error"] == "credential_request_denied"
    assert learner_refuses.decided == [stranger.did]
    assert _reloaded(offer).state == "refused"
    assert stranger.vcapi(exchange).status_code == 403
    assert not WalletCopy.objects.exists()


def test_an_approved_offer_that_expired_delivers_nothing(wallet, offer):
    exchange = services.exchange_url(offer)
    wallet.vcapi(exchange)
    _approve(offer, wallet.did)
    WalletOffer.objects.filter(pk=offer.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    response = wallet.vcapi(exchange)
    assert response.status_code == 404 and response.json()["error"] == "invalid_grant"
    assert not WalletCopy.objects.exists()


def test_a_newer_request_from_the_same_wallet_takes_over_the_wait(wallet, offer, settings):
    settings.WALLET_APPROVAL_WAIT = datetime.timedelta(seconds=6)  # ample for the second request to arrive
    settings.WALLET_APPROVAL_MAX_WAITING = 1  # the first request's place is the only one: the second takes it over
    exchange = services.exchange_url(offer)
    presentation = wallet.did_authentication(offer.challenge, services.domain())
    first = {}
    waiting = threading.Thread(
        target=lambda: first.update(
            response=requests.post(exchange, json={"verifiablePresentation": presentation}, timeout=30)
        )
    )
    waiting.start()
    while not _reloaded(offer).waiting_until:
        time.sleep(0.02)
    second = requests.post(exchange, json={"verifiablePresentation": presentation}, timeout=30)
    waiting.join()
    assert first["response"].status_code == 403 and "newer request" in first["response"].json()["error_description"]
    assert second.status_code == 403 and second.json()["error"] == "authorization_pending"
    assert _reloaded(offer).waiting_until is None


def test_requests_beyond_the_waiting_limit_are_answered_at_once(wallet, offer, settings):
    settings.WALLET_APPROVAL_WAIT = datetime.timedelta(seconds=60)
    settings.WALLET_APPROVAL_MAX_WAITING = 0
    presentation = wallet.did_authentication(offer.challenge, services.domain())
    started = time.monotonic()
    response = requests.post(services.exchange_url(offer), json={"verifiablePresentation": presentation}, timeout=60)
    assert response.status_code == 403 and response.json()["error"] == "authorization_pending"
    assert time.monotonic() - started < 30
    assert _reloaded(offer).pending_holder == wallet.did  # the learner can still approve it; the wallet asks again


def test_wallets_are_told_that_wrong_pins_withdrew_the_offer(wallet, stranger, offer, settings):
    settings.WALLET_APPROVAL_MAX_WAITING = 0  # the learner's wallet is answered at once, and stays the pending one
    exchange = services.exchange_url(offer)
    assert wallet.vcapi(exchange).json()["error"] == "authorization_pending"
    credential_offer = stranger.credential_offer(stranger.protocols(services.interaction_url(offer))["OID4VCI"])
    wrong = f"{(int(services.tx_code(offer)) + 1) % 10**6:06d}"
    answers = [stranger.oid4vci_token(credential_offer, wrong).json() for _ in range(settings.WALLET_TX_CODE_ATTEMPTS)]
    assert "PIN) is wrong" in answers[0]["error_description"]
    assert "too many wrong PINs" in answers[-1]["error_description"]
    response = wallet.vcapi(exchange)
    assert response.status_code == 404 and "too many wrong PINs" in response.json()["error_description"]
    assert _reloaded(offer).state == "withdrawn" and not WalletCopy.objects.exists()


@pytest.fixture
def waits(monkeypatch):
    """The ids of the threads whose request waited for the learner; while ``waits.hold`` is set, a request that
    waits stays in its first poll, so the test can count them."""
    record = SimpleNamespace(threads=set(), hold=threading.Event())
    sleep = time.sleep

    def poll(seconds):
        record.threads.add(threading.get_ident())
        while record.hold.is_set():
            sleep(0.01)
        sleep(seconds)

    monkeypatch.setattr(services, "time", SimpleNamespace(monotonic=time.monotonic, sleep=poll))
    return record


def test_concurrent_requests_for_different_offers_never_wait_beyond_the_site_wide_limit(
    award, settings, monkeypatch, waits
):
    settings.WALLET_APPROVAL_MAX_WAITING = 2
    offers = [services.offer_create(learner=award.learner, award=award) for _ in range(4)]
    # Every request decides whether it may wait before any commits, the interleaving in which counting waiting
    # offers let all four wait on PostgreSQL. SQLite lets one writer in at a time: there the barrier times out
    # once, and the requests go one by one.
    barrier, save = threading.Barrier(len(offers), timeout=1), WalletOffer.save

    def save_when_all_decided(self, *args, **kwargs):
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait()
        save(self, *args, **kwargs)

    monkeypatch.setattr(WalletOffer, "save", save_when_all_decided)
    answered_at_once = []

    def ask(offer, n):
        try:
            services._deliver_when_approved(offer.pk, f"did:key:z6MkWallet{n}", "vcapi")
        except services.ExchangeError as error:
            if threading.get_ident() not in waits.threads:
                answered_at_once.append(error.code)
        finally:
            connection.close()  # this thread's own connection

    waits.hold.set()
    threads = [threading.Thread(target=ask, args=(offer, n)) for n, offer in enumerate(offers)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 30
    while len(waits.threads) + len(answered_at_once) < len(offers) and time.monotonic() < deadline:
        time.sleep(0.02)
    waiting = WalletOffer.objects.filter(waiting_until__isnull=False).count()
    waits.hold.clear()
    for thread in threads:
        thread.join()
    assert (len(waits.threads), waiting) == (2, 2)
    assert answered_at_once == ["authorization_pending"] * 2


def test_a_request_that_stops_waiting_gives_its_place_back(award, settings, waits):
    settings.WALLET_APPROVAL_MAX_WAITING = 1
    settings.WALLET_APPROVAL_WAIT = datetime.timedelta(milliseconds=200)
    waited = []
    for n in range(2):
        offer = services.offer_create(learner=award.learner, award=award)
        with pytest.raises(services.ExchangeError, match="not approved this wallet yet"):
            services._deliver_when_approved(offer.pk, f"did:key:z6MkWallet{n}", "vcapi")
        waited.append(bool(waits.threads))
        waits.threads.clear()
    assert waited == [True, True]
