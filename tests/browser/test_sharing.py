"""A learner shares a credential with an employer and withdraws it, in a real browser."""

import pytest
from django.conf import settings
from playwright.sync_api import expect

from awards.models import Award
from tests.browser.conftest import assert_accessible, signed_in_context, submit
from tests.factories import learner_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_share_a_credential_open_it_as_a_recruiter_and_withdraw_it(browser, live_server, passed_attempt):
    award = Award.objects.get()
    learner_user(award.learner)
    context = signed_in_context(browser, live_server, award.learner.user, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto("/me/shares/")
    page.get_by_label("Label").fill("Acme application")
    page.get_by_label(f"{award.program.title} ({award.program.code})").check()
    submit(page, page.get_by_role("button", name="Create share"))
    card = page.locator("article.share").first
    expect(card).to_contain_text("Acme application")
    expect(card).to_contain_text("active")
    assert_accessible(page, "sharing")
    link = card.locator("input[type=url]").input_value()
    assert link.startswith(settings.REGISTRY_PUBLIC_URL + "/shared/")
    link = link.replace(settings.REGISTRY_PUBLIC_URL, live_server.url)  # the test server's address

    recruiter = browser.new_context().new_page()
    recruiter.goto(link)
    assert award.program.title in recruiter.locator("h2").first.inner_text()
    assert "Valid" in recruiter.locator(".verdict").first.inner_text()
    assert_accessible(recruiter, "shared-with-recruiter")

    page.goto("/me/shares/")
    assert "Someone with your link" in page.locator("#access-log ~ table").inner_text()
    submit(page, page.get_by_role("button", name="Withdraw this share"))
    expect(page.locator("article.share").first).to_contain_text("withdrawn")
    assert recruiter.goto(link).status == 404
    recruiter.context.close()
    context.close()
