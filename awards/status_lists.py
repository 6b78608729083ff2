"""W3C Bitstring Status List v1.0: the published revocation and suspension lists of this registry."""

import hashlib
import json

from django.core.cache import cache
from django.utils import timezone

from . import credentials, keys
from .models import STATUS_LIST_SIZE, Award, VCAPIIssuance
from .vc import bitstring, data_integrity

PURPOSES = ("revocation", "suspension")


def flagged_indexes(purpose):
    """The awards' flagged indexes in the list of ``purpose``."""
    awards = Award.objects.issued()
    flag = "revoked_at" if purpose == "revocation" else "suspended_at"
    return sorted(awards.filter(**{f"{flag}__isnull": False}).values_list("status_list_index", flat=True))


def issued_revoked_indexes():
    """The revoked indexes of the list of credentials issued through the VC-API (a list of their own)."""
    revoked = VCAPIIssuance.objects.filter(revoked_at__isnull=False, status_list_index__isnull=False)
    return sorted(revoked.values_list("status_list_index", flat=True))


def status_list_credential(purpose):
    """The awards' signed status list credential of ``purpose``, rebuilt whenever a flag changes."""
    return _signed_list(credentials.status_list_url(purpose), purpose, flagged_indexes(purpose))


def issued_status_list_credential():
    """The revocation list of credentials issued through the VC-API."""
    return _signed_list(credentials.issued_status_list_url(), "revocation", issued_revoked_indexes())


def _signed_list(url, purpose, indexes):
    """A Bitstring Status List credential at ``url`` (cached per list content and signing key)."""
    key = keys.active_key()
    cache_key = (
        "status-list:" + hashlib.sha256(json.dumps([url, key.public_key_multibase, indexes]).encode()).hexdigest()
    )
    cached = cache.get(cache_key)
    if cached is not None:
        return cached
    document = {
        "@context": [credentials.VC_CONTEXT],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": keys.issuer_did(),
        "validFrom": credentials.iso(timezone.now()),
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": purpose,
            "encodedList": bitstring.encode(indexes, size=STATUS_LIST_SIZE),
        },
    }
    signed = data_integrity.sign(
        document,
        private_key=keys.private_key(key),
        verification_method=keys.verification_method(key),
        created=document["validFrom"],
    )
    cache.set(cache_key, signed, timeout=None)
    return signed
