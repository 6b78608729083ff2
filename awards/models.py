"""The proof: signing keys, issued credentials (awards), status lists and issuance batches."""

import json
import secrets
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from rest_framework_api_key.models import AbstractAPIKey
from simple_history.models import HistoricalRecords

from catalog.models import HEX_COLOUR, Institution, Program, TransferAgreement
from config.storages import private_storage
from learners.models import AssessmentAttempt, Enrolment, Learner, Sharing

STATUS_LIST_SIZE = 131_072  # bits: the Bitstring Status List minimum (16 KB), for herd privacy


class SigningKeyQuerySet(models.QuerySet):
    def published(self):
        """Keys listed in the DID document: the active one and retired ones (never compromised ones)."""
        return self.exclude(status=SigningKey.Status.COMPROMISED)


class SigningKey(models.Model):
    """An Ed25519 key of the issuer. The private half is stored encrypted with a secret from the environment."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active (signs new credentials)")
        RETIRED = "retired", _("Retired (still verifies older credentials)")
        COMPROMISED = "compromised", _("Compromised (removed from the DID document)")

    key_id = models.CharField(
        _("key id"), max_length=80, unique=True, help_text=_("Fragment of the verification method id.")
    )
    public_key_multibase = models.CharField(_("public key multibase"), max_length=80, unique=True)
    encrypted_private_key = models.TextField(_("encrypted private key"), editable=False)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    retired_at = models.DateTimeField(_("retired at"), null=True, blank=True)
    compromised_at = models.DateTimeField(_("compromised at"), null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["encrypted_private_key"])
    objects = SigningKeyQuerySet.as_manager()

    class Meta:
        verbose_name = _("signing key")
        verbose_name_plural = _("signing keys")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["status"], condition=Q(status="active"), name="one_active_signing_key")
        ]

    def __str__(self):
        return f"{self.key_id} ({self.get_status_display()})"


class IssuanceBatch(models.Model):
    """A bulk cohort issue started by a registrar; its awards' states show its progress."""

    label = models.CharField(_("label"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("issuance batch")
        ordering = ["-created_at"]
        verbose_name_plural = _("issuance batches")

    def __str__(self):
        return self.label


class AwardQuerySet(models.QuerySet):
    def issued(self):
        return self.filter(status=Award.Status.ISSUED)

    def with_standing(self, standing):
        """Issued awards of one standing: valid, revoked, suspended or expired (as ``Award.standing`` says)."""
        now = timezone.now()
        issued = self.issued()
        unexpired = Q(valid_until__isnull=True) | Q(valid_until__gte=now)
        return {
            "revoked": issued.filter(revoked_at__isnull=False),
            "suspended": issued.filter(revoked_at__isnull=True, suspended_at__isnull=False),
            "expired": issued.filter(revoked_at__isnull=True, suspended_at__isnull=True, valid_until__lt=now),
            "valid": issued.filter(unexpired, revoked_at__isnull=True, suspended_at__isnull=True),
        }[standing]

    def in_good_standing(self):
        """Issued and not revoked (suspension and expiry are judged at verification time)."""
        return self.issued().filter(revoked_at__isnull=True)

    def expiring(self, *, within: timedelta, now=None):
        """In good standing, still valid at ``now``, and expiring within ``within`` of it."""
        now = now or timezone.now()
        return self.in_good_standing().filter(valid_until__gt=now, valid_until__lte=now + within)


def certificate_upload_to(award, filename):
    # Under a random directory: certificate paths are never guessable.
    return f"certificates/{secrets.token_urlsafe(16)}/{filename}"


def _salt():
    return secrets.token_hex(16)


class Award(models.Model):
    """One credential: a learner's achievement of one program version, signed once and never changed."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        ISSUED = "issued", _("Issued")
        FAILED = "failed", _("Failed")

    id = models.UUIDField(_("id"), primary_key=True, default=uuid.uuid4, editable=False)
    learner = models.ForeignKey(Learner, verbose_name=_("learner"), on_delete=models.PROTECT, related_name="awards")
    program = models.ForeignKey(Program, verbose_name=_("program"), on_delete=models.PROTECT, related_name="awards")
    enrolment = models.ForeignKey(
        Enrolment, verbose_name=_("enrolment"), null=True, blank=True, on_delete=models.PROTECT, related_name="awards"
    )
    attempt = models.ForeignKey(
        AssessmentAttempt,
        verbose_name=_("attempt"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="awards",
    )
    components = models.ManyToManyField(
        "self",
        verbose_name=_("components"),
        symmetrical=False,
        blank=True,
        related_name="stacked_into",
        help_text=_("For a pathway award: the awards that satisfied the pathway."),
    )
    batch = models.ForeignKey(
        IssuanceBatch, verbose_name=_("batch"), null=True, blank=True, on_delete=models.SET_NULL, related_name="awards"
    )

    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING)
    error = models.TextField(_("error"), blank=True)
    tries = models.PositiveSmallIntegerField(_("tries"), default=0)
    subject_salt = models.CharField(_("subject salt"), max_length=32, default=_salt, editable=False)
    status_list_index = models.PositiveIntegerField(_("status list index"), editable=False)

    credential = models.TextField(
        _("credential"), blank=True, editable=False, help_text=_("The signed JSON, exactly as issued.")
    )
    signing_key = models.ForeignKey(
        SigningKey,
        verbose_name=_("signing key"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="awards",
    )
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True)
    valid_from = models.DateTimeField(_("valid from"), null=True, blank=True)
    valid_until = models.DateTimeField(_("valid until"), null=True, blank=True)

    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    revocation_reason = models.TextField(
        _("revocation reason"), blank=True, help_text=_("Internal: kept in the audit trail.")
    )
    revocation_public_reason = models.TextField(
        _("revocation public reason"), blank=True, help_text=_("Shown on the public verification page.")
    )
    suspended_at = models.DateTimeField(_("suspended at"), null=True, blank=True)
    suspension_reason = models.TextField(
        _("suspension reason"), blank=True, help_text=_("Internal: kept in the audit trail.")
    )
    suspension_public_reason = models.TextField(
        _("suspension public reason"), blank=True, help_text=_("Shown on the public verification page.")
    )
    sharing = models.CharField(_("sharing"), max_length=20, choices=Sharing.choices, default=Sharing.PRIVATE)
    certificate = models.FileField(
        _("certificate"), storage=private_storage, upload_to=certificate_upload_to, blank=True, editable=False
    )
    certificate_error = models.TextField(
        _("certificate error"),
        blank=True,
        editable=False,
        help_text=_("Why the PDF could not be rendered; the credential itself is unaffected."),
    )
    last_dispatched_at = models.DateTimeField(
        _("last dispatched at"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("When a worker was last asked to do this award's next step: issue it, or render its certificate."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    renews = models.OneToOneField(
        "self",
        verbose_name=_("renews"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="renewed_by",
        editable=False,
        help_text=_("The credential this one renews (a new assessment, or approved continuing practice)."),
    )
    renewal_basis = models.TextField(
        _("renewal basis"), blank=True, editable=False, help_text=_("What the renewal was granted on.")
    )
    replaces = models.OneToOneField(
        "self",
        verbose_name=_("replaces"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaced_by",
        editable=False,
        help_text=_("The credential this one corrects; that one is revoked as replaced (see award_reissue)."),
    )
    recognised = models.ManyToManyField(
        "ForeignCredential",
        verbose_name=_("recognised"),
        blank=True,
        related_name="counted_in",
        editable=False,
        help_text=_("Credentials from other issuers that counted toward this stacked award."),
    )

    history = HistoricalRecords(excluded_fields=["credential", "last_dispatched_at"])
    objects = AwardQuerySet.as_manager()

    class Meta:
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        ordering = ["-created_at"]
        constraints = [
            # One original per learner and program version; renewals and corrected re-issues add one each
            # (``renews`` and ``replaces`` are one-to-one).
            models.UniqueConstraint(
                fields=["learner", "program"],
                condition=Q(renews__isnull=True, replaces__isnull=True),
                name="one_award_per_learner_and_program",
            ),
            models.UniqueConstraint(fields=["status_list_index"], name="unique_status_list_index"),
        ]
        indexes = [
            # The re-dispatch sweep: pending awards, and issued ones still waiting for a certificate.
            models.Index(fields=["status", "last_dispatched_at"], name="award_work_queue"),
            # Talent search and the holder's shared credentials.
            models.Index(fields=["sharing", "status"], name="award_sharing_status"),
        ]
        permissions = [
            ("issue_award", "Can issue or retry credentials"),
            ("revoke_award", "Can revoke, suspend and reinstate credentials"),
            ("download_award_files", "Can download any learner's certificate and signed credential (audited)"),
        ]

    def __str__(self):
        return f"{self.program.title} — {self.learner.legal_name}"

    def save(self, *args, **kwargs):
        stored = getattr(self, "_stored_credential", None)
        if stored and self.credential != stored:
            raise ValidationError(_("A signed credential is immutable; revoke it and issue a new one instead."))
        super().save(*args, **kwargs)
        self._stored_credential = self.credential

    def get_absolute_url(self):
        return reverse("awards:credential", kwargs={"pk": self.pk})

    def document(self) -> dict:
        """The signed credential as JSON."""
        return json.loads(self.credential)

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._stored_credential = instance.__dict__.get("credential")
        return instance

    @property
    def standing(self):
        """valid / revoked / suspended / expired, from the registry's records (no signature check)."""
        if self.is_revoked:
            return "revoked"
        if self.is_suspended:
            return "suspended"
        if self.valid_until and self.valid_until < timezone.now():
            return "expired"
        return "valid"

    STANDINGS = {
        "valid": pgettext_lazy("standing", "valid"),
        "revoked": pgettext_lazy("standing", "revoked"),
        "suspended": pgettext_lazy("standing", "suspended"),
        "expired": pgettext_lazy("standing", "expired"),
    }

    @property
    def standing_display(self):
        return self.STANDINGS[self.standing]

    @property
    def is_revoked(self):
        return self.revoked_at is not None

    @property
    def is_suspended(self):
        return self.suspended_at is not None


class Notice(models.Model):
    """Something the learner is told about one of their credentials: by email (once) and on their dashboard."""

    class Event(models.TextChoices):
        ISSUED = "issued", _("Credential issued")
        REVOKED = "revoked", _("Credential revoked")
        SUSPENDED = "suspended", _("Credential suspended")
        REINSTATED = "reinstated", _("Credential reinstated")
        EXPIRES_IN_60_DAYS = "expires_60", _("Credential expires in 60 days")
        EXPIRES_IN_14_DAYS = "expires_14", _("Credential expires in 14 days")
        REISSUED = "reissued", _("Corrected credential issued")

    ONCE_PER_AWARD = (Event.ISSUED, Event.EXPIRES_IN_60_DAYS, Event.EXPIRES_IN_14_DAYS)

    award = models.ForeignKey(Award, verbose_name=_("award"), on_delete=models.CASCADE, related_name="notices")
    event = models.CharField(_("event"), max_length=20, choices=Event.choices)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    emailed_at = models.DateTimeField(_("emailed at"), null=True, blank=True, editable=False)
    dismissed_at = models.DateTimeField(_("dismissed at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # A revocation or suspension may happen again after a reinstatement; these happen once per award.
            models.UniqueConstraint(
                fields=["award", "event"], condition=Q(event__in=["issued", "expires_60", "expires_14"]),
                name="one_notice_per_award_event",
            ),
        ]  # fmt: skip

    def __str__(self):
        return f"{self.get_event_display()}: {self.award}"


class EmailTemplate(models.Model):
    """The registrar's wording of a notice email; without one, the registry's default text is sent."""

    event = models.CharField(_("event"), max_length=20, choices=Notice.Event.choices, unique=True)
    subject = models.CharField(
        pgettext_lazy("email", "subject"), max_length=200, help_text=_("May use the same variables as the body.")
    )
    body = models.TextField(
        _("body"),
        help_text=_(
            "Django template text. Variables: {{ learner_name }}, {{ program }}, {{ institution }}, "
            "{{ credential_url }}, {{ credentials_page }}, {{ valid_until }}, {{ reason }}."
        ),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("email template")
        verbose_name_plural = _("email templates")
        ordering = ["event"]

    def __str__(self):
        return self.get_event_display()


class Endorsement(models.Model):
    """An outside organisation's endorsement of a program, recorded by staff and issued by the registry as a signed
    OB 3.0 EndorsementCredential; credentials issued afterwards carry it in their achievement."""

    class Kind(models.TextChoices):
        EMPLOYER = "employer", _("Employer")
        PROFESSIONAL_BODY = "professional_body", _("Professional body")
        INSTITUTION = "institution", _("Education institution")

    id = models.UUIDField(_("id"), primary_key=True, default=uuid.uuid4, editable=False)
    program = models.ForeignKey(
        Program, verbose_name=_("program"), on_delete=models.PROTECT, related_name="endorsements"
    )
    endorser_name = models.CharField(_("endorser name"), max_length=200)
    endorser_kind = models.CharField(_("endorser kind"), max_length=20, choices=Kind.choices)
    endorser_url = models.URLField(_("endorser's website"))
    endorser_email = models.EmailField(_("endorser email"), blank=True)
    statement = models.TextField(_("statement"), help_text=_("The endorser's words, as they gave them."))
    credential = models.TextField(
        _("credential"), blank=True, editable=False, help_text=_("The signed EndorsementCredential.")
    )
    signing_key = models.ForeignKey(
        SigningKey, verbose_name=_("signing key"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True, editable=False)
    withdrawn_at = models.DateTimeField(
        _("withdrawn at"),
        null=True,
        blank=True,
        help_text=_("Set when the endorser withdraws it: later credentials no longer carry it."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    history = HistoricalRecords(excluded_fields=["credential"])

    class Meta:
        verbose_name = _("endorsement")
        verbose_name_plural = _("endorsements")
        ordering = ["program", "endorser_name"]

    def __str__(self):
        return gettext("%(endorser)s endorses %(program)s") % {"endorser": self.endorser_name, "program": self.program}

    def get_absolute_url(self):
        return reverse("awards:endorsement", kwargs={"pk": self.pk})


class CertificateTemplate(models.Model):
    """How certificates look, chosen per program or per institution (the most specific one applies)."""

    class PaperSize(models.TextChoices):
        A4 = "A4", _("A4")
        LETTER = "letter", _("US Letter")

    class Orientation(models.TextChoices):
        LANDSCAPE = "landscape", _("Landscape")
        PORTRAIT = "portrait", _("Portrait")

    name = models.CharField(_("name"), max_length=120)
    institution = models.ForeignKey(
        Institution,
        verbose_name=_("institution"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="certificate_templates",
    )
    program = models.ForeignKey(
        Program,
        verbose_name=_("program"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="certificate_templates",
    )
    logo = models.ImageField(
        _("logo"), upload_to="certificates/logos/", blank=True, help_text=_("Default: the institution's.")
    )
    colour = models.CharField(
        _("colour"),
        max_length=7,
        blank=True,
        validators=[HEX_COLOUR],
        help_text=_("Frame and headings. Default: the brand colour."),
    )
    paper_size = models.CharField(_("paper size"), max_length=10, choices=PaperSize.choices, default=PaperSize.A4)
    orientation = models.CharField(
        _("orientation"), max_length=10, choices=Orientation.choices, default=Orientation.LANDSCAPE
    )
    heading = models.CharField(_("heading"), max_length=120, default="Certificate of Achievement")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("certificate template")
        verbose_name_plural = _("certificate templates")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(institution__isnull=False) | Q(program__isnull=False), name="template_applies_somewhere"
            ),
        ]

    def __str__(self):
        return self.name


class Signatory(models.Model):
    template = models.ForeignKey(
        CertificateTemplate, verbose_name=_("template"), on_delete=models.CASCADE, related_name="signatories"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    name = models.CharField(_("name"), max_length=120)
    title = models.CharField(_("title"), max_length=160, help_text=_("e.g. Registrar, Dean of the Faculty of Science."))
    signature = models.ImageField(
        _("signature"), upload_to="certificates/signatures/", blank=True, help_text=_("A PNG of the signature.")
    )

    class Meta:
        verbose_name = _("signatory")
        ordering = ["order", "pk"]
        verbose_name_plural = _("signatories")

    def __str__(self):
        return f"{self.name}, {self.title}"


class ForeignCredential(models.Model):
    """A credential from another issuer that a learner brought, or a platform they allowed sent (the 1EdTech
    upsertCredential): verified on arrival, counted toward this registry's pathways only once the registrar
    approves it (under a transfer agreement, or by decision)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting the registrar")
        APPROVED = "approved", _("Recognised")
        REJECTED = "rejected", _("Not recognised")

    class Kind(models.TextChoices):
        ACHIEVEMENT = "achievement", _("Open Badges credential")
        CLR = "clr", _("Comprehensive Learner Record")

    id = models.UUIDField(_("id"), primary_key=True, default=uuid.uuid4, editable=False)
    learner = models.ForeignKey(
        Learner, verbose_name=_("learner"), on_delete=models.CASCADE, related_name="foreign_credentials"
    )
    document = models.TextField(_("document"), editable=False, help_text=_("The credential as uploaded."))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.ACHIEVEMENT, editable=False)
    credential_id = models.CharField(
        _("credential id"),
        max_length=500,
        blank=True,
        editable=False,
        help_text=_(
            "The credential's id, percent-decoded and trimmed: with the issuer's, what makes two copies the "
            "same credential (OB 3.0 credential equality), so a platform sending it again replaces it."
        ),
    )
    sent_by = models.CharField(
        _("sent by"),
        max_length=255,
        blank=True,
        editable=False,
        help_text=_("The platform that sent it through the 1EdTech API; empty when the learner uploaded it."),
    )
    issuer_id = models.CharField(_("issuer id"), max_length=255, editable=False)
    issuer_name = models.CharField(_("issuer name"), max_length=200, editable=False)
    achievement_id = models.CharField(_("achievement id"), max_length=500, blank=True, editable=False)
    achievement_name = models.CharField(_("achievement name"), max_length=300, editable=False)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING, editable=False
    )
    agreement = models.ForeignKey(
        TransferAgreement,
        verbose_name=_("agreement"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    counts_as = models.ForeignKey(
        Program,
        verbose_name=_("counts as"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The program it counts as; the agreement's when one covers it."),
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
    decision_note = models.TextField(
        _("decision note"), blank=True, help_text=_("Why, in the registrar's words; shown to the learner.")
    )
    history = HistoricalRecords(excluded_fields=["document"])

    class Meta:
        verbose_name = _("foreign credential")
        verbose_name_plural = _("foreign credentials")
        ordering = ["-uploaded_at"]
        permissions = [("decide_foreigncredential", "Can recognise or refuse credentials from other issuers")]
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "issuer_id", "credential_id"],
                condition=~Q(credential_id=""),
                name="unique_foreign_credential_per_learner",
            )
        ]

    def __str__(self):
        return f"{self.achievement_name} ({self.issuer_name}) — {self.learner}"


class IssuerAPIKey(AbstractAPIKey):
    """A key of one of the registry's own systems for the VC-API issuing endpoint (``/credentials/issue``): whoever
    holds it signs credentials as the registry. Stored hashed and shown once; revoked in the admin; it must expire
    within ``MAX_DAYS``, as VCALM forbids long-lived static credentials."""

    MAX_DAYS = 90
    institution = models.ForeignKey(
        Institution,
        verbose_name=_("institution"),
        null=True,  # keys made before keys belonged to an institution
        on_delete=models.PROTECT,
        related_name="issuer_api_keys",
        help_text=_("The institution whose system holds the key; its issuances are recorded under it."),
    )
    daily_quota = models.PositiveIntegerField(
        _("daily quota"),
        default=10_000,
        help_text=_("Credentials it may have signed in any 24 hours; more are refused (429)."),
    )
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True, editable=False)
    history = HistoricalRecords()

    class Meta(AbstractAPIKey.Meta):
        verbose_name = _("issuer API key")
        verbose_name_plural = _("issuer API keys")

    @property
    def is_usable(self):
        return not self.revoked and not self.has_expired

    def clean(self):
        super().clean()
        latest = timezone.now() + timedelta(days=self.MAX_DAYS)
        if self.expiry_date is None or self.expiry_date > latest:
            raise ValidationError(
                {"expiry_date": _("An issuer key expires within %(days)d days.") % {"days": self.MAX_DAYS}}
            )


# The key library names its fields in plain English: the same words and help texts, from this catalogue (as for
# partners.PartnerAPIKey). Its fields are copied into each model that extends it, so this changes only this one.
for _name, _label, _help_text in [
    ("id", _("ID"), ""),
    ("hashed_key", _("hashed key"), ""),
    ("name", _("name"), _("A free-form name for the API key. Need not be unique. 50 characters max.")),
    ("prefix", _("prefix"), ""),
    ("created", _("created"), ""),
    ("revoked", _("revoked"), _("If the API key is revoked, clients cannot use it anymore. (This cannot be undone.)")),
    ("expiry_date", _("Expires"), _("Once API key expires, clients cannot use it anymore.")),
]:
    IssuerAPIKey._meta.get_field(_name).verbose_name = _label
    IssuerAPIKey._meta.get_field(_name).help_text = _help_text


class VCAPIIssuance(models.Model):
    """A credential signed through the VC-API issuing endpoint: what was signed, with which key, and for whom
    (a staff member or an issuer key). Kept so that a leaked key's signatures can be listed."""

    credential = models.TextField(_("credential"), editable=False, help_text=_("The signed credential as returned."))
    credential_id = models.CharField(_("credential id"), max_length=500, blank=True, editable=False)
    signing_key = models.ForeignKey(
        SigningKey, verbose_name=_("signing key"), on_delete=models.PROTECT, related_name="vcapi_issuances"
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    api_key = models.ForeignKey(
        IssuerAPIKey,
        verbose_name=_("api key"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="issuances",
        editable=False,
    )
    institution = models.ForeignKey(
        Institution,
        verbose_name=_("institution"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)
    # Its entry in the revocation list of issued credentials (its own index space; null: issued before entries).
    status_list_index = models.PositiveIntegerField(_("status list index"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True, editable=False)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    revocation_reason = models.TextField(_("revocation reason"), blank=True, editable=False)
    history = HistoricalRecords(excluded_fields=["credential"])  # the signed JSON never changes: not copied per change

    class Meta:
        verbose_name_plural = _("VC-API issuances")
        ordering = ["-issued_at"]
        verbose_name = _("VC-API issuance")
        constraints = [
            models.CheckConstraint(
                condition=Q(issued_by__isnull=False) | Q(api_key__isnull=False), name="vcapi_issuance_has_a_caller"
            ),
            models.UniqueConstraint(fields=["status_list_index"], name="unique_vcapi_status_list_index"),
        ]

    def __str__(self):
        return self.credential_id or gettext("VC-API issuance %(number)s") % {"number": self.pk}

    @property
    def is_revoked(self):
        return self.revoked_at is not None
