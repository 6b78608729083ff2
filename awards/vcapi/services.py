"""VC-API issuing and verification: the VC Data Model checks, then the registry's signing key or its verifier.

Issuing signs outside input with the registry's key, so it runs within the verifier's cost limits (a document that
asks for too much JSON-LD work is refused, not signed) and every credential signed is recorded with its caller.
Verification is ``awards.verification.verify``, the same verdict as ``/verify/`` and the partner API.
"""

import json
import time
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from config.api import PROBLEM_BASE

from .. import credentials, keys, verification
from ..models import IssuerAPIKey, VCAPIIssuance
from ..vc import data_integrity, limits
from ..vc.presentations import verify_did_authentication
from . import datamodel

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


def issuer_api_key_create(*, name: str, expires_at) -> tuple[IssuerAPIKey, str]:
    """A new issuer key; returns it and its secret, which is shown once and never stored in clear."""
    key = IssuerAPIKey(name=name, expiry_date=expires_at)
    key.full_clean(exclude=["id", "hashed_key", "prefix"])
    return IssuerAPIKey.objects.create_key(name=name, expiry_date=expires_at)


def issue(credential, options, *, user=None, api_key=None) -> dict:
    """``credential`` signed with the registry's active key (eddsa-rdfc-2022), recorded against its caller."""
    errors = _issue_errors(credential, options)
    if errors:
        raise Refused(errors)
    key = keys.active_key()
    deadline = time.monotonic() + settings.VERIFIER_TIME_BUDGET
    try:
        with limits.bounded(verification.work_limits(), deadline=deadline) as budget:
            budget.admit(credential)
            signed = data_integrity.sign(
                credential,
                private_key=keys.private_key(key),
                verification_method=keys.verification_method(key),
                created=credentials.iso(timezone.now()),
            )
    except limits.TooComplex as error:
        raise Refused({"credential": [_("Too complex to sign: %(reason)s") % {"reason": error}]}) from error
    except Exception as error:  # JSON-LD in safe mode: undefined terms, contexts not vendored, protected terms…
        raise Refused({"credential": [_("Not valid JSON-LD: %(reason)s") % {"reason": error}]}) from error
    identifier = credential.get("id") or options.get("credentialId", "")
    VCAPIIssuance.objects.create(
        credential=_compact(signed), credential_id=identifier[:500], signing_key=key, issued_by=user, api_key=api_key
    )
    return signed


def _issue_errors(credential, options):
    errors = datamodel.credential_errors(credential)
    if not isinstance(options, dict):
        return {**errors, "options": [_("The options are a JSON object.")]}
    for name in set(options) - ISSUE_OPTIONS:
        errors[f"options.{name}"] = [_("This issuer does not support this option.")]
    if "credentialId" in options and not datamodel.is_url(options["credentialId"]):
        errors["options.credentialId"] = [_("The credentialId is a URL.")]
    if errors:
        return errors
    issuer = credential["issuer"]
    if (issuer.get("id") if isinstance(issuer, dict) else issuer) != keys.issuer_did():
        errors["issuer"] = [_("This registry issues only as itself: %(did)s.") % {"did": keys.issuer_did()}]
    if "proof" in credential:
        errors["proof"] = [_("The credential is already signed; adding a proof to a proof set is not supported.")]
    if str(credential.get("id", "")).startswith(settings.REGISTRY_PUBLIC_URL + "/"):
        # The registry's own addresses name its awards and endorsements; the verifier looks awards up by them.
        errors["id"] = [_("Credential ids under this registry's address are reserved for its awards.")]
    if _uses_own_status_list(credential.get("credentialStatus")):
        errors["credentialStatus"] = [_("The registry's status lists hold its awards' entries only.")]
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
    share one verification's time budget."""
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
    if "proof" in presentation:
        _check_presentation_proof(presentation, options, checks, problems)
    embedded = presentation.get("verifiableCredential", [])
    embedded = embedded if isinstance(embedded, list) else [embedded]
    with verification.batch(settings.VERIFIER_TIME_BUDGET):
        results = [_result(_verify_embedded(credential)) for credential in embedded]
    verified = not problems and all(result["verified"] for result in results)
    return {
        "verified": verified,
        "checks": checks,
        "warnings": [],
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
