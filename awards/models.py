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
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
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

    key_id = models.CharField(max_length=80, unique=True, help_text="Fragment of the verification method id.")
    public_key_multibase = models.CharField(max_length=80, unique=True)
    encrypted_private_key = models.TextField(editable=False)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ACTIVE)
    created_at = models.DateTimeField(auto_now_add=True)
    retired_at = models.DateTimeField(null=True, blank=True)
    compromised_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["encrypted_private_key"])
    objects = SigningKeyQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["status"], condition=Q(status="active"), name="one_active_signing_key")
        ]

    def __str__(self):
        return f"{self.key_id} ({self.get_status_display()})"


class IssuanceBatch(models.Model):
    """A bulk cohort issue started by a registrar; its awards' states show its progress."""

    label = models.CharField(max_length=200)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "issuance batches"

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

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    learner = models.ForeignKey(Learner, on_delete=models.PROTECT, related_name="awards")
    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="awards")
    enrolment = models.ForeignKey(Enrolment, null=True, blank=True, on_delete=models.PROTECT, related_name="awards")
    attempt = models.ForeignKey(
        AssessmentAttempt, null=True, blank=True, on_delete=models.PROTECT, related_name="awards"
    )
    components = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="stacked_into",
        help_text="For a pathway award: the awards that satisfied the pathway.",
    )
    batch = models.ForeignKey(IssuanceBatch, null=True, blank=True, on_delete=models.SET_NULL, related_name="awards")

    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    error = models.TextField(blank=True)
    tries = models.PositiveSmallIntegerField(default=0)
    subject_salt = models.CharField(max_length=32, default=_salt, editable=False)
    status_list_index = models.PositiveIntegerField(editable=False)

    credential = models.TextField(blank=True, editable=False, help_text="The signed JSON, exactly as issued.")
    signing_key = models.ForeignKey(SigningKey, null=True, blank=True, on_delete=models.PROTECT, related_name="awards")
    issued_at = models.DateTimeField(null=True, blank=True)
    valid_from = models.DateTimeField(null=True, blank=True)
    valid_until = models.DateTimeField(null=True, blank=True)

    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    revocation_reason = models.TextField(blank=True, help_text="Internal: kept in the audit trail.")
    revocation_public_reason = models.TextField(blank=True, help_text="Shown on the public verification page.")
    suspended_at = models.DateTimeField(null=True, blank=True)
    suspension_reason = models.TextField(blank=True, help_text="Internal: kept in the audit trail.")
    suspension_public_reason = models.TextField(blank=True, help_text="Shown on the public verification page.")
    sharing = models.CharField(max_length=20, choices=Sharing.choices, default=Sharing.PRIVATE)
    certificate = models.FileField(storage=private_storage, upload_to=certificate_upload_to, blank=True, editable=False)
    certificate_error = models.TextField(
        blank=True, editable=False, help_text="Why the PDF could not be rendered; the credential itself is unaffected."
    )
    last_dispatched_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="When a worker was last asked to do this award's next step: issue it, or render its certificate.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    renews = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="renewed_by", editable=False,
        help_text="The credential this one renews (a new assessment, or approved continuing practice).",
    )  # fmt: skip
    renewal_basis = models.TextField(blank=True, editable=False, help_text="What the renewal was granted on.")
    replaces = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="replaced_by", editable=False,
        help_text="The credential this one corrects; that one is revoked as replaced (see award_reissue).",
    )  # fmt: skip
    recognised = models.ManyToManyField(
        "ForeignCredential", blank=True, related_name="counted_in", editable=False,
        help_text="Credentials from other issuers that counted toward this stacked award.",
    )  # fmt: skip

    history = HistoricalRecords(excluded_fields=["credential", "last_dispatched_at"])
    objects = AwardQuerySet.as_manager()

    class Meta:
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
            raise ValidationError("A signed credential is immutable; revoke it and issue a new one instead.")
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

    award = models.ForeignKey(Award, on_delete=models.CASCADE, related_name="notices")
    event = models.CharField(max_length=20, choices=Event.choices)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    emailed_at = models.DateTimeField(null=True, blank=True, editable=False)
    dismissed_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
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

    event = models.CharField(max_length=20, choices=Notice.Event.choices, unique=True)
    subject = models.CharField(max_length=200, help_text="May use the same variables as the body.")
    body = models.TextField(
        help_text="Django template text. Variables: {{ learner_name }}, {{ program }}, {{ institution }}, "
        "{{ credential_url }}, {{ credentials_page }}, {{ valid_until }}, {{ reason }}."
    )
    history = HistoricalRecords()

    class Meta:
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

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="endorsements")
    endorser_name = models.CharField(max_length=200)
    endorser_kind = models.CharField(max_length=20, choices=Kind.choices)
    endorser_url = models.URLField("endorser's website")
    endorser_email = models.EmailField(blank=True)
    statement = models.TextField(help_text="The endorser's words, as they gave them.")
    credential = models.TextField(blank=True, editable=False, help_text="The signed EndorsementCredential.")
    signing_key = models.ForeignKey(SigningKey, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(null=True, blank=True, editable=False)
    withdrawn_at = models.DateTimeField(
        null=True, blank=True, help_text="Set when the endorser withdraws it: later credentials no longer carry it."
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+", editable=False
    )
    history = HistoricalRecords(excluded_fields=["credential"])

    class Meta:
        ordering = ["program", "endorser_name"]

    def __str__(self):
        return f"{self.endorser_name} endorses {self.program}"

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

    name = models.CharField(max_length=120)
    institution = models.ForeignKey(
        Institution, null=True, blank=True, on_delete=models.CASCADE, related_name="certificate_templates"
    )
    program = models.ForeignKey(
        Program, null=True, blank=True, on_delete=models.CASCADE, related_name="certificate_templates"
    )
    logo = models.ImageField(upload_to="certificates/logos/", blank=True, help_text="Default: the institution's.")
    colour = models.CharField(
        max_length=7, blank=True, validators=[HEX_COLOUR], help_text="Frame and headings. Default: the brand colour."
    )
    paper_size = models.CharField(max_length=10, choices=PaperSize.choices, default=PaperSize.A4)
    orientation = models.CharField(max_length=10, choices=Orientation.choices, default=Orientation.LANDSCAPE)
    heading = models.CharField(max_length=120, default="Certificate of Achievement")
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(institution__isnull=False) | Q(program__isnull=False), name="template_applies_somewhere"
            ),
        ]

    def __str__(self):
        return self.name


class Signatory(models.Model):
    template = models.ForeignKey(CertificateTemplate, on_delete=models.CASCADE, related_name="signatories")
    order = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(max_length=120)
    title = models.CharField(max_length=160, help_text="e.g. Registrar, Dean of the Faculty of Science.")
    signature = models.ImageField(upload_to="certificates/signatures/", blank=True, help_text="A PNG of the signature.")

    class Meta:
        ordering = ["order", "pk"]
        verbose_name_plural = "signatories"

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

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    learner = models.ForeignKey(Learner, on_delete=models.CASCADE, related_name="foreign_credentials")
    document = models.TextField(editable=False, help_text="The credential as uploaded.")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.ACHIEVEMENT, editable=False)
    credential_id = models.CharField(
        max_length=500, blank=True, editable=False,
        help_text="The credential's id, percent-decoded and trimmed: with the issuer's, what makes two copies the "
        "same credential (OB 3.0 credential equality), so a platform sending it again replaces it.",
    )  # fmt: skip
    sent_by = models.CharField(
        max_length=255, blank=True, editable=False,
        help_text="The platform that sent it through the 1EdTech API; empty when the learner uploaded it.",
    )  # fmt: skip
    issuer_id = models.CharField(max_length=255, editable=False)
    issuer_name = models.CharField(max_length=200, editable=False)
    achievement_id = models.CharField(max_length=500, blank=True, editable=False)
    achievement_name = models.CharField(max_length=300, editable=False)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING, editable=False)
    agreement = models.ForeignKey(
        TransferAgreement, null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )
    counts_as = models.ForeignKey(
        Program, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        help_text="The program it counts as; the agreement's when one covers it.",
    )  # fmt: skip
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )
    decided_at = models.DateTimeField(null=True, blank=True, editable=False)
    decision_note = models.TextField(blank=True, help_text="Why, in the registrar's words; shown to the learner.")
    history = HistoricalRecords(excluded_fields=["document"])

    class Meta:
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
        null=True,  # keys made before keys belonged to an institution
        on_delete=models.PROTECT,
        related_name="issuer_api_keys",
        help_text="The institution whose system holds the key; its issuances are recorded under it.",
    )
    daily_quota = models.PositiveIntegerField(
        default=10_000, help_text="Credentials it may have signed in any 24 hours; more are refused (429)."
    )
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    history = HistoricalRecords()

    class Meta(AbstractAPIKey.Meta):
        verbose_name = "issuer API key"
        verbose_name_plural = "issuer API keys"

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


class VCAPIIssuance(models.Model):
    """A credential signed through the VC-API issuing endpoint: what was signed, with which key, and for whom
    (a staff member or an issuer key). Kept so that a leaked key's signatures can be listed."""

    credential = models.TextField(editable=False, help_text="The signed credential as returned.")
    credential_id = models.CharField(max_length=500, blank=True, editable=False)
    signing_key = models.ForeignKey(SigningKey, on_delete=models.PROTECT, related_name="vcapi_issuances")
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )
    api_key = models.ForeignKey(
        IssuerAPIKey, null=True, blank=True, on_delete=models.PROTECT, related_name="issuances", editable=False
    )
    institution = models.ForeignKey(
        Institution, null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )
    issued_at = models.DateTimeField(auto_now_add=True)
    # Its entry in the revocation list of issued credentials (its own index space; null: issued before entries).
    status_list_index = models.PositiveIntegerField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )
    revocation_reason = models.TextField(blank=True, editable=False)
    history = HistoricalRecords(excluded_fields=["credential"])  # the signed JSON never changes: not copied per change

    class Meta:
        ordering = ["-issued_at"]
        verbose_name = "VC-API issuance"
        constraints = [
            models.CheckConstraint(
                condition=Q(issued_by__isnull=False) | Q(api_key__isnull=False), name="vcapi_issuance_has_a_caller"
            ),
            models.UniqueConstraint(fields=["status_list_index"], name="unique_vcapi_status_list_index"),
        ]

    def __str__(self):
        return self.credential_id or f"VC-API issuance {self.pk}"

    @property
    def is_revoked(self):
        return self.revoked_at is not None
