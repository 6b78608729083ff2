"""Offering a credential to a wallet and delivering it: VC-API exchanges, the LCW request link and OpenID4VCI."""

import hashlib
import hmac
import json
import secrets
from urllib.parse import quote, urlencode, urlsplit

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from awards import clr
from awards.credentials import absolute
from awards.models import Award
from awards.services import credential_for_holder
from awards.vc.data_integrity import ProofError
from awards.vc.presentations import ACCEPTED_SUITES, verify_did_authentication
from learners.models import Learner

from .models import AccessToken, Nonce, WalletCopy, WalletOffer
from .proofs import ProofRefused, holder_of_proof


class ExchangeError(Exception):
    """A wallet's request is refused; ``code`` is the OAuth/OpenID4VCI error code, ``status`` the HTTP status."""

    def __init__(self, code: str, description: str, status: int = 400):
        super().__init__(description)
        self.code, self.description, self.status = code, description, status


def domain() -> str:
    """What a DID Authentication presentation must be bound to: this registry's host name."""
    return urlsplit(settings.REGISTRY_PUBLIC_URL).netloc


def _digest(purpose: str, value: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), f"{purpose}:{value}".encode(), hashlib.sha256).hexdigest()


def pre_authorized_code(offer: WalletOffer) -> str:
    """The OpenID4VCI pre-authorised code of ``offer``: its id and a keyed digest of it, so nothing is stored."""
    return f"{offer.pk}.{_digest('pre-authorized-code', str(offer.pk))}"


def tx_code(offer: WalletOffer) -> str:
    """The six-digit PIN the learner types into the wallet (OpenID4VCI §4.1.1 ``tx_code``); shown only to them."""
    return f"{int(_digest('tx-code', str(offer.pk)), 16) % 10**6:06d}"


def interaction_url(offer: WalletOffer) -> str:
    """What the QR code holds (VCALM interaction URL; ``iuv=1`` marks it as one)."""
    return absolute(reverse("wallets:interaction", args=[offer.pk])) + "?iuv=1"


def exchange_url(offer: WalletOffer) -> str:
    return absolute(reverse("wallets:exchange", args=[offer.pk]))


def lcw_request_link(offer: WalletOffer) -> str:
    """The DCC Learner Credential Wallet's deep link: it posts a DID Authentication signed over ``challenge`` to
    ``vc_request_url`` with the challenge as bearer token (``api.lcw_request``)."""
    query = {
        "issuer": absolute("/"),
        "auth_type": "bearer",
        "challenge": offer.challenge,
        "vc_request_url": absolute(reverse("wallets:lcw-request", args=[offer.pk])),
    }
    return settings.WALLET_LCW_REQUEST_URL + "?" + urlencode(query, quote_via=quote)


# The learner's side


def offer_create(*, learner: Learner, award: Award | None = None) -> WalletOffer:
    """An offer of ``award``, or of the learner's Comprehensive Learner Record when there is none."""
    if award is not None and award.learner_id != learner.pk:
        raise PermissionDenied(_("This is not your credential."))
    if award is not None and (award.status != Award.Status.ISSUED or award.revoked_at is not None):
        raise ValidationError(_("Only an issued credential that is not revoked can go into a wallet."))
    now = timezone.now()
    return WalletOffer.objects.create(
        learner=learner,
        award=award,
        challenge=secrets.token_urlsafe(24),
        created_at=now,
        expires_at=now + settings.WALLET_OFFER_LIFETIME,
    )


def offer_revoke(*, offer: WalletOffer, learner: Learner) -> WalletOffer:
    if offer.learner_id != learner.pk:
        raise PermissionDenied(_("This is not your offer."))
    if offer.used_at is None and offer.revoked_at is None:
        offer.revoked_at = timezone.now()
        offer.save(update_fields=["revoked_at"])
    return offer


# Delivery


def open_offer(offer_id, *, lock=False) -> WalletOffer:
    """The offer if a wallet may still take it (``WalletOffer.state``); ExchangeError otherwise."""
    queryset = WalletOffer.objects.select_for_update() if lock else WalletOffer.objects
    offer = queryset.filter(pk=offer_id).first()
    if offer is None or offer.state != "open":
        state = offer.state if offer else "unknown"
        raise ExchangeError("invalid_grant", f"This offer is {state}: ask the learner for a new one.", 404)
    return offer


def exchange_request(offer_id) -> dict:
    """VCALM "Participate in an Exchange", first step: what the wallet must present (a DIDAuthentication)."""
    offer = open_offer(offer_id)
    return {
        "verifiablePresentationRequest": {
            "query": [
                {
                    "type": "DIDAuthentication",
                    "acceptedMethods": [{"method": "key"}],
                    "acceptedCryptosuites": [{"cryptosuite": suite} for suite in ACCEPTED_SUITES],
                }
            ],
            "challenge": offer.challenge,
            "domain": domain(),
            "interact": {
                "service": [{"type": "UnmediatedHttpPresentationService2021", "serviceEndpoint": exchange_url(offer)}]
            },
        }
    }


def exchange_complete(offer_id, presentation, *, protocol=WalletCopy.Protocol.VCAPI) -> WalletCopy:
    """Check the wallet's DID Authentication and deliver the credential bound to its DID, once."""
    with transaction.atomic():
        offer = open_offer(offer_id, lock=True)
        try:
            holder = verify_did_authentication(presentation, challenge=offer.challenge, domain=domain())
        except ProofError as error:
            raise ExchangeError("invalid_proof", str(error)) from error
        return _deliver(offer, holder, protocol)


def _deliver(offer, holder, protocol) -> WalletCopy:
    """Issue the copy and close the offer; the caller holds the offer's row lock, so it happens once."""
    try:
        if offer.award_id:
            credential = credential_for_holder(offer.award_id, holder)
        else:
            credential = clr.signed_clr(offer.learner, holder_id=holder)
    except ValidationError as error:
        raise ExchangeError("invalid_request", " ".join(error.messages)) from error
    offer.used_at = timezone.now()
    offer.save(update_fields=["used_at"])
    return WalletCopy.objects.create(
        award_id=offer.award_id, offer=offer, holder=holder, protocol=protocol, credential=json.dumps(credential)
    )


# OpenID4VCI (pre-authorised code flow)


def token_issue(*, code: str, pin: str | None) -> tuple[str, int]:
    """OpenID4VCI §6: trade the pre-authorised code (and the PIN) for an access token, once."""
    offer_id = (code or "").partition(".")[0]
    with transaction.atomic():
        try:
            offer = open_offer(offer_id, lock=True)
        except (ExchangeError, ValidationError, ValueError) as error:
            raise ExchangeError("invalid_grant", "The pre-authorised code is not valid.") from error
        if not hmac.compare_digest(pre_authorized_code(offer), code) or offer.code_redeemed_at:
            raise ExchangeError("invalid_grant", "The pre-authorised code is not valid or was used.")
        pin_matches = hmac.compare_digest(tx_code(offer), pin or "")
        if pin_matches:
            offer.code_redeemed_at = timezone.now()
            token = secrets.token_urlsafe(32)
            AccessToken.objects.create(
                token_hash=_hash(token), offer=offer, expires_at=timezone.now() + settings.WALLET_TOKEN_LIFETIME
            )
        else:  # the failure is committed before the error goes back, or guessing would cost nothing
            offer.tx_code_failures += 1
            if offer.tx_code_failures >= settings.WALLET_TX_CODE_ATTEMPTS:
                offer.revoked_at = timezone.now()  # guessing a six-digit PIN must stay hopeless
        offer.save(update_fields=["code_redeemed_at", "tx_code_failures", "revoked_at"])
    if not pin_matches:
        raise ExchangeError("invalid_grant", "The transaction code (PIN) is wrong.")
    return token, int(settings.WALLET_TOKEN_LIFETIME.total_seconds())


def nonce_issue() -> str:
    """OpenID4VCI §7: a fresh ``c_nonce`` for a key proof, valid briefly and once (beat purges expired ones)."""
    value = secrets.token_urlsafe(24)
    Nonce.objects.create(value=value, expires_at=timezone.now() + settings.WALLET_TOKEN_LIFETIME)
    return value


def credential_issue(*, token: str, proof_jwt: str, configuration: str | None = None) -> WalletCopy:
    """OpenID4VCI §8: check the access token and the key proof, and deliver the credential bound to that key."""
    with transaction.atomic():
        access = (
            AccessToken.objects.select_for_update()
            .filter(token_hash=_hash(token or ""), expires_at__gt=timezone.now())
            .first()
        )
        if access is None:
            raise ExchangeError("invalid_token", "The access token is not valid.", 401)
        try:
            holder, nonce = holder_of_proof(proof_jwt, audience=settings.REGISTRY_PUBLIC_URL)
        except ProofRefused as error:
            raise ExchangeError("invalid_proof", str(error)) from error
        if not Nonce.objects.filter(value=nonce, expires_at__gt=timezone.now()).delete()[0]:
            raise ExchangeError("invalid_nonce", "The proof's nonce is unknown, used or expired.")
        offer = open_offer(access.offer_id, lock=True)
        if configuration not in (None, offer.configuration):
            raise ExchangeError("unknown_credential_configuration", f"This offer is for {offer.configuration}.")
        access.delete()
        return _deliver(offer, holder, WalletCopy.Protocol.OID4VCI)


def purge_expired(now=None) -> int:
    """Delete expired nonces and OpenID4VCI access tokens; returns how many."""
    now = now or timezone.now()
    return (
        Nonce.objects.filter(expires_at__lte=now).delete()[0]
        + AccessToken.objects.filter(expires_at__lte=now).delete()[0]
    )


def _hash(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()
