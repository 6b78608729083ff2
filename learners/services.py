"""Write operations on learner records. Every function is atomic: on error nothing is saved."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from catalog.models import Program, Rubric
from catalog.rubrics import RubricScore, RubricScoringError, score_rubric
from catalog.selectors import rubric_with_levels

from .models import AssessmentAttempt, CriterionScore, Enrolment, Evidence, Learner
from .signals import achievement_earned, enrolment_ended

RECORD_PERMISSION = "learners.add_assessmentattempt"
FINALISE_PERMISSION = "learners.finalise_attempt"


@dataclass(frozen=True)
class EvidenceSpec:
    title: str
    description: str = ""
    url: str = ""
    file: UploadedFile | None = None


def learner_link_verified_email(*, user: AbstractBaseUser, email: str) -> Learner | None:
    """Link ``user`` to the learner record for a *verified* ``email``; create one if staff made none.

    Called only from allauth's email-confirmed signal, so an unverified address never links a record.
    """
    email = email.strip().lower()
    with transaction.atomic():
        existing = Learner.objects.filter(user=user).first()
        if existing:
            return existing
        record = Learner.objects.select_for_update().filter(email=email, user__isnull=True).first()
        if record:
            record.user = user
            record.save(update_fields=["user"])
            return record
        institution = _default_institution()
        if institution is None:
            return None
        name = user.get_full_name() or email.split("@")[0]
        return Learner.objects.create(
            user=user, institution=institution, email=email, display_name=name, legal_name=name
        )


def _default_institution():
    from catalog.models import Institution

    return Institution.objects.order_by("pk").first()


def enrolment_create(
    *, learner: Learner, program: Program, cohort: str = "", enrolled_on: datetime.date | None = None
) -> Enrolment:
    if program.status != Program.Status.PUBLISHED:
        raise ValidationError(
            {"program": f"{program} is not published; learners can only enrol in published programs."}
        )
    if Enrolment.objects.filter(learner=learner, program__code=program.code, status__in=Enrolment.ACTIVE).exists():
        raise ValidationError({"program": f"{learner.legal_name} already has an active enrolment in {program.code}."})
    enrolment = Enrolment(
        learner=learner, program=program, cohort=cohort, enrolled_on=enrolled_on or timezone.localdate()
    )
    # The active-enrolment rule was checked just above (across versions); the constraint stays as a backstop.
    enrolment.full_clean(validate_constraints=False)
    enrolment.save()
    return enrolment


def _require(user, permission, action):
    if not user.has_perm(permission):
        raise PermissionDenied(f"You do not have permission to {action}.")


def _scored(enrolment, levels, rubric=None):
    if rubric is None:
        try:
            rubric = rubric_with_levels(enrolment.program)
        except Rubric.DoesNotExist:
            raise ValidationError(f"{enrolment.program} has no rubric to assess against.") from None
    try:
        return score_rubric(rubric, levels)
    except RubricScoringError as error:
        raise ValidationError({f"criterion_{pk}": message for pk, message in error.errors.items()}) from None


def attempt_record(
    *,
    enrolment: Enrolment,
    assessor: AbstractBaseUser,
    levels: dict[int, int],
    assessed_on: datetime.date | str,
    recorded_by: AbstractBaseUser,
    feedback: str = "",
    evidence: Iterable[EvidenceSpec] = (),
    finalise: bool = False,
    supersedes: AssessmentAttempt | None = None,
    correction_reason: str = "",
    rubric: Rubric | None = None,
) -> AssessmentAttempt:
    """Record an assessment: score ``levels`` (criterion pk → level pk) with the rubric and save it.

    A correction passes ``supersedes`` (a final attempt) and a ``correction_reason``; it is final at once
    and the attempt it corrects is kept, marked superseded. Bulk callers may pass the program's ``rubric``
    already loaded with ``rubric_with_levels`` to save its queries.
    """
    _require(recorded_by, RECORD_PERMISSION, "record assessment attempts")
    if supersedes is not None:
        _require(recorded_by, FINALISE_PERMISSION, "correct finalised attempts")
    with transaction.atomic():
        enrolment = Enrolment.objects.select_for_update().select_related("program", "learner").get(pk=enrolment.pk)
        score = attempt_validate(
            enrolment=enrolment,
            levels=levels,
            supersedes=supersedes,
            correction_reason=correction_reason,
            rubric=rubric,
        )
        number = (enrolment.attempts.aggregate(n=Max("number"))["n"] or 0) + 1
        attempt = AssessmentAttempt(
            enrolment=enrolment,
            number=number,
            assessor=assessor,
            assessed_on=assessed_on,
            feedback=feedback,
            total_points=score.total,
            passed=score.passed,
            supersedes=supersedes,
            correction_reason=correction_reason,
        )
        attempt._history_user = recorded_by
        attempt.save()
        CriterionScore.objects.bulk_create(
            CriterionScore(attempt=attempt, criterion=r.criterion, level=r.level) for r in score.results
        )
        for spec in evidence:
            _add_evidence(attempt, spec)
        if supersedes is not None:
            supersedes.status = AssessmentAttempt.Status.SUPERSEDED
            supersedes._history_user = recorded_by
            supersedes.save(update_fields=["status"])
        if finalise or supersedes is not None:
            attempt = _finalise(attempt, recorded_by, enrolment)
        elif enrolment.status == Enrolment.Status.ENROLLED:
            enrolment.status = Enrolment.Status.IN_PROGRESS
            enrolment._history_user = recorded_by
            enrolment.save(update_fields=["status"])
    return attempt


def attempt_validate(
    *,
    enrolment: Enrolment,
    levels: dict[int, int],
    supersedes: AssessmentAttempt | None = None,
    correction_reason: str = "",
    rubric: Rubric | None = None,
) -> RubricScore:
    """Check that a new attempt may be recorded and score it; raises field-keyed ValidationError.

    Keys are ``enrolment``, ``supersedes``, ``correction_reason`` and ``criterion_<pk>``, so forms can put
    each message beside its field.
    """
    _check_attemptable(enrolment, supersedes, correction_reason)
    return _scored(enrolment, levels, rubric)


def _check_attemptable(enrolment, supersedes, reason):
    if enrolment.status == Enrolment.Status.WITHDRAWN:
        raise ValidationError({"enrolment": "The learner has withdrawn from this enrolment."})
    if supersedes is None:
        if enrolment.status == Enrolment.Status.COMPLETED:
            raise ValidationError(
                {"enrolment": "This enrolment is already completed; record a correction of its final attempt instead."}
            )
        if enrolment.attempts.filter(status=AssessmentAttempt.Status.DRAFT).exists():
            raise ValidationError({"enrolment": "Finalise or edit the draft attempt already open for this enrolment."})
        return
    if supersedes.enrolment_id != enrolment.pk or supersedes.status != AssessmentAttempt.Status.FINAL:
        raise ValidationError({"supersedes": "Only a final attempt of the same enrolment can be corrected."})
    if not reason.strip():
        raise ValidationError({"correction_reason": "Say why the earlier result is being corrected."})


def _add_evidence(attempt, spec):
    item = Evidence(attempt=attempt, title=spec.title, description=spec.description, url=spec.url)
    if spec.file is not None:
        item.file = spec.file
    item.full_clean(exclude=["attempt"])
    item.save()
    return item


def attempt_update_draft(
    *,
    attempt: AssessmentAttempt,
    levels: dict[int, int],
    feedback: str,
    assessed_on: datetime.date,
    user: AbstractBaseUser,
    assessor: AbstractBaseUser | None = None,
    evidence: Iterable[EvidenceSpec] = (),
    rubric: Rubric | None = None,
) -> AssessmentAttempt:
    """Re-score a draft attempt (and, if given, change its assessor and add ``evidence``); finalised attempts are
    never edited. Bulk callers may pass the program's ``rubric`` already loaded, as for ``attempt_record``."""
    _require(user, RECORD_PERMISSION, "record assessment attempts")
    with transaction.atomic():
        attempt = AssessmentAttempt.objects.select_for_update().select_related("enrolment__program").get(pk=attempt.pk)
        if not attempt.is_editable:
            raise ValidationError("This attempt is final; record a correction instead of editing it.")
        score = _scored(attempt.enrolment, levels, rubric)
        attempt.total_points, attempt.passed = score.total, score.passed
        attempt.feedback, attempt.assessed_on = feedback, assessed_on
        if assessor is not None:
            attempt.assessor = assessor
        attempt._history_user = user
        attempt.save()
        attempt.scores.all().delete()
        CriterionScore.objects.bulk_create(
            CriterionScore(attempt=attempt, criterion=r.criterion, level=r.level) for r in score.results
        )
        for spec in evidence:
            _add_evidence(attempt, spec)
    return attempt


def attempt_finalise(*, attempt: AssessmentAttempt, user: AbstractBaseUser) -> AssessmentAttempt:
    _require(user, FINALISE_PERMISSION, "finalise assessment attempts")
    with transaction.atomic():
        attempt = AssessmentAttempt.objects.select_for_update().get(pk=attempt.pk)
        if not attempt.is_editable:
            raise ValidationError(f"{attempt} is already {attempt.get_status_display().lower()}.")
        enrolment = Enrolment.objects.select_for_update().get(pk=attempt.enrolment_id)
        return _finalise(attempt, user, enrolment)


def _finalise(attempt, user, enrolment):
    attempt.status = AssessmentAttempt.Status.FINAL
    attempt.finalised_at = timezone.now()
    attempt.finalised_by = user
    attempt._history_user = user
    attempt.save(update_fields=["status", "finalised_at", "finalised_by"])
    was_completed = enrolment.status == Enrolment.Status.COMPLETED
    if attempt.passed:
        enrolment.status = Enrolment.Status.COMPLETED
        enrolment.completed_on = attempt.assessed_on
    else:
        enrolment.status = Enrolment.Status.FAILED
        enrolment.completed_on = None
    enrolment._history_user = user
    enrolment.save(update_fields=["status", "completed_on"])
    if attempt.passed and not was_completed:
        transaction.on_commit(
            partial(
                achievement_earned.send,
                sender=AssessmentAttempt,
                learner_id=enrolment.learner_id,
                program_id=enrolment.program_id,
                enrolment_id=enrolment.pk,
                attempt_id=attempt.pk,
            )
        )
        _announce_end(enrolment)
    return attempt


def _announce_end(enrolment):
    transaction.on_commit(
        partial(enrolment_ended.send, sender=Enrolment, enrolment_id=enrolment.pk, status=enrolment.status)
    )


def enrolment_withdraw(*, enrolment: Enrolment, user: AbstractBaseUser) -> Enrolment:
    _require(user, "learners.change_enrolment", "change enrolments")
    if enrolment.status not in Enrolment.ACTIVE:
        raise ValidationError(
            f"Only an active enrolment can be withdrawn; this one is {enrolment.get_status_display().lower()}."
        )
    enrolment.status = Enrolment.Status.WITHDRAWN
    enrolment._history_user = user
    enrolment.save(update_fields=["status"])
    _announce_end(enrolment)
    return enrolment
