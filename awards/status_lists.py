"""W3C Bitstring Status List v1.0: the published revocation and suspension lists of this registry."""

import base64
import gzip
import hashlib
import json

from django.core.cache import cache
from django.utils import timezone

from . import credentials, data_integrity, keys
from .models import STATUS_LIST_SIZE, Award

PURPOSES = ("revocation", "suspension")


def encode(indexes, size=STATUS_LIST_SIZE):
    """GZIP-compressed bitstring, multibase base64url without padding; index 0 is the left-most bit."""
    bits = bytearray(size // 8)
    for index in indexes:
        bits[index // 8] |= 0x80 >> (index % 8)
    return "u" + base64.urlsafe_b64encode(gzip.compress(bytes(bits), mtime=0)).decode().rstrip("=")


def decode(encoded):
    if not encoded.startswith("u"):
        raise ValueError("The encoded list must be multibase base64url (starting with “u”).")
    payload = encoded[1:]
    return gzip.decompress(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def is_set(bitstring, index):
    if index < 0 or index >= len(bitstring) * 8:
        raise ValueError(f"Index {index} is outside the status list.")
    return bool(bitstring[index // 8] & (0x80 >> (index % 8)))


def flagged_indexes(purpose):
    awards = Award.objects.issued()
    awards = (
        awards.filter(revoked_at__isnull=False)
        if purpose == "revocation"
        else awards.filter(suspended_at__isnull=False)
    )
    return sorted(awards.values_list("status_list_index", flat=True))


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
            "encodedList": encode(indexes),
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
