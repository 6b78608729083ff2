"""Who earned what: learner records, enrolments, rubric-scored assessment attempts and their evidence."""

import secrets
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
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
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="learner"
    )
    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="learners")
    display_name = models.CharField(max_length=150)
    legal_name = models.CharField(max_length=200, help_text="As printed on certificates.")
    email = models.EmailField(help_text="An account is linked to this record only once this address is verified.")
    student_id = models.CharField("student ID", max_length=40, blank=True)
    date_joined = models.DateTimeField(auto_now_add=True)
    default_sharing = models.CharField(
        max_length=20,
        choices=Sharing.choices,
        default=Sharing.PRIVATE,
        help_text="Applied to new credentials; the learner can change each one.",
    )
    history = HistoricalRecords()

    class Meta:
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

    learner = models.ForeignKey(Learner, on_delete=models.PROTECT, related_name="enrolments")
    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="enrolments")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ENROLLED)
    cohort = models.CharField(max_length=60, blank=True, help_text="Cohort or term label, e.g. 2026-autumn.")
    enrolled_on = models.DateField()
    completed_on = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-enrolled_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "program"],
                condition=Q(status__in=["enrolled", "in_progress"]),
                name="one_active_enrolment_per_program",
                violation_error_message="This learner already has an active enrolment in this program.",
            )
        ]
        permissions = [("export_results", "Can export a cohort's results")]

    def __str__(self):
        return f"{self.learner.legal_name} in {self.program.code} v{self.program.version}"


class AttemptQuerySet(models.QuerySet):
    def final(self):
        return self.filter(status=AssessmentAttempt.Status.FINAL)


class AssessmentAttempt(models.Model):
    """One assessment of an enrolment against the program's rubric. Immutable once finalised."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        FINAL = "final", _("Final")
        SUPERSEDED = "superseded", _("Superseded by a correction")

    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="attempts")
    number = models.PositiveSmallIntegerField(editable=False)
    assessor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assessed_on = models.DateField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT, editable=False)
    # Computed by catalog.rubrics.score_rubric from the chosen levels; never typed in.
    total_points = models.DecimalField(max_digits=8, decimal_places=2, editable=False)
    passed = models.BooleanField(editable=False)
    feedback = models.TextField(blank=True, help_text="Shown to the learner.")
    finalised_at = models.DateTimeField(null=True, blank=True, editable=False)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )
    supersedes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by", editable=False
    )
    correction_reason = models.TextField(blank=True, editable=False)
    history = HistoricalRecords()
    objects = AttemptQuerySet.as_manager()

    class Meta:
        ordering = ["enrolment", "number"]
        constraints = [models.UniqueConstraint(fields=["enrolment", "number"], name="unique_attempt_number")]
        permissions = [("finalise_attempt", "Can finalise an assessment attempt")]

    def __str__(self):
        return f"Attempt {self.number} — {self.enrolment}"

    @property
    def is_editable(self):
        return self.status == self.Status.DRAFT


class CriterionScore(models.Model):
    attempt = models.ForeignKey(AssessmentAttempt, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    level = models.ForeignKey(Level, on_delete=models.PROTECT, related_name="+")

    class Meta:
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
            f"Files of type “{extension or 'none'}” are not accepted; use one of "
            f"{', '.join(sorted(EVIDENCE_EXTENSIONS))}."
        )
    if upload.size > EVIDENCE_MAX_BYTES:
        raise ValidationError(f"The file is {upload.size // (1024 * 1024)} MB; the limit is 20 MB.")


class Evidence(models.Model):
    """Something the learner produced, supporting an attempt (OB 3.0 Evidence)."""

    attempt = models.ForeignKey(AssessmentAttempt, on_delete=models.CASCADE, related_name="evidence")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    url = models.URLField("URL", blank=True)
    file = models.FileField(
        upload_to=evidence_upload_to, storage=private_storage, blank=True, validators=[validate_evidence_file]
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "evidence"
        constraints = [
            models.CheckConstraint(
                condition=(Q(url="") & ~Q(file="")) | (~Q(url="") & Q(file="")),
                name="evidence_is_a_url_or_a_file",
                violation_error_message="Give either a URL or a file, not both.",
            )
        ]

    def __str__(self):
        return self.title

    def clean(self):
        if bool(self.url) == bool(self.file):
            raise ValidationError("Give either a URL or an uploaded file (exactly one).")
