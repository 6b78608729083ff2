"""Who may sign DID Authentication (awards.vc.presentations): did:key and did:jwk holders, whose key is the DID
itself, and did:web holders through the resolver the caller gives. Presentations are signed here by hand
(eddsa-rdfc-2022), the resolver is a stub: nothing is fetched."""

import base64
import json

import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from awards.vc.data_integrity import ProofError, hash_data
from awards.vc.dids import UnresolvableDID
from awards.vc.multikey import P256_PUB, encode_base58btc, public_key_multibase
from awards.vc.presentations import verify_did_authentication

CHALLENGE, DOMAIN = "c-123", "registry.example.edu"
WEB_DID = "did:web:wallet.example:alice"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def did_key(key) -> str:
    return "did:key:" + public_key_multibase(key.public_key())


def did_jwk(key) -> str:
    x = _b64(key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw))
    return "did:jwk:" + _b64(json.dumps({"kty": "OKP", "crv": "Ed25519", "x": x, "use": "sig"}).encode())


def signed(key, method, *, holder=None):
    """A DID Authentication presentation signed by ``key`` as ``method``; its holder is the method's DID unless
    ``holder`` is given."""
    document = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiablePresentation"],
        "holder": holder or method.split("#")[0],
    }
    proof = {
        "type": "DataIntegrityProof", "cryptosuite": "eddsa-rdfc-2022", "created": "2026-12-02T00:00:00Z",
        "verificationMethod": method, "proofPurpose": "authentication", "challenge": CHALLENGE, "domain": DOMAIN,
    }  # fmt: skip
    proof["proofValue"] = encode_base58btc(key.sign(hash_data(document, {**proof, "@context": document["@context"]})))
    return {**document, "proof": proof}


def verify(presentation, **options):
    return verify_did_authentication(presentation, challenge=CHALLENGE, domain=DOMAIN, **options)


class StubResolver:
    """A did:web resolver as the registry's: the key listed under ``authentication`` for each method id."""

    def __init__(self, keys):
        self.keys, self.asked = keys, []

    def __call__(self, method):
        self.asked.append(method)
        if method not in self.keys:
            raise UnresolvableDID("The key is not authorised for authentication in the DID document.")
        return self.keys[method].public_key()


def test_a_did_key_holder_is_the_did_that_signed():
    key = Ed25519PrivateKey.generate()
    did = did_key(key)
    assert verify(signed(key, f"{did}#{did[8:]}")) == did


def test_a_did_jwk_holder_is_the_did_that_signed_as_the_wallet_wrote_it():
    key = Ed25519PrivateKey.generate()
    did = did_jwk(key)
    assert verify(signed(key, f"{did}#0")) == did


def test_a_did_web_holder_is_the_did_that_signed_with_a_key_its_resolver_gives():
    key = Ed25519PrivateKey.generate()
    resolver = StubResolver({f"{WEB_DID}#auth-1": key})
    assert verify(signed(key, f"{WEB_DID}#auth-1"), resolve_did_web=resolver) == WEB_DID
    assert resolver.asked == [f"{WEB_DID}#auth-1"]


def test_a_did_web_key_not_listed_for_authentication_is_refused_with_the_resolver_s_reason():
    key = Ed25519PrivateKey.generate()
    resolver = StubResolver({f"{WEB_DID}#auth-1": key})  # #assert-1 is only an assertionMethod key
    with pytest.raises(ProofError, match="cannot be resolved: The key is not authorised for authentication"):
        verify(signed(key, f"{WEB_DID}#assert-1"), resolve_did_web=resolver)


def test_a_did_web_presentation_signed_by_another_key_than_the_one_resolved_is_refused():
    key = Ed25519PrivateKey.generate()
    resolver = StubResolver({f"{WEB_DID}#auth-1": Ed25519PrivateKey.generate()})
    with pytest.raises(ProofError, match="signature does not match"):
        verify(signed(key, f"{WEB_DID}#auth-1"), resolve_did_web=resolver)


def test_a_did_web_holder_without_a_resolver_is_refused():
    key = Ed25519PrivateKey.generate()
    with pytest.raises(ProofError, match="did:web holder cannot be resolved here"):
        verify(signed(key, f"{WEB_DID}#auth-1"))


def test_the_resolver_is_not_asked_for_a_presentation_over_another_challenge():
    key = Ed25519PrivateKey.generate()
    resolver = StubResolver({f"{WEB_DID}#auth-1": key})
    with pytest.raises(ProofError, match="challenge"):
        verify_did_authentication(
            signed(key, f"{WEB_DID}#auth-1"), challenge="other", domain=DOMAIN, resolve_did_web=resolver
        )
    assert resolver.asked == []


@pytest.mark.parametrize("holder_of", [did_key, did_jwk, lambda key: WEB_DID])
def test_a_holder_other_than_the_did_that_signed_is_refused(holder_of):
    key = Ed25519PrivateKey.generate()
    did = did_jwk(key)
    presentation = signed(key, f"{did}#0", holder={"id": holder_of(Ed25519PrivateKey.generate())})
    with pytest.raises(ProofError, match="holder is not the DID that signed it"):
        verify(presentation, resolve_did_web=StubResolver({}))


@pytest.mark.parametrize("did", ["did:example:123", "did:ion:EiAbc", "https://wallet.example/alice"])
def test_a_holder_of_another_did_method_is_refused(did):
    key = Ed25519PrivateKey.generate()
    with pytest.raises(ProofError, match="holder must be a did:key, did:jwk or did:web"):
        verify(signed(key, f"{did}#key-1"), resolve_did_web=StubResolver({}))


def test_a_p256_holder_is_refused_since_both_proof_kinds_are_ed25519():
    p256 = ec.generate_private_key(ec.SECP256R1()).public_key()
    did = "did:key:" + encode_base58btc(P256_PUB + p256.public_bytes(Encoding.X962, PublicFormat.CompressedPoint))
    with pytest.raises(ProofError, match="not an Ed25519 key"):
        verify(signed(Ed25519PrivateKey.generate(), f"{did}#{did[8:]}"))


@pytest.mark.parametrize("encoded", ["not*base64", _b64(b"[]"), _b64(b'{"kty": "OKP", "crv": "Ed25519", "d": "x"}')])
def test_a_did_jwk_that_holds_no_public_ed25519_jwk_is_refused(encoded):
    with pytest.raises(ProofError, match="holder's key is not readable"):
        verify(signed(Ed25519PrivateKey.generate(), f"did:jwk:{encoded}#0"))
