"""The outcomes dashboard in Chromium: charts draw, each has an accessible name, description and data table,
the page passes axe's WCAG checks under the strict CSP, and a CSV downloads."""

import pytest

from tests.browser.conftest import assert_accessible, signed_in_context, watch_csp
from tests.factories import UserFactory
from tests.quality.dataset import known_cohort

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def approver_page(browser, live_server):
    registrar = UserFactory(username="registrar-q", groups=["Registrar"])
    known_cohort(registrar)
    context = signed_in_context(
        browser, live_server, UserFactory(username="approver-q", groups=["Program approver"]), accept_downloads=True
    )
    page = context.new_page()
    violations = watch_csp(page)
    yield page
    context.close()
    assert not violations, violations


def test_the_dashboard_draws_its_charts_with_text_alternatives(approver_page):
    page = approver_page
    page.goto("/quality/")
    charts = page.locator("svg[role=img]")
    assert charts.count() == 5
    for index in range(5):
        chart = charts.nth(index)
        box = chart.bounding_box()
        assert box and box["width"] > 200 and box["height"] > 40  # drawn, not collapsed
        names = chart.get_attribute("aria-labelledby").split()
        assert all(page.locator(f"[id='{name}']").text_content().strip() for name in names)
    assert page.locator("#chart-completion rect").count() >= 2  # a bar per program version with data
    page.get_by_text("Data of “Completion rate by program”").click()
    assert "67%" in page.locator("#chart-completion table").inner_text()
    assert_accessible(page, "outcomes-dashboard")
    with page.expect_download() as download:
        page.locator("#programs-heading ~ p a").first.click()
    assert download.value.suggested_filename.startswith("outcomes-programs-")
    assert open(download.value.path(), encoding="utf-8").read().startswith("Program,Version,Title")


LONG_TITLE = (
    "Advanced Interdisciplinary Methods for Sustainable Infrastructure Asset Management and Lifecycle "
    "Cost-Benefit Evaluation in Public Sector Organisations (Professional Practice Track)"
)


def _fits(page):
    """No horizontal page overflow, and no table wider than its box (so nothing scrolls sideways)."""
    return page.evaluate(
        "() => ({page: document.documentElement.scrollWidth <= window.innerWidth,"
        " tables: [...document.querySelectorAll('.table-scroll')].filter(box => box.scrollWidth > box.clientWidth)"
        ".map(box => box.querySelector('table').id)})"
    )


def test_the_dashboard_and_the_review_page_fit_1280_px_with_long_titles_wrapped(approver_page):
    from catalog.models import Program

    page = approver_page
    program = Program.objects.get(version=1)
    Program.objects.filter(pk=program.pk).update(title=LONG_TITLE)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/quality/")
    assert _fits(page) == {"page": True, "tables": []}
    title = page.locator("#programs-table tbody th small").first
    assert title.text_content().startswith(LONG_TITLE)
    assert title.bounding_box()["height"] > 30  # wrapped over several lines, not widening the column
    numbers = page.locator("#programs-table tbody tr").first.locator("td.num").first
    assert numbers.evaluate("cell => getComputedStyle(cell).textAlign") == "right"
    page.goto(f"/quality/programs/{program.pk}/review/")
    assert _fits(page) == {"page": True, "tables": []}
    assert page.get_by_role("radio").count() == 3
    assert page.locator("input[name=outcome]:checked").count() == 0  # the reviewer must choose
    assert_accessible(page, "program-review")
    page.get_by_role("link", name="Registrar admin").first.click()
    assert page.url.endswith("/admin/")
