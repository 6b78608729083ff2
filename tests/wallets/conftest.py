import datetime
import threading

import pytest
from django.db import connection

from tests.wallets.wallet import TestWallet
from wallets import services
from wallets.models import WalletOffer


@pytest.fixture(autouse=True)
def quick_approval_wait(settings):
    """A wallet's request waits for the learner's decision; tests that expect none should not wait 30 s."""
    settings.WALLET_APPROVAL_WAIT = datetime.timedelta(seconds=1)
    settings.WALLET_APPROVAL_POLL = datetime.timedelta(milliseconds=50)


@pytest.fixture
def public_url(settings, live_server):
    """The registry serves wallets from the live test server, and names itself by that address."""
    settings.REGISTRY_PUBLIC_URL = live_server.url
    return live_server.url


@pytest.fixture
def wallet(public_url):
    return TestWallet(public_url, public_url)


@pytest.fixture
def offer(award):
    return services.offer_create(learner=award.learner, award=award)


class LearnerAtTheirOfferPage(threading.Thread):
    """The learner on their offer page while wallets ask: ``decide`` (approve or refuse, as the page's buttons do)
    each wallet that waits; ``decided`` lists their DIDs."""

    def __init__(self, decide):
        super().__init__(daemon=True)
        self.decide, self.decided, self.stop = decide, [], threading.Event()

    def run(self):
        try:
            while not self.stop.wait(0.05):
                for offer in WalletOffer.objects.filter(pending_holder__gt="", approved_at=None, revoked_at=None):
                    self.decide(offer)
                    self.decided.append(offer.pending_holder)
        finally:
            connection.close()  # this thread's own connection


def _at_the_offer_page(settings, decide):
    settings.WALLET_APPROVAL_WAIT = datetime.timedelta(seconds=20)  # time enough: the wallet gets its answer sooner
    learner = LearnerAtTheirOfferPage(decide)
    learner.start()
    yield learner
    learner.stop.set()
    learner.join()


@pytest.fixture
def learner_approves(settings):
    """The learner approves every wallet that asks, while its request waits."""
    yield from _at_the_offer_page(
        settings, lambda offer: services.offer_approve(offer=offer, learner=offer.learner, holder=offer.pending_holder)
    )


@pytest.fixture
def learner_refuses(settings):
    """The learner refuses every wallet that asks, while its request waits."""
    yield from _at_the_offer_page(settings, lambda offer: services.offer_revoke(offer=offer, learner=offer.learner))
