"""What a wallet delivery is: an offer a learner makes of one of their credentials, and the copies wallets took."""

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from oauth2_provider.settings import oauth2_settings

from awards.models import Award
from learners.models import Learner

# A wallet's DID as it sent it: a did:jwk of a P-256 key with its optional members runs past 255 characters, and
# key proofs name keys of up to 512 (wallets.proofs.MAX_KID_LENGTH).
HOLDER_MAX_LENGTH = 512


class Protocol(models.TextChoices):
    VCAPI = "vcapi", _("VC-API exchange")
    LCW = "lcw", _("Learner Credential Wallet request")
    OID4VCI = "oid4vci", _("OpenID for Verifiable Credential Issuance")


class WalletOffer(models.Model):
    """A single-use, short-lived invitation for a wallet to collect a copy of one credential.

    Its id is the interaction id of the QR code; ``challenge`` is what the wallet signs (VC-API DIDAuthentication
    and the LCW request link). OpenID4VCI's pre-authorised code and PIN are derived from the id with the secret
    key (``services.pre_authorized_code``, ``services.tx_code``), so neither is stored.

    Holding the QR code is not enough (docs/decisions/0008-wallet-offer-binding.md): the first wallet that proves
    control of a DID becomes ``pending_holder``, and nothing is delivered until the learner approves that DID on
    their offer page (``approved_at``); refusing withdraws the offer. Other wallets are turned away and counted
    (``other_holder_*``) so the learner sees that someone else has the code. WALLET_TX_CODE_ATTEMPTS wrong PINs
    withdraw it too (``withdrawn_after_wrong_pins``), whoever typed them."""

    id = models.UUIDField(_("ID"), primary_key=True, default=uuid.uuid4, editable=False)
    learner = models.ForeignKey(
        Learner, verbose_name=_("learner"), on_delete=models.CASCADE, related_name="wallet_offers"
    )
    award = models.ForeignKey(
        Award, verbose_name=_("award"), null=True, blank=True, on_delete=models.CASCADE, related_name="wallet_offers",
        help_text=_("Empty for an offer of the learner's Comprehensive Learner Record."),
    )  # fmt: skip
    challenge = models.CharField(_("challenge"), max_length=64, unique=True)
    tx_code_failures = models.PositiveSmallIntegerField(_("tx code failures"), default=0)
    withdrawn_after_wrong_pins = models.BooleanField(
        _("withdrawn after wrong pins"),
        default=False,
        help_text=_("Withdrawn because a wallet typed too many wrong PINs, not by the learner."),
    )
    code_redeemed_at = models.DateTimeField(
        _("code redeemed at"), null=True, blank=True, help_text=_("When a wallet traded the code.")
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    pending_holder = models.CharField(
        _("pending holder"),
        max_length=HOLDER_MAX_LENGTH,
        blank=True,
        help_text=_("The DID of the first wallet that asked, awaiting the learner."),
    )
    pending_protocol = models.CharField(_("pending protocol"), max_length=10, choices=Protocol.choices, blank=True)
    pending_since = models.DateTimeField(_("pending since"), null=True, blank=True)
    approved_at = models.DateTimeField(
        _("approved at"), null=True, blank=True, help_text=_("When the learner approved that wallet.")
    )
    waiting_until = models.DateTimeField(
        _("waiting until"), null=True, blank=True, db_index=True,
        help_text=_("Until when a wallet's request is waiting for the learner; also tells that request it was "
                    "superseded when the same wallet asks again."),
    )  # fmt: skip
    other_holder = models.CharField(
        _("other holder"), max_length=HOLDER_MAX_LENGTH, blank=True, help_text=_("The last other wallet that asked.")
    )
    other_holder_attempts = models.PositiveIntegerField(_("other holder attempts"), default=0)
    other_holder_at = models.DateTimeField(_("other holder at"), null=True, blank=True)

    class Meta:
        verbose_name = _("wallet offer")
        verbose_name_plural = _("wallet offers")
        ordering = ["-created_at"]

    def __str__(self):
        return gettext("Wallet offer of %(what)s (%(state)s)") % {"what": self.what, "state": self.state}

    @property
    def what(self) -> str:
        return self.award.program.title if self.award_id else str(_("Comprehensive Learner Record"))

    @property
    def configuration(self) -> str:
        """The OpenID4VCI credential configuration it delivers."""
        return "OpenBadgeCredential" if self.award_id else "ClrCredential"

    STATES = {
        "open": _("open"),
        "pending": _("waiting for your approval"),
        "approved": _("approved"),
        "used": _("used"),
        "refused": _("refused"),
        "withdrawn": _("withdrawn"),
        "expired": _("expired"),
    }
    LIVE_STATES = ("open", "pending", "approved")  # a wallet may still act on the offer

    @property
    def state_display(self) -> str:
        if self.withdrawn_after_wrong_pins:
            return _("withdrawn after wrong PINs")
        return self.STATES[self.state]

    @property
    def state(self) -> str:
        if self.used_at:
            return "used"
        if self.revoked_at:
            # Only the learner refuses: wrong PINs typed by whoever holds the code must not read as their choice.
            refused = self.pending_holder and not self.approved_at and not self.withdrawn_after_wrong_pins
            return "refused" if refused else "withdrawn"
        if self.expires_at <= timezone.now():
            return "expired"
        if self.approved_at:
            return "approved"
        return "pending" if self.pending_holder else "open"

    @property
    def is_live(self) -> bool:
        return self.state in self.LIVE_STATES

    @property
    def seconds_left(self) -> int:
        return max(0, int((self.expires_at - timezone.now()).total_seconds()))


class WalletCopy(models.Model):
    """A copy of an award's credential (or of the learner's CLR) issued to a wallet, bound to the holder's DID
    (``credentialSubject.id``). An award's copy shares its id and status entry, so revoking or suspending the
    award reaches every copy."""

    Protocol = Protocol  # where callers name it: WalletCopy.Protocol.VCAPI

    id = models.UUIDField(_("ID"), primary_key=True, default=uuid.uuid4, editable=False)
    award = models.ForeignKey(
        Award,
        verbose_name=_("award"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="wallet_copies",
    )
    offer = models.OneToOneField(WalletOffer, verbose_name=_("offer"), on_delete=models.PROTECT, related_name="copy")
    holder = models.CharField(
        _("holder"), max_length=HOLDER_MAX_LENGTH, help_text=_("The wallet's DID the credential is bound to.")
    )
    protocol = models.CharField(_("protocol"), max_length=10, choices=Protocol.choices)
    credential = models.TextField(_("credential"), editable=False)
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)

    class Meta:
        ordering = ["-issued_at"]
        verbose_name = _("wallet copy")
        verbose_name_plural = _("wallet copies")

    def __str__(self):
        return gettext("%(what)s in wallet %(holder)s…") % {"what": self.offer.what, "holder": self.holder[:32]}


class AccessToken(models.Model):
    """An OpenID4VCI access token (§6), exchanged for one credential at the credential endpoint."""

    token_hash = models.CharField(_("token hash"), max_length=64, primary_key=True)
    offer = models.ForeignKey(
        WalletOffer, verbose_name=_("offer"), on_delete=models.CASCADE, related_name="access_tokens"
    )
    expires_at = models.DateTimeField(_("expires at"))

    class Meta:
        verbose_name = _("access token")
        verbose_name_plural = _("access tokens")

    def __str__(self):
        return f"Access token for {self.offer_id} until {self.expires_at:%H:%M:%S}"


class Nonce(models.Model):
    """A ``c_nonce`` a key proof used (§7). Nonces are signed, not stored, when handed out, so asking for one writes
    nothing; recording each when it is used makes it single use, until it would have expired anyway."""

    value = models.CharField(_("value"), max_length=64, primary_key=True)
    expires_at = models.DateTimeField(_("expires at"))

    class Meta:
        verbose_name = _("nonce")
        verbose_name_plural = _("nonces")

    def __str__(self):
        return f"c_nonce until {self.expires_at:%H:%M:%S}"


class RegisteredClient(models.Model):
    """What a platform said about itself when it registered (1EdTech Security Framework, RFC 7591): shown to the
    learner on the consent page and in their list of approved platforms."""

    application = models.OneToOneField(
        oauth2_settings.APPLICATION_MODEL,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="registered_client",
    )
    client_uri = models.URLField(_("client uri"), max_length=500)
    logo_uri = models.URLField(_("logo uri"), max_length=500, blank=True)
    tos_uri = models.URLField(_("tos uri"), max_length=500, blank=True)
    policy_uri = models.URLField(_("policy uri"), max_length=500, blank=True)
    software_id = models.CharField(_("software id"), max_length=200, blank=True)
    software_version = models.CharField(_("software version"), max_length=60, blank=True)
    scope = models.TextField(_("scope"), help_text=_("The scopes it asked for when it registered."))
    registered_at = models.DateTimeField(_("registered at"), default=timezone.now)

    class Meta:
        verbose_name = _("registered client")
        verbose_name_plural = _("registered clients")

    def __str__(self):
        return f"{self.application.name} ({self.client_uri})"
