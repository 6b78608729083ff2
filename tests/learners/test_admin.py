import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from learners.models import AssessmentAttempt, Enrolment
from tests.factories import (
    LearnerFactory,
    UserFactory,
    assessable_enrolment,
    attempt_with_file_evidence,
    levels_for,
)

pytestmark = pytest.mark.django_db
ADD_URL = reverse("admin:learners_assessmentattempt_add")
IMPORT_URL = reverse("admin:learners_assessmentattempt_import")


def _attempt_post(enrolment, assessor, levels, **extra):
    data = {
        "enrolment": enrolment.pk,
        "assessor": assessor.pk,
        "assessed_on": "2026-11-20",
        "feedback": "Clear and well evidenced.",
        "reason_for_correction": "",
        "evidence-TOTAL_FORMS": 0,
        "evidence-INITIAL_FORMS": 0,
        "evidence-MIN_NUM_FORMS": 0,
        "evidence-MAX_NUM_FORMS": 1000,
        **{f"criterion_{criterion}": level for criterion, level in levels.items()},
        **extra,
    }
    return data


@pytest.mark.parametrize(
    "model", [m for m in admin.site._registry if m._meta.app_label == "learners"], ids=lambda m: m._meta.model_name
)
def test_learner_admin_pages_load_for_registrar(registrar_client, registrar, model):
    enrolment = assessable_enrolment()
    from learners import services

    services.attempt_record(
        enrolment=enrolment,
        assessor=registrar,
        levels=levels_for(enrolment.program, Analysis=2, Communication=2),
        assessed_on="2026-11-20",
        recorded_by=registrar,
        finalise=True,
    )
    meta = model._meta
    instance = model.objects.last()
    for url in (
        reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"),
        reverse(f"admin:{meta.app_label}_{meta.model_name}_add"),
        reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[instance.pk]),
        reverse(f"admin:{meta.app_label}_{meta.model_name}_history", args=[instance.pk]),
    ):
        assert registrar_client.get(url).status_code == 200, url


def test_attempt_form_shows_one_level_choice_per_criterion(registrar_client):
    enrolment = assessable_enrolment()
    form = registrar_client.get(ADD_URL, {"enrolment": enrolment.pk}).context["adminform"].form
    criterion_fields = [name for name in form.fields if name.startswith("criterion_")]
    assert len(criterion_fields) == 2
    assert [label for _, label in form.fields[criterion_fields[0]].choices][1:] == [
        "L0 (0 pts)",
        "L1 (1 pts)",
        "L2 (2 pts)",
        "L3 (3 pts)",
    ]


def test_registrar_records_and_finalises_an_attempt_from_the_admin(registrar_client, registrar):
    enrolment = assessable_enrolment()
    levels = levels_for(enrolment.program, Analysis=3, Communication=2)
    response = registrar_client.post(ADD_URL, _attempt_post(enrolment, registrar, levels, finalise="on"), follow=True)
    attempt = AssessmentAttempt.objects.get()
    assert (attempt.total_points, attempt.passed, attempt.status) == (5, True, "final")
    assert "5 points — passed (final)" in response.content.decode()
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.COMPLETED


def test_missing_level_is_shown_beside_its_criterion_and_nothing_is_saved(registrar_client, registrar):
    enrolment = assessable_enrolment()
    levels = levels_for(enrolment.program, Analysis=3)
    response = registrar_client.post(ADD_URL, _attempt_post(enrolment, registrar, levels))
    communication = enrolment.program.rubric.criteria.get(name="Communication")
    assert response.context["adminform"].form.errors[f"criterion_{communication.pk}"] == ["This field is required."]
    assert not AssessmentAttempt.objects.exists()


def test_evidence_upload_with_bad_type_is_a_field_error(registrar_client, registrar):
    enrolment = assessable_enrolment()
    data = _attempt_post(enrolment, registrar, levels_for(enrolment.program, Analysis=2, Communication=2))
    data.update(
        {
            "evidence-TOTAL_FORMS": 1,
            "evidence-0-title": "Malware",
            "evidence-0-url": "",
            "evidence-0-file": SimpleUploadedFile("tool.exe", b"MZ"),
        }
    )
    response = registrar_client.post(ADD_URL, data)
    assert "are not accepted" in response.content.decode()
    assert not AssessmentAttempt.objects.exists()


def test_final_attempt_is_read_only_in_the_admin(registrar_client, registrar):
    enrolment = assessable_enrolment()
    registrar_client.post(
        ADD_URL,
        _attempt_post(enrolment, registrar, levels_for(enrolment.program, Analysis=2, Communication=2), finalise="on"),
    )
    attempt = AssessmentAttempt.objects.get()
    url = reverse("admin:learners_assessmentattempt_change", args=[attempt.pk])
    page = registrar_client.get(url)
    assert "Record a correction of this result" in page.content.decode()
    registrar_client.post(
        url, _attempt_post(enrolment, registrar, levels_for(enrolment.program, Analysis=0, Communication=0))
    )
    attempt.refresh_from_db()
    assert attempt.total_points == 4


def test_correction_from_the_admin_supersedes_the_final_attempt(registrar_client, registrar):
    enrolment = assessable_enrolment()
    registrar_client.post(
        ADD_URL,
        _attempt_post(enrolment, registrar, levels_for(enrolment.program, Analysis=1, Communication=1), finalise="on"),
    )
    wrong = AssessmentAttempt.objects.get()
    data = _attempt_post(
        enrolment,
        registrar,
        levels_for(enrolment.program, Analysis=2, Communication=2),
        corrects=wrong.pk,
        reason_for_correction="Second marker's review",
    )
    registrar_client.post(ADD_URL, data)
    wrong.refresh_from_db()
    assert wrong.status == "superseded"
    assert wrong.superseded_by.correction_reason == "Second marker's review"


def test_staff_without_registrar_permission_cannot_record_attempts(client):
    client.force_login(UserFactory(is_staff=True))
    assert client.get(ADD_URL).status_code == 403
    assert client.get(IMPORT_URL).status_code == 403


def test_import_dry_run_then_confirm(registrar_client, registrar):
    enrolment = assessable_enrolment()
    learner = enrolment.learner
    csv = (
        "student_id,program_code,assessor,assessed_on,Analysis,Communication\n"
        f"{learner.student_id},{enrolment.program.code},registrar,2026-11-20,L2,L2\n"
    ).encode()
    preview = registrar_client.post(IMPORT_URL, {"file": SimpleUploadedFile("r.csv", csv)})
    assert "Confirm import" in preview.content.decode()
    assert not AssessmentAttempt.objects.exists()
    registrar_client.post(IMPORT_URL, {"confirm": "1"})
    assert AssessmentAttempt.objects.get().enrolment == enrolment


def test_import_preview_lists_errors_and_offers_no_confirmation(registrar_client, registrar):
    enrolment = assessable_enrolment()
    csv = (
        "student_id,program_code,assessor,assessed_on,Analysis,Communication\n"
        f"NOBODY,{enrolment.program.code},registrar,2026-11-20,L2,L2\n"
    ).encode()
    preview = registrar_client.post(IMPORT_URL, {"file": SimpleUploadedFile("r.csv", csv)})
    content = preview.content.decode()
    assert "Unknown learner “NOBODY”" in content and "Confirm import" not in content
    registrar_client.post(IMPORT_URL, {"confirm": "1"})
    assert not AssessmentAttempt.objects.exists()


def test_cohort_export_action_downloads_csv(registrar_client, registrar):
    enrolment = assessable_enrolment()
    registrar_client.post(
        ADD_URL,
        _attempt_post(enrolment, registrar, levels_for(enrolment.program, Analysis=2, Communication=2), finalise="on"),
    )
    response = registrar_client.post(
        reverse("admin:learners_enrolment_changelist"), {"action": "export_results", "_selected_action": [enrolment.pk]}
    )
    assert response["Content-Type"].startswith("text/csv")
    assert enrolment.learner.student_id in response.content.decode()


def test_learner_admin_search_finds_by_student_id(registrar_client):
    learner = LearnerFactory(student_id="FIND-ME")
    response = registrar_client.get(reverse("admin:learners_learner_changelist"), {"q": "FIND-ME"})
    assert list(response.context["cl"].result_list) == [learner]


@pytest.mark.parametrize("finalise", [False, True], ids=["draft", "final"])
def test_attempt_page_with_file_evidence_opens_and_links_the_staff_download(registrar_client, registrar, finalise):
    attempt, evidence = attempt_with_file_evidence(registrar, finalise=finalise)
    page = registrar_client.get(reverse("admin:learners_assessmentattempt_change", args=[attempt.pk]))
    assert page.status_code == 200
    download = reverse("admin:learners_evidence_file", args=[evidence.pk])
    assert f'href="{download}"' in page.content.decode()
    response = registrar_client.get(download)
    assert b"".join(response.streaming_content) == b"%PDF-1.4 report"


def test_staff_download_of_evidence_needs_the_view_permission(client, registrar):
    _, evidence = attempt_with_file_evidence(registrar, finalise=True)
    client.force_login(UserFactory(is_staff=True))
    assert client.get(reverse("admin:learners_evidence_file", args=[evidence.pk])).status_code == 403


def test_record_attempt_link_opens_the_open_draft_instead_of_a_new_form(registrar_client, registrar):
    attempt, _ = attempt_with_file_evidence(registrar, finalise=False)
    page = registrar_client.get(reverse("admin:learners_enrolment_changelist")).content.decode()
    assert reverse("admin:learners_assessmentattempt_change", args=[attempt.pk]) in page
    assert f"{ADD_URL}?enrolment={attempt.enrolment_id}" not in page
    assert "Open draft attempt" in page


def test_record_attempt_link_without_a_draft_opens_a_new_attempt(registrar_client):
    enrolment = assessable_enrolment()
    page = registrar_client.get(reverse("admin:learners_enrolment_changelist")).content.decode()
    assert f"{ADD_URL}?enrolment={enrolment.pk}" in page


def test_enrolment_list_queries_do_not_grow_with_drafts(registrar_client, registrar, django_assert_max_num_queries):
    for _ in range(3):
        attempt_with_file_evidence(registrar, finalise=False)
    with django_assert_max_num_queries(12):
        registrar_client.get(reverse("admin:learners_enrolment_changelist"))


def test_finalising_with_save_and_continue_does_not_claim_the_attempt_is_editable(registrar_client, registrar):
    enrolment = assessable_enrolment()
    levels = levels_for(enrolment.program, Analysis=3, Communication=2)
    data = _attempt_post(enrolment, registrar, levels, finalise="on", _continue="1")
    response = registrar_client.post(ADD_URL, data, follow=True)
    page = response.content.decode()
    assert "You may edit it again below" not in page
    assert "is final and shown read-only" in page


def test_import_of_an_unenrolled_learner_needs_the_registrar_to_accept_the_new_enrolment(registrar_client):
    enrolment = assessable_enrolment()
    other = LearnerFactory(institution=enrolment.program.institution)
    csv = (
        "student_id,program_code,enrolled_on,assessor,assessed_on,Analysis,Communication\n"
        f"{other.student_id},{enrolment.program.code},2026-09-01,registrar,2026-11-20,L2,L2\n"
    ).encode()
    preview = registrar_client.post(IMPORT_URL, {"file": SimpleUploadedFile("r.csv", csv)}).content.decode()
    assert 'class="new-enrolment"' in preview and 'name="accept_new_enrolments"' in preview
    refused = registrar_client.post(IMPORT_URL, {"confirm": "1"})
    assert "accept them to import" in refused.content.decode()
    assert not AssessmentAttempt.objects.exists()
    registrar_client.post(IMPORT_URL, {"file": SimpleUploadedFile("r.csv", csv)})
    done = registrar_client.post(IMPORT_URL, {"confirm": "1", "accept_new_enrolments": "1"}, follow=True)
    assert "Recorded 1 draft result from r.csv for review." in done.content.decode()
    assert AssessmentAttempt.objects.get().enrolment.learner == other


def test_import_preview_has_headed_tables(registrar_client):
    enrolment = assessable_enrolment()
    csv = (
        "student_id,program_code,assessor,assessed_on,Analysis,Communication\n"
        f"NOBODY,{enrolment.program.code},registrar,2026-11-20,L2,L2\n"
    ).encode()
    page = registrar_client.post(IMPORT_URL, {"file": SimpleUploadedFile("r.csv", csv)}).content.decode()
    assert '<h3 id="errors-heading">Errors</h3>' in page
    assert '<th scope="col">Problem</th>' in page


def test_import_template_download_has_the_programs_criteria(registrar_client):
    enrolment = assessable_enrolment()
    url = reverse("admin:learners_assessmentattempt_import_template")
    response = registrar_client.get(url, {"program": enrolment.program.pk})
    assert response["Content-Type"].startswith("text/csv")
    header = response.content.decode().splitlines()[0]
    assert header == (
        "student_id,email,name,program_code,cohort,enrolled_on,assessor,assessed_on,evidence_url,feedback,"
        "Analysis (L0 | L1 | L2 | L3),Communication (L0 | L1 | L2 | L3)"
    )


def test_cohort_export_escapes_formula_feedback(registrar_client, registrar):
    enrolment = assessable_enrolment()
    data = _attempt_post(enrolment, registrar, levels_for(enrolment.program, Analysis=2, Communication=2))
    data.update(finalise="on", feedback='=HYPERLINK("http://evil.example")')
    registrar_client.post(ADD_URL, data)
    response = registrar_client.post(
        reverse("admin:learners_enrolment_changelist"), {"action": "export_results", "_selected_action": [enrolment.pk]}
    )
    assert "'=HYPERLINK" in response.content.decode()


def test_dates_have_one_format_in_the_admin_and_the_portal(registrar_client, client):
    import datetime

    from tests.factories import learner_user

    enrolment = assessable_enrolment(enrolled_on=datetime.date(2026, 9, 1))
    admin_page = registrar_client.get(reverse("admin:learners_enrolment_changelist")).content.decode()
    assert "1 September 2026" in admin_page and "Sept. 1, 2026" not in admin_page
    client.force_login(learner_user(enrolment.learner).user)
    portal = client.get("/me/").content.decode()
    assert "1 September 2026" in portal and "Sept. 1, 2026" not in portal
