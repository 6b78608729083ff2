"""Who earned what: learner records, enrolments, rubric-scored assessment attempts and their evidence."""

import secrets
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext, pgettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from catalog.models import Criterion, Institution, Level, Program
from config.storages import private_storage


class Sharing(models.TextChoices):
    PRIVATE = "private", _("Private")
    LINK = "link", _("Anyone with the link")
    DISCOVERABLE = "discoverable", _("Discoverable by partner employers")


class Learner(models.Model):
    """A person's record of achievement; may exist before the person has an account."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="learner",
    )
    institution = models.ForeignKey(
        Institution, verbose_name=_("institution"), on_delete=models.PROTECT, related_name="learners"
    )
    display_name = models.CharField(_("display name"), max_length=150)
    legal_name = models.CharField(_("legal name"), max_length=200, help_text=_("As printed on certificates."))
    email = models.EmailField(
        _("email"), help_text=_("An account is linked to this record only once this address is verified.")
    )
    student_id = models.CharField(_("student ID"), max_length=40, blank=True)
    date_joined = models.DateTimeField(_("date joined"), auto_now_add=True)
    default_sharing = models.CharField(
        _("default sharing"),
        max_length=20,
        choices=Sharing.choices,
        default=Sharing.PRIVATE,
        help_text=_("Applied to new credentials; the learner can change each one."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("learner")
        verbose_name_plural = _("learners")
        ordering = ["legal_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "student_id"],
                condition=~Q(student_id=""),
                name="unique_student_id_per_institution",
            ),
            models.UniqueConstraint(fields=["institution", "email"], name="unique_learner_email_per_institution"),
        ]

    def __str__(self):
        return f"{self.legal_name} <{self.email}>"

    def save(self, *args, **kwargs):
        self.email = self.email.strip().lower()
        super().save(*args, **kwargs)


class Enrolment(models.Model):
    class Status(models.TextChoices):
        ENROLLED = "enrolled", _("Enrolled")
        IN_PROGRESS = "in_progress", _("In progress")
        COMPLETED = "completed", _("Completed")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        FAILED = "failed", _("Failed")

    ACTIVE = (Status.ENROLLED, Status.IN_PROGRESS)

    learner = models.ForeignKey(Learner, verbose_name=_("learner"), on_delete=models.PROTECT, related_name="enrolments")
    program = models.ForeignKey(Program, verbose_name=_("program"), on_delete=models.PROTECT, related_name="enrolments")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.ENROLLED)
    cohort = models.CharField(
        _("cohort"), max_length=60, blank=True, help_text=_("Cohort or term label, e.g. 2026-autumn.")
    )
    enrolled_on = models.DateField(_("enrolled on"))
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["-enrolled_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "program"],
                condition=Q(status__in=["enrolled", "in_progress"]),
                name="one_active_enrolment_per_program",
                violation_error_message=_("This learner already has an active enrolment in this program."),
            )
        ]
        permissions = [("export_results", "Can export a cohort's results")]

    def __str__(self):
        return gettext("%(learner)s in %(code)s v%(version)s") % {
            "learner": self.learner.legal_name,
            "code": self.program.code,
            "version": self.program.version,
        }


class AttemptQuerySet(models.QuerySet):
    def final(self):
        return self.filter(status=AssessmentAttempt.Status.FINAL)


class AssessmentAttempt(models.Model):
    """One assessment of an enrolment against the program's rubric. Immutable once finalised."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        FINAL = "final", _("Final")
        SUPERSEDED = "superseded", _("Superseded by a correction")

    enrolment = models.ForeignKey(
        Enrolment, verbose_name=_("enrolment"), on_delete=models.PROTECT, related_name="attempts"
    )
    number = models.PositiveSmallIntegerField(_("number"), editable=False)
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("assessor"), on_delete=models.PROTECT, related_name="+"
    )
    assessed_on = models.DateField(_("assessed on"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, editable=False)
    # Computed by catalog.rubrics.score_rubric from the chosen levels; never typed in.
    total_points = models.DecimalField(_("total points"), max_digits=8, decimal_places=2, editable=False)
    passed = models.BooleanField(_("passed"), editable=False)
    feedback = models.TextField(_("feedback"), blank=True, help_text=_("Shown to the learner."))
    finalised_at = models.DateTimeField(_("finalised at"), null=True, blank=True, editable=False)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("finalised by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    supersedes = models.OneToOneField(
        "self",
        verbose_name=_("supersedes"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="superseded_by",
        editable=False,
    )
    correction_reason = models.TextField(_("correction reason"), blank=True, editable=False)
    history = HistoricalRecords()
    objects = AttemptQuerySet.as_manager()

    class Meta:
        verbose_name = _("assessment attempt")
        verbose_name_plural = _("assessment attempts")
        ordering = ["enrolment", "number"]
        constraints = [models.UniqueConstraint(fields=["enrolment", "number"], name="unique_attempt_number")]
        permissions = [("finalise_attempt", "Can finalise an assessment attempt")]

    def __str__(self):
        return gettext("Attempt %(number)s — %(enrolment)s") % {"number": self.number, "enrolment": self.enrolment}

    @property
    def is_editable(self):
        return self.status == self.Status.DRAFT


class CriterionScore(models.Model):
    attempt = models.ForeignKey(
        AssessmentAttempt, verbose_name=_("attempt"), on_delete=models.CASCADE, related_name="scores"
    )
    criterion = models.ForeignKey(Criterion, verbose_name=_("criterion"), on_delete=models.PROTECT, related_name="+")
    level = models.ForeignKey(Level, verbose_name=_("level"), on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("criterion score")
        verbose_name_plural = _("criterion scores")
        ordering = ["attempt", "criterion__order", "criterion__pk"]
        constraints = [models.UniqueConstraint(fields=["attempt", "criterion"], name="one_score_per_criterion")]

    def __str__(self):
        return f"{self.criterion.name}: {self.level.name}"


EVIDENCE_EXTENSIONS = {".pdf", ".png", ".jpg", ".jpeg", ".txt", ".md", ".csv", ".zip", ".ipynb", ".docx", ".pptx"}
EVIDENCE_MAX_BYTES = 20 * 1024 * 1024


def evidence_upload_to(instance, filename):
    # A random directory makes file paths unguessable even if storage is ever exposed.
    return f"evidence/{secrets.token_urlsafe(16)}/{Path(filename).name}"


def validate_evidence_file(upload):
    extension = Path(upload.name).suffix.lower()
    if extension not in EVIDENCE_EXTENSIONS:
        raise ValidationError(
            _("Files of type “%(extension)s” are not accepted; use one of %(accepted)s."),
            params={
                "extension": extension or pgettext("file extension", "none"),
                "accepted": ", ".join(sorted(EVIDENCE_EXTENSIONS)),
            },
        )
    if upload.size > EVIDENCE_MAX_BYTES:
        raise ValidationError(
            _("The file is %(size)s MB; the limit is 20 MB."), params={"size": upload.size // (1024 * 1024)}
        )


class Evidence(models.Model):
    """Something the learner produced, supporting an attempt (OB 3.0 Evidence)."""

    attempt = models.ForeignKey(
        AssessmentAttempt, verbose_name=_("attempt"), on_delete=models.CASCADE, related_name="evidence"
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    url = models.URLField(_("URL"), blank=True)
    file = models.FileField(
        _("file"),
        upload_to=evidence_upload_to,
        storage=private_storage,
        blank=True,
        validators=[validate_evidence_file],
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = pgettext_lazy("plural", "evidence")
        constraints = [
            models.CheckConstraint(
                condition=(Q(url="") & ~Q(file="")) | (~Q(url="") & Q(file="")),
                name="evidence_is_a_url_or_a_file",
                violation_error_message=_("Give either a URL or a file, not both."),
            )
        ]

    def __str__(self):
        return self.title

    def clean(self):
        if bool(self.url) == bool(self.file):
            raise ValidationError(gettext("Give either a URL or an uploaded file (exactly one)."))
