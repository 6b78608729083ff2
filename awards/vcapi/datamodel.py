"""The VC Data Model 2.0 rules (§4) a credential or presentation must follow before this registry signs or verifies
it: contexts, identifiers, types, names and descriptions, issuer, subject, validity period, and the typed objects
(status, schemas, evidence, refresh, terms of use). Each function returns the broken rules as ``{field: [message]}``.

VC Data Model 1.1 documents (first context ``https://www.w3.org/2018/credentials/v1``), which wallets, LMSs and the
W3C eddsa suite still send, follow the same rules except the validity period: 1.1 has ``issuanceDate`` (required)
and ``expirationDate`` where 2.0 has ``validFrom`` and ``validUntil``.

These are the rules of the JSON shape; JSON-LD processing, in safe mode, then refuses what they leave through —
undefined terms, contexts that are not vendored, redefined protected terms, malformed value objects.
"""

import re
from datetime import datetime

from django.utils.translation import gettext as _

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
VC1_CONTEXT = "https://www.w3.org/2018/credentials/v1"
BASE_CONTEXTS = (VC_CONTEXT, VC1_CONTEXT)
VALIDITY = {VC_CONTEXT: ("validFrom", "validUntil"), VC1_CONTEXT: ("issuanceDate", "expirationDate")}
# An absolute URL (RFC 3986: a scheme, a colon, then no whitespace); DIDs and URNs are URLs here too.
_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:\S+")
# XML Schema dateTimeStamp: a date-time with a time zone.
_DATE_TIME_STAMP = re.compile(r"-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})")
_LANGUAGE_VALUE_KEYS = {"@value", "@language", "@direction"}
# Properties whose objects must say what they are (§4.10–§4.12, §5.4–§5.6); credentialSchema must also name itself.
_TYPED = ("credentialStatus", "credentialSchema", "evidence", "refreshService", "termsOfUse")


def is_url(value) -> bool:
    return isinstance(value, str) and _URL.fullmatch(value) is not None


def base_context(document) -> str | None:
    """The data model a document follows, by its first context: VC_CONTEXT, VC1_CONTEXT, or None."""
    context = document.get("@context") if isinstance(document, dict) else None
    first = context[0] if isinstance(context, list) and context else context
    return first if first in BASE_CONTEXTS else None


def parse_date_time_stamp(value) -> datetime | None:
    if not isinstance(value, str) or not _DATE_TIME_STAMP.fullmatch(value):
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:  # the shape of a date-time, but no such date (a 13th month, a 10,000th year)
        return None


class _Errors(dict):
    def add(self, field, message):
        self.setdefault(field, []).append(str(message))


def credential_errors(credential, prefix="") -> dict[str, list[str]]:
    errors = _Errors()
    if not isinstance(credential, dict):
        errors.add(prefix.rstrip(".") or "credential", _("A credential is a JSON object."))
        return errors
    _check_context(credential, errors, prefix)
    _check_types(credential, "VerifiableCredential", errors, prefix)
    _check_id(credential, errors, prefix)
    _check_names(credential, errors, prefix)
    _check_issuer(credential.get("issuer"), errors, prefix + "issuer")
    _check_subjects(credential.get("credentialSubject"), errors, prefix + "credentialSubject")
    _check_validity(credential, errors, prefix)
    for name in _TYPED:
        if name in credential:
            _check_typed(name, credential[name], errors, prefix + name)
    if "relatedResource" in credential:
        _check_related_resources(credential["relatedResource"], errors, prefix + "relatedResource")
    return errors


def presentation_errors(presentation) -> dict[str, list[str]]:
    errors = _Errors()
    if not isinstance(presentation, dict):
        errors.add("verifiablePresentation", _("A presentation is a JSON object."))
        return errors
    _check_context(presentation, errors, "")
    _check_types(presentation, "VerifiablePresentation", errors, "")
    _check_id(presentation, errors, "")
    holder = presentation.get("holder")
    if "holder" in presentation and not (is_url(holder) or isinstance(holder, dict) and is_url(holder.get("id"))):
        errors.add("holder", _("The holder is a URL, or an object whose id is a URL."))
    embedded = presentation.get("verifiableCredential", [])
    for index, credential in enumerate(embedded if isinstance(embedded, list) else [embedded]):
        field = f"verifiableCredential[{index}]"
        if isinstance(credential, dict) and is_enveloped(credential):
            if not (isinstance(credential.get("id"), str) and credential["id"].startswith("data:")):
                errors.add(field + ".id", _("An enveloped credential's id is a data: URL."))
        else:
            errors.update(credential_errors(credential, prefix=field + "."))
    return errors


def is_enveloped(credential):
    kind = credential.get("type")
    return kind == "EnvelopedVerifiableCredential" or isinstance(kind, list) and "EnvelopedVerifiableCredential" in kind


def _check_context(document, errors, prefix):
    context = document.get("@context")
    entries = context if isinstance(context, list) else [context]
    if base_context(document) is None:
        errors.add(
            prefix + "@context",
            _("The first @context is %(url)s (or %(v1)s for VC Data Model 1.1).")
            % {"url": VC_CONTEXT, "v1": VC1_CONTEXT},
        )
    elif any(not (is_url(entry) or isinstance(entry, dict)) for entry in entries[1:]):
        errors.add(prefix + "@context", _("Each further @context is a URL or an object."))


def _check_types(document, required, errors, prefix):
    kind = document.get("type")
    types = [kind] if isinstance(kind, str) else kind
    if not isinstance(types, list) or not all(isinstance(item, str) for item in types):
        errors.add(prefix + "type", _("The type is a string or a list of strings."))
    elif required not in types:
        errors.add(prefix + "type", _("The type includes %(type)s.") % {"type": required})


def _check_id(document, errors, prefix):
    if "id" in document and not is_url(document["id"]):
        errors.add(prefix + "id", _("The id is a single URL."))


def _check_names(document, errors, prefix):
    for name in ("name", "description"):
        if name in document and not _is_language_string(document[name]):
            errors.add(
                prefix + name,
                _("A %(property)s is a string, or language values (@value, @language, @direction), or a list of them.")
                % {"property": name},
            )


def _is_language_string(value):
    if isinstance(value, list):
        return bool(value) and all(_is_language_string(item) for item in value)
    if isinstance(value, dict):
        return isinstance(value.get("@value"), str) and set(value) <= _LANGUAGE_VALUE_KEYS
    return isinstance(value, str)


def _check_issuer(issuer, errors, field):
    if isinstance(issuer, dict):
        if not is_url(issuer.get("id")):
            errors.add(field + ".id", _("The issuer's id is a URL."))
        _check_names(issuer, errors, field + ".")
    elif not is_url(issuer):
        errors.add(field, _("The issuer is a URL, or an object whose id is a URL."))


def _check_subjects(subject, errors, field):
    subjects = subject if isinstance(subject, list) else [subject]
    if not subjects or not all(isinstance(item, dict) and item for item in subjects):
        errors.add(field, _("The credentialSubject is one or more objects, each with at least one claim."))
    elif any("id" in item and not is_url(item["id"]) for item in subjects):
        errors.add(field + ".id", _("A subject's id is a single URL."))


def validity_names(document) -> tuple[str, str]:
    """The names of the validity period's start and end in the document's data model (2.0's where it names none)."""
    return VALIDITY.get(base_context(document), VALIDITY[VC_CONTEXT])


def _check_validity(credential, errors, prefix):
    start, end = validity_names(credential)
    if start == "issuanceDate" and start not in credential:
        errors.add(prefix + start, _("A VC Data Model 1.1 credential has an issuanceDate."))
    moments = {}
    for name in (start, end):
        if name in credential:
            moments[name] = parse_date_time_stamp(credential[name])
            if moments[name] is None:
                errors.add(prefix + name, _("A date-time with a time zone (XML Schema dateTimeStamp)."))
    if moments.get(start) and moments.get(end) and moments[end] < moments[start]:
        errors.add(prefix + end, _("The validity period ends before it begins."))


def _check_typed(name, value, errors, field):
    for item in value if isinstance(value, list) else [value]:
        if not isinstance(item, dict):
            errors.add(field, _("Each %(property)s is an object.") % {"property": name})
            continue
        kind = item.get("type")
        if not (isinstance(kind, str) or isinstance(kind, list) and kind and all(isinstance(k, str) for k in kind)):
            errors.add(field + ".type", _("Each %(property)s has a type.") % {"property": name})
        if "id" in item and not is_url(item["id"]) or name == "credentialSchema" and "id" not in item:
            errors.add(field + ".id", _("Each %(property)s's id is a single URL.") % {"property": name})


def _check_related_resources(value, errors, field):
    """§5.3: objects with a unique URL id and a digest (their digests are not checked: that needs fetching)."""
    resources = value if isinstance(value, list) else [value]
    if not resources or not all(isinstance(item, dict) for item in resources):
        errors.add(field, _("The relatedResource is one or more objects."))
        return
    identifiers = [item.get("id") for item in resources]
    if not all(is_url(identifier) for identifier in identifiers):
        errors.add(field + ".id", _("Each related resource has an id, a URL."))
    elif len(set(identifiers)) != len(identifiers):
        errors.add(field + ".id", _("Each related resource's id is unique."))
    if not all("digestSRI" in item or "digestMultibase" in item for item in resources):
        errors.add(field, _("Each related resource has a digestSRI or a digestMultibase."))
