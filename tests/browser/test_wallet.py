"""A learner puts a credential into a wallet: the QR code page, in a real browser."""

import pytest
from playwright.sync_api import expect

from awards.models import Award
from tests.browser.conftest import assert_accessible, signed_in_context, submit
from tests.factories import learner_user
from wallets import services
from wallets.models import WalletOffer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_add_to_my_wallet_shows_a_scannable_qr_code_with_the_pin(browser, live_server, passed_attempt):
    award = Award.objects.get()
    learner_user(award.learner)
    context = signed_in_context(browser, live_server, award.learner.user, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto("/me/credentials/")
    submit(page, page.get_by_role("button", name="Add to my wallet"))
    offer = WalletOffer.objects.get()
    qr = page.get_by_role("img", name="QR code of the wallet link")
    expect(qr).to_be_visible()
    assert qr.evaluate("image => image.naturalWidth") > 100  # the SVG really rendered
    expect(page.locator("#wallet-pin")).to_have_text(services.tx_code(offer))
    expect(page.locator("#interaction-link")).to_have_text(services.interaction_url(offer))
    assert_accessible(page, "wallet-offer")
    submit(page, page.get_by_role("button", name="Withdraw this offer"))
    expect(page.get_by_role("heading", name="Your wallet deliveries")).to_be_visible()
    offer.refresh_from_db()
    assert offer.state == "withdrawn"
