import datetime

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from learners import services
from learners.models import AssessmentAttempt, Enrolment, Evidence
from learners.signals import achievement_earned
from tests.factories import UserFactory, assessable_enrolment, levels_for

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 11, 20)


@pytest.fixture
def enrolment():
    return assessable_enrolment()


@pytest.fixture
def earned_events():
    received = []

    def receiver(sender, **kwargs):
        received.append(kwargs)

    achievement_earned.connect(receiver, dispatch_uid="test-receiver")
    yield received
    achievement_earned.disconnect(dispatch_uid="test-receiver")


def _record(enrolment, registrar, finalise=False, **points):
    return services.attempt_record(
        enrolment=enrolment,
        assessor=registrar,
        levels=levels_for(enrolment.program, **(points or {"Analysis": 2, "Communication": 2})),
        assessed_on=DAY,
        recorded_by=registrar,
        feedback="Well argued.",
        finalise=finalise,
    )


def test_attempt_total_and_verdict_are_computed_from_the_rubric(enrolment, registrar):
    attempt = _record(enrolment, registrar, Analysis=3, Communication=1)
    assert (attempt.total_points, attempt.passed, attempt.number) == (4, True, 1)
    assert {s.criterion.name: s.level.name for s in attempt.scores.all()} == {"Analysis": "L3", "Communication": "L1"}
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.IN_PROGRESS


def test_missing_criterion_is_a_field_error_and_saves_nothing(enrolment, registrar):
    with pytest.raises(ValidationError) as error:
        services.attempt_record(
            enrolment=enrolment,
            assessor=registrar,
            levels=levels_for(enrolment.program, Analysis=2),
            assessed_on=DAY,
            recorded_by=registrar,
        )
    communication = enrolment.program.rubric.criteria.get(name="Communication")
    assert error.value.message_dict == {f"criterion_{communication.pk}": ["Choose a level for “Communication”."]}
    assert not AssessmentAttempt.objects.exists()


def test_finalising_a_pass_completes_the_enrolment_and_emits_one_event_after_commit(
    enrolment, registrar, earned_events, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        attempt = _record(enrolment, registrar, finalise=True)
        assert earned_events == []  # nothing is announced before the transaction commits
    enrolment.refresh_from_db()
    assert (enrolment.status, enrolment.completed_on) == (Enrolment.Status.COMPLETED, DAY)
    assert earned_events == [
        {
            "learner_id": enrolment.learner_id,
            "program_id": enrolment.program_id,
            "enrolment_id": enrolment.pk,
            "attempt_id": attempt.pk,
            "signal": achievement_earned,
        }
    ]


def test_no_event_when_the_finalising_transaction_rolls_back(enrolment, registrar, earned_events):
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        _record(enrolment, registrar, finalise=True)
        raise RuntimeError("crash after finalising")
    assert earned_events == []
    assert not AssessmentAttempt.objects.exists()


def test_finalising_a_fail_marks_the_enrolment_failed_without_event(
    enrolment, registrar, earned_events, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _record(enrolment, registrar, finalise=True, Analysis=1, Communication=1)
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.FAILED
    assert earned_events == []


def test_a_failed_learner_can_be_reassessed(enrolment, registrar):
    _record(enrolment, registrar, finalise=True, Analysis=0, Communication=0)
    second = _record(enrolment, registrar, finalise=True)
    assert second.number == 2
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.COMPLETED


def test_final_attempt_cannot_be_edited(enrolment, registrar):
    attempt = _record(enrolment, registrar, finalise=True)
    with pytest.raises(ValidationError, match="record a correction"):
        services.attempt_update_draft(
            attempt=attempt,
            levels=levels_for(enrolment.program, Analysis=3, Communication=3),
            feedback="",
            assessed_on=DAY,
            user=registrar,
        )


def test_draft_attempt_can_be_rescored(enrolment, registrar):
    attempt = _record(enrolment, registrar, Analysis=0, Communication=0)
    attempt = services.attempt_update_draft(
        attempt=attempt,
        levels=levels_for(enrolment.program, Analysis=3, Communication=3),
        feedback="Better",
        assessed_on=DAY,
        user=registrar,
    )
    assert (attempt.total_points, attempt.passed, attempt.scores.count()) == (6, True, 2)


def test_only_one_open_draft_per_enrolment(enrolment, registrar):
    _record(enrolment, registrar)
    with pytest.raises(ValidationError, match="draft attempt already open"):
        _record(enrolment, registrar)


def test_correction_supersedes_the_final_attempt_and_keeps_both(
    enrolment, registrar, earned_events, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        wrong = _record(enrolment, registrar, finalise=True, Analysis=1, Communication=1)
        corrected = services.attempt_record(
            enrolment=enrolment,
            assessor=registrar,
            levels=levels_for(enrolment.program, Analysis=2, Communication=2),
            assessed_on=DAY,
            recorded_by=registrar,
            supersedes=wrong,
            correction_reason="Marking error on criterion 1",
        )
    wrong.refresh_from_db()
    assert wrong.status == AssessmentAttempt.Status.SUPERSEDED
    assert (corrected.status, corrected.supersedes, corrected.passed) == (AssessmentAttempt.Status.FINAL, wrong, True)
    assert len(earned_events) == 1
    assert AssessmentAttempt.objects.count() == 2


def test_correction_requires_a_reason(enrolment, registrar):
    wrong = _record(enrolment, registrar, finalise=True)
    with pytest.raises(ValidationError) as error:
        services.attempt_record(
            enrolment=enrolment,
            assessor=registrar,
            levels=levels_for(enrolment.program, Analysis=2, Communication=2),
            assessed_on=DAY,
            recorded_by=registrar,
            supersedes=wrong,
            correction_reason=" ",
        )
    assert "correction_reason" in error.value.message_dict


def test_completed_enrolment_takes_no_new_attempt_except_a_correction(enrolment, registrar):
    _record(enrolment, registrar, finalise=True)
    with pytest.raises(ValidationError, match="record a correction"):
        _record(enrolment, registrar)


def test_staff_without_registrar_permission_cannot_record_attempts(enrolment):
    assessor = UserFactory(is_staff=True)
    with pytest.raises(PermissionDenied):
        _record(enrolment, assessor)
    assert not AssessmentAttempt.objects.exists()


def test_approver_cannot_finalise_attempts(enrolment, registrar, approver):
    attempt = _record(enrolment, registrar)
    with pytest.raises(PermissionDenied):
        services.attempt_finalise(attempt=attempt, user=approver)


def _evidence(enrolment, registrar, spec):
    return services.attempt_record(
        enrolment=enrolment,
        assessor=registrar,
        levels=levels_for(enrolment.program, Analysis=2, Communication=2),
        assessed_on=DAY,
        recorded_by=registrar,
        evidence=[spec],
    )


def test_evidence_file_of_an_accepted_type_is_stored_privately(enrolment, registrar):
    attempt = _evidence(
        enrolment,
        registrar,
        services.EvidenceSpec(
            title="Report", file=SimpleUploadedFile("report.pdf", b"%PDF-1.4 test", content_type="application/pdf")
        ),
    )
    item = attempt.evidence.get()
    assert item.file.name.startswith("evidence/") and item.file.name.endswith("/report.pdf")
    assert str(item.file.storage.location) == str(settings.PRIVATE_MEDIA_ROOT)
    with pytest.raises(ValueError, match="no URL"):
        _ = item.file.url


def test_evidence_with_a_disallowed_type_is_rejected_and_nothing_saved(enrolment, registrar):
    with pytest.raises(ValidationError, match="“.exe” are not accepted"):
        _evidence(enrolment, registrar, services.EvidenceSpec(title="Tool", file=SimpleUploadedFile("tool.exe", b"MZ")))
    assert not AssessmentAttempt.objects.exists()


def test_evidence_over_the_size_limit_is_rejected(enrolment, registrar, monkeypatch):
    monkeypatch.setattr("learners.models.EVIDENCE_MAX_BYTES", 10)
    with pytest.raises(ValidationError, match="the limit is"):
        _evidence(
            enrolment, registrar, services.EvidenceSpec(title="Big", file=SimpleUploadedFile("big.txt", b"x" * 11))
        )


def test_evidence_needs_exactly_one_of_url_or_file(enrolment, registrar):
    with pytest.raises(ValidationError, match="exactly one"):
        _evidence(enrolment, registrar, services.EvidenceSpec(title="Nothing"))
    with pytest.raises(ValidationError, match="exactly one"):
        _evidence(
            enrolment,
            registrar,
            services.EvidenceSpec(title="Both", url="https://example.org/x", file=SimpleUploadedFile("a.txt", b"a")),
        )
    assert not Evidence.objects.exists()


def test_enrolment_and_attempt_changes_are_audited_with_the_user(enrolment, registrar):
    attempt = _record(enrolment, registrar)
    services.attempt_finalise(attempt=attempt, user=registrar)
    assert attempt.history.latest().history_user == registrar
    assert enrolment.history.latest().history_user == registrar
    assert enrolment.history.latest().status == Enrolment.Status.COMPLETED
