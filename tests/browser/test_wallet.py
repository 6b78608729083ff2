"""A learner puts a credential into a wallet: the QR code page, in a real browser."""

import datetime
import re
import threading

import pytest
from playwright.sync_api import expect

from awards.models import Award
from tests.browser.conftest import assert_accessible, signed_in_context, submit, watch_csp
from tests.factories import learner_user
from tests.wallets.wallet import TestWallet
from wallets import services
from wallets.models import WalletCopy, WalletOffer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_add_to_my_wallet_shows_a_scannable_qr_code_with_the_pin(browser, live_server, passed_attempt):
    award = Award.objects.get()
    learner_user(award.learner)
    context = signed_in_context(browser, live_server, award.learner.user, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    violations = watch_csp(page)
    page.goto("/me/credentials/")
    submit(page, page.get_by_role("button", name="Add to a wallet app"))
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
    assert offer.state == "withdrawn" and not violations


def test_the_offer_page_fits_a_phone_without_sideways_scrolling(browser, live_server, passed_attempt):
    award = Award.objects.get()
    learner_user(award.learner)
    context = signed_in_context(browser, live_server, award.learner.user, viewport={"width": 360, "height": 800})
    page = context.new_page()
    page.goto("/me/credentials/")
    submit(page, page.get_by_role("button", name="Add to a wallet app"))
    expect(page.locator("#interaction-link")).to_be_visible()  # the long interaction URL wraps
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_the_offer_page_counts_down_and_asks_the_learner_to_approve_the_wallet_that_waits(
    browser, live_server, passed_attempt, settings
):
    settings.REGISTRY_PUBLIC_URL = live_server.url
    settings.WALLET_APPROVAL_WAIT = datetime.timedelta(seconds=40)
    settings.WALLET_APPROVAL_POLL = datetime.timedelta(milliseconds=100)
    award = Award.objects.get()
    offer = services.offer_create(learner=award.learner, award=award)
    context = signed_in_context(browser, live_server, learner_user(award.learner).user)
    page = context.new_page()
    violations = watch_csp(page)
    page.goto(f"/me/wallet/offers/{offer.pk}/")
    expect(page.locator("#offer-countdown")).to_have_text(re.compile(r"^(9|10):\d\d$"))
    expect(page.locator("#offer-time-left")).to_be_visible()
    expect(page.locator("#approval")).to_be_hidden()

    wallet, answer = TestWallet(live_server.url, live_server.url), {}
    scanning = threading.Thread(target=lambda: answer.update(response=wallet.vcapi(services.exchange_url(offer))))
    scanning.start()  # the learner's wallet scans the code and waits for them
    expect(page.locator("#approval-holder")).to_have_text(re.compile(r"^did:key:z6Mk"), timeout=30_000)
    expect(page.get_by_role("status")).to_have_text("A wallet asks for this credential")
    assert page.locator("#approval-holder").text_content() == wallet.did
    assert_accessible(page, "wallet-offer-approval")
    submit(page, page.get_by_role("button", name="Deliver"))
    scanning.join(timeout=40)
    assert answer["response"].status_code == 200, answer["response"].text
    expect(page.locator("#delivered-to")).to_have_text(wallet.did, timeout=10_000)  # the page reloads once used
    assert WalletCopy.objects.get().holder == wallet.did
    assert not violations, violations
