"""OpenID4VCI key proofs (§F.1, proof type ``jwt``): the holder's key, from a ``did:key`` ``kid`` or a ``jwk``.

The proof is a JWS the wallet signs with the key the credential will be bound to: header ``typ``
``openid4vci-proof+jwt`` and ``alg`` ``EdDSA``; claims ``aud`` (this credential issuer), ``iat`` and ``nonce``
(a ``c_nonce`` from the nonce endpoint). The credential's subject becomes the ``did:key`` or a ``did:jwk``.
"""

import base64
import json
import re
import time

import jwt
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from awards.vc.multikey import InvalidMultikey, public_key_from_multibase

PROOF_TYPE = "openid4vci-proof+jwt"
MAX_AGE_SECONDS = 300  # a proof signed longer ago than this is a replay, not a fresh request
MAX_KID_LENGTH = 256  # an Ed25519 did:key is 56 characters, and base58 decoding takes quadratic time
ED25519_X = re.compile(r"[A-Za-z0-9_-]{43}")  # 32 bytes in unpadded base64url, and nothing else


class ProofRefused(Exception):
    pass


def holder_of_proof(token: str, *, audience: str) -> tuple[str, str]:
    """``(holder DID, nonce)`` of a valid key proof for ``audience``; ProofRefused otherwise."""
    try:
        header = jwt.get_unverified_header(token or "")
    except jwt.PyJWTError as error:
        raise ProofRefused("The key proof is not a JWT.") from error
    if header.get("typ") != PROOF_TYPE or header.get("alg") != "EdDSA":
        raise ProofRefused(f"The key proof must be an EdDSA JWT of type {PROOF_TYPE}.")
    holder, key = _holder_key(header)
    try:
        claims = jwt.decode(
            token, key, algorithms=["EdDSA"], audience=audience, options={"require": ["aud", "iat", "nonce"]}
        )
    except jwt.PyJWTError as error:
        raise ProofRefused(f"The key proof does not verify: {error}.") from error
    if not time.time() - MAX_AGE_SECONDS <= claims["iat"] <= time.time() + 60:
        raise ProofRefused("The key proof was not signed just now.")
    return holder, str(claims["nonce"])


def _holder_key(header) -> tuple[str, Ed25519PublicKey]:
    kid, jwk = header.get("kid"), header.get("jwk")
    if bool(kid) == bool(jwk):
        raise ProofRefused("The key proof must name its key by either kid (a did:key) or jwk.")
    if kid:
        if not isinstance(kid, str) or len(kid) > MAX_KID_LENGTH:
            raise ProofRefused("The kid must be a did:key URL.")
        did = kid.split("#")[0]
        if not did.startswith("did:key:"):
            raise ProofRefused("Only did:key identifiers are resolved for kid.")
        try:
            return did, public_key_from_multibase(did[len("did:key:") :])
        except (InvalidMultikey, ValueError) as error:
            raise ProofRefused("The did:key is not an Ed25519 key.") from error
    if not isinstance(jwk, dict) or jwk.get("kty") != "OKP" or jwk.get("crv") != "Ed25519" or "d" in jwk:
        raise ProofRefused("The jwk must be a public Ed25519 (OKP) key.")
    if not isinstance(jwk.get("x"), str) or not ED25519_X.fullmatch(jwk["x"]):
        raise ProofRefused("The jwk's x must be 32 bytes in unpadded base64url.")
    try:
        key = jwt.PyJWK({"kty": "OKP", "crv": "Ed25519", "x": jwk["x"]}, algorithm="EdDSA").key
    except jwt.PyJWTError as error:
        raise ProofRefused("The jwk is not a usable Ed25519 key.") from error
    # Re-encoded from the key, so that each key has one did:jwk whichever spare bits the wallet's x carried.
    x = base64.urlsafe_b64encode(key.public_bytes(Encoding.Raw, PublicFormat.Raw)).rstrip(b"=").decode()
    public = {"crv": "Ed25519", "kty": "OKP", "x": x}
    encoded = base64.urlsafe_b64encode(json.dumps(public, separators=(",", ":")).encode()).rstrip(b"=").decode()
    return f"did:jwk:{encoded}", key
