"""Program quality: what learners, graduates and employers say of a program, and the reviews that act on it."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from awards.models import Award
from catalog.models import Competency, Program
from learners.models import Enrolment
from partners.models import PartnerOrganisation

RATING = [MinValueValidator(1), MaxValueValidator(5)]


class Rating(models.IntegerChoices):
    VERY_LOW = 1, _("1 — not at all")
    LOW = 2, _("2")
    MIDDLE = 3, _("3")
    HIGH = 4, _("4")
    VERY_HIGH = 5, _("5 — completely")


class Workload(models.IntegerChoices):
    """The effort a program took, against the effort hours it advertised."""

    MUCH_LESS = -2, _("Much less than advertised")
    LESS = -1, _("Less than advertised")
    AS_ADVERTISED = 0, _("About as advertised")
    MORE = 1, _("More than advertised")
    MUCH_MORE = 2, _("Much more than advertised")


class SurveyResponse(models.Model):
    """The end-of-program survey of one enrolment: created as an invitation when the learner completes or
    withdraws, answered once. Reports show only aggregates over groups of at least the anonymity threshold."""

    enrolment = models.OneToOneField(
        Enrolment, verbose_name=_("enrolment"), on_delete=models.CASCADE, related_name="survey"
    )
    invited_at = models.DateTimeField(_("invited at"), auto_now_add=True)
    emailed_at = models.DateTimeField(_("emailed at"), null=True, blank=True, editable=False)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True, editable=False)
    relevance = models.PositiveSmallIntegerField(
        _("relevance to my job"), choices=Rating.choices, null=True, validators=RATING
    )
    workload = models.SmallIntegerField(_("workload"), choices=Workload.choices, null=True)
    fairness = models.PositiveSmallIntegerField(
        _("fairness of the assessment"), choices=Rating.choices, null=True, validators=RATING
    )
    comments = models.TextField(_("comments"), blank=True, max_length=4000)

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        ordering = ["-invited_at"]

    def __str__(self):
        return gettext("Survey of %(enrolment)s") % {"enrolment": self.enrolment}

    @property
    def is_answered(self):
        return self.submitted_at is not None

    @property
    def learner_id(self):
        return self.enrolment.learner_id


class OutcomeFollowUp(models.Model):
    """What happened after the credential: asked 3 and 6 months after issue, once each."""

    MONTHS = (3, 6)

    award = models.ForeignKey(Award, verbose_name=_("award"), on_delete=models.CASCADE, related_name="follow_ups")
    months = models.PositiveSmallIntegerField(_("months"), choices=[(m, f"{m} months") for m in MONTHS])
    invited_at = models.DateTimeField(_("invited at"), auto_now_add=True)
    emailed_at = models.DateTimeField(_("emailed at"), null=True, blank=True, editable=False)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True, editable=False)
    new_job = models.BooleanField(_("started a new job"), null=True)
    promotion = models.BooleanField(_("was promoted"), null=True)
    pay_rise = models.BooleanField(_("got a raise"), null=True)
    used_skills = models.BooleanField(_("used the skills at work"), null=True)

    class Meta:
        verbose_name = _("outcome follow up")
        verbose_name_plural = _("outcome follow ups")
        ordering = ["-invited_at"]
        constraints = [models.UniqueConstraint(fields=["award", "months"], name="one_follow_up_per_award_and_month")]

    def __str__(self):
        return gettext("%(months)s-month follow-up of %(award)s") % {"months": self.months, "award": self.award_id}

    @property
    def is_answered(self):
        return self.submitted_at is not None

    @property
    def learner_id(self):
        return self.award.learner_id


class EmployerFeedback(models.Model):
    """A partner's rating of how well a credential predicted on-the-job performance in one competency."""

    organisation = models.ForeignKey(
        PartnerOrganisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="feedback"
    )
    award = models.ForeignKey(
        Award, verbose_name=_("award"), on_delete=models.CASCADE, related_name="employer_feedback"
    )
    competency = models.ForeignKey(Competency, verbose_name=_("competency"), on_delete=models.PROTECT, related_name="+")
    rating = models.PositiveSmallIntegerField(_("rating"), choices=Rating.choices, validators=RATING)
    comment = models.TextField(_("comment"), blank=True, max_length=2000)
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("given by"), on_delete=models.PROTECT, related_name="+"
    )
    given_at = models.DateTimeField(_("given at"), auto_now=True)

    class Meta:
        verbose_name = _("employer feedback")
        ordering = ["-given_at"]
        verbose_name_plural = _("employer feedback")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "award", "competency"], name="one_rating_per_partner_credential_competency"
            )
        ]

    def __str__(self):
        return gettext("%(organisation)s: %(rating)s/5 for %(competency)s (%(award)s)") % {
            "organisation": self.organisation,
            "rating": self.rating,
            "competency": self.competency,
            "award": self.award_id,
        }


class ProgramReview(models.Model):
    """An approver's periodic review of a published program and what it decided."""

    class Outcome(models.TextChoices):
        CONTINUE = "continue", _("Continue")
        REVISE = "revise", _("Revise (opens a new draft version)")
        RETIRE = "retire", _("Retire")

    program = models.ForeignKey(Program, verbose_name=_("program"), on_delete=models.PROTECT, related_name="reviews")
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    rationale = models.TextField(_("rationale"))
    next_review_on = models.DateField(
        _("next review on"), null=True, blank=True, help_text=_("For “continue”: when to review again.")
    )
    new_version = models.OneToOneField(
        Program,
        verbose_name=_("new version"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="opened_by_review",
        editable=False,
    )
    # The committee's minutes are kept elsewhere (a document system); the review only points to them. The URL
    # is shown as a link and never fetched by the registry.
    minutes_reference = models.CharField(
        _("committee minutes"),
        max_length=200,
        blank=True,
        help_text=_("E.g. “Programme committee, 14 Nov 2026, item 5”."),
    )
    minutes_url = models.URLField(_("link to the minutes"), max_length=500, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reviewed by"), on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("program review")
        verbose_name_plural = _("program reviews")
        ordering = ["-reviewed_at", "-pk"]
        permissions = [("view_outcomes", "Can view the program outcomes dashboard")]

    def __str__(self):
        return f"{self.program}: {self.get_outcome_display()} ({self.reviewed_at:%Y-%m-%d})"
