"""Program quality: what learners, graduates and employers say of a program, and the reviews that act on it."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
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

    enrolment = models.OneToOneField(Enrolment, on_delete=models.CASCADE, related_name="survey")
    invited_at = models.DateTimeField(auto_now_add=True)
    emailed_at = models.DateTimeField(null=True, blank=True, editable=False)
    submitted_at = models.DateTimeField(null=True, blank=True, editable=False)
    relevance = models.PositiveSmallIntegerField(
        "relevance to my job", choices=Rating.choices, null=True, validators=RATING
    )
    workload = models.SmallIntegerField("workload", choices=Workload.choices, null=True)
    fairness = models.PositiveSmallIntegerField(
        "fairness of the assessment", choices=Rating.choices, null=True, validators=RATING
    )
    comments = models.TextField(blank=True, max_length=4000)

    class Meta:
        ordering = ["-invited_at"]

    def __str__(self):
        return f"Survey of {self.enrolment}"

    @property
    def is_answered(self):
        return self.submitted_at is not None

    @property
    def learner_id(self):
        return self.enrolment.learner_id


class OutcomeFollowUp(models.Model):
    """What happened after the credential: asked 3 and 6 months after issue, once each."""

    MONTHS = (3, 6)

    award = models.ForeignKey(Award, on_delete=models.CASCADE, related_name="follow_ups")
    months = models.PositiveSmallIntegerField(choices=[(m, f"{m} months") for m in MONTHS])
    invited_at = models.DateTimeField(auto_now_add=True)
    emailed_at = models.DateTimeField(null=True, blank=True, editable=False)
    submitted_at = models.DateTimeField(null=True, blank=True, editable=False)
    new_job = models.BooleanField("started a new job", null=True)
    promotion = models.BooleanField("was promoted", null=True)
    pay_rise = models.BooleanField("got a raise", null=True)
    used_skills = models.BooleanField("used the skills at work", null=True)

    class Meta:
        ordering = ["-invited_at"]
        constraints = [models.UniqueConstraint(fields=["award", "months"], name="one_follow_up_per_award_and_month")]

    def __str__(self):
        return f"{self.months}-month follow-up of {self.award_id}"

    @property
    def is_answered(self):
        return self.submitted_at is not None

    @property
    def learner_id(self):
        return self.award.learner_id


class EmployerFeedback(models.Model):
    """A partner's rating of how well a credential predicted on-the-job performance in one competency."""

    organisation = models.ForeignKey(PartnerOrganisation, on_delete=models.CASCADE, related_name="feedback")
    award = models.ForeignKey(Award, on_delete=models.CASCADE, related_name="employer_feedback")
    competency = models.ForeignKey(Competency, on_delete=models.PROTECT, related_name="+")
    rating = models.PositiveSmallIntegerField(choices=Rating.choices, validators=RATING)
    comment = models.TextField(blank=True, max_length=2000)
    given_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    given_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-given_at"]
        verbose_name_plural = "employer feedback"
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "award", "competency"], name="one_rating_per_partner_credential_competency"
            )
        ]

    def __str__(self):
        return f"{self.organisation}: {self.rating}/5 for {self.competency} ({self.award_id})"


class ProgramReview(models.Model):
    """An approver's periodic review of a published program and what it decided."""

    class Outcome(models.TextChoices):
        CONTINUE = "continue", _("Continue")
        REVISE = "revise", _("Revise (opens a new draft version)")
        RETIRE = "retire", _("Retire")

    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="reviews")
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    rationale = models.TextField()
    next_review_on = models.DateField(null=True, blank=True, help_text="For “continue”: when to review again.")
    new_version = models.OneToOneField(
        Program, null=True, blank=True, on_delete=models.SET_NULL, related_name="opened_by_review", editable=False
    )
    # The committee's minutes are kept elsewhere (a document system); the review only points to them. The URL
    # is shown as a link and never fetched by the registry.
    minutes_reference = models.CharField(
        "committee minutes", max_length=200, blank=True, help_text="E.g. “Programme committee, 14 Nov 2026, item 5”."
    )
    minutes_url = models.URLField("link to the minutes", max_length=500, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-reviewed_at", "-pk"]
        permissions = [("view_outcomes", "Can view the program outcomes dashboard")]

    def __str__(self):
        return f"{self.program}: {self.get_outcome_display()} ({self.reviewed_at:%Y-%m-%d})"
