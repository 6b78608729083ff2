"""OpenID4VCI key proofs (Appendix F.1, proof type ``jwt``): the holder's key and the DID the credential is bound to.

The proof is a JWS the wallet signs with the key the credential will be bound to: header ``typ``
``openid4vci-proof+jwt`` and ``alg`` ``EdDSA`` (an Ed25519 key) or ``ES256`` (a P-256 key); claims ``aud`` (this
credential issuer), ``iat`` and ``nonce`` (a ``c_nonce`` from the nonce endpoint). The header names the key in one
of two ways, and the credential's subject is the wallet's DID as it sent it:

- ``kid``, a DID URL: a ``did:key`` (Ed25519 ``z6Mk…`` or P-256 ``zDn…``) or a ``did:jwk``. The holder is the DID
  exactly as sent (the part before ``#``), since that is the string the wallet knows itself by; its key comes from
  the DID itself, so nothing is fetched.
- ``jwk``, a bare public key: the wallet sent a key, not a DID, so its DID is that key's ``did:jwk``, written with the
  members RFC 7638 names for the key (``crv``, ``kty``, ``x`` and, for P-256, ``y``) in lexicographic order with no
  whitespace (the one standard serialisation of a JWK) and the wallet's own ``x`` and ``y``. Those must be
  canonical base64url (other spellings of the same bytes are refused, not re-encoded), so each key has one such
  DID and its members are the wallet's, character for character.
"""

import base64
import json
import re
import time

import jwt
from cryptography.hazmat.primitives.asymmetric.ec import SECP256R1, EllipticCurvePublicKey, EllipticCurvePublicNumbers
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from awards.vc.multikey import InvalidMultikey, holder_public_key_from_multibase
from config.untrusted_json import loads_bounded

from .models import HOLDER_MAX_LENGTH

PROOF_TYPE = "openid4vci-proof+jwt"
ALGORITHMS = ("EdDSA", "ES256")  # what the issuer metadata advertises: Ed25519 and P-256 keys
MAX_AGE_SECONDS = 300  # a proof signed longer ago than this is a replay, not a fresh request
MAX_PROOF_LENGTH = 4096  # a proof with the longest kid below is under 1 KB
# A did:key is at most 57 characters and base58 decoding takes quadratic time (multikey bounds it again); a did:jwk
# of a P-256 key carrying alg, use and a thumbprint kid is about 280, and its JSON is decoded. The DID is stored as
# the holder, so no longer than the holder columns.
MAX_KID_LENGTH = HOLDER_MAX_LENGTH
COORDINATE = re.compile(r"[A-Za-z0-9_-]{43}")  # 32 bytes in unpadded base64url, and nothing else
DID_JWK = re.compile(r"did:jwk:([A-Za-z0-9_-]+)")
PRIVATE_MEMBERS = {"d", "p", "q", "dp", "dq", "qi", "oth", "k"}  # RFC 7518 §6: private or symmetric key material
REQUIRED_MEMBERS = {"OKP": ("crv", "kty", "x"), "EC": ("crv", "kty", "x", "y")}  # RFC 7638 §3.2

PublicKey = Ed25519PublicKey | EllipticCurvePublicKey


class ProofRefused(Exception):
    pass


def holder_of_proof(token: str, *, audience: str) -> tuple[str, str]:
    """``(holder DID, nonce)`` of a valid key proof for ``audience``; ProofRefused otherwise."""
    if not isinstance(token, str) or len(token) > MAX_PROOF_LENGTH:
        raise ProofRefused(f"The key proof must be a JWT of at most {MAX_PROOF_LENGTH} characters.")
    try:
        header = jwt.get_unverified_header(token)
    except jwt.PyJWTError as error:
        raise ProofRefused("The key proof is not a JWT.") from error
    if header.get("typ") != PROOF_TYPE or header.get("alg") not in ALGORITHMS:
        raise ProofRefused(f"The key proof must be a JWT of type {PROOF_TYPE} signed with EdDSA or ES256.")
    holder, key = _holder_key(header)
    algorithm = _algorithm_of(key)
    if header["alg"] != algorithm:
        raise ProofRefused(f"The key proof's key is signed with {algorithm}, not {header['alg']}.")
    try:
        claims = jwt.decode(
            token, key, algorithms=[algorithm], audience=audience, options={"require": ["aud", "iat", "nonce"]}
        )
    except jwt.PyJWTError as error:
        raise ProofRefused(f"The key proof does not verify: {error}.") from error
    if not time.time() - MAX_AGE_SECONDS <= claims["iat"] <= time.time() + 60:
        raise ProofRefused("The key proof was not signed just now.")
    return holder, str(claims["nonce"])


def _algorithm_of(key: PublicKey) -> str:
    return "EdDSA" if isinstance(key, Ed25519PublicKey) else "ES256"


def _holder_key(header) -> tuple[str, PublicKey]:
    kid, jwk = header.get("kid"), header.get("jwk")
    if bool(kid) == bool(jwk):
        raise ProofRefused("The key proof must name its key by either kid (a did:key or did:jwk) or jwk.")
    if kid:
        return _holder_of_kid(kid)
    key = _public_key_of_jwk(jwk)
    public = {member: jwk[member] for member in REQUIRED_MEMBERS[jwk["kty"]]}
    return "did:jwk:" + _b64(json.dumps(public, sort_keys=True, separators=(",", ":")).encode()), key


def _holder_of_kid(kid) -> tuple[str, PublicKey]:
    if not isinstance(kid, str) or len(kid) > MAX_KID_LENGTH:
        raise ProofRefused(f"The kid must be a did:key or did:jwk URL of at most {MAX_KID_LENGTH} characters.")
    did = kid.split("#")[0]
    if did.startswith("did:key:"):
        try:
            return did, holder_public_key_from_multibase(did[len("did:key:") :])
        except InvalidMultikey as error:
            raise ProofRefused(f"The did:key is not an Ed25519 or P-256 key: {error}") from error
    match = DID_JWK.fullmatch(did)
    if match is None:
        raise ProofRefused("The kid must be a did:key or did:jwk URL.")
    try:
        jwk = loads_bounded(_unb64(match[1]).decode())
    except (ValueError, UnicodeDecodeError) as error:  # binascii.Error and JSON errors are ValueErrors
        raise ProofRefused("The did:jwk does not hold a JWK in base64url-encoded JSON.") from error
    if isinstance(jwk, dict) and jwk.get("use", "sig") != "sig":
        raise ProofRefused("The did:jwk's key is not for signing (its use is not sig).")
    return did, _public_key_of_jwk(jwk)


def _public_key_of_jwk(jwk) -> PublicKey:
    """The public key of an Ed25519 (OKP) or P-256 (EC) JWK; ProofRefused for anything else or any private part."""
    if not isinstance(jwk, dict):
        raise ProofRefused("The jwk must be a JSON object.")
    if PRIVATE_MEMBERS & jwk.keys():
        raise ProofRefused("The jwk holds private key material: send the public key only.")
    curve = (jwk.get("kty"), jwk.get("crv"))
    if curve not in (("OKP", "Ed25519"), ("EC", "P-256")):
        raise ProofRefused("The jwk must be an Ed25519 (OKP) or P-256 (EC) public key.")
    coordinates = [_coordinate(jwk, member) for member in REQUIRED_MEMBERS[jwk["kty"]][2:]]
    if curve == ("OKP", "Ed25519"):
        key = Ed25519PublicKey.from_public_bytes(coordinates[0])
    else:
        try:
            x, y = (int.from_bytes(coordinate, "big") for coordinate in coordinates)
            key = EllipticCurvePublicNumbers(x, y, SECP256R1()).public_key()
        except ValueError as error:
            raise ProofRefused("The jwk's x and y are not a point of the P-256 curve.") from error
    if jwk.get("alg", _algorithm_of(key)) != _algorithm_of(key):
        raise ProofRefused(f"The jwk's alg is not {_algorithm_of(key)}, the algorithm of its key.")
    return key


def _coordinate(jwk: dict, member: str) -> bytes:
    """The 32 bytes of ``jwk[member]``, which must be spelled as base64url encodes them (no padding, no spare bits)."""
    value = jwk.get(member)
    if not isinstance(value, str) or not COORDINATE.fullmatch(value) or _b64(_unb64(value)) != value:
        raise ProofRefused(f"The jwk's {member} must be 32 bytes in canonical unpadded base64url.")
    return _unb64(value)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(value: str) -> bytes:
    return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
