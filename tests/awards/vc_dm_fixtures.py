"""Our own credentials and presentations for the VC Data Model 2.0 rules (tests/awards/test_vc_data_model_rules.py):
a small credential the registry may sign, a presentation, a did:key party that signs both the way a holder's
wallet or another issuer would, and placeholders filled in once the test knows the registry's DID.
"""

import base64
import hashlib

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from awards.vc import data_integrity
from awards.vc.multikey import encode_base58btc, public_key_multibase

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
EXAMPLES_CONTEXT = "https://www.w3.org/ns/credentials/examples/v2"
CHALLENGE = "c-7e3b91"  # what the verifier asked the holder to sign over
DOMAIN = "verifier.example.org"
SIGNED_AT = "2026-03-01T09:00:00Z"
# The college's own vocabulary: the base context defines no catch-all @vocab, so the types of status entries,
# evidence, refresh services and terms of use are absolute URLs here (an undefined term is refused, not signed).
VOCABULARY = "https://vocab.college.example.org/#"


class Placeholder:
    """A value only the test knows (the registry's DID, a signed credential), filled in by ``resolve``."""

    def __init__(self, name):
        self.name = name

    def __repr__(self):
        return self.name


ABSENT = Placeholder("ABSENT")  # as the value of a change: leave the property out
REGISTRY = Placeholder("REGISTRY")  # the registry's own DID, the only issuer it signs as
HOLDER = Placeholder("HOLDER")  # the did:key that signs the presentation
SIGNED_CREDENTIAL = Placeholder("SIGNED_CREDENTIAL")  # a credential that did:key signed as its issuer
SECOND_SIGNED_CREDENTIAL = Placeholder("SECOND_SIGNED_CREDENTIAL")  # another, about another learner


def resolve(value, values):
    """``value`` with each placeholder replaced from ``values``, and each property set to ``ABSENT`` left out."""
    if isinstance(value, Placeholder):
        return values[value]
    if isinstance(value, dict):
        return {key: resolve(item, values) for key, item in value.items() if item is not ABSENT}
    if isinstance(value, list):
        return [resolve(item, values) for item in value]
    return value


def credential(**changes):
    """A credential about one learner, issued by the registry; ``changes`` replace its properties."""
    document = {
        "@context": [VC_CONTEXT],
        "type": ["VerifiableCredential"],
        "issuer": REGISTRY,
        "credentialSubject": {"id": "did:example:learner-42", "name": "Dana Okafor"},
    }
    return {**document, **changes}


def presentation(**changes):
    """A presentation by its holder, carrying nothing yet; ``changes`` replace its properties."""
    return {"@context": [VC_CONTEXT], "type": ["VerifiablePresentation"], **changes}


def language_value(text, language, direction=None):
    value = {"@value": text, "@language": language}
    return value if direction is None else {**value, "@direction": direction}


def status_entry(**changes):
    """A revocation entry in a status list another party publishes (the registry's own lists hold its awards)."""
    entry = {
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": "94567",
        "statusListCredential": "https://status.college.example.org/lists/3",
    }
    return {**entry, **changes}


def schema(**changes):
    return {"id": "https://schemas.college.example.org/course-certificate.json", "type": "JsonSchema", **changes}


def refresh_service(**changes):
    return {"id": "https://college.example.org/refresh/42", "type": VOCABULARY + "CertificateRefresh", **changes}


def terms_of_use(**changes):
    return {"type": VOCABULARY + "IssuerPolicy", **changes}


def evidence(**changes):
    return {"id": "https://college.example.org/evidence/final-exam/42", "type": [VOCABULARY + "ExamResult"], **changes}


SYLLABUS_URL = "https://college.example.org/courses/data-literacy/syllabus"
SYLLABUS = b"Data literacy: 6 ECTS, assessed by a final project."


def digest_sri(content):
    """Subresource Integrity (W3C SRI): the algorithm, a dash, the base64 SHA-384 of the content."""
    return "sha384-" + base64.b64encode(hashlib.sha384(content).digest()).decode()


def digest_multibase(content):
    """A multibase (``u``: base64url, no padding) multihash (0x12 0x20: SHA-256, 32 bytes) of the content."""
    multihash = bytes([0x12, 0x20]) + hashlib.sha256(content).digest()
    return "u" + base64.urlsafe_b64encode(multihash).decode().rstrip("=")


class DidKey:
    """A party with an Ed25519 did:key: another issuer signing a credential, or a holder signing a presentation
    (DID Authentication over the verifier's challenge and domain), both with eddsa-rdfc-2022."""

    def __init__(self):
        self.secret = Ed25519PrivateKey.generate()
        self.did = "did:key:" + public_key_multibase(self.secret.public_key())
        self.method = f"{self.did}#{self.did[len('did:key:') :]}"

    def issue(self, document):
        return data_integrity.sign(
            document, private_key=self.secret, verification_method=self.method, created=SIGNED_AT
        )

    def present(self, document, *, challenge=CHALLENGE, domain=DOMAIN):
        config = data_integrity.proof_configuration(document, verification_method=self.method, created=SIGNED_AT)
        config.update(proofPurpose="authentication", challenge=challenge, domain=domain)
        proof = {key: value for key, value in config.items() if key != "@context"}
        proof["proofValue"] = encode_base58btc(self.secret.sign(data_integrity.hash_data(document, config)))
        return {**document, "proof": proof}
