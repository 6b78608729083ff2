"""One verification function for every surface: the credential page, the upload form and the API.

``verify(document)`` checks the eddsa-rdfc-2022 proof against the issuer's key (this registry's own keys,
a did:key, or a foreign did:web document fetched with strict bounds), the dates and the status lists.
"""

import json
import urllib.request
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import unquote, urlsplit

from django.conf import settings

from . import credentials, data_integrity, keys, status_lists
from .models import Award, SigningKey
from .multikey import InvalidMultikey, public_key_from_multibase


class Verdict:
    VALID = "valid"
    REVOKED = "revoked"
    SUSPENDED = "suspended"
    EXPIRED = "expired"
    NOT_YET_VALID = "not_yet_valid"
    INVALID_SIGNATURE = "invalid_signature"
    UNVERIFIABLE = "unverifiable"

    LABELS = {
        VALID: "Valid",
        REVOKED: "Revoked",
        SUSPENDED: "Suspended",
        EXPIRED: "Expired",
        NOT_YET_VALID: "Not yet valid",
        INVALID_SIGNATURE: "Signature invalid",
        UNVERIFIABLE: "Cannot be verified",
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


class ResolutionError(Exception):
    pass


def verify(document, *, now=None) -> Result:
    now = now or datetime.now(UTC)
    if not isinstance(document, dict):
        return Result(Verdict.UNVERIFIABLE, ["The credential must be a JSON object."])
    issuer = document.get("issuer")
    issuer_id = issuer.get("id") if isinstance(issuer, dict) else issuer
    try:
        proof = data_integrity.single_proof(document)
    except data_integrity.ProofError as error:
        return Result(Verdict.UNVERIFIABLE, [str(error)], issuer=issuer_id or "")
    method = proof.get("verificationMethod", "")
    result = Result(Verdict.VALID, issuer=issuer_id or "", verification_method=method)
    if proof.get("proofPurpose") != "assertionMethod":
        return _fail(result, Verdict.INVALID_SIGNATURE, "The proof's purpose is not assertionMethod.")
    if not isinstance(method, str):
        return _fail(result, Verdict.INVALID_SIGNATURE, "The proof names no verification method.")
    try:
        public_key = resolve_key(method)
    except ResolutionError as error:
        return _fail(result, Verdict.UNVERIFIABLE, str(error))
    try:
        data_integrity.verify(document, public_key)
    except data_integrity.ProofError as error:
        return _fail(result, Verdict.INVALID_SIGNATURE, str(error))
    except Exception as error:  # canonicalization of hostile input: undefined terms, unknown contexts…
        return _fail(result, Verdict.INVALID_SIGNATURE, f"The credential cannot be canonicalized: {error}")
    if method.split("#")[0] != issuer_id:
        # A sound signature by someone else's key proves nothing about this issuer.
        return _fail(
            result,
            Verdict.UNVERIFIABLE,
            f"The signature is intact, but the key ({method.split('#')[0]}) is not the issuer's ({issuer_id}).",
        )
    result.reasons.append("The signature is valid and was made with a key of the issuer.")
    _check_dates(document, now, result)
    _check_status(document, result)
    return result


def _fail(result, verdict, reason):
    result.verdict = verdict
    result.reasons.append(reason)
    return result


def _parse_time(value):
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def _check_dates(document, now, result):
    try:
        valid_from = _parse_time(document["validFrom"]) if document.get("validFrom") else None
        valid_until = _parse_time(document["validUntil"]) if document.get("validUntil") else None
    except ValueError:
        _fail(result, Verdict.UNVERIFIABLE, "The validity dates are not valid date-times.")
        return
    if valid_from and valid_from > now:
        _fail(result, Verdict.NOT_YET_VALID, f"The credential is valid only from {document['validFrom']}.")
    elif valid_until and valid_until < now:
        _fail(result, Verdict.EXPIRED, f"The credential expired on {document['validUntil']}.")


def _check_status(document, result):
    entries = document.get("credentialStatus")
    entries = entries if isinstance(entries, list) else [entries] if entries else []
    for entry in entries:
        if entry.get("type") != "BitstringStatusListEntry":
            result.reasons.append(f"Status method {entry.get('type')} is not checked.")
            continue
        purpose = entry.get("statusPurpose")
        try:
            flagged = _status_flag(entry)
        except (ResolutionError, ValueError, KeyError) as error:
            _fail(result, Verdict.UNVERIFIABLE, f"The {purpose} status list could not be checked: {error}")
            continue
        if flagged and purpose == "revocation":
            _fail(result, Verdict.REVOKED, "The issuer has revoked this credential.")
        elif flagged and purpose == "suspension" and result.verdict == Verdict.VALID:
            _fail(result, Verdict.SUSPENDED, "The issuer has suspended this credential.")
    own = _own_award(document)
    if own is not None and own.is_suspended and result.verdict == Verdict.VALID:
        # OB 3.0 allows one credentialStatus (revocation); suspension is read from our own list.
        _fail(result, Verdict.SUSPENDED, "The issuer has suspended this credential.")


def _status_flag(entry):
    url = entry["statusListCredential"]
    index = int(entry["statusListIndex"])
    purpose = entry["statusPurpose"]
    if _is_own(url):
        return index in status_lists.flagged_indexes(purpose)
    status_credential = _fetch_json(url)
    issuer_result = verify(status_credential)
    if issuer_result.verdict not in (Verdict.VALID,):
        raise ResolutionError("the status list credential does not verify")
    subject = status_credential["credentialSubject"]
    return status_lists.is_set(status_lists.decode(subject["encodedList"]), index)


def _own_award(document):
    identifier = document.get("id", "")
    prefix = credentials.absolute("/credentials/")
    if not isinstance(identifier, str) or not identifier.startswith(prefix):
        return None
    try:
        return Award.objects.filter(pk=identifier[len(prefix) :].strip("/")).first()
    except ValueError:
        return None


def _is_own(url):
    return url.startswith(settings.REGISTRY_PUBLIC_URL + "/")


def resolve_key(method):
    """The public key for a verification method id (did:web of this registry, foreign did:web, did:key)."""
    did, _, fragment = method.partition("#")
    if did == keys.issuer_did():
        key = SigningKey.objects.published().filter(key_id=fragment).first()
        if key is None:
            raise ResolutionError("The signing key is not in the issuer's DID document (unknown or compromised).")
        return public_key_from_multibase(key.public_key_multibase)
    if did.startswith("did:key:"):
        try:
            return public_key_from_multibase(did[len("did:key:") :])
        except InvalidMultikey as error:
            raise ResolutionError(str(error)) from error
    if did.startswith("did:web:"):
        return _resolve_did_web(did, method)
    raise ResolutionError(f"Keys of {did or 'this issuer'} cannot be resolved (did:web and did:key are supported).")


def did_web_url(did):
    parts = [unquote(part) for part in did[len("did:web:") :].split(":")]
    host, path = parts[0], parts[1:]
    return f"https://{host}/{'/'.join(path)}/did.json" if path else f"https://{host}/.well-known/did.json"


def _resolve_did_web(did, method):
    document = _fetch_json(did_web_url(did))
    if document.get("id") != did:
        raise ResolutionError("The DID document does not describe this issuer.")
    assertion = document.get("assertionMethod", [])
    allowed = {item if isinstance(item, str) else item.get("id") for item in assertion}
    if method not in allowed:
        raise ResolutionError("The key is not authorised for assertions in the issuer's DID document.")
    for candidate in document.get("verificationMethod", []) + [a for a in assertion if isinstance(a, dict)]:
        if candidate.get("id") == method and candidate.get("publicKeyMultibase"):
            try:
                return public_key_from_multibase(candidate["publicKeyMultibase"])
            except InvalidMultikey as error:
                raise ResolutionError(str(error)) from error
    raise ResolutionError("The key is not in the issuer's DID document.")


def _fetch_json(url):
    """GET a JSON document over HTTPS with a timeout and a size limit."""
    if urlsplit(url).scheme != "https":
        raise ResolutionError(f"Refusing to fetch {url}: only https is allowed.")
    request = urllib.request.Request(url, headers={"Accept": "application/json, application/did+json"})
    try:
        with urllib.request.urlopen(request, timeout=settings.VERIFIER_FETCH_TIMEOUT) as response:  # noqa: S310
            body = response.read(settings.VERIFIER_FETCH_MAX_BYTES + 1)
    except OSError as error:
        raise ResolutionError(f"Could not fetch {url}: {error}") from error
    if len(body) > settings.VERIFIER_FETCH_MAX_BYTES:
        raise ResolutionError(f"{url} is larger than {settings.VERIFIER_FETCH_MAX_BYTES} bytes.")
    try:
        return json.loads(body)
    except ValueError as error:
        raise ResolutionError(f"{url} is not JSON.") from error
