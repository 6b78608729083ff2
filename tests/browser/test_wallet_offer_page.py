"""The offer page's second QR code, for OpenID4VCI wallets (the EU Digital Identity Wallet and others), in a real
browser: shown beside the first, accessible, within a phone's width and under the strict CSP."""

import pytest
from playwright.sync_api import expect

from awards.models import Award
from tests.browser.conftest import assert_accessible, signed_in_context, watch_csp
from tests.factories import learner_user
from wallets import services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OID4VCI_QR = "QR code of the OpenID4VCI credential offer"


@pytest.mark.parametrize(("width", "name"), [(1280, "wallet-offer-oid4vci"), (360, "wallet-offer-oid4vci-phone")])
def test_openid4vci_wallets_get_their_own_qr_code_and_links_on_the_offer_page(
    browser, live_server, passed_attempt, width, name
):
    award = Award.objects.get()
    offer = services.offer_create(learner=learner_user(award.learner), award=award)
    context = signed_in_context(browser, live_server, award.learner.user, viewport={"width": width, "height": 900})
    page = context.new_page()
    violations = watch_csp(page)
    page.goto(f"/me/wallet/offers/{offer.pk}/")
    section = page.get_by_role("region", name="EU Digital Identity Wallet and other OpenID4VCI wallets")
    qr = section.get_by_role("img", name=OID4VCI_QR)
    expect(qr).to_be_visible()
    assert qr.evaluate("image => image.naturalWidth") > 100  # the SVG really rendered
    expect(section.locator("#oid4vci-link")).to_have_text(services.credential_offer_by_reference(offer))
    expect(section.locator("#oid4vci-by-value-link")).to_have_attribute(
        "href", services.credential_offer_by_value(offer)
    )
    expect(page.get_by_role("img", name="QR code of the wallet link")).to_be_visible()
    expect(page.locator("#wallet-pin")).to_have_text(services.tx_code(offer))
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # the long offer URI wraps
    assert_accessible(page, name)
    assert not violations
