"""Recording results by import: the program's template, enrolment dates, drafts or final results, and a finish
message that says what was issued (issue #32 §4, "Results")."""

import datetime
import io

import openpyxl
import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from awards.models import Award
from catalog.models import Program
from learners import results_io
from learners.models import AssessmentAttempt, Enrolment
from tests.factories import (
    EnrolmentFactory,
    LearnerFactory,
    PathwayFactory,
    ProgramFactory,
    UserFactory,
    add_rule,
    rubric_with_criteria,
)

pytestmark = pytest.mark.django_db
IMPORT_URL = reverse("admin:learners_assessmentattempt_import")
HEADER = "student_id,program_code,cohort,enrolled_on,assessor,assessed_on,Analysis (L0 | L1 | L2 | L3),Communication"


def _program(code="DATA-101", credits=2, **kwargs):
    program = ProgramFactory(
        code=code, title=f"{code} title", status=Program.Status.PUBLISHED, credit_value=credits, **kwargs
    )
    rubric_with_criteria(program)
    return program


@pytest.fixture
def program(registrar):
    """DATA-101, assessed by the ``registrar`` the rows name."""
    return _program()


@pytest.fixture
def learner(program):
    return LearnerFactory(institution=program.institution, student_id="S1", legal_name="Chloé Martin")


def _csv(*lines, header=HEADER):
    return results_io.load_dataset("\n".join([header, *lines]).encode(), "results.csv")


def _plan(*lines, recording=results_io.Recording.FINAL):
    return results_io.plan_import(_csv(*lines), recording=recording)


def _import(registrar, *lines, recording=results_io.Recording.FINAL):
    return results_io.apply_import(_csv(*lines), user=registrar, recording=recording, accept_new_enrolments=True)


# --- the template -----------------------------------------------------------------------------------------------


def test_the_template_names_each_criterions_levels_in_its_header(program, registrar):
    header = results_io.import_template(program, assessor=registrar).csv().splitlines()[0]
    assert header == (
        "student_id,email,name,program_code,cohort,enrolled_on,assessor,assessed_on,evidence_url,feedback,"
        "Analysis (L0 | L1 | L2 | L3),Communication (L0 | L1 | L2 | L3)"
    )


def test_the_templates_example_row_is_filled_in_and_marked(program, registrar):
    example = results_io.import_template(program, assessor=registrar).csv().splitlines()[1].split(",")
    assert example[0] == results_io.EXAMPLE_MARKER
    assert (example[3], example[6], example[-2:]) == ("DATA-101", "registrar", ["L3", "L3"])


def test_the_templates_example_row_is_reported_and_never_imported(program, learner, registrar):
    template = results_io.import_template(program, assessor=registrar).csv()
    real_row = "S1,,,DATA-101,,2026-09-01,registrar,2026-11-20,,,L3,L2"
    plan = results_io.apply_import(
        results_io.load_dataset(f"{template.strip()}\n{real_row}".encode(), "template.csv"),
        user=registrar,
        accept_new_enrolments=True,
    )
    assert [(w.line, w.message) for w in plan.warnings] == [(2, "The template's example row: ignored, never imported.")]
    assert [row.learner for row in plan.rows] == [learner]
    assert AssessmentAttempt.objects.get().enrolment.learner == learner


def test_a_criterion_column_is_read_with_or_without_its_levels_note(program, learner, registrar):
    plan = _plan("S1,DATA-101,,2026-09-01,registrar,2026-11-20,L3,L1")
    assert plan.errors == []
    assert plan.rows[0].level_names == {"Analysis": "L3", "Communication": "L1"}


def test_the_xlsx_template_offers_each_criterions_levels_as_a_list(program, registrar):
    book = openpyxl.load_workbook(io.BytesIO(results_io.import_template(program, assessor=registrar).xlsx()))
    results, levels = book["Results"], book["Levels"]
    assert [cell.value for cell in levels["A"]] == ["Analysis", "L0", "L1", "L2", "L3"]
    validations = {str(v.sqref): v.formula1 for v in results.data_validations.dataValidation}
    assert validations == {"K2:K10000": "Levels!$A$2:$A$5", "L2:L10000": "Levels!$B$2:$B$5"}
    assert results["A2"].value == results_io.EXAMPLE_MARKER


def test_the_xlsx_template_imports_once_filled_in(program, learner, registrar):
    book = openpyxl.load_workbook(io.BytesIO(results_io.import_template(program, assessor=registrar).xlsx()))
    book["Results"].append(["S1", "", "", "DATA-101", "", "2026-09-01", "registrar", "2026-11-20", "", "", "L3", "L2"])
    book.active = book["Levels"]  # saved while looking at the levels
    buffer = io.BytesIO()
    book.save(buffer)
    plan = results_io.plan_import(results_io.load_dataset(buffer.getvalue(), "filled.xlsx"))
    assert plan.errors == [] and [row.total for row in plan.rows] == [5]


def test_the_template_escapes_formula_like_level_names(registrar):
    program = ProgramFactory(status=Program.Status.PUBLISHED)
    rubric = rubric_with_criteria(program, criteria=(("=Analysis", 1),))
    rubric.criteria.get().levels.filter(name="L3").update(name="+Excellent")
    template = results_io.import_template(program, assessor=registrar)
    assert "'=Analysis (L0 | L1 | L2 | +Excellent)" in template.csv()
    book = openpyxl.load_workbook(io.BytesIO(template.xlsx()))
    assert book["Levels"]["A5"].value == "'+Excellent"


# --- enrolment dates --------------------------------------------------------------------------------------------


def test_a_new_enrolment_takes_the_files_date_and_cohort(program, learner, registrar):
    plan = _import(registrar, "S1,DATA-101,2026-autumn,2026-09-01,registrar,2026-11-20,L3,L2")
    assert plan.rows[0].action.startswith("Enrol in DATA-101 on 2026-09-01, cohort 2026-autumn, then record final")
    enrolment = Enrolment.objects.get()
    assert (enrolment.enrolled_on, enrolment.cohort) == (datetime.date(2026, 9, 1), "2026-autumn")


def test_without_an_enrolment_date_a_result_of_today_enrols_today_and_the_preview_says_so(program, learner):
    today = timezone.localdate().isoformat()
    plan = _plan(f"S1,DATA-101,,,registrar,{today},L3,L2")
    assert plan.errors == []
    assert plan.rows[0].action.startswith(
        f"Enrol in DATA-101 on {today} (the import date: the file gives no enrolled_on), then"
    )


def test_without_an_enrolment_date_a_past_result_asks_for_it_rather_than_inventing_one(program, learner):
    plan = _plan("S1,DATA-101,,,registrar,2026-11-20,L3,L2")
    assert [(e.line, e.column) for e in plan.errors] == [(2, "enrolled_on")]
    assert "Give the date they enrolled" in plan.errors[0].message


def test_an_enrolment_date_after_the_assessment_is_an_error(program, learner):
    plan = _plan("S1,DATA-101,,2026-12-01,registrar,2026-11-20,L3,L2")
    assert [(e.column, e.message) for e in plan.errors] == [
        ("enrolled_on", "2026-12-01 is after the assessment (2026-11-20).")
    ]


def test_an_existing_enrolment_keeps_its_date_and_cohort_and_the_preview_says_so(program, learner, registrar):
    enrolment = EnrolmentFactory(learner=learner, program=program, cohort="2026-spring")
    kept_date = enrolment.enrolled_on
    plan = _import(registrar, "S1,DATA-101,2026-autumn,2026-09-02,registrar,2026-11-20,L3,L2")
    assert [w.column for w in plan.warnings] == ["cohort", "enrolled_on"]
    assert plan.warnings[0].message == f"Enrolment #{enrolment.pk} keeps “2026-spring”; the file's is not used."
    enrolment.refresh_from_db()
    assert (enrolment.cohort, enrolment.enrolled_on) == ("2026-spring", kept_date)


# --- drafts or final results ------------------------------------------------------------------------------------


def test_drafts_are_recorded_for_review_and_issue_nothing(
    program, learner, registrar, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        plan = _import(
            registrar, "S1,DATA-101,,2026-09-01,registrar,2026-11-20,L3,L3", recording=results_io.Recording.DRAFT
        )
    assert plan.rows[0].action == "Enrol in DATA-101 on 2026-09-01, then record draft attempt: 6 points, pass"
    attempt = AssessmentAttempt.objects.get()
    assert (attempt.status, attempt.enrolment.status) == ("draft", Enrolment.Status.IN_PROGRESS)
    assert not Award.objects.exists()
    assert plan.summary("r.csv").startswith("Recorded 1 draft result from r.csv for review. Nothing is issued")


def test_a_second_draft_import_updates_the_open_draft(program, learner, registrar):
    _import(registrar, "S1,DATA-101,,2026-09-01,registrar,2026-11-20,L1,L1", recording=results_io.Recording.DRAFT)
    plan = _import(registrar, "S1,DATA-101,,,registrar,2026-11-21,L3,L2", recording=results_io.Recording.DRAFT)
    attempt = AssessmentAttempt.objects.get()
    assert plan.rows[0].action == f"Update draft attempt #1 (enrolment #{attempt.enrolment_id}): 5 points, pass"
    assert (attempt.status, attempt.total_points, attempt.assessed_on) == ("draft", 5, datetime.date(2026, 11, 21))


def test_a_final_import_finalises_the_open_draft_with_the_files_levels(
    program, learner, registrar, django_capture_on_commit_callbacks
):
    _import(registrar, "S1,DATA-101,,2026-09-01,registrar,2026-11-20,L1,L1", recording=results_io.Recording.DRAFT)
    draft = AssessmentAttempt.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        plan = _import(registrar, "S1,DATA-101,,,registrar,2026-11-20,L3,L2")
    assert (
        plan.rows[0].action
        == f"Update draft attempt #1 (enrolment #{draft.enrolment_id}) and finalise it: 5 points, pass"
    )
    attempt = AssessmentAttempt.objects.get()
    assert (attempt.pk, attempt.status, attempt.passed) == (draft.pk, "final", True)
    assert Award.objects.get().attempt == attempt


def test_a_draft_keeps_its_feedback_when_the_file_leaves_it_empty(program, learner, registrar):
    header = HEADER + ",feedback"
    first = _csv("S1,DATA-101,,2026-09-01,registrar,2026-11-20,L1,L1,Strong analysis", header=header)
    results_io.apply_import(first, user=registrar, recording="draft", accept_new_enrolments=True)
    second = _csv("S1,DATA-101,,,registrar,2026-11-20,L3,L2,", header=header)
    results_io.apply_import(second, user=registrar, recording="draft")
    assert AssessmentAttempt.objects.get().feedback == "Strong analysis"


# --- what finalising issues -------------------------------------------------------------------------------------


@pytest.fixture
def certificate(program):
    """A published pathway: DATA-101 and DATA-102 stack into the Data Certificate."""
    second = _program("DATA-102", 3, institution=program.institution)
    pathway = PathwayFactory(award__code="DCERT", award__title="Data Certificate")
    add_rule(pathway, "all_of", [program, second])
    return second


def _passed(learner, program, registrar, django_capture_on_commit_callbacks):
    """``learner`` passes ``program`` and is issued its credential."""
    EnrolmentFactory(learner=learner, program=program)
    with django_capture_on_commit_callbacks(execute=True):
        plan = results_io.apply_import(
            _csv(f"{learner.student_id},{program.code},,,registrar,2026-11-20,L3,L3"), user=registrar
        )
    assert plan.ok and Award.objects.get(learner=learner, program=program).status == Award.Status.ISSUED


def test_the_dry_run_forecasts_the_credentials_and_the_stacked_award(
    program, learner, certificate, registrar, signing_key, django_capture_on_commit_callbacks
):
    _passed(learner, certificate, registrar, django_capture_on_commit_callbacks)
    for student_id in ("S2", "S3"):
        LearnerFactory(institution=program.institution, student_id=student_id)
    plan = _plan(
        "S1,DATA-101,,2026-09-01,registrar,2026-11-20,L3,L2",
        "S2,DATA-101,,2026-09-01,registrar,2026-11-20,L3,L3",
        "S3,DATA-101,,2026-09-01,registrar,2026-11-20,L0,L0",
    )
    assert plan.issuing == "2 credentials requested and 1 stacked award (Data Certificate) once they are issued"


def test_the_finish_message_matches_what_was_issued(
    program, learner, certificate, registrar, signing_key, django_capture_on_commit_callbacks
):
    _passed(learner, certificate, registrar, django_capture_on_commit_callbacks)
    LearnerFactory(institution=program.institution, student_id="S3")
    with django_capture_on_commit_callbacks(execute=True):
        plan = _import(
            registrar,
            "S1,DATA-101,,2026-09-01,registrar,2026-11-20,L3,L2",
            "S3,DATA-101,,2026-09-01,registrar,2026-11-20,L0,L0",
        )
    assert plan.summary("r.csv") == (
        "Imported 2 final results from r.csv (1 passed, 1 did not): 1 credential requested and 1 stacked award "
        "(Data Certificate) once they are issued. Credentials are issued in the background; the credentials list "
        "shows each one once it is issued."
    )
    issued = set(Award.objects.filter(learner=learner).values_list("program__code", flat=True))
    assert issued == {"DATA-101", "DATA-102", "DCERT"}


def test_a_learner_already_holding_the_credential_is_not_counted_again(program, learner, registrar):
    enrolment = EnrolmentFactory(learner=learner, program=program, status=Enrolment.Status.FAILED)
    Award.objects.create(learner=learner, program=program, enrolment=enrolment, status_list_index=7)
    plan = _plan("S1,DATA-101,,,registrar,2026-11-20,L3,L3")
    assert plan.errors == [] and plan.consequences.credentials == 0
    assert plan.summary("r.csv") == "Imported 1 final result from r.csv (1 passed, 0 did not)."


def test_the_forecast_uses_a_constant_number_of_queries(program, certificate, registrar, django_assert_max_num_queries):
    rows = []
    for i in range(30):
        LearnerFactory(institution=program.institution, student_id=f"Q{i}")
        rows.append(f"Q{i},DATA-101,,2026-09-01,registrar,2026-11-20,L3,L3")
    dataset = _csv(*rows)
    with django_assert_max_num_queries(15):
        plan = results_io.plan_import(dataset)
    assert plan.consequences.credentials == 30


# --- the admin pages --------------------------------------------------------------------------------------------


def test_the_upload_page_records_drafts_unless_final_results_are_chosen(registrar_client, program, learner):
    page = registrar_client.get(IMPORT_URL).content.decode()
    assert 'name="recording" value="draft" checked' in page
    assert "Final results: issues credentials for passes" in page


def test_final_results_need_the_finalise_permission(client, program, learner):
    recorder = UserFactory(is_staff=True)
    recorder.user_permissions.add(Permission.objects.get(codename="add_assessmentattempt"))
    client.force_login(recorder)
    assert 'value="final" disabled' in client.get(IMPORT_URL).content.decode()
    csv = f"{HEADER}\nS1,DATA-101,,2026-09-01,registrar,2026-11-20,L3,L2\n".encode()
    response = client.post(IMPORT_URL, {"file": SimpleUploadedFile("r.csv", csv), "recording": "final"})
    assert response.status_code == 403


def test_the_xlsx_template_downloads(registrar_client, program):
    url = reverse("admin:learners_assessmentattempt_import_template_xlsx")
    response = registrar_client.get(url, {"program": program.pk})
    assert response["Content-Disposition"] == f'attachment; filename="results-DATA-101-v{program.version}.xlsx"'
    assert openpyxl.load_workbook(io.BytesIO(response.content)).sheetnames == ["Results", "Levels"]


def test_drafts_then_final_results_through_the_admin(
    registrar_client, program, learner, signing_key, django_capture_on_commit_callbacks
):
    csv = f"{HEADER}\nS1,DATA-101,,2026-09-01,registrar,2026-11-20,L3,L2\n".encode()
    preview = registrar_client.post(IMPORT_URL, {"file": SimpleUploadedFile("r.csv", csv), "recording": "draft"})
    assert "Recording <strong>drafts for review</strong>" in preview.content.decode()
    done = registrar_client.post(IMPORT_URL, {"confirm": "1", "accept_new_enrolments": "1"}, follow=True)
    assert "Recorded 1 draft result from r.csv for review." in done.content.decode()
    preview = registrar_client.post(IMPORT_URL, {"file": SimpleUploadedFile("r.csv", csv), "recording": "final"})
    assert "Finalising them: 1 credential requested." in preview.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        done = registrar_client.post(IMPORT_URL, {"confirm": "1"}, follow=True)
    assert "Imported 1 final result from r.csv (1 passed, 0 did not): 1 credential requested." in done.content.decode()
    assert AssessmentAttempt.objects.get().status == "final"
    assert Award.objects.get().status == Award.Status.ISSUED


def test_the_preview_uses_a_constant_number_of_queries(registrar_client, program, django_assert_max_num_queries):
    rows = []
    for i in range(20):
        LearnerFactory(institution=program.institution, student_id=f"Q{i}")
        rows.append(f"Q{i},DATA-101,,2026-09-01,registrar,2026-11-20,L3,L3")
    csv = "\n".join([HEADER, *rows]).encode()
    with django_assert_max_num_queries(30):
        page = registrar_client.post(IMPORT_URL, {"file": SimpleUploadedFile("r.csv", csv), "recording": "final"})
    assert "20 rows ready (20 passes)" in page.content.decode()
