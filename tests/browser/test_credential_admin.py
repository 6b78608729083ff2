"""The registrar's credential page in Chromium: re-send the learner's notice, re-issue after a correction and follow
the old public page to the new one, revoke with a reason from the page; staff download a learner's certificate
only with the permission."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from playwright.sync_api import expect

from awards.models import Award
from tests.browser.conftest import AXE, screenshot, signed_in_context, submit, watch_csp
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _signed_in(browser, live_server, user):
    context = signed_in_context(
        browser, live_server, user, viewport={"width": 1280, "height": 900}, accept_downloads=True
    )
    page = context.new_page()
    return context, page, watch_csp(page)


def _assert_content_accessible(page, name):
    """axe on the whole page, the admin's shell included."""
    screenshot(page, name)
    page.evaluate(AXE.read_text())
    result = page.evaluate(
        "async () => await axe.run(document, {runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}})"
    )
    serious = [
        f"{violation['id']}: {violation['help']} — " + "; ".join(node["target"][0] for node in violation["nodes"][:3])
        for violation in result["violations"]
        if violation["impact"] in ("serious", "critical")
    ]
    assert not serious, f"{name}: " + " | ".join(serious)


def test_resend_reissue_and_revoke_from_the_credentials_page(browser, live_server, award, registrar):
    context, page, violations = _signed_in(browser, live_server, registrar)
    page.goto(reverse("admin:awards_award_change", args=[award.pk]))
    expect(page.locator("#credential-verdict")).to_contain_text("Valid")
    expect(page.locator("#signed-credential")).not_to_have_attribute("open", "")
    _assert_content_accessible(page, "credential-admin-page")

    submit(page, page.get_by_role("button", name="Re-send the learner's notice"))
    expect(page.locator(".messagelist")).to_contain_text("is queued for")

    submit(page, page.get_by_role("link", name="Re-issue after a correction…"))
    page.get_by_label("What was corrected").fill("Legal name misspelt; corrected in the learner record.")
    _assert_content_accessible(page, "credential-reissue-form")
    submit(page, page.get_by_role("button", name="Re-issue"))
    replacement = Award.objects.get(replaces=award)
    assert page.url.endswith(reverse("admin:awards_award_change", args=[replacement.pk]))
    expect(page.locator(".messagelist")).to_contain_text("1 credential issued, 0 failed.")

    page.goto(award.get_absolute_url())
    expect(page.locator("#status-note")).to_contain_text("Replaced by a corrected credential")
    submit(page, page.locator("#replacement-link"))
    assert page.url.endswith(replacement.get_absolute_url())

    page.goto(reverse("admin:awards_award_change", args=[replacement.pk]))
    submit(page, page.get_by_role("link", name="Revoke…"))
    page.get_by_label("Internal reason").fill("Issued to the wrong learner.")
    _assert_content_accessible(page, "credential-revoke-form")
    submit(page, page.get_by_role("button", name="Revoke credential"))
    assert page.url.endswith(reverse("admin:awards_award_change", args=[replacement.pk]))
    expect(page.locator("#credential-revocation")).to_contain_text("Issued to the wrong learner.")
    expect(page.locator("#credential-verdict")).to_contain_text("Revoked")
    context.close()
    assert not violations, violations


def test_a_registrar_downloads_the_certificate_and_staff_without_the_permission_cannot(
    browser, live_server, award, registrar
):
    context, page, violations = _signed_in(browser, live_server, registrar)
    page.goto(reverse("admin:awards_award_change", args=[award.pk]))
    with page.expect_download() as download:
        page.get_by_role("link", name="Download PDF certificate").click()
    assert download.value.suggested_filename == f"{award.program.code}-certificate.pdf"
    assert open(download.value.path(), "rb").read(4) == b"%PDF"
    context.close()

    viewer = UserFactory(username="viewer", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_award"))
    context, page, more_violations = _signed_in(browser, live_server, viewer)
    page.goto(reverse("admin:awards_award_change", args=[award.pk]))
    expect(page.get_by_role("link", name="Open public page")).to_be_visible()
    expect(page.get_by_role("link", name="Download PDF certificate")).to_have_count(0)
    response = page.goto(reverse("admin:awards_award_certificate", args=[award.pk]))
    assert response.status == 403
    context.close()
    assert not violations and not more_violations, violations + more_violations
