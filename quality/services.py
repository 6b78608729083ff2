"""Write operations of program quality: survey and follow-up invitations and answers, employer feedback and
program reviews. Views, admin, receivers and tasks call these; each is atomic."""

from datetime import date

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.core.validators import URLValidator
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from awards.credentials import absolute, add_months
from awards.models import Award
from catalog import services as catalog_services
from catalog.models import Program
from config.dispatch import send_after_commit
from learners.models import Enrolment, Learner
from partners.models import PartnerMember, VerifiedCredential

from .models import EmployerFeedback, OutcomeFollowUp, ProgramReview, SurveyResponse

REVIEW_PERMISSION = "quality.add_programreview"
MINUTES_URL = URLValidator(schemes=["https", "http"])  # shown as a link: never javascript: or data:


# Learner survey


def survey_invite(enrolment_id: int) -> SurveyResponse | None:
    """Invite the learner of a completed or withdrawn enrolment to its survey; once per enrolment."""
    from .tasks import email_survey_invitation

    enrolment = Enrolment.objects.get(pk=enrolment_id)
    if enrolment.status not in (Enrolment.Status.COMPLETED, Enrolment.Status.WITHDRAWN):
        return None
    with transaction.atomic():
        survey, created = SurveyResponse.objects.get_or_create(enrolment=enrolment)
        if created:
            send_after_commit(email_survey_invitation, survey.pk)
    return survey


def survey_submit(
    survey: SurveyResponse, *, learner: Learner, relevance: int, workload: int, fairness: int, comments: str = ""
) -> SurveyResponse:
    """Record the learner's answers; a survey is answered once."""
    answers = {"relevance": relevance, "workload": workload, "fairness": fairness, "comments": comments}
    return _answer_once(SurveyResponse.objects.select_related("enrolment"), survey.pk, learner, "survey", answers)


def _answer_once(queryset, pk, learner, what, answers):
    """Store ``learner``'s ``answers`` on their invitation (a survey or a follow-up), which is answered once."""
    with transaction.atomic():
        invitation = queryset.select_for_update().get(pk=pk)
        if invitation.learner_id != learner.pk:
            raise PermissionDenied(f"This {what} belongs to another learner.")
        if invitation.is_answered:
            raise ValidationError(_("You have already answered this; thank you."))
        for field, value in answers.items():
            setattr(invitation, field, value)
        invitation.submitted_at = timezone.now()
        invitation.save()
    return invitation


def survey_email(survey_id: int) -> bool:
    """Email the invitation unless it was sent already (the task may run twice)."""
    return _email_once(
        SurveyResponse.objects.select_related("enrolment__learner", "enrolment__program"),
        survey_id,
        lambda survey: survey.enrolment.program,
        lambda survey: (
            "quality/email/survey_invitation.txt",
            _("How was %(program)s?") % {"program": survey.enrolment.program.title},
            survey.enrolment.learner.email,
            {"survey": survey, "enrolment": survey.enrolment, "url": _absolute_url("quality:survey", survey)},
        ),
    )


# Outcome follow-up


def follow_ups_invite(now=None) -> int:
    """Create the 3- and 6-month follow-ups now due (once each: a unique row per award and month) and queue the
    emails of every follow-up not emailed yet. Returns how many follow-ups were created."""
    from .tasks import email_follow_up

    now = now or timezone.now()
    created = 0
    with transaction.atomic():
        for months in OutcomeFollowUp.MONTHS:
            due = (
                Award.objects.in_good_standing()
                .filter(issued_at__lte=add_months(now, -months))
                .exclude(follow_ups__months=months)
                .values_list("pk", flat=True)
            )
            rows = [OutcomeFollowUp(award_id=award_id, months=months) for award_id in due]
            OutcomeFollowUp.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
            created += len(rows)
        for follow_up_id in OutcomeFollowUp.objects.filter(emailed_at=None, submitted_at=None).values_list(
            "pk", flat=True
        ):
            send_after_commit(email_follow_up, follow_up_id)
    return created


def follow_up_email(follow_up_id: int) -> bool:
    return _email_once(
        OutcomeFollowUp.objects.select_related("award__learner", "award__program"),
        follow_up_id,
        lambda follow_up: follow_up.award.program,
        lambda follow_up: (
            "quality/email/follow_up.txt",
            _("%(months)s months after %(program)s")
            % {"months": follow_up.months, "program": follow_up.award.program.title},
            follow_up.award.learner.email,
            {"follow_up": follow_up, "url": _absolute_url("quality:follow-up", follow_up)},
        ),
    )


def follow_up_submit(follow_up: OutcomeFollowUp, *, learner: Learner, **answers) -> OutcomeFollowUp:
    fields = ("new_job", "promotion", "pay_rise", "used_skills")
    chosen = {field: answers[field] for field in fields}
    return _answer_once(OutcomeFollowUp.objects.select_related("award"), follow_up.pk, learner, "follow-up", chosen)


def _email_once(queryset, pk, program_of, message) -> bool:
    """Send ``message(invitation)`` — (template, subject, recipient, context) — in the language of the invitation's
    program, unless it was emailed or answered already; the row lock makes two runs of the task send one email."""
    with transaction.atomic():
        invitation = queryset.select_for_update().get(pk=pk)
        if invitation.emailed_at or invitation.is_answered:
            return False
        with translation.override(program_of(invitation).interface_language):
            template, subject, recipient, context = message(invitation)
            body = render_to_string(template, context)
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [recipient])
        invitation.emailed_at = timezone.now()
        invitation.save(update_fields=["emailed_at"])
    return True


def _absolute_url(name, invitation):
    return absolute(reverse(name, args=[invitation.pk]))


# Employer feedback


def partner_member(user: AbstractBaseUser) -> PartnerMember:
    """The partner membership of ``user``, if their organisation is active; else PermissionDenied."""
    member = PartnerMember.objects.select_related("organisation").filter(user_id=user.pk).first()
    if member is None or not member.organisation.is_active:
        raise PermissionDenied(_("This page is for people who act for a partner organisation."))
    return member


def employer_feedback_record(
    *, user: AbstractBaseUser, award: Award, ratings: dict[int, int], comment: str = ""
) -> list[EmployerFeedback]:
    """A partner member rates, per aligned competency, how well ``award`` predicted performance. Only a credential
    the partner verified can be rated; rating it again replaces the earlier ratings."""
    member = partner_member(user)
    if not VerifiedCredential.objects.verified().filter(organisation=member.organisation, award=award).exists():
        raise PermissionDenied("Your organisation has not verified this credential.")
    aligned = set(award.program.alignments.values_list("competency_id", flat=True))
    unknown = set(ratings) - aligned
    if unknown or not ratings:
        raise ValidationError(_("Rate the competencies the credential is aligned to."))
    saved = []
    with transaction.atomic():
        for competency_id, rating in ratings.items():
            feedback, _created = EmployerFeedback.objects.update_or_create(
                organisation=member.organisation,
                award=award,
                competency_id=competency_id,
                defaults={"rating": rating, "comment": comment, "given_by": user},
            )
            saved.append(feedback)
    return saved


# Program review


def review_due_on(program: Program, latest: ProgramReview | None) -> date | None:
    """When ``program`` is next due for review: the date its last review set, else a review interval after it
    was published."""
    if latest is not None and latest.next_review_on:
        return latest.next_review_on
    if program.published_at is None:
        return None
    return add_months(program.published_at, settings.QUALITY_REVIEW_INTERVAL_MONTHS).date()


def program_review_record(
    *,
    program: Program,
    user: AbstractBaseUser,
    outcome: str,
    rationale: str,
    next_review_on: date | None = None,
    minutes_reference: str = "",
    minutes_url: str = "",
) -> ProgramReview:
    """Record a review of a published program and carry out its outcome: *continue* schedules the next review,
    *revise* opens a new draft version, *retire* retires the program. Audited (history, who and when); the
    committee's minutes may be referenced by name and by an http(s) link."""
    if not user.has_perm(REVIEW_PERMISSION):
        raise PermissionDenied("You do not have permission to review programs.")
    if program.status != Program.Status.PUBLISHED:
        raise ValidationError("Only a published program is reviewed.")
    if not rationale.strip():
        raise ValidationError({"rationale": "Say why: the rationale is part of the audit trail."})
    minutes_url = minutes_url.strip()
    if minutes_url:
        try:
            MINUTES_URL(minutes_url)
        except ValidationError:
            raise ValidationError({"minutes_url": _("Enter an address starting with https:// or http://.")}) from None
    with transaction.atomic():
        review = ProgramReview(
            program=program,
            outcome=outcome,
            rationale=rationale.strip(),
            reviewed_by=user,
            minutes_reference=minutes_reference.strip(),
            minutes_url=minutes_url,
        )
        if outcome == ProgramReview.Outcome.CONTINUE:
            today = timezone.localdate()
            review.next_review_on = next_review_on or add_months(today, settings.QUALITY_REVIEW_INTERVAL_MONTHS)
            if review.next_review_on <= today:
                raise ValidationError({"next_review_on": "The next review must be in the future."})
        elif outcome == ProgramReview.Outcome.REVISE:
            review.new_version = catalog_services.program_new_version(program=program, user=user)
        elif outcome == ProgramReview.Outcome.RETIRE:
            catalog_services.program_transition(program=program, action="retire", user=user)
        else:
            raise ValidationError({"outcome": "Choose continue, revise or retire."})
        review._history_user = user
        review.save()
    return review
