"""VC-API issuing and verification: the VC Data Model checks, then the registry's signing key or its verifier.

Issuing signs outside input with the registry's key, so it runs within the verifier's cost limits (a document that
asks for too much JSON-LD work is refused, not signed). Every credential signed is recorded with its caller and
its institution, counted against the issuer key's daily quota, and given an entry in the registry's revocation
list, so that it can be revoked like an award. The issuer is the registry's did:web, or the did:key of its active
key for verifiers that resolve nothing else.
Verification is ``awards.verification.verify``, the same verdict as ``/verify/`` and the partner API.
"""

import json
import time
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from config.api import PROBLEM_BASE

from .. import credentials, keys, status_lists, verification
from ..models import IssuerAPIKey, VCAPIIssuance
from ..services import REVOKE_PERMISSION
from ..vc import data_integrity, jsonld, limits
from ..vc.presentations import verify_did_authentication
from . import datamodel

STATUS_CONTEXT = "https://www.w3.org/ns/credentials/status/v1"
# What VC 1.1's context lacks for DataIntegrityProof, which eddsa-rdfc-2022 adds to a VC 1.1 credential's contexts
# (as Digital Bazaar's issuers do).
DATA_INTEGRITY_CONTEXT = "https://w3id.org/security/data-integrity/v2"
DATA_INTEGRITY_CONTEXTS = (DATA_INTEGRITY_CONTEXT, "https://w3id.org/security/data-integrity/v1")
INDEX_ATTEMPTS = 3  # signings with another index, should others take each one meanwhile
ISSUE_OPTIONS = {"credentialId"}  # VCALM IssueCredentialOptions we act on; mandatoryPointers needs an SD suite
# The property each verdict is about, so a client reads which check failed without parsing sentences.
CHECKED = {
    verification.Verdict.INVALID_SIGNATURE: "proof",
    verification.Verdict.UNVERIFIABLE: "proof",
    verification.Verdict.EXPIRED: "validUntil",
    verification.Verdict.NOT_YET_VALID: "validFrom",
    verification.Verdict.REVOKED: "credentialStatus",
    verification.Verdict.SUSPENDED: "credentialStatus",
    verification.Verdict.MALFORMED: "credential",
    verification.Verdict.TOO_COMPLEX: "credential",
}


class Refused(Exception):
    """The request breaks the rules; ``errors`` says which, by field."""

    def __init__(self, errors):
        super().__init__(errors)
        self.errors = errors


class QuotaExceeded(Exception):
    """The issuer key has had its daily quota of credentials signed."""


class StatusListFull(Exception):
    """No entry of the issued credentials' status list is free."""


def issuer_api_key_create(*, name: str, expires_at, institution=None, daily_quota=None) -> tuple[IssuerAPIKey, str]:
    """A new issuer key of ``institution``; returns it and its secret, which is shown once and never stored in
    clear."""
    fields = {"name": name, "expiry_date": expires_at, "institution": institution}
    if daily_quota is not None:
        fields["daily_quota"] = daily_quota
    IssuerAPIKey(**fields).full_clean(exclude=["id", "hashed_key", "prefix", "institution"])
    return IssuerAPIKey.objects.create_key(**fields)


def issuer_ids(key) -> tuple[str, str]:
    """The identities ``/credentials/issue`` signs as with ``key``: the registry's did:web and the key's did:key."""
    return keys.issuer_did(), keys.did_key(key)


def issue(credential, options, *, user=None, api_key=None) -> dict:
    """``credential`` signed with the registry's active key (eddsa-rdfc-2022), with an entry in the list of
    credentials issued through the VC-API, recorded against its caller; QuotaExceeded when an issuer key has used
    up its day, StatusListFull when the list has no free entry.

    Signing (the costly part, on outside JSON-LD) holds no lock: the credential is signed with a free index, then
    recorded in a short transaction that counts the key's quota under its row lock; an index taken meanwhile by
    another issuance (the unique constraint) means signing again with another."""
    key = keys.active_key()
    errors = _issue_errors(credential, options, key)
    if errors:
        raise Refused(errors)
    if api_key is not None:
        _check_quota(api_key)  # refused before any work; counted again, under the lock, when recorded
    for _attempt in range(INDEX_ATTEMPTS):
        index = _free_index()
        signed = _sign(_prepared(credential, index, key), key)
        try:
            with transaction.atomic():
                if api_key is not None:
                    IssuerAPIKey.objects.select_for_update().filter(pk=api_key.pk).first()
                    _check_quota(api_key)
                _record(signed, credential, options, key=key, index=index, user=user, api_key=api_key)
            return signed
        except IntegrityError:
            continue
    raise StatusListFull(_("No free entry in the status list could be taken; try again."))


def _record(signed, credential, options, *, key, index, user, api_key):
    identifier = credential.get("id") or options.get("credentialId", "")
    VCAPIIssuance.objects.create(
        credential=_compact(signed),
        credential_id=identifier[:500],
        signing_key=key,
        issued_by=user,
        api_key=api_key,
        institution_id=api_key.institution_id if api_key is not None else None,
        status_list_index=index,
    )


def _free_index():
    """A random index no VC-API issuance holds (random, so an index tells nothing of the order)."""
    held = VCAPIIssuance.objects.filter(status_list_index__isnull=False)
    indexes = status_lists.free_indexes(set(held.values_list("status_list_index", flat=True)), 1)
    if indexes is None:
        raise StatusListFull(_("The status list of issued credentials is full."))
    return indexes[0]


def _check_quota(api_key):
    """Refuse the key's next credential once it has had ``daily_quota`` signed in 24 hours."""
    signed_today = VCAPIIssuance.objects.filter(
        api_key=api_key, issued_at__gte=timezone.now() - timedelta(days=1)
    ).count()
    if signed_today >= api_key.daily_quota:
        raise QuotaExceeded(
            _("This issuer key has had its %(quota)d credentials for the last 24 hours signed.")
            % {"quota": api_key.daily_quota}
        )


def _prepared(credential, index, key):
    """The credential with an entry in the registry's revocation list, beside any status it has; a VC 1.1 credential
    also gets the contexts that define the entry and the proof."""
    status_list = credentials.issued_status_list_url(key if _as_did_key(credential) else None)
    entry = credentials.revocation_entry(index, status_list)
    existing = credential.get("credentialStatus")
    status = entry if existing is None else [*(existing if isinstance(existing, list) else [existing]), entry]
    context = credential["@context"] if isinstance(credential["@context"], list) else [credential["@context"]]
    if datamodel.base_context(credential) == datamodel.VC1_CONTEXT:
        defines_proofs = any(url in context for url in DATA_INTEGRITY_CONTEXTS)
        context = [*context, status_terms(), *([] if defines_proofs else [DATA_INTEGRITY_CONTEXT])]
    return {**credential, "@context": context, "credentialStatus": status}


def status_terms():
    """The status context's own definition of BitstringStatusListEntry, as an inline context: the same RDF as naming
    the context's URL, but readable by verifiers that hold only the VC 1.1 and Data Integrity contexts and fetch
    nothing (the W3C eddsa suite's)."""
    definition = jsonld.document_loader(STATUS_CONTEXT)["document"]["@context"]["BitstringStatusListEntry"]
    return {"@protected": True, "BitstringStatusListEntry": definition}


def _as_did_key(credential):
    return verification.issuer_of(credential).startswith("did:key:")


def _sign(credential, key):
    method = keys.did_key_verification_method(key) if _as_did_key(credential) else keys.verification_method(key)
    deadline = time.monotonic() + settings.VERIFIER_TIME_BUDGET
    try:
        with limits.bounded(verification.work_limits(), deadline=deadline) as budget:
            budget.admit(credential)
            return data_integrity.sign(
                credential,
                private_key=keys.private_key(key),
                verification_method=method,
                created=credentials.iso(timezone.now()),
            )
    except limits.TooComplex as error:
        raise Refused({"credential": [_("Too complex to sign: %(reason)s") % {"reason": error}]}) from error
    except Exception as error:  # JSON-LD in safe mode: undefined terms, contexts not vendored, protected terms…
        raise Refused({"credential": [_("Not valid JSON-LD: %(reason)s") % {"reason": error}]}) from error


def issuance_revoke(*, issuance: VCAPIIssuance, user, reason: str) -> VCAPIIssuance:
    """Revoke a credential issued through the VC-API: its bit in the revocation list is set from now on."""
    if not user.has_perm(REVOKE_PERMISSION):
        raise PermissionDenied(_("You do not have permission to change a credential's status."))
    if not reason or not reason.strip():
        raise ValidationError({"reason": _("A reason is required; it is kept in the audit trail.")})
    with transaction.atomic():
        issuance = VCAPIIssuance.objects.select_for_update().get(pk=issuance.pk)  # two revocations: one wins
        if issuance.status_list_index is None:
            raise ValidationError(_("This credential was issued without a status entry; it cannot be revoked."))
        if issuance.is_revoked:
            raise ValidationError(_("This credential is already revoked."))
        issuance.revoked_at = timezone.now()
        issuance.revoked_by = user
        issuance.revocation_reason = reason.strip()
        issuance._history_user = user
        issuance.save(update_fields=["revoked_at", "revoked_by", "revocation_reason"])
    return issuance


def _issue_errors(credential, options, key):
    errors = datamodel.credential_errors(credential)
    if not isinstance(options, dict):
        return {**errors, "options": [_("The options are a JSON object.")]}
    for name in set(options) - ISSUE_OPTIONS:
        errors[f"options.{name}"] = [_("This issuer does not support this option.")]
    if "credentialId" in options and not datamodel.is_url(options["credentialId"]):
        errors["options.credentialId"] = [_("The credentialId is a URL.")]
    if errors:
        return errors
    if verification.issuer_of(credential) not in issuer_ids(key):
        errors["issuer"] = [
            _("This registry issues only as itself: %(dids)s.") % {"dids": " or ".join(issuer_ids(key))}
        ]
    if "proof" in credential:
        errors["proof"] = [_("The credential is already signed; adding a proof to a proof set is not supported.")]
    if str(credential.get("id", "")).startswith(settings.REGISTRY_PUBLIC_URL + "/"):
        # The registry's own addresses name its awards and endorsements; the verifier looks awards up by them.
        errors["id"] = [_("Credential ids under this registry's address are reserved for its awards.")]
    if _uses_own_status_list(credential.get("credentialStatus")):
        errors["credentialStatus"] = [
            _("The registry's status lists hold the entries it gives, none chosen by a caller.")
        ]
    return errors


def _uses_own_status_list(status):
    """Any status list under the registry's address: the verifier reads those from its own lists (by prefix, so
    ``…/status/revocation/?x`` is the revocation list too) and would tie the credential to an award's entry."""
    entries = status if isinstance(status, list) else [status]
    return any(
        isinstance(entry, dict)
        and str(entry.get("statusListCredential", "")).startswith(settings.REGISTRY_PUBLIC_URL + "/")
        for entry in entries
    )


def _compact(document):
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"))


def verify_credential(document) -> dict:
    """VC-API's verification result for one credential: ``verified``, the checks performed, and what failed
    (``errors`` as VC-API names them, ``problemDetails`` as VCALM does)."""
    result = verification.verify(document)
    return _result(result)


def _result(result):
    problems = [] if result.is_valid else [_problem(result)]
    return {
        "verified": result.is_valid,
        "verdict": result.verdict,
        "checks": [str(reason) for reason in result.reasons],
        "warnings": [],
        "errors": problems,
        "problemDetails": problems,
    }


def _problem(result):
    return {
        "type": PROBLEM_BASE + result.verdict.replace("_", "-"),
        "title": str(result.label),
        "detail": str(result.reasons[-1]) if result.reasons else str(result.label),
        "check": CHECKED[result.verdict],
    }


def verify_presentation(presentation, options) -> dict:
    """VC-API's verification result for a presentation: its proof (DID Authentication by its holder, over the
    ``challenge`` and ``domain`` the options give) if it has one, and each credential it carries. Its credentials
    share one verification's time budget, and the presentation as a whole is admitted like one credential (its size,
    arrays and contexts), so that the number of credentials it carries cannot multiply the work."""
    try:
        with limits.bounded(verification.work_limits()) as budget:
            budget.admit(presentation)
    except limits.TooComplex as error:
        raise Refused(
            {"verifiablePresentation": [_("Too complex to verify: %(reason)s") % {"reason": error}]}
        ) from error
    errors = datamodel.presentation_errors(presentation)
    if not isinstance(options, dict):
        errors["options"] = [_("The options are a JSON object.")]
    else:
        for name in ("challenge", "domain"):
            if name in options and not isinstance(options[name], str):
                errors[f"options.{name}"] = [_("A string.")]
    if errors:
        raise Refused(errors)
    checks, problems = [], []
    warnings = []
    if "proof" in presentation:
        _check_presentation_proof(presentation, options, checks, problems)
    else:
        warnings.append(_("The presentation carries no proof: who presents it is not proven, only its credentials."))
    embedded = presentation.get("verifiableCredential", [])
    embedded = embedded if isinstance(embedded, list) else [embedded]
    with verification.batch(settings.VERIFIER_TIME_BUDGET):
        results = [_result(_verify_embedded(credential)) for credential in embedded]
    verified = not problems and all(result["verified"] for result in results)
    return {
        "verified": verified,
        "checks": checks,
        "warnings": warnings,
        "errors": problems + [problem for result in results for problem in result["errors"]],
        "problemDetails": problems,
        "credentialResults": results,
    }


def _verify_embedded(credential):
    if datamodel.is_enveloped(credential):
        return verification.Result(
            verification.Verdict.UNVERIFIABLE, [_("Enveloped credentials (JOSE, COSE) are not verified here.")]
        )
    return verification.verify(credential)


def _check_presentation_proof(presentation, options, checks, problems):
    proof = presentation["proof"]
    proof = proof[0] if isinstance(proof, list) and len(proof) == 1 else proof
    stated = proof if isinstance(proof, dict) else {}
    try:
        holder = verify_did_authentication(
            presentation,
            # Checked when the caller gives them (VCALM); otherwise the proof's own values bind nothing here.
            challenge=options.get("challenge", stated.get("challenge")),
            domain=options.get("domain", stated.get("domain")),
            domain_optional="domain" not in options,
            resolve_did_web=_holder_did_web_key,
        )
    except data_integrity.ProofError as error:
        problems.append(
            {
                "type": PROBLEM_BASE + "invalid-presentation-proof",
                "title": _("Presentation proof invalid"),
                "detail": str(error),
                "check": "proof",
            }
        )
        return
    checks.append(_("The presentation was signed by its holder %(did)s.") % {"did": holder})


def _holder_did_web_key(method):
    """A did:web holder's key, from its DID document (fetched through the outbound guard), where it must be listed
    under ``authentication``."""
    return verification.resolve_key(method, relationship="authentication")


def key_expiry_default():
    return timezone.now() + timedelta(days=IssuerAPIKey.MAX_DAYS)
