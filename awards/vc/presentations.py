"""DID Authentication: checking a holder's signed Verifiable Presentation (VCALM "DIDAuthentication" query).

A wallet proves control of a DID by signing an empty presentation over the verifier's ``challenge`` and
``domain``, or over the challenge alone where the verifier allows it (the DCC Learner Credential Wallet's request
link signs no domain). Two proof kinds are accepted, both Ed25519 over RDFC-1.0 canonical N-Quads and hashed the
same way (SHA-256 of the proof options, then of the document):

- ``Ed25519Signature2020`` (W3C CCG Ed25519 Signature 2020), which the DCC Learner Credential Wallet signs with;
- ``DataIntegrityProof`` with the ``eddsa-rdfc-2022`` cryptosuite (W3C VC Data Integrity EdDSA Cryptosuites).

The holder is the DID that signed, named by the proof's ``verificationMethod``; both proof kinds need an Ed25519
key. A ``did:key`` or ``did:jwk`` holder's key is the identifier itself, so nothing is fetched. A ``did:web`` holder
is accepted only where the caller gives a resolver (``resolve_did_web``: verification method id → Ed25519 public
key, raising ``dids.UnresolvableDID``), which must take the key from those the DID document lists under
``authentication``: this library fetches nothing itself.
"""

import hmac

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from . import limits
from .data_integrity import CRYPTOSUITE, ProofError, hash_data
from .dids import SELF_CERTIFYING, InvalidDID, UnresolvableDID, public_key_of_did
from .multikey import MAX_ENCODED_LENGTH, InvalidMultikey, decode_base58btc

ED25519_2020 = "Ed25519Signature2020"
# What a verifiable presentation request may name in ``acceptedCryptosuites``: Data Integrity cryptosuite names
# only. Ed25519Signature2020 is a proof type of its own, which the request has no place for; it is accepted all
# the same, because wallets such as LCW sign with it whatever the request names.
ACCEPTED_CRYPTOSUITES = (CRYPTOSUITE,)
# A did:key and its key fragment are under 120 characters, a did:jwk of an Ed25519 key carrying alg, use and a
# thumbprint kid about 200; callers store the DID as the holder.
MAX_METHOD_LENGTH = 256


def verify_did_authentication(
    presentation, *, challenge: str, domain: str, domain_optional: bool = False, resolve_did_web=None
) -> str:
    """The holder DID that signed ``presentation`` for this ``challenge`` and ``domain``; ProofError otherwise.
    With ``domain_optional``, a proof without a domain passes too (one with another domain never does): only a
    challenge that is the verifier's secret then ties the presentation to this verifier."""
    if not isinstance(presentation, dict) or "VerifiablePresentation" not in _types(presentation):
        raise ProofError("Expected a VerifiablePresentation.")
    if "@context" not in presentation:
        raise ProofError("The presentation has no @context.")
    proof = presentation.get("proof")
    if isinstance(proof, list) and len(proof) == 1:
        proof = proof[0]
    if not isinstance(proof, dict):
        raise ProofError("The presentation carries no single proof.")
    kind = (proof.get("type"), proof.get("cryptosuite"))
    if kind not in ((ED25519_2020, None), ("DataIntegrityProof", CRYPTOSUITE)):
        raise ProofError(f"Unsupported proof {kind[0]}; use {ED25519_2020} or {CRYPTOSUITE}.")
    if proof.get("proofPurpose") != "authentication":
        raise ProofError("The proof's purpose must be authentication.")
    answered = proof.get("challenge")  # the verifier's secret (a wallet offer's): compared in constant time
    if not isinstance(answered, str) or not hmac.compare_digest(_utf8(answered), _utf8(challenge)):
        raise ProofError("The challenge does not match this exchange.")
    if proof.get("domain") != domain and not (domain_optional and "domain" not in proof):
        raise ProofError("The domain does not match this registry.")
    method = proof.get("verificationMethod")
    if not isinstance(method, str) or len(method) > MAX_METHOD_LENGTH:
        raise ProofError(f"The proof's verificationMethod must be a string of at most {MAX_METHOD_LENGTH} characters.")
    did = method.split("#")[0]
    _check_did_method(did, resolve_did_web)
    holder = presentation.get("holder")
    holder_id = holder.get("id") if isinstance(holder, dict) else holder
    if holder_id not in (None, did):
        raise ProofError("The presentation's holder is not the DID that signed it.")
    proof_value = proof.get("proofValue")
    if not isinstance(proof_value, str) or len(proof_value) > MAX_ENCODED_LENGTH:
        raise ProofError(f"The proof's proofValue must be a string of at most {MAX_ENCODED_LENGTH} characters.")
    try:
        signature = decode_base58btc(proof_value)
    except InvalidMultikey as error:
        raise ProofError("The presentation's signature is not readable.") from error
    options = {key: value for key, value in proof.items() if key != "proofValue"}
    options["@context"] = presentation["@context"]
    try:
        with limits.bounded() as budget:  # a wallet's presentation is outside input like any credential
            budget.admit(presentation)
            signed = hash_data(presentation, options)
    except limits.TooComplex as error:
        raise ProofError(f"The presentation is too complex to verify: {error}") from error
    except Exception as error:  # canonicalization of hostile input: undefined terms, unknown contexts…
        raise ProofError("The presentation cannot be canonicalized.") from error
    public_key = _holder_key(did, method, resolve_did_web)  # last: a did:web costs a fetch
    try:
        public_key.verify(signature, signed)
    except InvalidSignature as error:
        raise ProofError("The presentation's signature does not match.") from error
    return did


def _check_did_method(did: str, resolve_did_web):
    if did.startswith("did:web:") and resolve_did_web is None:
        raise ProofError("A did:web holder cannot be resolved here: sign with a did:key or did:jwk.")
    if not did.startswith((*SELF_CERTIFYING, "did:web:")):
        methods = "did:key, did:jwk or did:web" if resolve_did_web else "did:key or did:jwk"
        raise ProofError(f"The holder must be a {methods}.")


def _holder_key(did: str, method: str, resolve_did_web) -> Ed25519PublicKey:
    if did.startswith("did:web:"):
        try:
            key = resolve_did_web(method)
        except UnresolvableDID as error:
            raise ProofError(f"The holder's key cannot be resolved: {error}") from error
    else:
        try:
            key = public_key_of_did(did)
        except InvalidDID as error:
            raise ProofError(f"The holder's key is not readable: {error}") from error
    if not isinstance(key, Ed25519PublicKey):
        raise ProofError(f"The holder's key is not an Ed25519 key, which {ED25519_2020} and {CRYPTOSUITE} sign with.")
    return key


def _types(node) -> list:
    kind = node.get("type", [])
    return [kind] if isinstance(kind, str) else kind if isinstance(kind, list) else []


def _utf8(text: str) -> bytes:
    """``text`` as bytes, lone surrogates included: JSON may carry "\\ud800", which plain UTF-8 cannot encode."""
    return text.encode("utf-8", "surrogatepass")
