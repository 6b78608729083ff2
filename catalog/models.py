"""What the institution offers: issuers, skill frameworks, programs, rubrics and stackable pathways."""

import uuid
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


def new_ctid():
    """A Credential Transparency Identifier, as the Credential Engine Registry writes them."""
    return f"ce-{uuid.uuid4()}"


HEX_COLOUR = RegexValidator(r"^#[0-9a-fA-F]{6}$", "A colour is written #rrggbb, e.g. #0b4f8a.")
TRANSLATED_FIELDS = ("title", "summary", "description")


def badge_path(instance, filename):
    """A stored badge's name is made here: the uploaded name never decides the type a file server gives it."""
    return f"programs/{uuid.uuid4().hex}{'.svg' if filename.lower().endswith('.svg') else '.png'}"


def validate_translations(value):
    """{"fr": {"title": "…", "summary": "…", "description": "…"}}: any of the three fields, as text, per language
    of the site."""
    if not isinstance(value, dict):
        raise ValidationError(
            _('Give the translations by language, e.g. {"fr": {"title": "…", "summary": "…", "description": "…"}}.')
        )
    languages = [code for code, _name in settings.LANGUAGES]
    for language, fields in value.items():
        if language not in languages:
            raise ValidationError(
                _("“%(language)s” is not a language of this site (%(languages)s)."),
                params={"language": language, "languages": ", ".join(languages)},
            )
        if not (
            isinstance(fields, dict)
            and set(fields) <= set(TRANSLATED_FIELDS)
            and all(isinstance(text, str) for text in fields.values())
        ):
            raise ValidationError(
                _('The “%(language)s” translation gives a title, summary or description as text, e.g. {"title": "…"}.'),
                params={"language": language},
            )


def validate_label_translations(value):
    """{"fr": "Tronc commun"}: a label, as text, per language of the site."""
    if not isinstance(value, dict) or not all(isinstance(text, str) for text in value.values()):
        raise ValidationError(_('Give the label by language, e.g. {"fr": "Tronc commun"}.'))
    languages = [code for code, _name in settings.LANGUAGES]
    for language in value:
        if language not in languages:
            raise ValidationError(
                _("“%(language)s” is not a language of this site (%(languages)s)."),
                params={"language": language, "languages": ", ".join(languages)},
            )


class Institution(models.Model):
    """An issuer: the organisation a credential names as its issuer."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    url = models.URLField(_("website"))
    email = models.EmailField(_("email"))
    logo = models.ImageField(_("logo"), upload_to="institutions/", blank=True)
    brand_colour = models.CharField(
        _("brand colour"),
        max_length=7,
        default="#0b4f8a",
        validators=[HEX_COLOUR],
        help_text=_("Main colour of generated badges, #rrggbb."),
    )
    accent_colour = models.CharField(
        _("accent colour"),
        max_length=7,
        default="#f2b705",
        validators=[HEX_COLOUR],
        help_text=_("Second colour of generated badges."),
    )
    description = models.TextField(_("description"), blank=True)
    accreditation_body = models.CharField(_("accreditation body"), max_length=200, blank=True)
    accreditation = models.TextField(
        _("accreditation details"),
        blank=True,
        help_text=_("Recognition, quality assurance and accreditation statements."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")
        ordering = ["name"]

    def __str__(self):
        return self.name


class SubjectArea(models.Model):
    name = models.CharField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("subject area")
        verbose_name_plural = _("subject areas")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Tag(models.Model):
    name = models.CharField(_("name"), max_length=60, unique=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering = ["name"]

    def __str__(self):
        return self.name


class SkillFramework(models.Model):
    """A published skills taxonomy (ESCO, O*NET, Lightcast, or the institution's own)."""

    name = models.CharField(_("name"), max_length=200)
    publisher = models.CharField(_("publisher"), max_length=200)
    url = models.URLField(_("url"))
    version = models.CharField(_("version"), max_length=40, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("skill framework")
        verbose_name_plural = _("skill frameworks")
        ordering = ["name", "version"]
        constraints = [models.UniqueConstraint(fields=["name", "version"], name="unique_framework_version")]

    def __str__(self):
        return f"{self.name} {self.version}".strip()


class Competency(models.Model):
    framework = models.ForeignKey(
        SkillFramework, verbose_name=_("framework"), on_delete=models.PROTECT, related_name="competencies"
    )
    code = models.CharField(_("code"), max_length=80)
    name = models.CharField(_("name"), max_length=255)
    alt_labels = models.TextField(_("alternative labels"), blank=True, help_text=_("Other names for it, one per line."))
    description = models.TextField(_("description"), blank=True)
    target_url = models.URLField(_("target URL"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("competency")
        ordering = ["framework__name", "code"]
        verbose_name_plural = _("competencies")
        constraints = [models.UniqueConstraint(fields=["framework", "code"], name="unique_competency_code")]

    def __str__(self):
        return f"{self.code} {self.name}"

    def confirmed_skills(self):
        """Reference-framework skills staff confirmed this competency matches (reads a prefetch when present)."""
        return [m.skill for m in self.mappings.all() if m.status == CompetencyMapping.Status.CONFIRMED]


class CompetencyMapping(models.Model):
    """A crosswalk from one of the institution's competencies to a skill of a reference framework (ESCO).

    Suggested by text similarity, decided by staff; confirmed mappings are issued as extra alignments and
    let guidance match target occupations to what programs teach.
    """

    class Status(models.TextChoices):
        SUGGESTED = "suggested", _("Suggested")
        CONFIRMED = "confirmed", _("Confirmed")
        REJECTED = "rejected", _("Rejected")

    competency = models.ForeignKey(
        Competency, verbose_name=_("competency"), on_delete=models.CASCADE, related_name="mappings"
    )
    skill = models.ForeignKey(Competency, verbose_name=_("skill"), on_delete=models.CASCADE, related_name="mapped_from")
    similarity = models.FloatField(
        _("similarity"), default=0, help_text=_("Text similarity (0–1) when it was suggested.")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.SUGGESTED, db_index=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("competency mapping")
        verbose_name_plural = _("competency mappings")
        ordering = ["competency", "-similarity"]
        constraints = [
            models.UniqueConstraint(fields=["competency", "skill"], name="unique_competency_mapping"),
            models.CheckConstraint(condition=~models.Q(competency=models.F("skill")), name="mapping_not_to_itself"),
        ]

    def __str__(self):
        return f"{self.competency.code} → {self.skill.name} ({self.status})"


class ProgramQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Program.Status.PUBLISHED)

    def latest_versions(self):
        return self.filter(successor__isnull=True)


def _step_by(verbose_name):
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )


def _step_at(verbose_name):
    return models.DateTimeField(verbose_name, null=True, blank=True, editable=False)


class Governed(models.Model):
    """What goes through the lifecycle (draft → in review → approved → published → retired): who took each step
    and when, and exactly what was approved (its substance, as JSON, and the digest that publishing checks)."""

    submitted_by = _step_by(_("submitted by"))
    submitted_at = _step_at(_("submitted at"))
    approved_by = _step_by(_("approved by"))
    approved_at = _step_at(_("approved at"))
    approved_substance = models.JSONField(_("approved substance"), null=True, blank=True, editable=False)
    approved_digest = models.CharField(_("approved digest"), max_length=64, blank=True, editable=False)
    published_by = _step_by(_("published by"))
    published_at = _step_at(_("published at"))
    retired_by = _step_by(_("retired by"))
    retired_at = _step_at(_("retired at"))

    class Meta:
        abstract = True


class Program(Governed):
    """One microcredential (or, when a pathway awards it, a larger stacked award), at one version."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_REVIEW = "in_review", _("In review")
        APPROVED = "approved", _("Approved")
        PUBLISHED = "published", _("Published")
        RETIRED = "retired", _("Retired")

    class AchievementType(models.TextChoices):
        # Values are the Open Badges 3.0 achievementType vocabulary.
        MICRO_CREDENTIAL = "MicroCredential", _("Microcredential")
        CERTIFICATE = "Certificate", _("Certificate")
        DIPLOMA = "Diploma", _("Diploma")
        MINOR = "Minor", _("Minor")
        BADGE = "Badge", _("Badge")

    class CreditSystem(models.TextChoices):
        ECTS = "ECTS", _("ECTS credits")
        US_CREDIT_HOUR = "US-CH", _("US semester credit hours")
        CEU = "CEU", _("Continuing education units")
        CATS = "CATS", _("UK CATS points")
        NONE = "", _("Not credit-bearing")

    class DeliveryMode(models.TextChoices):
        ONLINE = "online", _("Online")
        IN_PERSON = "in_person", _("In person")
        BLENDED = "blended", _("Blended")

    class Level(models.IntegerChoices):
        EQF_1 = 1, _("EQF 1")
        EQF_2 = 2, _("EQF 2")
        EQF_3 = 3, _("EQF 3")
        EQF_4 = 4, _("EQF 4")
        EQF_5 = 5, _("EQF 5 (short cycle)")
        EQF_6 = 6, _("EQF 6 (bachelor)")
        EQF_7 = 7, _("EQF 7 (master)")
        EQF_8 = 8, _("EQF 8 (doctorate)")

    # Fields an issued credential depends on: frozen once published; changes go into a new version.
    CREDENTIAL_FIELDS = (
        "institution",
        "code",
        "title",
        "achievement_type",
        "summary",
        "description",
        "learning_outcomes",
        "criteria_narrative",
        "effort_hours",
        "credit_value",
        "credit_system",
        "level",
        "subject",
        "validity_months",
        "image",
    )

    institution = models.ForeignKey(
        Institution, verbose_name=_("institution"), on_delete=models.PROTECT, related_name="programs"
    )
    code = models.CharField(
        _("code"),
        max_length=40,
        validators=[RegexValidator(r"^[A-Z0-9][A-Z0-9-]*$", "Use upper-case letters, digits and hyphens.")],
        help_text=_("Stable across versions, e.g. DATA-101."),
    )
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    ctid = models.CharField(
        _("CTID"),
        db_column="ce_ctid",  # PostgreSQL reserves "ctid" for a system column
        max_length=40,
        default=new_ctid,
        editable=False,
        db_index=True,
        help_text=_("Credential Transparency Identifier for Credential Engine's registry; every version keeps it."),
    )
    predecessor = models.OneToOneField(
        "self",
        verbose_name=_("predecessor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="successor",
        editable=False,
    )
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True, editable=False)
    achievement_type = models.CharField(
        _("achievement type"), max_length=30, choices=AchievementType.choices, default=AchievementType.MICRO_CREDENTIAL
    )
    summary = models.CharField(_("summary"), max_length=300)
    description = models.TextField(_("description"))
    learning_outcomes = models.TextField(_("learning outcomes"), help_text=_("One outcome per line."))
    criteria_narrative = models.TextField(
        _("criteria narrative"), help_text=_("What a learner must do to earn this credential.")
    )
    effort_hours = models.PositiveIntegerField(_("effort hours"), validators=[MinValueValidator(1)])
    credit_value = models.DecimalField(
        _("credit value"),
        max_digits=6,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    credit_system = models.CharField(_("credit system"), max_length=10, choices=CreditSystem.choices, blank=True)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices, null=True, blank=True)
    subject = models.ForeignKey(
        SubjectArea, verbose_name=_("subject"), on_delete=models.PROTECT, related_name="programs"
    )
    delivery_mode = models.CharField(
        _("delivery mode"), max_length=20, choices=DeliveryMode.choices, default=DeliveryMode.ONLINE
    )
    language = models.CharField(
        _("language"), max_length=10, default="en", help_text=_("BCP 47 language tag, e.g. en or fr-CA.")
    )
    cost = models.DecimalField(
        _("cost"), max_digits=9, decimal_places=2, default=Decimal("0"), validators=[MinValueValidator(0)]
    )
    currency = models.CharField(
        _("currency"),
        max_length=3,
        default="EUR",
        validators=[RegexValidator(r"^[A-Z]{3}$", "Use an ISO 4217 code such as EUR.")],
    )
    translations = models.JSONField(
        _("translations"),
        default=dict,
        blank=True,
        validators=[validate_translations],
        help_text=_(
            'The title, summary and description in other languages: {"fr": {"title": "…", "summary": "…", '
            '"description": "…"}}. Pages show them to visitors reading in that language.'
        ),
    )
    image = models.FileField(
        _("badge image"),
        upload_to=badge_path,
        blank=True,
        help_text=_("PNG or SVG (checked and cleaned on upload). Empty: a badge drawn in the institution's colours."),
    )
    tags = models.ManyToManyField(Tag, verbose_name=_("tags"), blank=True, related_name="programs")
    prerequisites = models.ManyToManyField(
        "self", verbose_name=_("prerequisites"), symmetrical=False, blank=True, related_name="required_by"
    )
    competencies = models.ManyToManyField(
        Competency, verbose_name=_("competencies"), through="Alignment", blank=True, related_name="programs"
    )
    validity_months = models.PositiveSmallIntegerField(
        _("validity months"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Empty means the credential never expires."),
    )

    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords(m2m_fields=[prerequisites, tags])
    objects = ProgramQuerySet.as_manager()

    class Meta:
        verbose_name = _("program")
        verbose_name_plural = _("programs")
        ordering = ["code", "-version"]
        constraints = [models.UniqueConstraint(fields=["code", "version"], name="unique_program_version")]
        # The public catalog pages by title, the API by code and version (the unique constraint's index) and
        # by update time; every list starts from the published programs. Word search has trigram indexes on
        # PostgreSQL (migration 0003).
        indexes = [
            models.Index(fields=["status", "title"], name="program_catalog_by_title"),
            models.Index(fields=["status", "updated_at"], name="program_catalog_by_update"),
            models.Index(fields=["status", "level", "title"], name="program_catalog_by_level"),
        ]
        permissions = [
            ("submit_program", "Can submit a program for review"),
            ("approve_program", "Can approve or return a program under review"),
            ("publish_program", "Can publish an approved program"),
            ("retire_program", "Can retire a published program"),
        ]

    def __str__(self):
        return f"{self.code} v{self.version}: {self.title}"

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(f"{self.code}-v{self.version}")
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("catalog:program-detail", kwargs={"slug": self.slug})

    def aligned_competencies(self):
        """Each competency the program aligns to, followed by the reference-framework skills staff confirmed it
        matches — what credentials and OB 2.0 badges list as alignments (reads prefetches when present)."""
        return [
            competency
            for alignment in self.alignments.all()
            for competency in (alignment.competency, *alignment.competency.confirmed_skills())
        ]

    @property
    def interface_language(self) -> str:
        """The language its certificates, emails and invitations are written in: "fr" for fr-CA."""
        return self.language.split("-")[0]

    def localized(self, field, language):
        """``field`` (title, summary or description) in ``language`` when the program carries it as text, else as
        written — whatever the stored translations hold (rows may predate their validation)."""
        translations = self.translations if isinstance(self.translations, dict) else {}
        fields = translations.get(language)
        value = fields.get(field) if isinstance(fields, dict) else None
        return value if isinstance(value, str) and value.strip() else getattr(self, field)

    def badge_url(self):
        """The badge as the catalog serves it (an image type, sandboxed), never the stored file's own URL: the
        uploaded one in its format, else the one drawn for this program."""
        if not self.image:
            return reverse("catalog:program-badge", kwargs={"slug": self.slug})
        view = "catalog:program-badge-png" if self.image.name.endswith(".png") else "catalog:program-badge"
        # Each upload has a name of its own, so a new one is not hidden behind the browser's cached copy.
        return f"{reverse(view, kwargs={'slug': self.slug})}?v={Path(self.image.name).stem}"

    def png_badge_url(self):
        """The badge as a PNG, for readers of no SVG (link previews, Open Badges 2.0 consumers): the uploaded one
        when it is a PNG, else the one drawn for this program."""
        if self.image and self.image.name.endswith(".png"):
            return self.badge_url()
        return reverse("catalog:program-badge-png", kwargs={"slug": self.slug})

    @property
    def is_frozen(self):
        """Published and retired versions back issued credentials and must not change."""
        return self.status in (self.Status.PUBLISHED, self.Status.RETIRED)

    @property
    def learning_outcome_list(self):
        return [line.strip() for line in self.learning_outcomes.splitlines() if line.strip()]

    def clean(self):
        if self.pk and self.is_frozen:
            stored = Program.objects.filter(pk=self.pk).values(*self._credential_field_columns()).get()
            changed = [
                name
                for name, column in zip(self.CREDENTIAL_FIELDS, self._credential_field_columns(), strict=True)
                if stored[column] != _comparable(getattr(self, column))
            ]
            if changed:
                raise ValidationError(
                    {
                        name: _("This program is published; create a new version to change this field.")
                        for name in changed
                    }
                )
        if self.credit_value and not self.credit_system:
            raise ValidationError({"credit_system": _("Say which credit system the credit value is in.")})

    def _credential_field_columns(self):
        return [self._meta.get_field(name).attname for name in self.CREDENTIAL_FIELDS]


def _comparable(value):
    # File fields compare by stored name, like the values() query returns them.
    return getattr(value, "name", value) if hasattr(value, "storage") else value


class Alignment(models.Model):
    """A program's alignment to a competency in a skill framework (OB 3.0 Alignment)."""

    program = models.ForeignKey(Program, verbose_name=_("program"), on_delete=models.CASCADE, related_name="alignments")
    competency = models.ForeignKey(
        Competency, verbose_name=_("competency"), on_delete=models.PROTECT, related_name="alignments"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("alignment")
        verbose_name_plural = _("alignments")
        ordering = ["competency__code"]
        constraints = [models.UniqueConstraint(fields=["program", "competency"], name="unique_alignment")]

    def __str__(self):
        return f"{self.program.code} → {self.competency.code}"


class Rubric(models.Model):
    """How a program is assessed: criteria × levels, and the rule that decides a pass."""

    program = models.OneToOneField(Program, verbose_name=_("program"), on_delete=models.CASCADE, related_name="rubric")
    min_total_points = models.DecimalField(
        _("min total points"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Weighted total needed to pass (a total equal to it passes). Empty: no total threshold."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("rubric")
        verbose_name_plural = _("rubrics")

    def __str__(self):
        return gettext("Rubric for %(program)s") % {"program": self.program}


class Criterion(models.Model):
    rubric = models.ForeignKey(Rubric, verbose_name=_("rubric"), on_delete=models.CASCADE, related_name="criteria")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    weight = models.DecimalField(
        _("weight"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    competencies = models.ManyToManyField(
        Competency, verbose_name=_("competencies"), blank=True, related_name="criteria"
    )
    min_level = models.ForeignKey(
        "Level",
        verbose_name=_("min level"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The lowest level that still passes this criterion. Empty: any level."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("criterion")
        ordering = ["rubric", "order", "pk"]
        verbose_name_plural = _("criteria")
        constraints = [models.UniqueConstraint(fields=["rubric", "name"], name="unique_criterion_name")]

    def __str__(self):
        return self.name

    def clean(self):
        if self.min_level_id and self.pk and self.min_level.criterion_id != self.pk:
            raise ValidationError({"min_level": _("The minimum level must be one of this criterion's levels.")})


class Level(models.Model):
    criterion = models.ForeignKey(
        Criterion, verbose_name=_("criterion"), on_delete=models.CASCADE, related_name="levels"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    points = models.DecimalField(
        _("points"), max_digits=6, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("level")
        verbose_name_plural = _("levels")
        ordering = ["criterion", "order", "points"]
        constraints = [models.UniqueConstraint(fields=["criterion", "name"], name="unique_level_name")]

    def __str__(self):
        return gettext("%(criterion)s: %(level)s (%(points)s pts)") % {
            "criterion": self.criterion.name,
            "level": self.name,
            "points": self.points,
        }


# What pickers offer: the latest version of each program (not superseded), and for rules, only published ones.
CURRENT_VERSIONS = models.Q(successor__isnull=True) & ~models.Q(status=Program.Status.RETIRED)
CURRENT_PUBLISHED_VERSIONS = models.Q(successor__isnull=True, status=Program.Status.PUBLISHED)


class PathwayQuerySet(models.QuerySet):
    def published(self):
        # The public flag only the publish and retire transitions set (catalog.services.pathway_transition).
        return self.filter(is_published=True)

    def with_rules(self):
        return self.select_related("award").prefetch_related("rules__programs")


class Pathway(Governed):
    """A stackable route: satisfying every rule earns the award, a larger Program-like achievement."""

    institution = models.ForeignKey(
        Institution, verbose_name=_("institution"), on_delete=models.PROTECT, related_name="pathways"
    )
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    description = models.TextField(_("description"), blank=True)
    award = models.OneToOneField(
        Program,
        verbose_name=_("award"),
        on_delete=models.PROTECT,
        related_name="awarded_by_pathway",
        # A draft award is chosen too: it is published after it is attached (then it needs no rubric), and the
        # pathway is published after its award.
        limit_choices_to=CURRENT_VERSIONS,
        help_text=_("The larger achievement earned by completing this pathway; publish it first."),
    )
    credit_toward = models.CharField(
        _("credit toward"), max_length=255, blank=True, help_text=_("e.g. 15 ECTS toward the BSc in Computing.")
    )
    # Pathways go through the programs' lifecycle; ``is_published`` is what the public pages read, and only the
    # publish and retire transitions (and an edit that sends the pathway back to review) change it.
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=Program.Status.choices,
        default=Program.Status.DRAFT,
        editable=False,
        db_index=True,
    )
    is_published = models.BooleanField(_("is published"), default=False, editable=False)
    history = HistoricalRecords()
    objects = PathwayQuerySet.as_manager()

    class Meta:
        verbose_name = _("pathway")
        verbose_name_plural = _("pathways")
        ordering = ["name"]
        permissions = [
            ("submit_pathway", "Can submit a pathway for review"),
            ("approve_pathway", "Can approve or send back a pathway under review"),
            ("publish_pathway", "Can publish an approved pathway"),
            ("retire_pathway", "Can retire a published pathway"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("catalog:pathway-detail", kwargs={"slug": self.slug})


class PathwayRule(models.Model):
    """One group of components and the rule it must meet."""

    class Kind(models.TextChoices):
        ALL_OF = "all_of", _("All of")
        N_OF = "n_of", _("N of")
        MIN_CREDITS = "min_credits", _("Minimum credits from")

    pathway = models.ForeignKey(Pathway, verbose_name=_("pathway"), on_delete=models.CASCADE, related_name="rules")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    label = models.CharField(_("label"), max_length=120, help_text=_("e.g. Core, Electives."))
    label_translations = models.JSONField(
        _("label in other languages"),
        default=dict,
        blank=True,
        validators=[validate_label_translations],
        help_text=_('e.g. {"fr": "Tronc commun"}. Pages in a language not given show the label as written.'),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.ALL_OF)
    required_count = models.PositiveSmallIntegerField(
        _("required count"), null=True, blank=True, help_text=_("For 'N of': how many components are needed.")
    )
    min_credits = models.DecimalField(
        _("min credits"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("For 'Minimum credits from'."),
    )
    programs = models.ManyToManyField(
        Program,
        verbose_name=_("programs"),
        related_name="pathway_rules",
        # Pickers (the admin's autocomplete included) offer the current published versions; rules saved before
        # may name older ones, which still count (matched by code).
        limit_choices_to=CURRENT_PUBLISHED_VERSIONS,
        help_text=_("Current published versions of programs or other pathways' awards. Any version counts."),
    )
    history = HistoricalRecords(m2m_fields=[programs])

    class Meta:
        verbose_name = _("pathway rule")
        verbose_name_plural = _("pathway rules")
        ordering = ["pathway", "order", "pk"]

    def __str__(self):
        return f"{self.pathway.name}: {self.label}"


class ProgramDecision(models.Model):
    """One step of a program's approval: who submitted, approved, sent back, published or retired it, when, why, and
    the digest of its substance at that moment — the program's history of who approved what."""

    class Action(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted for approval")
        APPROVED = "approved", _("Approved")
        SENT_BACK = "sent_back", _("Sent back")
        PUBLISHED = "published", _("Published")
        RETIRED = "retired", _("Retired")

    program = models.ForeignKey(Program, verbose_name=_("program"), on_delete=models.CASCADE, related_name="decisions")
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), db_index=True)
    comment = models.TextField(_("comment"), blank=True)
    digest = models.CharField(_("substance digest"), max_length=64, blank=True)
    # Set when the submitter was emailed about an approval or a sending back, so the email goes once.
    notified_at = models.DateTimeField(_("notified at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("program decision")
        verbose_name_plural = _("program decisions")
        ordering = ["-decided_at", "-pk"]
        indexes = [models.Index(fields=["program", "-decided_at"], name="decision_by_program")]

    def __str__(self):
        return f"{self.program}: {self.get_action_display()}"


class ProgramApproval(Program):
    """The approver's queue: programs in review, each with what changed since it was last approved."""

    class Meta:
        proxy = True
        verbose_name = _("Approval queue")
        verbose_name_plural = _("Approval queue")
        default_permissions = ()  # the queue is open to whoever holds catalog.approve_program


class Agreement(models.Model):
    """Something agreed for a period: from a day, until a day or open-ended."""

    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        if self.valid_until and self.valid_from and self.valid_until < self.valid_from:
            raise ValidationError({"valid_until": _("The agreement cannot end before it starts.")})

    def in_force(self, on):
        return self.valid_from <= on and (self.valid_until is None or on <= self.valid_until)


class CreditRecognition(Agreement):
    """Another institution recognises this program (or a pathway's award) for credit toward one of its
    qualifications."""

    program = models.ForeignKey(
        Program, verbose_name=_("program"), on_delete=models.CASCADE, related_name="credit_recognitions"
    )
    recognising_institution = models.CharField(_("recognising institution"), max_length=200)
    recognising_url = models.URLField(_("recognising institution's website"), blank=True)
    credits = models.DecimalField(
        _("credits"), max_digits=6, decimal_places=2, validators=[MinValueValidator(Decimal("0.5"))]
    )
    credit_system = models.CharField(_("credit system"), max_length=10, choices=Program.CreditSystem.choices)
    toward = models.CharField(_("toward"), max_length=255, help_text=_("The qualification, e.g. BSc Data Science."))
    reference = models.CharField(_("reference"), max_length=120, help_text=_("The agreement's reference."))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("credit recognition")
        verbose_name_plural = _("credit recognitions")
        ordering = ["program", "recognising_institution"]

    def __str__(self):
        return gettext("%(institution)s: %(credits)s %(system)s for %(program)s") % {
            "institution": self.recognising_institution,
            "credits": self.credits.normalize(),
            "system": self.credit_system,
            "program": self.program.code,
        }


class TransferAgreement(Agreement):
    """This institution counts an achievement of another issuer as one of its programs, toward its pathways."""

    issuer_id = models.CharField(
        _("issuer identifier"), max_length=255, help_text=_("The issuer's id in its credentials (a DID or URL).")
    )
    issuer_name = models.CharField(_("issuer name"), max_length=200)
    achievement_id = models.CharField(
        _("achievement id"),
        max_length=500,
        blank=True,
        help_text=_("The achievement's id in those credentials; empty: any of the issuer's."),
    )
    counts_as = models.ForeignKey(
        Program, verbose_name=_("counts as"), on_delete=models.PROTECT, related_name="transfer_agreements"
    )
    reference = models.CharField(_("reference"), max_length=120)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("transfer agreement")
        verbose_name_plural = _("transfer agreements")
        ordering = ["issuer_name", "reference"]

    def __str__(self):
        return f"{self.issuer_name} → {self.counts_as.code} ({self.reference})"

    def covers(self, *, issuer_id, achievement_id, on):
        return self.in_force(on) and issuer_id == self.issuer_id and self.achievement_id in ("", achievement_id)
