"""A learner lets a backpack read their credentials on the OAuth 2.0 consent page, in a real browser."""

import base64
import hashlib
import secrets
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import requests
from playwright.sync_api import expect

from awards.models import Award
from tests.browser.conftest import assert_accessible, signed_in_context
from tests.factories import learner_user
from tests.wallets.test_ims_api import BACKPACK, CALLBACK

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_allowing_a_backpack_sends_the_browser_back_to_it_with_a_code(browser, live_server, passed_attempt):
    award = Award.objects.get()
    learner_user(award.learner)
    registration = requests.post(live_server.url + "/oauth/register/", json=BACKPACK, timeout=10).json()
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    query = {
        "response_type": "code", "client_id": registration["client_id"], "redirect_uri": CALLBACK,
        "scope": BACKPACK["scope"], "state": "xyz", "code_challenge": challenge, "code_challenge_method": "S256",
    }  # fmt: skip
    context = signed_in_context(browser, live_server, award.learner.user, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto("/oauth/authorize/?" + urlencode(query))
    expect(page.get_by_role("heading", name="Let Example Backpack read your credentials?")).to_be_visible()
    expect(page.locator("#requested-scopes")).to_contain_text("Read your Open Badges credentials")
    assert_accessible(page, "oauth-consent")
    # The browser follows the answer to the backpack (no such host here: the request is what counts; a
    # Content-Security-Policy form-action that left the platform out would stop it before it is made).
    with page.expect_request("https://backpack.example/**") as sent:
        page.get_by_role("button", name="Allow").click()
    answer = parse_qs(urlsplit(sent.value.url).query)
    assert answer["state"] == ["xyz"] and answer["code"][0]
