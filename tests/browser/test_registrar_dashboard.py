"""The registrar's front page and the admin's shell in Chromium: the dashboard's counts open the filtered lists,
a learner who opens the admin is shown the way back, and the main lists fit a 390 px phone."""

import pytest
from django.urls import reverse

from awards.models import Award
from tests.browser.conftest import assert_accessible, screenshot, signed_in_context, watch_csp
from tests.factories import UserFactory, assessable_enrolment, learner_user, record_pass

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}


def _open(browser, live_server, user, **options):
    context = signed_in_context(browser, live_server, user, **options)
    page = context.new_page()
    page.csp_violations = watch_csp(page)
    return page


@pytest.fixture
def registrar(db):
    return UserFactory(username="registrar-d", groups=["Registrar"])


@pytest.fixture
def registry_with_work(registrar, award):
    """An issued credential, one whose issuing failed, and an assessment attempt waiting to be finalised."""
    record_pass(assessable_enrolment(), registrar, finalise=False)
    failed = record_pass(assessable_enrolment(), registrar, finalise=False).enrolment
    Award.objects.create(
        learner=failed.learner, program=failed.program, enrolment=failed, status=Award.Status.FAILED,
        status_list_index=award.status_list_index + 1, error="The signing key is unavailable.",
    )  # fmt: skip
    return award


def test_dashboard_counts_open_the_filtered_lists(browser, live_server, registrar, registry_with_work):
    page = _open(browser, live_server, registrar)
    page.goto("/admin/")
    tasks = page.locator("#to-do")
    assert tasks.get_by_role("link", name="1 Credentials that failed to issue").count() == 1
    assert_accessible(page, "registrar-dashboard")
    assert page.csp_violations == []

    tasks.get_by_role("link", name="2 Assessment attempts to finalise").click()
    page.wait_for_url("**/admin/learners/assessmentattempt/?status__exact=draft")
    assert page.locator("#result_list tbody tr").count() == 2

    page.goto("/admin/")
    page.locator("#to-do").get_by_role("link", name="1 Credentials that failed to issue").click()
    page.wait_for_url("**/admin/awards/award/?status__exact=failed")
    assert page.locator("#result_list tbody tr").count() == 1
    page.context.close()


def test_dashboard_groups_the_admin_by_task(browser, live_server, registrar):
    page = _open(browser, live_server, registrar)
    page.goto("/admin/")
    captions = page.locator(".task-group caption").all_text_contents()
    assert captions[:3] == ["Catalog", "Learners & results", "Credentials"]
    page.locator(".task-group-learners-results").get_by_role("link", name="Import assessment results").click()
    page.wait_for_url("**/admin/learners/assessmentattempt/import/")
    page.context.close()


def test_a_learner_at_the_admin_sees_a_styled_page_with_a_way_back(browser, live_server):
    learner = learner_user()
    page = _open(browser, live_server, learner.user)
    response = page.goto("/admin/")
    assert response.status == 403
    assert page.get_by_role("heading", level=1).inner_text() == "This area is for registry staff"
    assert page.locator("link[href$='css/site.css']").count() == 1  # the site's own layout, not the admin's
    assert_accessible(page, "admin-staff-only")

    page.get_by_role("link", name="Go to your learning: your results, credentials and sharing").click()
    page.wait_for_url("**/me/")
    assert page.csp_violations == []
    page.context.close()


def _overflow(page):
    """The page's width and the list's against the window's: neither scrolls sideways."""
    return page.evaluate(
        """() => {
            const results = document.querySelector('#changelist .results');
            return {page: document.documentElement.scrollWidth, list: results.scrollWidth, view: window.innerWidth,
                    list_view: results.clientWidth};
        }"""
    )


@pytest.mark.parametrize(
    "list_name, key_columns",
    [
        ("awards_award", ["column-__str__", "column-standing", "column-issued_at"]),
        ("catalog_program", ["column-code", "column-title", "column-status"]),
        ("learners_enrolment", ["column-learner_name", "column-status", "column-enrolled_on"]),
        ("learners_assessmentattempt", ["column-__str__", "column-status", "column-assessed_on"]),
        ("learners_learner", ["column-legal_name", "column-student_id"]),
    ],
)
def test_a_phone_sees_the_key_columns_of_the_main_lists(
    browser, live_server, registrar, registry_with_work, list_name, key_columns
):
    page = _open(browser, live_server, registrar, viewport=PHONE)
    page.goto(reverse(f"admin:{list_name}_changelist"))
    screenshot(page, f"admin-phone-{list_name}")

    shown = page.locator("#result_list thead th:visible").evaluate_all("cells => cells.map(c => c.className)")
    assert all(any(column in classes for classes in shown) for column in key_columns), shown
    assert len(shown) <= len(key_columns) + 1, shown  # the key columns and the selection checkbox
    overflow = _overflow(page)
    assert overflow["page"] <= overflow["view"] and overflow["list"] <= overflow["list_view"], overflow
    page.context.close()
