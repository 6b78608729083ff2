"""Offering a credential to a wallet and delivering it: VC-API exchanges, the LCW request link and OpenID4VCI.
Whatever the protocol, the credential goes only to the wallet whose DID the learner approved on their offer page
(docs/decisions/0008-wallet-offer-binding.md)."""

import datetime
import hashlib
import hmac
import json
import secrets
import time
from urllib.parse import quote, urlencode, urlsplit

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from awards import clr
from awards.credentials import absolute
from awards.models import Award
from awards.services import credential_for_holder
from awards.vc.data_integrity import ProofError
from awards.vc.presentations import ACCEPTED_CRYPTOSUITES, verify_did_authentication
from learners.models import Learner

from . import metadata
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


OID4VCI_OFFER_SCHEME = "openid-credential-offer://"


def credential_offer_by_reference(offer: WalletOffer) -> str:
    """OpenID4VCI 1.0 §4.1.3: what an OpenID4VCI wallet scans, the offer's https URL (short enough for a QR code)."""
    offer_uri = absolute(reverse("wallets:credential-offer", args=[offer.pk]))
    return OID4VCI_OFFER_SCHEME + "?" + urlencode({"credential_offer_uri": offer_uri}, quote_via=quote)


def credential_offer_by_value(offer: WalletOffer) -> str:
    """OpenID4VCI 1.0 §4.1.2: the offer itself in the link, for wallets that do not fetch it. Every reserved
    character is percent-encoded (a space as %20, not +): wallets decode the value with decodeURIComponent and
    split the query at each ``=``."""
    document = metadata.credential_offer(offer, pre_authorized_code(offer))
    value = json.dumps(document, separators=(",", ":"), ensure_ascii=False)
    return OID4VCI_OFFER_SCHEME + "?" + urlencode({"credential_offer": value}, quote_via=quote)


def exchange_url(offer: WalletOffer) -> str:
    return absolute(reverse("wallets:exchange", args=[offer.pk]))


def lcw_request_link(offer: WalletOffer) -> str:
    """The DCC Learner Credential Wallet's deep link: LCW posts a DID Authentication signed over ``challenge``
    (and no domain) to ``vc_request_url``; ``auth_type=bearer`` means the challenge travels in the presentation,
    not in a header (``lcw_request_complete``)."""
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
    with transaction.atomic():
        # The learner's row lock serialises their requests, so two at once cannot both take the last place.
        Learner.objects.select_for_update().get(pk=learner.pk)
        now = timezone.now()
        live = WalletOffer.objects.filter(learner=learner, used_at=None, revoked_at=None, expires_at__gt=now)
        if live.count() >= settings.WALLET_OFFERS_PER_LEARNER:
            limit = settings.WALLET_OFFERS_PER_LEARNER
            message = ngettext(
                "You have %(count)s wallet offer open already: withdraw it on “Your wallet deliveries”, or let it "
                "expire, before making another.",
                "You have %(count)s wallet offers open already: withdraw one on “Your wallet deliveries”, or let it "
                "expire, before making another.",
                limit,
            )
            raise ValidationError(message % {"count": limit}, code="too_many_offers")
        return WalletOffer.objects.create(
            learner=learner,
            award=award,
            challenge=secrets.token_urlsafe(24),
            created_at=now,
            expires_at=now + settings.WALLET_OFFER_LIFETIME,
        )


def offer_revoke(*, offer: WalletOffer, learner: Learner) -> WalletOffer:
    """Withdraw the offer; while a wallet waits for approval, this is the learner refusing it."""
    if offer.learner_id != learner.pk:
        raise PermissionDenied(_("This is not your offer."))
    with transaction.atomic():
        offer = WalletOffer.objects.select_for_update().get(pk=offer.pk)
        if offer.used_at is None and offer.revoked_at is None:
            offer.revoked_at = timezone.now()
            offer.save(update_fields=["revoked_at"])
    return offer


def offer_approve(*, offer: WalletOffer, learner: Learner, holder: str) -> WalletOffer:
    """The learner lets the wallet ``holder`` (the DID they were shown) collect the credential."""
    if offer.learner_id != learner.pk:
        raise PermissionDenied(_("This is not your offer."))
    with transaction.atomic():
        offer = WalletOffer.objects.select_for_update().get(pk=offer.pk)
        if offer.withdrawn_after_wrong_pins:  # not "no wallet is waiting": the learner's own wallet may have been
            raise ValidationError(_("Someone tried wrong PINs with this offer, so it was withdrawn: make a new offer."))
        if offer.state not in ("pending", "approved") or offer.pending_holder != holder:
            raise ValidationError(_("No wallet is waiting for your approval of this offer any more."))
        if offer.approved_at is None:  # approving twice (a double click) changes nothing
            offer.approved_at = timezone.now()
            offer.save(update_fields=["approved_at"])
    return offer


# Delivery: DID Authentication or a key proof names the wallet; the learner approves it; then it is delivered once.

WRONG_PINS = "Someone typed too many wrong PINs for this offer, so it was withdrawn: ask the learner for a new one."


def open_offer(offer_id, *, lock=False) -> WalletOffer:
    """The offer if a wallet may still act on it (``WalletOffer.LIVE_STATES``); ExchangeError otherwise."""
    queryset = WalletOffer.objects.select_for_update() if lock else WalletOffer.objects
    offer = queryset.filter(pk=offer_id).first()
    if offer is not None and offer.state == "refused":
        raise ExchangeError("credential_request_denied", "The learner refused to deliver this offer to a wallet.", 403)
    if offer is not None and offer.withdrawn_after_wrong_pins:
        raise ExchangeError("invalid_grant", WRONG_PINS, 404)
    if offer is None or not offer.is_live:
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
                    "acceptedMethods": [{"method": "key"}, {"method": "jwk"}],  # nothing to fetch for either
                    "acceptedCryptosuites": [{"cryptosuite": suite} for suite in ACCEPTED_CRYPTOSUITES],
                }
            ],
            "challenge": offer.challenge,
            "domain": domain(),
            "interact": {
                "service": [{"type": "UnmediatedHttpPresentationService2021", "serviceEndpoint": exchange_url(offer)}]
            },
        }
    }


def exchange_complete(offer_id, presentation) -> WalletCopy:
    """VC-API exchange: check the wallet's DID Authentication (over the challenge and domain the exchange request
    named) and, once the learner approves its DID, deliver the credential bound to it."""
    offer = open_offer(offer_id)
    holder = _presentation_holder(presentation, offer.challenge)
    return _deliver_when_approved(offer.pk, holder, WalletCopy.Protocol.VCAPI)


def lcw_request_complete(offer_id, presentation, *, bearer: str = "") -> WalletCopy:
    """The LCW request link: as ``exchange_complete``, for the DID Authentication LCW sends. Every LCW since
    ``auth_type=bearer`` (2022) signs it over the link's challenge without a domain and sends no Authorization
    header, so the challenge inside the signed proof is what ties the request to the offer; a client that also
    sends the challenge as a bearer token must send this offer's."""
    offer = open_offer(offer_id)
    if bearer and not hmac.compare_digest(bearer.encode(), offer.challenge.encode()):
        raise ExchangeError("invalid_token", "The bearer token is not this offer's challenge.", 401)
    holder = _presentation_holder(presentation, offer.challenge, domain_optional=True)
    return _deliver_when_approved(offer.pk, holder, WalletCopy.Protocol.LCW)


def _presentation_holder(presentation, challenge: str, *, domain_optional: bool = False) -> str:
    """The DID that signed the DID Authentication ``presentation``; ExchangeError otherwise."""
    try:
        return verify_did_authentication(
            presentation, challenge=challenge, domain=domain(), domain_optional=domain_optional
        )
    except ProofError as error:
        raise ExchangeError("invalid_proof", str(error)) from error


def _deliver_when_approved(offer_id, holder: str, protocol: str) -> WalletCopy:
    """Deliver to ``holder`` once the learner approved it. Wallets expect the credential in the answer to their
    request, so the request waits a bounded time for the learner's decision, reading the offer afresh every
    WALLET_APPROVAL_POLL and holding no transaction or lock meanwhile; then the wallet asks again."""
    waiting_until = timezone.now() + settings.WALLET_APPROVAL_WAIT
    copy = _ask(offer_id, holder, protocol, waiting_until=waiting_until)
    if copy is not None:
        return copy
    deadline = time.monotonic() + settings.WALLET_APPROVAL_WAIT.total_seconds()
    try:
        while time.monotonic() < deadline:
            time.sleep(settings.WALLET_APPROVAL_POLL.total_seconds())
            offer = WalletOffer.objects.get(pk=offer_id)
            if offer.state != "pending":  # decided or ended: deliver under the lock, or say why not
                return _ask(offer_id, holder, protocol)
            if offer.waiting_until != waiting_until:
                raise ExchangeError("authorization_pending", "A newer request from this wallet waits instead.", 403)
        raise _not_approved_yet()
    finally:
        _stop_waiting(offer_id, waiting_until)


def _ask(offer_id, holder: str, protocol: str, *, waiting_until=None) -> WalletCopy | None:
    """Under the offer's lock: deliver if the learner approved ``holder``. Otherwise record it as the wallet asking
    (the first one only: others are turned away and counted) and, given ``waiting_until`` and a place to wait, as
    the request waiting for the learner — the one before it, from the same wallet, then stops waiting. None: wait."""
    now = timezone.now()
    with transaction.atomic():
        offer = open_offer(offer_id, lock=True)
        other_wallet = bool(offer.pending_holder) and offer.pending_holder != holder
        if other_wallet:
            offer.other_holder, offer.other_holder_at = holder, now
            offer.other_holder_attempts += 1
            offer.save(update_fields=["other_holder", "other_holder_at", "other_holder_attempts"])
        elif offer.approved_at:
            return _deliver(offer, holder, protocol)
        else:
            if not offer.pending_holder:
                offer.pending_holder, offer.pending_protocol, offer.pending_since = holder, protocol, now
            if waiting_until is not None and _waiting_place_take(offer.pk):
                offer.waiting_until = waiting_until
            else:
                waiting_until = None
            offer.save(update_fields=["pending_holder", "pending_protocol", "pending_since", "waiting_until"])
    # Raised after the commit, so the learner's page shows the attempt and the wallet asking.
    if other_wallet:
        raise ExchangeError(
            "credential_request_denied", "Another wallet has already asked for this offer; it is not for this one.", 409
        )
    if waiting_until is None:
        raise _not_approved_yet()
    return None


# Each waiting request holds a web worker, so at most WALLET_APPROVAL_MAX_WAITING offers have one, site-wide: the
# places to wait are a semaphore in the shared cache (Redis in production), each holding the id of the offer
# waiting in it. ``cache.add`` takes a place atomically, where counting waiting offers in the database did not
# (under READ COMMITTED, requests for different offers each counted before the others committed). Both functions
# run under the offer's row lock, so a newer request from the same wallet takes over its offer's place, and the
# request it replaced does not give that place back. A place outlives the longest wait, so one whose worker was
# killed frees itself.
WAITING_PLACE_MARGIN = 30  # seconds: the last poll and the delivery fit in it


def _waiting_places() -> list[str]:
    return [f"wallet-wait-place-{index}" for index in range(settings.WALLET_APPROVAL_MAX_WAITING)]


def _waiting_place_take(offer_id) -> bool:
    """Whether a request for the offer may wait: it takes over its offer's place (for as long as its own wait),
    or takes a free one."""
    timeout = settings.WALLET_APPROVAL_WAIT.total_seconds() + WAITING_PLACE_MARGIN
    taken = cache.get_many(_waiting_places())
    offers_place = [place for place, holder in taken.items() if holder == str(offer_id)]
    if offers_place and cache.touch(offers_place[0], timeout):
        return True
    return any(cache.add(place, str(offer_id), timeout=timeout) for place in _waiting_places() if place not in taken)


def _stop_waiting(offer_id, waiting_until) -> None:
    """The request waiting until ``waiting_until`` is done; unless a newer one took over, its place is free."""
    with transaction.atomic():
        if WalletOffer.objects.filter(pk=offer_id, waiting_until=waiting_until).update(waiting_until=None):
            taken = cache.get_many(_waiting_places())
            cache.delete_many([place for place, holder in taken.items() if holder == str(offer_id)])


def _not_approved_yet() -> ExchangeError:
    return ExchangeError(
        "authorization_pending",
        "The learner has not approved this wallet yet: once they approve it on their offer page, ask again.",
        403,
    )


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
    AccessToken.objects.filter(offer=offer).delete()  # the offer is spent: its OpenID4VCI tokens are worthless
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
        except ExchangeError as error:  # its reason, such as wrong PINs, helps the wallet's user
            raise ExchangeError("invalid_grant", error.description) from error
        except (ValidationError, ValueError) as error:
            raise ExchangeError("invalid_grant", "The pre-authorised code is not valid.") from error
        # Bytes: compare_digest refuses str with non-ASCII characters, which anyone may send.
        if not hmac.compare_digest(pre_authorized_code(offer).encode(), code.encode()) or offer.code_redeemed_at:
            raise ExchangeError("invalid_grant", "The pre-authorised code is not valid or was used.")
        pin_matches = hmac.compare_digest(tx_code(offer).encode(), (pin or "").encode())
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
                offer.withdrawn_after_wrong_pins = True
        offer.save(update_fields=["code_redeemed_at", "tx_code_failures", "revoked_at", "withdrawn_after_wrong_pins"])
    if not pin_matches:
        raise ExchangeError("invalid_grant", WRONG_PINS if offer.revoked_at else "The transaction code (PIN) is wrong.")
    return token, int(settings.WALLET_TOKEN_LIFETIME.total_seconds())


NONCE_SALT = "wallets.c_nonce"


def nonce_issue(now=None) -> str:
    """OpenID4VCI §7: a fresh ``c_nonce``, signed with the secret key and carrying its expiry. Anyone may ask for
    one, so nothing is stored; ``_nonce_use`` records it when a proof uses it, which makes it single use."""
    expires = (now or timezone.now()) + settings.WALLET_NONCE_LIFETIME
    return signing.dumps({"n": secrets.token_urlsafe(16), "exp": int(expires.timestamp())}, salt=NONCE_SALT)


def _nonce_use(nonce: str):
    try:
        payload = signing.loads(nonce, salt=NONCE_SALT)
    except signing.BadSignature as error:
        raise ExchangeError("invalid_nonce", "The proof's nonce is not one of this issuer's.") from error
    expires = datetime.datetime.fromtimestamp(payload["exp"], tz=datetime.UTC)
    if expires <= timezone.now():
        raise ExchangeError("invalid_nonce", "The proof's nonce has expired: get a new one.")
    if not Nonce.objects.get_or_create(value=payload["n"], defaults={"expires_at": expires})[1]:
        raise ExchangeError("invalid_nonce", "The proof's nonce was used already: get a new one.")


def credential_issue(*, token: str, proof_jwt: str, configuration: str | None = None) -> WalletCopy:
    """OpenID4VCI §8: check the access token and the key proof and, once the learner approves the proof's key,
    deliver the credential bound to it. The nonce is spent even when the learner has not decided yet."""
    access = AccessToken.objects.filter(token_hash=_hash(token or ""), expires_at__gt=timezone.now()).first()
    if access is None:
        raise ExchangeError("invalid_token", "The access token is not valid.", 401)
    try:
        holder, nonce = holder_of_proof(proof_jwt, audience=settings.REGISTRY_PUBLIC_URL)
    except ProofRefused as error:
        raise ExchangeError("invalid_proof", str(error)) from error
    _nonce_use(nonce)
    offer = open_offer(access.offer_id)
    if configuration not in (None, offer.configuration):
        raise ExchangeError("unknown_credential_configuration", f"This offer is for {offer.configuration}.")
    return _deliver_when_approved(offer.pk, holder, WalletCopy.Protocol.OID4VCI)


def purge_expired(now=None) -> int:
    """Delete the records of used nonces past their expiry, and expired access tokens; returns how many."""
    now = now or timezone.now()
    return (
        Nonce.objects.filter(expires_at__lte=now).delete()[0]
        + AccessToken.objects.filter(expires_at__lte=now).delete()[0]
    )


def _hash(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()
