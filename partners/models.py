"""Partner employers, their API keys, and what learners consent to show them."""

import secrets
import string

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from rest_framework_api_key.models import AbstractAPIKey

from awards.models import Award
from awards.verification import Verdict
from learners.models import Learner

SCOPES = {
    "catalog": _("Catalog: programs, pathways, frameworks (works without a key too, at a lower rate)"),
    "verify": _("Verify: credential verification, single and in batches"),
    "talent": _("Talent: search learners who chose to be discoverable, and read shares"),
}


def _secret():
    return secrets.token_urlsafe(32)


class PartnerOrganisation(models.Model):
    """An employer (or other relying party) integrating with the registry."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    website = models.URLField(_("website"), blank=True)
    contact_email = models.EmailField(_("contact email"), help_text=_("Seen by registry staff only."))
    is_active = models.BooleanField(
        _("is active"), default=True, help_text=_("An inactive partner's keys stop working.")
    )
    webhook_url = models.URLField(
        _("webhook URL"), blank=True, help_text=_("HTTPS callback for revocation, suspension and reinstatement events.")
    )
    webhook_secret = models.CharField(_("webhook secret"), max_length=64, default=_secret, editable=False)
    # Salt of the partner's pseudonymous learner ids: the same learner has unrelated ids at two partners.
    pseudonym_salt = models.CharField(_("pseudonym salt"), max_length=64, default=_secret, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("partner organisation")
        verbose_name_plural = _("partner organisations")
        ordering = ["name"]

    def __str__(self):
        return self.name


class PartnerMember(models.Model):
    """A person's account that acts for a partner organisation on the partner pages (e.g. employer feedback)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="partner_member"
    )
    organisation = models.ForeignKey(
        PartnerOrganisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="members"
    )
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        verbose_name = _("partner member")
        verbose_name_plural = _("partner members")

    def __str__(self):
        return gettext("%(user)s at %(organisation)s") % {"user": self.user, "organisation": self.organisation}


class PartnerAPIKey(AbstractAPIKey):
    """A named, expiring, revocable key of one partner, with scopes and limits; stored hashed, shown once."""

    organisation = models.ForeignKey(
        PartnerOrganisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="api_keys"
    )
    scopes = models.CharField(
        _("scopes"),
        max_length=100,
        default="catalog verify",
        help_text=format_lazy(_("Space-separated: {scopes}"), scopes=", ".join(SCOPES)),
    )
    rate_per_minute = models.PositiveIntegerField(_("rate per minute"), default=120)
    daily_quota = models.PositiveIntegerField(_("daily quota"), default=20_000, help_text=_("Requests per day."))
    max_batch = models.PositiveSmallIntegerField(
        _("max batch"), default=100, help_text=_("Credentials per batch verification (≤ 100).")
    )
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True, editable=False)

    class Meta(AbstractAPIKey.Meta):
        verbose_name = _("partner API key")
        verbose_name_plural = _("partner API keys")

    @property
    def scope_set(self):
        return frozenset(self.scopes.split())

    @property
    def is_usable(self):
        return not self.revoked and not self.has_expired and self.organisation.is_active


# The key library names its fields in plain English: the same words and help texts, from this catalogue. Its fields
# are copied into each model that extends it, so this changes only this one.
for _name, _label, _help_text in [
    ("id", _("ID"), ""),
    ("hashed_key", _("hashed key"), ""),
    ("name", _("name"), _("A free-form name for the API key. Need not be unique. 50 characters max.")),
    ("prefix", _("prefix"), ""),
    ("created", _("created"), ""),
    ("revoked", _("revoked"), _("If the API key is revoked, clients cannot use it anymore. (This cannot be undone.)")),
    ("expiry_date", _("Expires"), _("Once API key expires, clients cannot use it anymore.")),
]:
    PartnerAPIKey._meta.get_field(_name).verbose_name = _label
    PartnerAPIKey._meta.get_field(_name).help_text = _help_text


class TalentProfile(models.Model):
    """A learner's choice to be found by partners' talent search (off until they turn it on)."""

    learner = models.OneToOneField(
        Learner, verbose_name=_("learner"), on_delete=models.CASCADE, related_name="talent_profile"
    )
    discoverable = models.BooleanField(_("discoverable"), default=False)
    headline = models.CharField(
        _("headline"), max_length=120, blank=True, help_text=_("Shown to partners beside your credentials.")
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("talent profile")
        verbose_name_plural = _("talent profiles")

    def __str__(self):
        visibility = gettext("discoverable") if self.discoverable else gettext("hidden")
        return f"{self.learner.display_name}: {visibility}"


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

    learner = models.ForeignKey(Learner, verbose_name=_("learner"), on_delete=models.CASCADE, related_name="shares")
    label = models.CharField(_("label"), max_length=120, help_text=_("For you: who or what this share is for."))
    token = models.CharField(_("token"), max_length=64, unique=True, default=_share_token, editable=False)
    code = models.CharField(_("code"), max_length=40, unique=True, default=_share_code, editable=False)
    whole_record = models.BooleanField(
        _("whole record"), default=False, help_text=_("Every credential, including ones earned later.")
    )
    awards = models.ManyToManyField(Award, verbose_name=_("awards"), blank=True, related_name="shares")
    partner = models.ForeignKey(
        PartnerOrganisation,
        verbose_name=_("partner"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="shares",
        help_text=_("Only this partner's keys may read it through the API (the link still works for a person)."),
    )
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    objects = ShareQuerySet.as_manager()

    class Meta:
        verbose_name = _("share")
        verbose_name_plural = _("shares")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.label} ({self.code})"

    @property
    def is_active(self):
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > timezone.now())


class AccessLog(models.Model):
    """One partner read of a learner's data, shown to the learner."""

    learner = models.ForeignKey(
        Learner, verbose_name=_("learner"), on_delete=models.CASCADE, related_name="partner_access"
    )
    share = models.ForeignKey(
        Share, verbose_name=_("share"), null=True, blank=True, on_delete=models.SET_NULL, related_name="accesses"
    )
    organisation = models.ForeignKey(
        PartnerOrganisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    key_name = models.CharField(_("key name"), max_length=50, blank=True)
    what = models.CharField(_("what"), max_length=200)
    at = models.DateTimeField(pgettext_lazy("time of an access", "at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        ordering = ["-at"]

    def __str__(self):
        return f"{self.organisation or gettext('Someone with the link')}: {self.what}"


class VerifiedCredentialQuerySet(models.QuerySet):
    def verified(self):
        """The credentials the partner's check found valid at least once: only these count as verified."""
        return self.filter(verified_at__isnull=False)


class VerifiedCredential(models.Model):
    """A partner checked this credential of the registry through the API. Once a check came back valid, it hears
    about the credential's status changes and may rate it; a check that could not be completed is kept with its
    verdict (e.g. "unverifiable") and counts for neither."""

    organisation = models.ForeignKey(
        PartnerOrganisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="verified"
    )
    award = models.ForeignKey(Award, verbose_name=_("award"), on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField(pgettext_lazy("time of a check", "at"), auto_now=True)
    verdict = models.CharField(
        _("verdict"), max_length=30, default=Verdict.VALID, help_text=_("The verdict of the partner's last check.")
    )
    verified_at = models.DateTimeField(
        _("verified at"),
        null=True,
        blank=True,
        default=timezone.now,
        help_text=_("The partner's last check that found it valid."),
    )
    objects = VerifiedCredentialQuerySet.as_manager()

    class Meta:
        verbose_name = _("verified credential")
        verbose_name_plural = _("verified credentials")
        constraints = [models.UniqueConstraint(fields=["organisation", "award"], name="one_interest_per_partner")]

    def __str__(self):
        return gettext("%(organisation)s verified %(award)s") % {
            "organisation": self.organisation,
            "award": self.award_id,
        }


class WebhookDelivery(models.Model):
    """One event for one partner, with every delivery attempt's outcome."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed (gave up)")

    organisation = models.ForeignKey(
        PartnerOrganisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="deliveries"
    )
    event_id = models.UUIDField(_("event ID"), unique=True)
    event = models.CharField(_("event"), max_length=40)
    payload = models.JSONField(_("payload"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_status_code = models.PositiveSmallIntegerField(_("last status code"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    attempt_log = models.JSONField(
        _("attempt log"), default=list, help_text=_("Every attempt: when, HTTP status, error.")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")

    def __str__(self):
        return f"{self.event} → {self.organisation}"
