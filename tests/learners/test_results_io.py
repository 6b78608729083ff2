import io

import openpyxl
import pytest

from catalog.models import Program
from learners import results_io, selectors
from learners.models import AssessmentAttempt, Enrolment
from tests.factories import EnrolmentFactory, LearnerFactory, ProgramFactory, rubric_with_criteria

pytestmark = pytest.mark.django_db
HEADER = "student_id,email,program_code,assessor,assessed_on,evidence_url,Analysis,Communication,enrolled_on"
ENROLLED_ON = "2026-09-01"


@pytest.fixture
def program():
    program = ProgramFactory(code="DATA-101", status=Program.Status.PUBLISHED)
    rubric_with_criteria(program)
    return program


@pytest.fixture
def learners(program):
    return [
        LearnerFactory(institution=program.institution, student_id=f"S{i}", email=f"l{i}@example.org") for i in range(3)
    ]


def _csv(*lines):
    """The rows, each given the enrolment date (used where a row creates the enrolment)."""
    return results_io.load_dataset("\n".join([HEADER, *(f"{line},{ENROLLED_ON}" for line in lines)]).encode(), "r.csv")


def test_dry_run_plans_every_row_and_writes_nothing(program, learners, registrar):
    plan = results_io.plan_import(
        _csv(
            "S0,,DATA-101,registrar,2026-11-20,https://example.org/work,L2,L2",
            ",l1@example.org,data-101,registrar,2026-11-20,,L0,L1",
        )
    )
    assert plan.errors == []
    assert [(row.line, row.learner, row.passed) for row in plan.rows] == [
        (2, learners[0], True),
        (3, learners[1], False),
    ]
    assert plan.rows[0].action == "Enrol in DATA-101 on 2026-09-01, then record final attempt: 4 points, pass"
    assert not AssessmentAttempt.objects.exists() and not Enrolment.objects.exists()


def test_every_kind_of_row_error_is_reported_with_its_line(program, learners, registrar):
    plan = results_io.plan_import(
        _csv(
            "S0,,DATA-101,registrar,2026-11-20,,L2,L2",
            "S9,,DATA-101,registrar,2026-11-20,,L2,L2",
            "S1,,DATA-101,registrar,2026-11-20,,Superb,L2",
            "S2,,DATA-101,registrar,2026-11-20,,L2,",
            "S0,,DATA-101,registrar,2026-11-20,,L3,L3",
            "S1,,NOPE-1,nobody,20/11/2026,,L2,L2",
        )
    )
    found = [(e.line, e.column, e.message) for e in plan.errors]
    assert (3, "student_id", "Unknown learner “S9”.") in found
    assert (4, "Analysis", "Unknown level “Superb”; choose one of: L0, L1, L2, L3.") in found
    assert (5, "Communication", "Missing level for criterion “Communication”.") in found
    assert (6, "row", "Duplicate of line 2 (same learner and program).") in found
    assert (7, "program_code", "Unknown or unpublished program “NOPE-1”.") in found
    assert (7, "assessor", "Unknown assessor “nobody” (a staff username or email).") in found
    assert (7, "assessed_on", "“20/11/2026” is not a date (use YYYY-MM-DD).") in found


def test_a_file_with_any_error_imports_nothing(program, learners, registrar):
    plan = results_io.apply_import(
        _csv(
            "S0,,DATA-101,registrar,2026-11-20,,L2,L2",
            "S1,,DATA-101,registrar,2026-11-20,,L2,Nope",
        ),
        user=registrar,
    )
    assert not plan.ok
    assert not AssessmentAttempt.objects.exists() and not Enrolment.objects.exists()


def test_clean_file_records_final_attempts_in_existing_or_new_enrolments(program, learners, registrar):
    existing = EnrolmentFactory(learner=learners[1], program=program, status=Enrolment.Status.IN_PROGRESS)
    plan = results_io.apply_import(
        _csv(
            "S0,,DATA-101,registrar,2026-11-20,https://example.org/work,L2,L2",
            "S1,,DATA-101,registrar,2026-11-20,,L1,L1",
        ),
        user=registrar,
        accept_new_enrolments=True,
    )
    assert plan.ok
    first, second = AssessmentAttempt.objects.order_by("enrolment__learner__student_id")
    assert (first.status, first.passed, first.enrolment.status) == ("final", True, Enrolment.Status.COMPLETED)
    assert first.evidence.get().url == "https://example.org/work"
    assert second.enrolment == existing
    existing.refresh_from_db()
    assert existing.status == Enrolment.Status.FAILED


def test_unknown_criterion_column_with_a_value_is_an_error(program, learners, registrar):
    dataset = results_io.load_dataset(
        (HEADER + ",Creativity\nS0,,DATA-101,registrar,2026-11-20,,L2,L2,2026-09-01,L3").encode(), "r.csv"
    )
    plan = results_io.plan_import(dataset)
    assert [(e.line, e.column) for e in plan.errors] == [(2, "Creativity")]


def test_xlsx_files_are_read_like_csv(program, learners, registrar):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER.split(","))
    sheet.append(["S0", "", "DATA-101", "registrar", "2026-11-20", "", "L3", "L1", "2026-09-01"])
    buffer = io.BytesIO()
    book.save(buffer)
    plan = results_io.plan_import(results_io.load_dataset(buffer.getvalue(), "results.xlsx"))
    assert plan.errors == [] and plan.rows[0].total == 4


def test_other_file_types_are_refused():
    with pytest.raises(ValueError, match="Upload a .csv or .xlsx file"):
        results_io.load_dataset(b"x", "results.pdf")


def test_cohort_export_round_trips_through_the_import(program, learners, registrar):
    results_io.apply_import(
        _csv(
            "S0,,DATA-101,registrar,2026-11-20,https://example.org/a,L3,L2",
            "S1,,DATA-101,registrar,2026-11-21,,L1,L1",
        ),
        user=registrar,
        accept_new_enrolments=True,
    )
    exported = results_io.export_results(selectors.cohort_results(Enrolment.objects.all()))
    csv_text = exported.export("csv")
    assert csv_text.splitlines()[0] == (
        "student_id,email,program_code,assessor,assessed_on,evidence_url,feedback,cohort,enrolled_on,total_points,"
        "passed,Analysis,Communication"
    )
    # Re-importing the export into a fresh cohort reproduces the same levels and totals.
    AssessmentAttempt.objects.all().delete()
    Enrolment.objects.all().delete()
    plan = results_io.plan_import(results_io.load_dataset(csv_text.encode(), "export.csv"))
    assert plan.errors == []
    # The export is ordered by legal name ("Learner Number100" before "Learner Number99"): compare by student id.
    rows = sorted(plan.rows, key=lambda row: row.learner.student_id)
    assert [(r.learner.student_id, r.level_names, r.total, r.passed, r.evidence_url) for r in rows] == [
        ("S0", {"Analysis": "L3", "Communication": "L2"}, 5, True, "https://example.org/a"),
        ("S1", {"Analysis": "L1", "Communication": "L1"}, 2, False, ""),
    ]


def test_import_lookups_use_a_constant_number_of_queries(program, registrar, django_assert_max_num_queries):
    rows = []
    for i in range(40):
        LearnerFactory(institution=program.institution, student_id=f"Q{i}")
        rows.append(f"Q{i},,DATA-101,registrar,2026-11-20,,L2,L2")
    dataset = _csv(*rows)
    with django_assert_max_num_queries(15):  # 9 to resolve the rows, 6 to forecast what finalising them issues
        plan = results_io.plan_import(dataset)
    assert len(plan.rows) == 40


def test_rows_creating_enrolments_are_not_applied_unless_accepted(program, learners, registrar):
    plan = results_io.apply_import(_csv("S0,,DATA-101,registrar,2026-11-20,,L2,L2"), user=registrar)
    assert not plan.ok
    assert "create enrolments; accept them" in plan.errors[0].message
    assert not Enrolment.objects.exists()


def test_the_preview_marks_rows_that_create_an_enrolment(program, learners, registrar):
    plan = results_io.plan_import(_csv("S0,,DATA-101,registrar,2026-11-20,,L2,L2"))
    assert [row.line for row in plan.new_enrolments] == [2]
    assert plan.rows[0].action.startswith("Enrol in DATA-101 on 2026-09-01")


def test_an_unenrolled_learner_can_be_made_an_error(program, learners, registrar):
    plan = results_io.plan_import(_csv("S0,,DATA-101,registrar,2026-11-20,,L2,L2"), allow_new_enrolments=False)
    assert [(e.line, e.column) for e in plan.errors] == [(2, "program_code")]
    assert "is not enrolled in DATA-101" in plan.errors[0].message


FORMULA = "=cmd|' /C calc'!A0"


def test_export_neutralises_formula_cells_and_the_import_restores_them(program, learners, registrar):
    from config.spreadsheets import escape_cell

    header = HEADER.replace("evidence_url,", "evidence_url,feedback,")
    dataset = results_io.load_dataset(
        f'{header}\nS0,,DATA-101,registrar,2026-11-20,,"{escape_cell(FORMULA)}",L2,L2,2026-09-01'.encode(), "r.csv"
    )
    results_io.apply_import(dataset, user=registrar, accept_new_enrolments=True)
    assert AssessmentAttempt.objects.get().feedback == FORMULA
    csv_text = results_io.export_results(selectors.cohort_results(Enrolment.objects.all())).export("csv")
    assert ",'=cmd|" in csv_text
    assert ",=cmd" not in csv_text
    AssessmentAttempt.objects.all().delete()
    Enrolment.objects.all().delete()
    plan = results_io.plan_import(results_io.load_dataset(csv_text.encode(), "export.csv"))
    assert plan.rows[0].feedback == FORMULA
    assert plan.warnings == []


def test_the_import_warns_about_unescaped_formula_cells(program, learners, registrar):
    header = HEADER.replace("evidence_url,", "evidence_url,feedback,")
    dataset = results_io.load_dataset(
        f'{header}\nS0,,DATA-101,registrar,2026-11-20,,"{FORMULA}",L2,L2,2026-09-01'.encode(), "r.csv"
    )
    plan = results_io.plan_import(dataset)
    assert [(w.line, w.column) for w in plan.warnings] == [(2, "feedback")]
    assert plan.rows[0].feedback == FORMULA  # kept as text


@pytest.mark.parametrize("value", ["-3.5", "+2", "-1e3", "12", "-0.25"])
def test_numbers_are_not_escaped(value):
    from config.spreadsheets import escape_cell, unescape_cell

    assert escape_cell(value) == value
    assert unescape_cell(escape_cell(value)) == value


@pytest.mark.parametrize("value", ["=1+2", "+cmd", "-2+3", "@SUM(A1)", "\tx", "\rx", "-x"])
def test_formula_like_text_is_escaped_and_round_trips(value):
    from config.spreadsheets import escape_cell, unescape_cell

    assert escape_cell(value) == "'" + value
    assert unescape_cell(escape_cell(value)) == value
