"""One verification function for every surface: the credential page, the upload form and the API.

``verify(document)`` checks the eddsa-rdfc-2022 proof against the issuer's key (this registry's own keys,
a did:key, or a foreign did:web document fetched through ``config.outbound``), the dates and the status lists.
It returns a verdict for any input and never raises: the document is hostile until proven otherwise.
"""

import contextlib
import contextvars
import hashlib
import logging
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import unquote

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from config import outbound
from config.untrusted_json import JSONTooDeep, json_depth_check, loads_bounded

from . import credentials, keys, status_lists
from .models import Award, SigningKey
from .vc import bitstring, data_integrity, limits
from .vc.dids import UnresolvableDID
from .vc.multikey import InvalidMultikey, public_key_from_multibase
from .vcapi import datamodel

logger = logging.getLogger(__name__)

_deadline = contextvars.ContextVar("verification_deadline", default=None)
# Within a batch: this registry's published keys and flagged status indexes, read once instead of per credential.
_batch_memo = contextvars.ContextVar("verification_batch_memo", default=None)


class Verdict:
    VALID = "valid"
    REVOKED = "revoked"
    SUSPENDED = "suspended"
    EXPIRED = "expired"
    NOT_YET_VALID = "not_yet_valid"
    INVALID_SIGNATURE = "invalid_signature"
    UNVERIFIABLE = "unverifiable"
    MALFORMED = "malformed"
    TOO_COMPLEX = "too_complex"

    LABELS = {  # shown on pages in the visitor's language; the API's codes above stay as they are
        VALID: pgettext_lazy("verdict", "Valid"),
        REVOKED: pgettext_lazy("verdict", "Revoked"),
        SUSPENDED: pgettext_lazy("verdict", "Suspended"),
        EXPIRED: pgettext_lazy("verdict", "Expired"),
        NOT_YET_VALID: pgettext_lazy("verdict", "Not yet valid"),
        INVALID_SIGNATURE: pgettext_lazy("verdict", "Signature invalid"),
        UNVERIFIABLE: pgettext_lazy("verdict", "Cannot be verified"),
        MALFORMED: pgettext_lazy("verdict", "Not a well-formed credential"),
        TOO_COMPLEX: pgettext_lazy("verdict", "Too complex to verify"),
    }


@dataclass
class Result:
    verdict: str
    reasons: list = field(default_factory=list)
    issuer: str = ""
    verification_method: str = ""

    @property
    def label(self):
        return Verdict.LABELS[self.verdict]

    @property
    def is_valid(self):
        return self.verdict == Verdict.VALID


class ResolutionError(UnresolvableDID):  # so the library's presentation checks read it as the resolver's refusal
    pass


def work_limits(operations=None) -> limits.Limits:
    """What one verification may cost (``operations``: the budget, for a batch a larger one)."""
    return limits.Limits(
        max_json_nodes=settings.VERIFIER_MAX_JSON_VALUES,
        max_array_length=settings.VERIFIER_MAX_ARRAY_LENGTH,
        max_contexts=settings.VERIFIER_MAX_CONTEXTS,
        max_quads=settings.VERIFIER_MAX_QUADS,
        max_blank_nodes=settings.VERIFIER_MAX_BLANK_NODES,
        operations=operations or settings.VERIFIER_OPERATION_BUDGET,
    )


@contextlib.contextmanager
def batch(seconds: float):
    """Verify many credentials: one deadline for all their fetches and work, one operation budget
    (``VERIFIER_BATCH_OPERATION_BUDGET``), and this registry's keys and status lists read once for the whole batch
    (a revocation during the batch shows from the next request on)."""
    end = time.monotonic() + seconds
    deadline, memo = _deadline.set(end), _batch_memo.set({})
    try:
        with limits.bounded(work_limits(settings.VERIFIER_BATCH_OPERATION_BUDGET), deadline=end):
            yield
    finally:
        _deadline.reset(deadline)
        _batch_memo.reset(memo)


def _memoized(key, compute):
    memo = _batch_memo.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def verify(document, *, now=None) -> Result:
    token = None
    if _deadline.get() is None:  # the outermost call owns the time budget; status list checks share it
        token = _deadline.set(time.monotonic() + settings.VERIFIER_TIME_BUDGET)
    try:
        with limits.bounded(work_limits(), deadline=_deadline.get()) as budget:
            return _verify(document, now or datetime.now(UTC), budget)
    except Exception:  # a verdict for every input: log what escaped the checks below, never answer with a 500
        logger.exception("Verification failed unexpectedly")
        return Result(Verdict.MALFORMED, [_("The credential could not be processed.")])
    finally:
        if token is not None:
            _deadline.reset(token)


def _verify(document, now, budget):
    if not isinstance(document, dict):
        return Result(Verdict.MALFORMED, [_("The credential must be a JSON object.")])
    try:
        json_depth_check(document)
    except JSONTooDeep as error:
        return Result(Verdict.MALFORMED, [str(error)])
    issuer_id = issuer_of(document)
    try:
        budget.admit(document)
    except limits.TooComplex as error:
        return _too_complex(error, issuer_id)
    try:
        proofs = data_integrity.ProofSet(document)
    except limits.TooComplex as error:
        return _too_complex(error, issuer_id)
    except data_integrity.ProofError as error:
        return Result(_PROOF_SET_VERDICTS.get(type(error), Verdict.UNVERIFIABLE), [str(error)], issuer=issuer_id)
    result = Result(Verdict.VALID, issuer=issuer_id, verification_method=_method(proofs.proofs[0]))
    problem = _signatures_problem(proofs, issuer_id, result)
    if problem is not None:
        return _fail(result, *problem)
    _check_dates(document, now, result)
    if result.verdict == Verdict.MALFORMED:
        return result
    _check_status(document, issuer_id, result)
    return result


# What a proof set's shape says (any other ProofError, e.g. an unsupported proof type, leaves it unverifiable).
_PROOF_SET_VERDICTS = {
    data_integrity.MalformedProofSet: Verdict.MALFORMED,
    data_integrity.BrokenChain: Verdict.INVALID_SIGNATURE,  # a proof was removed from under one that signed it
}


def _method(proof):
    method = proof.get("verificationMethod", "")
    return method if isinstance(method, str) else ""


def _signatures_problem(proofs, issuer_id, result):
    """None when every proof is sound and one at least was made with a key of the issuer, whose method goes in
    ``result`` with a reason saying what was checked; otherwise ``(verdict, reason)``.

    Every proof of a set must verify (VC Data Integrity 1.0, "Verify Proof Sets and Chains"); others than the issuer
    may sign too (a notary counter-signing in a chain) and are named, but the issuer's signature is what makes the
    credential's claims the issuer's."""
    count = len(proofs)
    if count > 1 and not any(_method(proof).split("#")[0] == issuer_id for proof in proofs.proofs):
        # Decided before any key is fetched: each proof may name another did:web host.
        return Verdict.UNVERIFIABLE, _(
            "None of the %(count)d proofs is made with a key of the issuer (%(issuer)s)."
        ) % {
            "count": count,
            "issuer": issuer_id,
        }
    for index in proofs.in_order():
        problem = _signature_problem(proofs, index)
        if problem is not None:
            verdict, reason = problem
            if count > 1:
                reason = _("Proof %(position)d of %(count)d: %(reason)s") % {
                    "position": index + 1,
                    "count": count,
                    "reason": reason,
                }
            return verdict, reason
    signers = list(dict.fromkeys(_method(proofs.proofs[index]) for index in proofs.in_order()))
    by_issuer = [method for method in signers if method.split("#")[0] == issuer_id]
    if not by_issuer:
        # A sound signature by someone else's key proves nothing about this issuer (a set without one is refused
        # before any key is fetched, above).
        reason = _("The signature is intact, but the key (%(key)s) is not the issuer's (%(issuer)s).")
        return Verdict.UNVERIFIABLE, reason % {"key": signers[0].split("#")[0], "issuer": issuer_id}
    result.verification_method = by_issuer[0]
    if count == 1:
        result.reasons.append(_("The signature is valid and was made with a key of the issuer."))
        return None
    result.reasons.append(
        _("All %(count)d proofs are valid, and the issuer made %(issued)d of them.")
        % {"count": count, "issued": sum(1 for index in range(count) if _method(proofs.proofs[index]) in by_issuer)}
    )
    others = [method for method in signers if method not in by_issuer]
    if others:
        result.reasons.append(_("Also signed by %(keys)s.") % {"keys": ", ".join(others)})
    return None


def _signature_problem(proofs, index):
    """None when the proof at ``index`` is sound; otherwise ``(verdict, reason)``."""
    proof = proofs.proofs[index]
    method = proof.get("verificationMethod", "")
    if proof.get("proofPurpose") != "assertionMethod":
        return Verdict.INVALID_SIGNATURE, _("The proof's purpose is not assertionMethod.")
    if not isinstance(method, str) or not method:
        return Verdict.INVALID_SIGNATURE, _("The proof names no verification method.")
    try:
        public_key = resolve_key(method)
    except ResolutionError as error:
        return Verdict.UNVERIFIABLE, str(error)
    try:
        proofs.verify(index, public_key)
    except data_integrity.ProofError as error:
        return Verdict.INVALID_SIGNATURE, str(error)
    except limits.TooComplex as error:
        return Verdict.TOO_COMPLEX, _too_complex_reason(error)
    except Exception as error:  # canonicalization of hostile input: undefined terms, unknown contexts…
        return Verdict.INVALID_SIGNATURE, _("The credential cannot be canonicalized: %(error)s") % {"error": error}
    return None


def _too_complex_reason(error):
    return _("Too complex to verify: %(reason)s Nothing can be said about its signature.") % {"reason": error}


def _too_complex(error, issuer_id):
    return Result(Verdict.TOO_COMPLEX, [_too_complex_reason(error)], issuer=issuer_id)


def _fail(result, verdict, reason):
    result.verdict = verdict
    result.reasons.append(reason)
    return result


def _parse_time(value):
    if not isinstance(value, str):
        raise ValueError(value)
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        raise ValueError(value)  # VC Data Model 2.0: validFrom/validUntil are dateTimeStamps, with a zone
    return parsed


def _check_dates(document, now, result):
    start, end = datamodel.validity_names(document)  # VC 1.1's issuanceDate is when the credential becomes valid
    try:
        valid_from = _parse_time(document[start]) if document.get(start) else None
        valid_until = _parse_time(document[end]) if document.get(end) else None
    except ValueError:
        _fail(result, Verdict.MALFORMED, _("The validity dates must be date-times with a time zone."))
        return
    if valid_from and valid_from > now:
        _fail(
            result,
            Verdict.NOT_YET_VALID,
            _("The credential is valid only from %(date)s.") % {"date": document[start]},
        )
    elif valid_until and valid_until < now:
        _fail(result, Verdict.EXPIRED, _("The credential expired on %(date)s.") % {"date": document[end]})


def _check_status(document, issuer_id, result):
    entries = document.get("credentialStatus")
    entries = entries if isinstance(entries, list) else [entries] if entries else []
    for entry in entries:
        if not isinstance(entry, dict) or entry.get("type") != "BitstringStatusListEntry":
            kind = entry.get("type") if isinstance(entry, dict) else "(malformed)"
            result.reasons.append(_("Status method %(kind)s is not checked.") % {"kind": kind})
            continue
        purpose = entry.get("statusPurpose")
        try:
            flagged = _status_flag(entry, issuer_id)
        except (ResolutionError, ValueError, KeyError, TypeError) as error:
            _fail(
                result,
                Verdict.UNVERIFIABLE,
                _("The %(purpose)s status could not be checked: %(error)s") % {"purpose": purpose, "error": error},
            )
            continue
        if flagged and purpose == "revocation":
            _fail(result, Verdict.REVOKED, _("The issuer has revoked this credential."))
        elif flagged and purpose == "suspension" and result.verdict == Verdict.VALID:
            _fail(result, Verdict.SUSPENDED, _("The issuer has suspended this credential."))
    own = _own_award(document)
    if own is not None and own.is_suspended and result.verdict == Verdict.VALID:
        # OB 3.0 allows one credentialStatus (revocation); suspension is read from our own list.
        _fail(result, Verdict.SUSPENDED, _("The issuer has suspended this credential."))


def _status_flag(entry, issuer_id):
    url = entry["statusListCredential"]
    index = int(entry["statusListIndex"])
    purpose = entry["statusPurpose"]
    if not isinstance(url, str) or purpose not in status_lists.PURPOSES:
        raise ValueError("the status entry is malformed")
    if _is_own(url):
        if url.startswith(credentials.absolute(credentials.ISSUED_STATUS_LISTS)):
            revoked = _memoized("issued revoked", lambda: set(status_lists.issued_revoked_indexes()))
            return purpose == "revocation" and index in revoked
        return index in _memoized(("flagged", purpose), lambda: set(status_lists.flagged_indexes(purpose)))
    status_credential = _fetch_json(url, "the status list")
    if verify(status_credential).verdict != Verdict.VALID:
        raise ResolutionError("the status list credential does not verify")
    if issuer_of(status_credential) != issuer_id:
        raise ResolutionError("the status list is not published by the credential's issuer")
    subject = status_credential["credentialSubject"]
    return bitstring.is_set(bitstring.decode(subject["encodedList"]), index)


def issuer_of(document):
    """The issuer's id, given as a string or as an object's ``id``; "" when there is none usable."""
    issuer = document.get("issuer")
    identifier = issuer.get("id") if isinstance(issuer, dict) else issuer
    return identifier if isinstance(identifier, str) else ""


def own_award_id(document) -> uuid.UUID | None:
    """The id of this registry's award that ``document`` claims to be, if it claims one."""
    identifier = document.get("id", "") if isinstance(document, dict) else ""
    prefix = credentials.absolute("/credentials/")
    if not isinstance(identifier, str) or not identifier.startswith(prefix):
        return None
    try:
        return uuid.UUID(identifier[len(prefix) :].strip("/"))
    except ValueError:
        return None


def _own_award(document):
    pk = own_award_id(document)
    return Award.objects.filter(pk=pk).first() if pk is not None else None


def _is_own(url):
    return url.startswith(settings.REGISTRY_PUBLIC_URL + "/")


def resolve_key(method, relationship="assertionMethod"):
    """The public key for a verification method id (did:web of this registry, foreign did:web, did:key); a did:web
    key must be listed under ``relationship`` in its DID document (``authentication`` for a holder's proof)."""
    did, _, fragment = method.partition("#")
    if did == keys.issuer_did():
        published = _memoized("own keys", lambda: {k.key_id: k for k in SigningKey.objects.published()})
        key = published.get(fragment)
        if key is None:
            raise ResolutionError("The signing key is not in the issuer's DID document (unknown or compromised).")
        return public_key_from_multibase(key.public_key_multibase)
    if did.startswith("did:key:"):
        multibase = did[len("did:key:") :]
        if multibase in _memoized("compromised keys", _compromised_multibases):
            # The registry's own key under its did:key name (VC-API issuing): a did:key cannot be rotated away,
            # so a key marked compromised is refused here as it is removed from the did:web document.
            raise ResolutionError("The signing key is one of this registry's keys marked compromised.")
        try:
            return public_key_from_multibase(multibase)
        except InvalidMultikey as error:
            raise ResolutionError(str(error)) from error
    if did.startswith("did:web:"):
        return _resolve_did_web(did, method, relationship)
    raise ResolutionError(f"Keys of {did or 'this issuer'} cannot be resolved (did:web and did:key are supported).")


def _compromised_multibases():
    return set(
        SigningKey.objects.filter(status=SigningKey.Status.COMPROMISED).values_list("public_key_multibase", flat=True)
    )


def did_web_url(did):
    parts = [unquote(part) for part in did[len("did:web:") :].split(":")]
    host, path = parts[0], parts[1:]
    return f"https://{host}/{'/'.join(path)}/did.json" if path else f"https://{host}/.well-known/did.json"


def _resolve_did_web(did, method, relationship):
    whose = "the issuer's" if relationship == "assertionMethod" else "the holder's"
    document = _fetch_json(did_web_url(did), f"{whose} DID document")
    if not isinstance(document, dict) or document.get("id") != did:
        raise ResolutionError("The DID document does not describe this DID.")
    listed = _list(document.get(relationship))
    identifiers = (item.get("id") if isinstance(item, dict) else item for item in listed)
    allowed = {identifier for identifier in identifiers if isinstance(identifier, str)}  # a foreign document: any JSON
    if method not in allowed:
        raise ResolutionError(f"The key is not authorised for {relationship} in the DID document.")
    for candidate in _list(document.get("verificationMethod")) + [a for a in listed if isinstance(a, dict)]:
        if isinstance(candidate, dict) and candidate.get("id") == method and candidate.get("publicKeyMultibase"):
            try:
                return public_key_from_multibase(candidate["publicKeyMultibase"])
            except (InvalidMultikey, TypeError, ValueError) as error:
                raise ResolutionError(f"{whose.capitalize()} key is not a usable Ed25519 Multikey.") from error
    raise ResolutionError(f"The key is not in {whose} DID document.")


def _list(value):
    return value if isinstance(value, list) else []


def fetch_policy():
    return outbound.Policy(
        timeout=settings.VERIFIER_FETCH_TIMEOUT,
        max_bytes=settings.VERIFIER_FETCH_MAX_BYTES,
        allowed_networks=tuple(settings.VERIFIER_FETCH_ALLOWED_NETWORKS),
        cafile=settings.VERIFIER_FETCH_CA_FILE,
    )


def _fetch_json(url, what):
    """A foreign JSON document, through the outbound guard and a short cache.

    Whatever went wrong, the person who sent the URL reads one message: socket errors, addresses and status
    codes would turn this verifier into a scanner of the server's network. The detail goes to the log.
    """
    cache_key = "verifier:fetch:" + hashlib.sha256(url.encode("utf-8", "replace")).hexdigest()
    cached = cache.get(cache_key)
    if cached is None:
        try:
            deadline = _deadline.get() or time.monotonic() + settings.VERIFIER_TIME_BUDGET
            cached = {"document": loads_bounded(outbound.get(url, policy=fetch_policy(), deadline=deadline))}
            cache.set(cache_key, cached, settings.VERIFIER_CACHE_SECONDS)
        except (outbound.FetchRefused, ValueError) as error:
            logger.info("Verifier fetch of %s refused or failed: %s", url, error)
            cached = {"error": True}
            cache.set(cache_key, cached, settings.VERIFIER_NEGATIVE_CACHE_SECONDS)
    if "error" in cached:
        raise ResolutionError(f"{what[0].upper()}{what[1:]} could not be retrieved.")
    return cached["document"]
