"""Recording results by import in Chromium, as a registrar new to it would: download the program's template, upload
it with a mistake, read the row error, fix it, import as drafts, then as final results, and read what was issued."""

import datetime

import pytest

from awards import keys
from awards.models import Award
from catalog.models import Program
from learners.models import AssessmentAttempt
from tests.browser.conftest import assert_accessible, signed_in_context, submit, watch_csp
from tests.factories import (
    EnrolmentFactory,
    LearnerFactory,
    PathwayFactory,
    ProgramFactory,
    UserFactory,
    add_rule,
    record_pass,
    rubric_with_criteria,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
IMPORT_PATH = "/admin/learners/assessmentattempt/import/"


@pytest.fixture
def world():
    """DATA-101 and DATA-102 stack into the Data Certificate; Chloé holds DATA-102 and is not enrolled in DATA-101."""
    keys.generate_key()
    registrar = UserFactory(username="registrar-i", groups=["Registrar"])
    program = ProgramFactory(code="DATA-101", title="Data Analysis", status=Program.Status.PUBLISHED)
    rubric_with_criteria(program)
    second = ProgramFactory(code="DATA-102", status=Program.Status.PUBLISHED, institution=program.institution)
    rubric_with_criteria(second)
    pathway = PathwayFactory(award__code="DCERT", award__title="Data Certificate")
    add_rule(pathway, "all_of", [program, second])
    learner = LearnerFactory(institution=program.institution, student_id="S-2041", legal_name="Chloé Martin")
    record_pass(EnrolmentFactory(learner=learner, program=second), registrar)
    assert Award.objects.get().status == Award.Status.ISSUED  # issued eagerly once the pass was committed
    return registrar, program, learner


@pytest.fixture
def registrar_page(browser, live_server, world):
    context = signed_in_context(browser, live_server, world[0], accept_downloads=True)
    page = context.new_page()
    violations = watch_csp(page)
    yield page
    context.close()
    assert not violations, violations


def _upload(page, content, recording):
    page.set_input_files("#id_file", files=[{"name": "results.csv", "mimeType": "text/csv", "buffer": content}])
    page.get_by_label(recording).check()
    submit(page, page.get_by_role("button", name="Check file (dry run)"))


def test_a_registrar_imports_results_as_drafts_then_as_final_results(registrar_page, world):
    page = registrar_page
    page.goto(IMPORT_PATH)
    page.get_by_label("Template for").select_option(label="DATA-101 v1 — Data Analysis")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download CSV template").click()
    template = open(download.value.path(), encoding="utf-8").read().strip()
    assert "Analysis (L0 | L1 | L2 | L3)" in template.splitlines()[0]
    assert template.splitlines()[1].startswith("EXAMPLE (not imported)")

    row = "S-2041,,Chloé Martin,DATA-101,2026-autumn,2026-09-01,registrar-i,2026-11-20,,Well argued.,{},L2"
    _upload(page, f"{template}\n{row.format('L9')}\n".encode(), "Drafts for review")
    errors = page.locator("#import-errors")
    assert "Unknown level “L9”; choose one of: L0, L1, L2, L3." in errors.inner_text()
    assert "The template's example row: ignored, never imported." in page.locator("#import-warnings").inner_text()
    assert page.get_by_role("button", name="Confirm import of drafts").count() == 0
    assert_accessible(page, "results-import-errors")

    fixed = f"{template}\n{row.format('L3')}\n".encode()
    _upload(page, fixed, "Drafts for review")
    assert "Enrol in DATA-101 on 2026-09-01, cohort 2026-autumn" in page.locator("#import-preview").inner_text()
    page.get_by_label("Create 1 new enrolment").check()
    submit(page, page.get_by_role("button", name="Confirm import of drafts"))
    assert "Recorded 1 draft result from results.csv for review." in page.locator(".messagelist").inner_text()
    assert AssessmentAttempt.objects.get(enrolment__program__code="DATA-101").status == "draft"

    page.goto(IMPORT_PATH)
    _upload(page, fixed, "Final results")
    assert "and finalise it: 5 points, pass" in page.locator("#import-preview").inner_text()
    assert "Finalising them: 1 credential requested and 1 stacked award (Data Certificate)" in page.content()
    assert_accessible(page, "results-import-final-preview")
    submit(page, page.get_by_role("button", name="Confirm import of final results"))
    message = page.locator(".messagelist").inner_text()
    assert "Imported 1 final result from results.csv (1 passed, 0 did not): 1 credential requested and 1 stacked" in (
        message
    )
    assert_accessible(page, "results-imported")
    issued = Award.objects.filter(status=Award.Status.ISSUED).values_list("program__code", flat=True)
    assert set(issued) == {"DATA-101", "DATA-102", "DCERT"}
    assert Award.objects.get(program__code="DATA-101").enrolment.enrolled_on == datetime.date(2026, 9, 1)
