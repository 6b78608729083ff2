"""Holders' DIDs whose key is the identifier itself, read without fetching anything: ``did:key`` (Ed25519 ``z6Mk…``
or P-256 ``zDn…``) and ``did:jwk`` (W3C CCG did:jwk: the base64url of an Ed25519 OKP or P-256 EC public JWK).

A JWK's ``x`` and ``y`` must be canonical base64url (other spellings of the same bytes are refused, not re-encoded),
so each key has one did:jwk made from its RFC 7638 members (``did_jwk_of``) and its members are the holder's,
character for character.

Other DID methods need a resolver: a caller that has one (a did:web fetched through an outbound guard) passes it to
this library, and the resolver raises ``UnresolvableDID`` for a DID it cannot resolve.
"""

import base64
import json
import re

from cryptography.hazmat.primitives.asymmetric.ec import SECP256R1, EllipticCurvePublicKey, EllipticCurvePublicNumbers
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from .multikey import InvalidMultikey, holder_public_key_from_multibase

SELF_CERTIFYING = ("did:key:", "did:jwk:")
# A did:key is at most 57 characters; a did:jwk of a P-256 key carrying alg, use and a thumbprint kid is about 280.
# Bounded before decoding: base58 decoding is quadratic, and so short a JSON text cannot nest deep enough to
# exhaust Python's recursion limit.
MAX_DID_LENGTH = 512
COORDINATE = re.compile(r"[A-Za-z0-9_-]{43}")  # 32 bytes in unpadded base64url, and nothing else
DID_JWK = re.compile(r"did:jwk:([A-Za-z0-9_-]+)")
PRIVATE_MEMBERS = {"d", "p", "q", "dp", "dq", "qi", "oth", "k"}  # RFC 7518 §6: private or symmetric key material
REQUIRED_MEMBERS = {"OKP": ("crv", "kty", "x"), "EC": ("crv", "kty", "x", "y")}  # RFC 7638 §3.2

PublicKey = Ed25519PublicKey | EllipticCurvePublicKey


class InvalidDID(ValueError):
    """The DID or JWK names no usable public key; the message says why, for whoever sent it."""


class UnresolvableDID(Exception):
    """Raised by a DID resolver given to this library; the message is for whoever sent the DID."""


def public_key_of_did(did: str) -> PublicKey:
    """The key of a ``did:key`` or ``did:jwk`` (without its fragment); InvalidDID otherwise."""
    if not isinstance(did, str) or len(did) > MAX_DID_LENGTH:
        raise InvalidDID(f"A did:key or did:jwk is a string of at most {MAX_DID_LENGTH} characters.")
    if did.startswith("did:key:"):
        try:
            return holder_public_key_from_multibase(did[len("did:key:") :])
        except InvalidMultikey as error:
            raise InvalidDID(f"The did:key is not an Ed25519 or P-256 key: {error}") from error
    if not did.startswith("did:jwk:"):
        raise InvalidDID("Only a did:key or a did:jwk carries its key.")
    match = DID_JWK.fullmatch(did)
    try:
        jwk = json.loads(_unb64(match[1]).decode()) if match else None
    except (ValueError, UnicodeDecodeError):  # binascii.Error and JSON errors are ValueErrors
        jwk = None
    if not isinstance(jwk, dict):
        raise InvalidDID("The did:jwk does not hold a JWK in base64url-encoded JSON.")
    if jwk.get("use", "sig") != "sig":
        raise InvalidDID("The did:jwk's key is not for signing (its use is not sig).")
    return public_key_of_jwk(jwk)


def public_key_of_jwk(jwk) -> PublicKey:
    """The public key of an Ed25519 (OKP) or P-256 (EC) JWK; InvalidDID for anything else or any private part."""
    if not isinstance(jwk, dict):
        raise InvalidDID("The jwk must be a JSON object.")
    if PRIVATE_MEMBERS & jwk.keys():
        raise InvalidDID("The jwk holds private key material: send the public key only.")
    curve = (jwk.get("kty"), jwk.get("crv"))
    if curve not in (("OKP", "Ed25519"), ("EC", "P-256")):
        raise InvalidDID("The jwk must be an Ed25519 (OKP) or P-256 (EC) public key.")
    coordinates = [_coordinate(jwk, member) for member in REQUIRED_MEMBERS[jwk["kty"]][2:]]
    if curve == ("OKP", "Ed25519"):
        key = Ed25519PublicKey.from_public_bytes(coordinates[0])
    else:
        try:
            x, y = (int.from_bytes(coordinate, "big") for coordinate in coordinates)
            key = EllipticCurvePublicNumbers(x, y, SECP256R1()).public_key()
        except ValueError as error:
            raise InvalidDID("The jwk's x and y are not a point of the P-256 curve.") from error
    if jwk.get("alg", jose_algorithm(key)) != jose_algorithm(key):
        raise InvalidDID(f"The jwk's alg is not {jose_algorithm(key)}, the algorithm of its key.")
    return key


def did_jwk_of(jwk: dict) -> str:
    """The did:jwk of a valid public ``jwk``: its RFC 7638 members in lexicographic order, without whitespace."""
    public = {member: jwk[member] for member in REQUIRED_MEMBERS[jwk["kty"]]}
    return "did:jwk:" + _b64(json.dumps(public, sort_keys=True, separators=(",", ":")).encode())


def jose_algorithm(key: PublicKey) -> str:
    """The JWS ``alg`` of ``key`` (RFC 8037, RFC 7518)."""
    return "EdDSA" if isinstance(key, Ed25519PublicKey) else "ES256"


def _coordinate(jwk: dict, member: str) -> bytes:
    """The 32 bytes of ``jwk[member]``, which must be spelled as base64url encodes them (no padding, no spare bits)."""
    value = jwk.get(member)
    if not isinstance(value, str) or not COORDINATE.fullmatch(value) or _b64(_unb64(value)) != value:
        raise InvalidDID(f"The jwk's {member} must be 32 bytes in canonical unpadded base64url.")
    return _unb64(value)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(value: str) -> bytes:
    return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
