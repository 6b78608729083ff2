"""Partner employers, their API keys, and what learners consent to show them."""

import secrets
import string

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework_api_key.models import AbstractAPIKey

from awards.models import Award
from awards.verification import Verdict
from learners.models import Learner

SCOPES = {
    "catalog": "Catalog: programs, pathways, frameworks (works without a key too, at a lower rate)",
    "verify": "Verify: credential verification, single and in batches",
    "talent": "Talent: search learners who chose to be discoverable, and read shares",
}


def _secret():
    return secrets.token_urlsafe(32)


class PartnerOrganisation(models.Model):
    """An employer (or other relying party) integrating with the registry."""

    name = models.CharField(max_length=200, unique=True)
    website = models.URLField(blank=True)
    contact_email = models.EmailField(help_text="Seen by registry staff only.")
    is_active = models.BooleanField(default=True, help_text="An inactive partner's keys stop working.")
    webhook_url = models.URLField(
        "webhook URL", blank=True, help_text="HTTPS callback for revocation, suspension and reinstatement events."
    )
    webhook_secret = models.CharField(max_length=64, default=_secret, editable=False)
    # Salt of the partner's pseudonymous learner ids: the same learner has unrelated ids at two partners.
    pseudonym_salt = models.CharField(max_length=64, default=_secret, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class PartnerMember(models.Model):
    """A person's account that acts for a partner organisation on the partner pages (e.g. employer feedback)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="partner_member")
    organisation = models.ForeignKey(PartnerOrganisation, on_delete=models.CASCADE, related_name="members")
    added_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.user} at {self.organisation}"


class PartnerAPIKey(AbstractAPIKey):
    """A named, expiring, revocable key of one partner, with scopes and limits; stored hashed, shown once."""

    organisation = models.ForeignKey(PartnerOrganisation, on_delete=models.CASCADE, related_name="api_keys")
    scopes = models.CharField(
        max_length=100, default="catalog verify", help_text="Space-separated: " + ", ".join(SCOPES)
    )
    rate_per_minute = models.PositiveIntegerField(default=120)
    daily_quota = models.PositiveIntegerField(default=20_000, help_text="Requests per day.")
    max_batch = models.PositiveSmallIntegerField(default=100, help_text="Credentials per batch verification (≤ 100).")
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta(AbstractAPIKey.Meta):
        verbose_name = "partner API key"
        verbose_name_plural = "partner API keys"

    @property
    def scope_set(self):
        return frozenset(self.scopes.split())

    @property
    def is_usable(self):
        return not self.revoked and not self.has_expired and self.organisation.is_active


class TalentProfile(models.Model):
    """A learner's choice to be found by partners' talent search (off until they turn it on)."""

    learner = models.OneToOneField(Learner, on_delete=models.CASCADE, related_name="talent_profile")
    discoverable = models.BooleanField(default=False)
    headline = models.CharField(max_length=120, blank=True, help_text="Shown to partners beside your credentials.")
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"{self.learner.display_name}: {'discoverable' if self.discoverable else 'hidden'}"


SHARE_CODE_ALPHABET = "".join(c for c in string.ascii_uppercase + string.digits if c not in "0O1IL")
# 28 symbols of 31 give 138 bits, so a code is beyond guessing like the link's token. Codes made before migration
# 0003 have 8 symbols ("ABCD-EFGH", about 40 bits); they still open their share, but through the API only.
SHARE_CODE_GROUPS = 7
LEGACY_CODE_LENGTH = len("ABCD-EFGH")


def _share_token():
    return secrets.token_urlsafe(24)


def _share_code():
    return "-".join("".join(secrets.choice(SHARE_CODE_ALPHABET) for _ in range(4)) for _ in range(SHARE_CODE_GROUPS))


class ShareQuerySet(models.QuerySet):
    def active(self):
        now = timezone.now()
        return self.filter(revoked_at__isnull=True).filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))


class Share(models.Model):
    """A learner's consent: these credentials (or the whole record), for anyone with the link or one partner."""

    learner = models.ForeignKey(Learner, on_delete=models.CASCADE, related_name="shares")
    label = models.CharField(max_length=120, help_text="For you: who or what this share is for.")
    token = models.CharField(max_length=64, unique=True, default=_share_token, editable=False)
    code = models.CharField(max_length=40, unique=True, default=_share_code, editable=False)
    whole_record = models.BooleanField(default=False, help_text="Every credential, including ones earned later.")
    awards = models.ManyToManyField(Award, blank=True, related_name="shares")
    partner = models.ForeignKey(
        PartnerOrganisation,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="shares",
        help_text="Only this partner's keys may read it through the API (the link still works for a person).",
    )
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    objects = ShareQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.label} ({self.code})"

    @property
    def is_active(self):
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > timezone.now())


class AccessLog(models.Model):
    """One partner read of a learner's data, shown to the learner."""

    learner = models.ForeignKey(Learner, on_delete=models.CASCADE, related_name="partner_access")
    share = models.ForeignKey(Share, null=True, blank=True, on_delete=models.SET_NULL, related_name="accesses")
    organisation = models.ForeignKey(
        PartnerOrganisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    key_name = models.CharField(max_length=50, blank=True)
    what = models.CharField(max_length=200)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self):
        return f"{self.organisation or 'Someone with the link'}: {self.what}"


class VerifiedCredentialQuerySet(models.QuerySet):
    def verified(self):
        """The credentials the partner's check found valid at least once: only these count as verified."""
        return self.filter(verified_at__isnull=False)


class VerifiedCredential(models.Model):
    """A partner checked this credential of the registry through the API. Once a check came back valid, it hears
    about the credential's status changes and may rate it; a check that could not be completed is kept with its
    verdict (e.g. "unverifiable") and counts for neither."""

    organisation = models.ForeignKey(PartnerOrganisation, on_delete=models.CASCADE, related_name="verified")
    award = models.ForeignKey(Award, on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField(auto_now=True)
    verdict = models.CharField(
        max_length=30, default=Verdict.VALID, help_text="The verdict of the partner's last check."
    )
    verified_at = models.DateTimeField(
        null=True, blank=True, default=timezone.now, help_text="The partner's last check that found it valid."
    )
    objects = VerifiedCredentialQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation", "award"], name="one_interest_per_partner")]

    def __str__(self):
        return f"{self.organisation} verified {self.award_id}"


class WebhookDelivery(models.Model):
    """One event for one partner, with every delivery attempt's outcome."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed (gave up)")

    organisation = models.ForeignKey(PartnerOrganisation, on_delete=models.CASCADE, related_name="deliveries")
    event_id = models.UUIDField(unique=True)
    event = models.CharField(max_length=40)
    payload = models.JSONField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    attempt_log = models.JSONField(default=list, help_text="Every attempt: when, HTTP status, error.")
    created_at = models.DateTimeField(auto_now_add=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "webhook deliveries"

    def __str__(self):
        return f"{self.event} → {self.organisation}"
