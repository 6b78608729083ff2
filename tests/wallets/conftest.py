import pytest

from tests.wallets.wallet import TestWallet
from wallets import services


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
