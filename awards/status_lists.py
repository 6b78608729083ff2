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
    awards = Award.objects.issued()
    if purpose == "suspension":
        return sorted(awards.filter(suspended_at__isnull=False).values_list("status_list_index", flat=True))
    revoked = set(awards.filter(revoked_at__isnull=False).values_list("status_list_index", flat=True))
    revoked.update(
        VCAPIIssuance.objects.filter(revoked_at__isnull=False, status_list_index__isnull=False).values_list(
            "status_list_index", flat=True
        )
    )
    return sorted(revoked)


def status_list_credential(purpose):
    """The signed status list credential, rebuilt whenever a flag changes (cached per list content)."""
    indexes = flagged_indexes(purpose)
    key = keys.active_key()
    cache_key = (
        "status-list:" + hashlib.sha256(json.dumps([purpose, key.public_key_multibase, indexes]).encode()).hexdigest()
    )
    cached = cache.get(cache_key)
    if cached is not None:
        return cached
    url = credentials.status_list_url(purpose)
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
