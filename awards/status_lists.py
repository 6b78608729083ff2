"""W3C Bitstring Status List v1.0: the published revocation and suspension lists of this registry."""

import hashlib
import json
import secrets

from django.core.cache import cache
from django.utils import timezone

from . import credentials, keys
from .models import STATUS_LIST_SIZE, Award, VCAPIIssuance
from .vc import bitstring, data_integrity

PURPOSES = ("revocation", "suspension")


def free_indexes(taken, count):
    """``count`` distinct random indexes of a list that are not ``taken`` (random, so an index tells nothing of the
    order); None when the list has fewer free."""
    if count > STATUS_LIST_SIZE - len(taken):
        return None
    free = [index for index in range(STATUS_LIST_SIZE) if index not in taken]
    return secrets.SystemRandom().sample(free, count)


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


def issued_status_list_credential(did_key_of=None):
    """The revocation list of credentials issued through the VC-API, signed as the did:web with the active key, or
    as ``did_key_of``'s did:key with that key. Both lists carry every issuance's bit (one index space)."""
    url = credentials.issued_status_list_url(did_key_of)
    return _signed_list(url, "revocation", issued_revoked_indexes(), did_key_of=did_key_of)


def _signed_list(url, purpose, indexes, did_key_of=None):
    """A Bitstring Status List credential at ``url`` (cached per list content and signing key)."""
    key = did_key_of or keys.active_key()
    issuer, method = (
        (keys.did_key(key), keys.did_key_verification_method(key))
        if did_key_of
        else (keys.issuer_did(), keys.verification_method(key))
    )
    content = json.dumps([url, key.public_key_multibase, indexes]).encode()
    cache_key = "status-list:" + hashlib.sha256(content).hexdigest()
    cached = cache.get(cache_key)
    if cached is not None:
        return cached
    document = {
        "@context": [credentials.VC_CONTEXT],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer,
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
        verification_method=method,
        created=document["validFrom"],
    )
    cache.set(cache_key, signed, timeout=None)
    return signed
