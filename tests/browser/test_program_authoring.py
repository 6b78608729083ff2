"""A registrar creates a program with a 3 × 4 rubric, an approver approves it and the registrar publishes it, in
Chromium, through the admin alone — counting the page loads, clicks and fields it takes."""

from dataclasses import dataclass, field

import pytest

from catalog.models import Level, Program
from tests.browser.conftest import assert_accessible, signed_in_context
from tests.factories import InstitutionFactory, SubjectAreaFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@dataclass
class Effort:
    """What a person does in the browser: pages loaded (navigations of the top frame), clicks, fields filled."""

    pages: int = 0
    clicks: int = 0
    fields: int = 0
    watched: list = field(default_factory=list)

    def watch(self, page):
        page.on("framenavigated", lambda frame: frame == page.main_frame and self._loaded())
        self.watched.append(page)
        return page

    def _loaded(self):
        self.pages += 1

    def click(self, locator):
        self.clicks += 1
        locator.click()

    def submit(self, page, locator):
        self.clicks += 1
        with page.expect_navigation():
            locator.click()

    def fill(self, locator, value):
        self.fields += 1
        locator.fill(value)

    def choose(self, locator, value):
        self.fields += 1
        locator.select_option(value)

    def search_and_pick(self, page, select_id, text):
        """An autocomplete: open it, type, pick the match (one field, two clicks)."""
        self.click(page.locator(f"#{select_id} + .select2"))
        self.fill(page.locator(".select2-container--open .select2-search__field"), text)
        self.click(page.locator(".select2-results__option", has_text=text))


def create_program_with_rubric(page, effort):
    """The registrar's path: new program, its rubric of three criteria given a four-level scale, submitted."""
    page.goto("/admin/catalog/program/add/")
    effort.search_and_pick(page, "id_institution", "Northfield")
    effort.fill(page.locator("#id_code"), "CYB-401")
    effort.fill(page.locator("#id_title"), "Incident response")
    effort.fill(page.locator("#id_title_fr"), "Réponse aux incidents")
    effort.search_and_pick(page, "id_subject", "Security")
    effort.fill(page.locator("#id_summary"), "Handle a security incident from alert to report.")
    effort.fill(page.locator("#id_description"), "Triage, contain, eradicate and report an incident.")
    effort.fill(page.locator("#id_learning_outcomes"), "Triage an alert\nContain an incident\nWrite the report")
    effort.fill(page.locator("#id_criteria_narrative"), "Run a simulated incident and report on it.")
    effort.fill(page.locator("#id_effort_hours"), "30")
    effort.submit(page, page.locator("input[name=_save]"))
    assert "Add the rubric" in page.locator(".program-next-step").inner_text()

    effort.submit(page, page.get_by_role("link", name="Open the rubric"))
    for index, name in enumerate(["Triage", "Containment", "Reporting"]):
        effort.fill(page.locator(f"#id_criteria-{index}-name"), name)
    effort.choose(page.locator("#id_copy_levels_from"), "scale:four")
    effort.fill(page.locator("#id_min_total_points"), "6")
    assert_accessible(page, "rubric-add")
    effort.submit(page, page.locator("input[name=_save]"))
    assert "Submit for review" in page.locator(".program-next-step").inner_text()
    assert_accessible(page, "program-next-step")

    effort.submit(page, page.get_by_role("button", name="Submit for review"))
    assert "Waiting for an approver" in page.locator(".program-next-step").inner_text()
    return Program.objects.get(code="CYB-401")


def approve(page, effort, program):
    """The approver goes from the program's page to the approval queue and approves there."""
    page.goto(f"/admin/catalog/program/{program.pk}/change/")
    effort.submit(page, page.get_by_role("link", name="Review: approve or send back"))
    effort.submit(page, page.get_by_role("button", name="Approve"))


def publish(page, effort, program):
    page.goto(f"/admin/catalog/program/{program.pk}/change/")
    effort.submit(page, page.get_by_role("button", name="Publish"))
    assert "Published" in page.locator(".program-next-step").inner_text()


@pytest.fixture
def catalog_basics(db):
    InstitutionFactory(name="Northfield University")
    SubjectAreaFactory(name="Security")


def test_a_registrar_creates_gets_approved_and_publishes_a_program_with_a_three_by_four_rubric(
    browser, live_server, registrar, approver, catalog_basics
):
    registrar_effort, approver_effort = Effort(), Effort()
    registrar_context = signed_in_context(browser, live_server, registrar)
    approver_context = signed_in_context(browser, live_server, approver)
    try:
        registrar_page = registrar_effort.watch(registrar_context.new_page())
        program = create_program_with_rubric(registrar_page, registrar_effort)
        approve(approver_effort.watch(approver_context.new_page()), approver_effort, program)
        publish(registrar_page, registrar_effort, program)
    finally:
        registrar_context.close()
        approver_context.close()

    program.refresh_from_db()
    assert program.status == Program.Status.PUBLISHED
    assert program.translations == {"fr": {"title": "Réponse aux incidents"}}
    levels = Level.objects.filter(criterion__rubric__program=program)
    assert levels.count() == 12 and set(levels.values_list("name", flat=True)) == {
        "Beginning",
        "Developing",
        "Proficient",
        "Exemplary",
    }
    # The guided flow, counted from the program's add page: the same program took the registrar about 19 pages,
    # 41 clicks and 40 fields over five kinds of page before (counted by hand on the earlier admin).
    assert (registrar_effort.pages, registrar_effort.clicks, registrar_effort.fields) == (7, 9, 15)
    assert (approver_effort.pages, approver_effort.clicks, approver_effort.fields) == (3, 2, 0)


def test_an_edit_after_approval_sends_the_program_back_to_the_approver(
    browser, live_server, registrar, approver, catalog_basics
):
    registrar_context = signed_in_context(browser, live_server, registrar)
    approver_context = signed_in_context(browser, live_server, approver)
    try:
        page = registrar_context.new_page()
        program = create_program_with_rubric(page, Effort())
        approve(approver_context.new_page(), Effort(), program)

        page.goto(f"/admin/catalog/program/{program.pk}/change/")
        assert "Approved: publish" in page.locator(".program-next-step").inner_text()
        page.locator("#id_effort_hours").fill("12")
        with page.expect_navigation():
            page.locator("input[name=_continue]").click()
        assert "back in review" in page.locator(".messagelist").inner_text()
        assert "Waiting for an approver" in page.locator(".program-next-step").inner_text()
        assert page.get_by_role("button", name="Publish").count() == 0
        assert_accessible(page, "program-back-in-review")

        queue = approver_context.new_page()
        queue.goto(f"/admin/catalog/programapproval/{program.pk}/change/")
        diff = queue.locator(".substance-diff").inner_text()
        assert "30" in diff and "12" in diff
    finally:
        registrar_context.close()
        approver_context.close()
    program.refresh_from_db()
    assert program.status == Program.Status.IN_REVIEW
