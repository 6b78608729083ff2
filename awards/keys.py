"""Issuer identity (did:web) and its Ed25519 keys: generation, encryption at rest, rotation, compromise."""

import base64
from datetime import datetime
from urllib.parse import urlsplit

from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import Award, SigningKey
from .vc.multikey import private_key_from_multibase, private_key_multibase, public_key_multibase


class NoActiveKey(Exception):
    """No signing key: run ``manage.py signing_keys generate``."""


def issuer_did():
    """did:web of the public host; a port is percent-encoded (did:web:host%3A8000)."""
    host = urlsplit(settings.REGISTRY_PUBLIC_URL).netloc
    return "did:web:" + host.replace(":", "%3A")


def verification_method(key):
    return f"{issuer_did()}#{key.key_id}"


def did_key(key):
    """The key as a did:key identity: the VC-API may sign as it, for verifiers that resolve did:key only (the W3C
    eddsa suite's). It is the same key pair as the did:web's method, so it names the same issuer; unlike the
    did:web it cannot be rotated away, which is why the verifier refuses a did:key of a compromised key."""
    return "did:key:" + key.public_key_multibase


def did_key_verification_method(key):
    return f"{did_key(key)}#{key.public_key_multibase}"


def _fernet():
    # The key-encryption key is derived from a secret that lives only in the environment.
    secret = settings.REGISTRY_KEY_SECRET.encode()
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"registry signing keys").derive(secret)
    return Fernet(base64.urlsafe_b64encode(derived))


def private_key(key):
    return private_key_from_multibase(_fernet().decrypt(key.encrypted_private_key.encode()).decode())


def active_key():
    key = SigningKey.objects.filter(status=SigningKey.Status.ACTIVE).first()
    if key is None:
        raise NoActiveKey("No active signing key; run `manage.py signing_keys generate`.")
    return key


@transaction.atomic
def generate_key():
    """Create a new key and make it the active one; the previous active key is retired, not deleted."""
    now = timezone.now()
    SigningKey.objects.filter(status=SigningKey.Status.ACTIVE).update(status=SigningKey.Status.RETIRED, retired_at=now)
    secret = Ed25519PrivateKey.generate()
    return SigningKey.objects.create(
        key_id=f"key-{datetime.now(tz=now.tzinfo).strftime('%Y%m%d%H%M%S%f')}",
        public_key_multibase=public_key_multibase(secret.public_key()),
        encrypted_private_key=_fernet().encrypt(private_key_multibase(secret).encode()).decode(),
    )


def ensure_key():
    """The active key, generated on first use (development and tests)."""
    try:
        return active_key()
    except NoActiveKey:
        return generate_key()


@transaction.atomic
def mark_compromised(key):
    """Remove ``key`` from the DID document; returns the awards it signed, which no longer verify."""
    key.status = SigningKey.Status.COMPROMISED
    key.compromised_at = timezone.now()
    key.save(update_fields=["status", "compromised_at"])
    return Award.objects.filter(signing_key=key).select_related("learner", "program")


def did_document():
    did = issuer_did()
    keys = list(SigningKey.objects.published().order_by("created_at"))
    methods = [
        {
            "id": f"{did}#{key.key_id}",
            "type": "Multikey",
            "controller": did,
            "publicKeyMultibase": key.public_key_multibase,
        }
        for key in keys
    ]
    return {
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
        "id": did,
        "verificationMethod": methods,
        "assertionMethod": [method["id"] for method in methods],
    }
