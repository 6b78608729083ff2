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

import time

import jwt

from awards.vc.dids import (
    SELF_CERTIFYING,
    InvalidDID,
    PublicKey,
    did_jwk_of,
    jose_algorithm,
    public_key_of_did,
    public_key_of_jwk,
)

from .models import HOLDER_MAX_LENGTH

PROOF_TYPE = "openid4vci-proof+jwt"
ALGORITHMS = ("EdDSA", "ES256")  # what the issuer metadata advertises: Ed25519 and P-256 keys
MAX_AGE_SECONDS = 300  # a proof signed longer ago than this is a replay, not a fresh request
MAX_PROOF_LENGTH = 4096  # a proof with the longest kid below is under 1 KB
# The DID is stored as the holder, so no longer than the holder columns (awards.vc.dids bounds it again).
MAX_KID_LENGTH = HOLDER_MAX_LENGTH


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
    algorithm = jose_algorithm(key)
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


def _holder_key(header) -> tuple[str, PublicKey]:
    kid, jwk = header.get("kid"), header.get("jwk")
    if bool(kid) == bool(jwk):
        raise ProofRefused("The key proof must name its key by either kid (a did:key or did:jwk) or jwk.")
    try:
        if kid:
            holder = _did_of_kid(kid)
            return holder, public_key_of_did(holder)
        key = public_key_of_jwk(jwk)
        return did_jwk_of(jwk), key
    except InvalidDID as error:
        raise ProofRefused(str(error)) from error


def _did_of_kid(kid) -> str:
    if not isinstance(kid, str) or len(kid) > MAX_KID_LENGTH:
        raise ProofRefused(f"The kid must be a did:key or did:jwk URL of at most {MAX_KID_LENGTH} characters.")
    did = kid.split("#")[0]
    if not did.startswith(SELF_CERTIFYING):
        raise ProofRefused("The kid must be a did:key or did:jwk URL.")
    return did
