"""The registrar's admin pages fit a 1,280 px window: nothing overflows to the right."""

import pytest
from django.urls import reverse

from awards import keys
from demo import catalog_data as demo
from tests.browser.conftest import screenshot, signed_in_context, watch_csp
from tests.factories import UserFactory, attempt_with_file_evidence

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
WIDTH = 1280


@pytest.fixture
def registrar_page(browser, live_server):
    registrar = UserFactory(username="registrar-l", groups=["Registrar"])
    approver = UserFactory(username="approver-l", groups=["Program approver"])
    keys.generate_key()
    demo.load_catalog(registrar=registrar, approver=approver)
    context = signed_in_context(browser, live_server, registrar, viewport={"width": WIDTH, "height": 900})
    page = context.new_page()
    page.registrar = registrar
    violations = watch_csp(page)
    yield page
    context.close()
    assert not violations, violations


def _overflow(page):
    """The page's width against the window's, and elements that stick out or hide content behind a scrollbar."""
    return page.evaluate(
        """() => ({
            scroll: document.documentElement.scrollWidth,
            view: window.innerWidth,
            wide: [...document.querySelectorAll('#content *')]
                .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1
                    || (e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX !== 'visible'))
                .slice(0, 5).map(e => e.tagName + '#' + e.id + '.' + e.className),
        })"""
    )


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:catalog_program_changelist",
        "admin:learners_enrolment_changelist",
        "admin:learners_assessmentattempt_changelist",
        "admin:awards_award_changelist",
        "admin:learners_assessmentattempt_import",
        "attempt-change",
    ],
)
def test_admin_page_fits_a_1280_pixel_window(registrar_page, url_name):
    attempt, _ = attempt_with_file_evidence(
        registrar_page.registrar, filename="project-report-with-a-rather-long-file-name.pdf"
    )
    if url_name == "attempt-change":
        url = reverse("admin:learners_assessmentattempt_change", args=[attempt.pk])
    else:
        url = reverse(url_name)
    registrar_page.goto(url)
    assert registrar_page.locator("#content").count() == 1, registrar_page.url  # signed in, page rendered
    screenshot(registrar_page, f"admin-{url_name.replace(':', '-')}")
    overflow = _overflow(registrar_page)
    assert overflow["scroll"] <= overflow["view"], overflow
    assert overflow["wide"] == [], overflow


@pytest.mark.parametrize("url, ready", [("/api/v1/docs/", ".swagger-ui .info"), ("/api/v1/redoc/", "redoc h1")])
def test_api_documentation_renders_under_its_policy(browser, live_server, url, ready):
    page = browser.new_context(base_url=live_server.url).new_page()
    violations = watch_csp(page)
    page.goto(url)
    page.wait_for_selector(ready, timeout=15_000)
    assert "Microcredential Registry API" in page.inner_text("body")
    # Redoc's bundle asks for its "powered by" logo from its CDN; the policy blocks it, which is the point.
    assert [v for v in violations if "cdn.redoc.ly" not in v] == [], violations
    page.context.close()
