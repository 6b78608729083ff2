"""OpenID4VCI jwt key proofs (wallets/proofs.py): Ed25519 (EdDSA) and P-256 (ES256) keys named by a did:key or did:jwk
``kid`` or a bare ``jwk``, bound to the wallet's DID as sent; anything else refused before it costs much. The proofs
are built here with ``cryptography`` alone."""

import base64
import json
import time

import base58
import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from wallets.proofs import MAX_KID_LENGTH, ProofRefused, holder_of_proof

AUDIENCE = "https://registry.example.edu"


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class Key:
    """A wallet's key pair: ``curve`` "Ed25519" or "P-256"."""

    def __init__(self, curve: str):
        self.curve = curve
        self.private = Ed25519PrivateKey.generate() if curve == "Ed25519" else ec.generate_private_key(ec.SECP256R1())
        self.alg = "EdDSA" if curve == "Ed25519" else "ES256"

    def jwk(self) -> dict:
        public = self.private.public_key()
        if self.curve == "Ed25519":
            return {"kty": "OKP", "crv": "Ed25519", "x": b64(public.public_bytes(Encoding.Raw, PublicFormat.Raw))}
        numbers = public.public_numbers()
        x, y = (b64(coordinate.to_bytes(32, "big")) for coordinate in (numbers.x, numbers.y))
        return {"kty": "EC", "crv": "P-256", "x": x, "y": y}

    def did_key(self) -> str:
        public = self.private.public_key()
        if self.curve == "Ed25519":
            return (
                "did:key:z"
                + base58.b58encode(b"\xed\x01" + public.public_bytes(Encoding.Raw, PublicFormat.Raw)).decode()
            )
        compressed = public.public_bytes(Encoding.X962, PublicFormat.CompressedPoint)
        return "did:key:z" + base58.b58encode(b"\x80\x24" + compressed).decode()  # multicodec p256-pub, 0x1200

    def did_jwk(self, jwk=None) -> str:
        return "did:jwk:" + b64(json.dumps(jwk or self.jwk()).encode())

    def sign(self, data: bytes) -> bytes:
        if self.curve == "Ed25519":
            return self.private.sign(data)
        r, s = decode_dss_signature(self.private.sign(data, ec.ECDSA(hashes.SHA256())))
        return r.to_bytes(32, "big") + s.to_bytes(32, "big")  # JWS's raw r || s (RFC 7518 §3.4)


def proof(key: Key, *, alg=None, nonce="n-1", **names) -> str:
    header = {"typ": "openid4vci-proof+jwt", "alg": alg or key.alg, **names}
    claims = {"aud": AUDIENCE, "iat": int(time.time()), "nonce": nonce}
    signing_input = b64(json.dumps(header).encode()) + "." + b64(json.dumps(claims).encode())
    return signing_input + "." + b64(key.sign(signing_input.encode()))


def holder(token: str) -> str:
    return holder_of_proof(token, audience=AUDIENCE)[0]


def refusal(token: str) -> str:
    with pytest.raises(ProofRefused) as refused:
        holder_of_proof(token, audience=AUDIENCE)
    return str(refused.value)


CURVES = ["Ed25519", "P-256"]


@pytest.mark.parametrize("curve", CURVES)
def test_a_did_key_kid_binds_to_that_did(curve):
    key = Key(curve)
    did = key.did_key()
    assert did.startswith("did:key:z6Mk" if curve == "Ed25519" else "did:key:zDn")
    assert holder_of_proof(proof(key, kid=f"{did}#{did[8:]}"), audience=AUDIENCE) == (did, "n-1")


@pytest.mark.parametrize("curve", CURVES)
def test_a_did_jwk_kid_binds_to_the_did_exactly_as_the_wallet_wrote_it(curve):
    key = Key(curve)
    jwk = {"use": "sig", **dict(reversed(key.jwk().items())), "alg": key.alg}  # members in the wallet's own order
    did = key.did_jwk(jwk)
    assert holder(proof(key, kid=f"{did}#0")) == did


@pytest.mark.parametrize("curve", CURVES)
def test_a_bare_jwk_binds_to_the_did_jwk_of_its_rfc_7638_members(curve):
    key = Key(curve)
    jwk = key.jwk()
    canonical = json.dumps({name: jwk[name] for name in sorted(jwk)}, separators=(",", ":"))
    assert holder(proof(key, jwk={**jwk, "alg": key.alg, "kid": "key-1"})) == "did:jwk:" + b64(canonical.encode())


@pytest.mark.parametrize(("curve", "alg"), [("Ed25519", "ES256"), ("P-256", "EdDSA")])
def test_a_proof_whose_alg_is_not_its_key_s_is_refused(curve, alg):
    key = Key(curve)
    assert "not " + alg in refusal(proof(key, alg=alg, kid=key.did_key()))


@pytest.mark.parametrize("alg", ["HS256", "none", "ES384", "RS256"])
def test_a_proof_with_an_algorithm_not_advertised_is_refused(alg):
    assert "EdDSA or ES256" in refusal(proof(Key("P-256"), alg=alg, jwk=Key("P-256").jwk()))


def test_a_jwk_whose_alg_member_is_not_its_key_s_is_refused():
    key = Key("P-256")
    assert "alg" in refusal(proof(key, jwk={**key.jwk(), "alg": "ES384"}))


def test_a_proof_signed_by_another_key_than_the_one_named_is_refused():
    assert "does not verify" in refusal(proof(Key("P-256"), kid=Key("P-256").did_key()))


@pytest.mark.parametrize("curve", CURVES)
def test_a_private_key_in_the_jwk_is_refused(curve):
    key = Key(curve)
    assert "private" in refusal(proof(key, jwk={**key.jwk(), "d": b64(b"\x01" * 32)}))


def test_a_private_key_in_a_did_jwk_is_refused():
    key = Key("Ed25519")
    assert "private" in refusal(proof(key, kid=key.did_jwk({**key.jwk(), "d": b64(b"\x01" * 32)}) + "#0"))


def test_a_did_jwk_for_encryption_is_refused():
    key = Key("P-256")
    assert "use" in refusal(proof(key, kid=key.did_jwk({**key.jwk(), "use": "enc"}) + "#0"))


def test_an_oversized_kid_is_refused_before_it_is_decoded():
    key = Key("P-256")
    padded = key.did_jwk({**key.jwk(), "padding": "p" * MAX_KID_LENGTH})
    assert f"at most {MAX_KID_LENGTH}" in refusal(proof(key, kid=padded + "#0"))


def test_a_did_jwk_nesting_deep_is_refused_not_a_server_error():
    key = Key("Ed25519")
    assert "JWK" in refusal(proof(key, kid="did:jwk:" + b64(b"[" * 100 + b"]" * 100)))


@pytest.mark.parametrize("encoded", ["not*base64", "e", b64(b"not json"), b64(b'"a string"')])
def test_a_did_jwk_that_does_not_hold_a_jwk_is_refused(encoded):
    assert refusal(proof(Key("Ed25519"), kid=f"did:jwk:{encoded}#0"))


def test_an_oversized_proof_is_refused():
    key = Key("Ed25519")
    assert "at most" in refusal(proof(key, jwk=key.jwk(), nonce="n" * 5000))


@pytest.mark.parametrize(
    "change",
    [
        {"x": "A" * 42 + "B"},  # spare bits set: the same bytes as "A" * 43, spelled otherwise
        {"x": "A" * 44},
        {"x": 7},
        {"y": "A" * 43},  # a point off the curve
        {"crv": "P-384"},
        {"kty": "RSA"},
    ],
)
def test_a_jwk_that_is_not_a_canonical_p256_key_is_refused(change):
    key = Key("P-256")
    assert refusal(proof(key, jwk={**key.jwk(), **change}))


@pytest.mark.parametrize(
    "kid", ["did:web:example.org#key-1", "https://wallet.example/key", "did:key:z6Mk", "did:key:zQ3s"]
)
def test_a_kid_that_is_not_an_ed25519_or_p256_did_key_or_did_jwk_is_refused(kid):
    assert refusal(proof(Key("Ed25519"), kid=kid))


def test_a_proof_naming_its_key_both_ways_is_refused():
    key = Key("Ed25519")
    assert "either" in refusal(proof(key, kid=key.did_key(), jwk=key.jwk()))
