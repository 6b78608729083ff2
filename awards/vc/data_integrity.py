"""Data Integrity proofs with the eddsa-rdfc-2022 cryptosuite (W3C VC Data Integrity EdDSA Cryptosuites v1.0)."""

import hashlib

from cryptography.exceptions import InvalidSignature

from . import jsonld
from .multikey import decode_base58btc, encode_base58btc

CRYPTOSUITE = "eddsa-rdfc-2022"


class ProofError(Exception):
    """The proof is missing, malformed or of an unsupported kind."""


def proof_configuration(document, *, verification_method, created, proof_purpose="assertionMethod"):
    return {
        "@context": document["@context"],
        "type": "DataIntegrityProof",
        "cryptosuite": CRYPTOSUITE,
        "created": created,
        "verificationMethod": verification_method,
        "proofPurpose": proof_purpose,
    }


def hash_data(document, proof_config) -> bytes:
    """SHA-256 of the canonical proof configuration followed by SHA-256 of the canonical document."""
    unsecured = {key: value for key, value in document.items() if key != "proof"}
    proof_hash = hashlib.sha256(jsonld.canonical_nquads(proof_config).encode()).digest()
    document_hash = hashlib.sha256(jsonld.canonical_nquads(unsecured).encode()).digest()
    return proof_hash + document_hash


def sign(document, *, private_key, verification_method, created):
    """Return a copy of ``document`` with an eddsa-rdfc-2022 DataIntegrityProof added."""
    config = proof_configuration(document, verification_method=verification_method, created=created)
    signature = private_key.sign(hash_data(document, config))
    proof = {key: value for key, value in config.items() if key != "@context"}
    proof["proofValue"] = encode_base58btc(signature)
    return {**document, "proof": proof}


def verify(document, public_key):
    """Check the document's eddsa-rdfc-2022 proof with ``public_key``; raises ProofError if it fails."""
    proof = single_proof(document)
    config = {key: value for key, value in proof.items() if key != "proofValue"}
    config["@context"] = document["@context"]
    try:
        signature = decode_base58btc(proof.get("proofValue", ""))
        public_key.verify(signature, hash_data(document, config))
    except (InvalidSignature, ValueError) as error:
        raise ProofError("The signature does not match the credential's content.") from error


def single_proof(document):
    proof = document.get("proof")
    if isinstance(proof, list):
        proofs = [p for p in proof if isinstance(p, dict) and p.get("cryptosuite") == CRYPTOSUITE]
        proof = proofs[0] if len(proofs) == 1 else None
    if not isinstance(proof, dict):
        raise ProofError("The credential has no eddsa-rdfc-2022 proof.")
    if proof.get("type") != "DataIntegrityProof" or proof.get("cryptosuite") != CRYPTOSUITE:
        raise ProofError(f"Unsupported proof {proof.get('type')}/{proof.get('cryptosuite')}; expected {CRYPTOSUITE}.")
    return proof
