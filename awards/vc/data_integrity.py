"""Data Integrity proofs with the eddsa-rdfc-2022 cryptosuite (W3C VC Data Integrity EdDSA Cryptosuites v1.0).

A document carries one proof, a proof set (a list, §2.1.1 of VC Data Integrity 1.0) or a proof chain (proofs
naming earlier ones in ``previousProof``, §2.1.2). A chained proof signs the document *with the proofs it names*
in its ``proof`` property ("Add Proof Set/Chain", §4.3), so verifying it hashes the same ("Verify Proof Sets and
Chains", §4.5); every proof of the set must verify.
"""

import hashlib

from cryptography.exceptions import InvalidSignature

from . import jsonld, limits
from .multikey import decode_base58btc, encode_base58btc

CRYPTOSUITE = "eddsa-rdfc-2022"
# Each proof costs a key resolution (maybe a fetch) and, when it names other proofs, a canonicalization of its own:
# ten covers an issuer, a notary and a handful of endorsers while keeping the worst case ten times one proof.
MAX_PROOFS = 10


class ProofError(Exception):
    """The proof is missing, malformed or of an unsupported kind."""


class UnsupportedProof(ProofError):
    """There is no proof, or one this library cannot check (another type or cryptosuite)."""


class MalformedProofSet(ProofError):
    """The proofs' ids and ``previousProof`` references do not describe a set or a chain."""


class BrokenChain(ProofError):
    """A proof builds on a proof the document no longer carries."""


def proof_configuration(document, *, verification_method, created, proof_purpose="assertionMethod"):
    return {
        "@context": document["@context"],
        "type": "DataIntegrityProof",
        "cryptosuite": CRYPTOSUITE,
        "created": created,
        "verificationMethod": verification_method,
        "proofPurpose": proof_purpose,
    }


def hash_data(document, proof_config, previous_proofs=()) -> bytes:
    """SHA-256 of the canonical proof configuration followed by SHA-256 of the canonical document, whose ``proof``
    holds only ``previous_proofs`` (those a chained proof names) or nothing."""
    proof_hash = hashlib.sha256(jsonld.canonical_nquads(proof_config).encode()).digest()
    return proof_hash + _document_hash(document, previous_proofs)


def _document_hash(document, previous_proofs):
    unsecured = {key: value for key, value in document.items() if key != "proof"}
    if previous_proofs:
        unsecured["proof"] = list(previous_proofs)
    return hashlib.sha256(jsonld.canonical_nquads(unsecured).encode()).digest()


def sign(document, *, private_key, verification_method, created):
    """Return a copy of ``document`` with an eddsa-rdfc-2022 DataIntegrityProof added."""
    config = proof_configuration(document, verification_method=verification_method, created=created)
    signature = private_key.sign(hash_data(document, config))
    proof = {key: value for key, value in config.items() if key != "@context"}
    proof["proofValue"] = encode_base58btc(signature)
    return {**document, "proof": proof}


def verify(document, public_key):
    """Check every eddsa-rdfc-2022 proof of the document with ``public_key``; raises ProofError if one fails."""
    proofs = ProofSet(document)
    for index in proofs.in_order():
        proofs.verify(index, public_key)


class ProofSet:
    """A document's proofs — one, a set or a chain — checked for shape before any is verified: at most
    ``MAX_PROOFS`` (``limits.TooComplex`` beyond), all eddsa-rdfc-2022 (``UnsupportedProof``), ids unique and every
    ``previousProof`` naming another proof of the set (``MalformedProofSet``, ``BrokenChain``), without cycles."""

    def __init__(self, document):
        self.document = document
        self.proofs = _proof_list(document)
        self._by_id = _index_by_id(self.proofs)
        self._previous = [self._previous_ids(proof) for proof in self.proofs]
        self._order = self._topological_order()
        self._document_hashes = {}  # proofs naming the same previous proofs sign the same document

    def __len__(self):
        return len(self.proofs)

    def in_order(self) -> list[int]:
        """Indexes of the proofs, each after those it names: a chain's root cause is reported before what builds
        on it."""
        return list(self._order)

    def verify(self, index, public_key):
        """Check the proof at ``index`` with ``public_key``; raises ProofError if the signature does not match."""
        proof, previous_ids = self.proofs[index], self._previous[index]
        config = {key: value for key, value in proof.items() if key != "proofValue"}
        config["@context"] = self.document["@context"]
        key = tuple(sorted(previous_ids))
        if key not in self._document_hashes:
            previous = [self._by_id[identifier] for identifier in previous_ids]
            self._document_hashes[key] = _document_hash(self.document, previous)
        try:
            signature = decode_base58btc(proof.get("proofValue", ""))
            proof_hash = hashlib.sha256(jsonld.canonical_nquads(config).encode()).digest()
            public_key.verify(signature, proof_hash + self._document_hashes[key])
        except (InvalidSignature, ValueError) as error:
            raise ProofError("The signature does not match the credential's content.") from error

    def _previous_ids(self, proof):
        named = proof.get("previousProof")
        if named is None:
            return []
        names = [named] if isinstance(named, str) else named
        if not isinstance(names, list) or not all(isinstance(name, str) for name in names):
            raise MalformedProofSet("A proof's previousProof must be a string or a list of strings.")
        if len(names) > MAX_PROOFS:
            raise MalformedProofSet(f"A proof names {len(names):,} previous proofs; a set holds at most {MAX_PROOFS}.")
        unique = list(dict.fromkeys(names))
        for name in unique:
            if name == proof.get("id"):
                raise MalformedProofSet(f"The proof {_shown(name)} names itself as its previous proof.")
            if name not in self._by_id:
                raise BrokenChain(f"A proof builds on the proof {_shown(name)}, which the credential does not carry.")
        return unique

    def _topological_order(self):
        """Indexes of the proofs, each after the proofs it names; MalformedProofSet on a cycle."""
        index_of = {proof["id"]: index for index, proof in enumerate(self.proofs) if "id" in proof}
        order, done, visiting = [], set(), set()

        def visit(index):  # at most MAX_PROOFS deep
            if index in done:
                return
            if index in visiting:
                raise MalformedProofSet("The proofs' previousProof references form a cycle.")
            visiting.add(index)
            for name in self._previous[index]:
                visit(index_of[name])
            visiting.discard(index)
            done.add(index)
            order.append(index)

        for index in range(len(self.proofs)):
            visit(index)
        return order


def _proof_list(document):
    proof = document.get("proof")
    proofs = proof if isinstance(proof, list) else [proof] if isinstance(proof, dict) else []
    if not proofs:
        raise UnsupportedProof("The credential has no eddsa-rdfc-2022 proof.")
    if len(proofs) > MAX_PROOFS:
        raise limits.TooComplex(f"The credential carries {len(proofs):,} proofs; at most {MAX_PROOFS} are verified.")
    for position, candidate in enumerate(proofs, 1):
        if not isinstance(candidate, dict):
            raise MalformedProofSet("Every proof must be a JSON object.")
        kind = (candidate.get("type"), candidate.get("cryptosuite"))
        if kind != ("DataIntegrityProof", CRYPTOSUITE):
            which = f"Proof {position} of {len(proofs)}" if len(proofs) > 1 else "The proof"
            shown = "/".join(_shown(str(part)) for part in kind)
            raise UnsupportedProof(f"{which} is {shown}, which cannot be checked; expected {CRYPTOSUITE}.")
    return proofs


def _index_by_id(proofs):
    by_id = {}
    for proof in proofs:
        if "id" not in proof:
            continue
        identifier = proof["id"]
        if not isinstance(identifier, str):
            raise MalformedProofSet("A proof's id must be a string.")
        if identifier in by_id:
            raise MalformedProofSet(f"Two proofs share the id {_shown(identifier)}.")
        by_id[identifier] = proof
    return by_id


def _shown(identifier, length=100):
    """An id from the document, short enough to quote in a message."""
    return identifier if len(identifier) <= length else identifier[:length] + "…"
