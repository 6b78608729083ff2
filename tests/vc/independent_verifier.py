"""A verifier that shares no code with awards.*: PyLD's own URDNA2015, PyNaCl (libsodium) and base58.

Used only by tests, so every credential the registry signs is checked by a second, separate path.
"""

import hashlib
import json
from pathlib import Path

import base58
from nacl.exceptions import BadSignatureError
from nacl.signing import VerifyKey
from pyld import jsonld

CONTEXTS = Path(__file__).resolve().parents[2] / "awards" / "vc" / "standards" / "contexts"


def _loader(url, options=None):
    index = json.loads((CONTEXTS / "index.json").read_text())
    return {"contextUrl": None, "documentUrl": url, "document": json.loads((CONTEXTS / index[url]).read_text())}


def _canonical(document):
    return jsonld.normalize(
        document, {"algorithm": "URDNA2015", "format": "application/n-quads", "documentLoader": _loader}
    )


def public_key_bytes(multibase):
    raw = base58.b58decode(multibase[1:])
    assert raw[:2] == b"\xed\x01", "not an Ed25519 multikey"
    return raw[2:]


def verify(credential, public_key_multibase):
    """True when the eddsa-rdfc-2022 proof of ``credential`` verifies with the given public key."""
    proof = dict(credential["proof"])
    signature = base58.b58decode(proof.pop("proofValue")[1:])
    proof["@context"] = credential["@context"]
    document = {key: value for key, value in credential.items() if key != "proof"}
    data = hashlib.sha256(_canonical(proof).encode()).digest() + hashlib.sha256(_canonical(document).encode()).digest()
    try:
        VerifyKey(public_key_bytes(public_key_multibase)).verify(data, signature)
    except BadSignatureError:
        return False
    return True
