"""DID Authentication presentations (awards.vc.presentations), without a database: the checks that make a
wallet's proof of control worth something. Ed25519Signature2020 from a real wallet library is covered end to end
in tests/wallets; here eddsa-rdfc-2022 presentations are made by hand, so each refusal can be provoked."""

import copy

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from awards.vc.data_integrity import ProofError, hash_data
from awards.vc.multikey import encode_base58btc, public_key_multibase
from awards.vc.presentations import verify_did_authentication

CHALLENGE, DOMAIN = "c-123", "registry.example.edu"


def _presentation(key=None, *, without=(), **proof_changes):
    key = key or Ed25519PrivateKey.generate()
    did = "did:key:" + public_key_multibase(key.public_key())
    document = {"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiablePresentation"], "holder": did}
    proof = {
        "type": "DataIntegrityProof", "cryptosuite": "eddsa-rdfc-2022", "created": "2026-12-02T00:00:00Z",
        "verificationMethod": f"{did}#{did[8:]}", "proofPurpose": "authentication", "challenge": CHALLENGE,
        "domain": DOMAIN, **proof_changes,
    }  # fmt: skip
    proof = {key: value for key, value in proof.items() if key not in without}
    proof["proofValue"] = encode_base58btc(key.sign(hash_data(document, {**proof, "@context": document["@context"]})))
    return {**document, "proof": proof}, did


def test_a_well_made_presentation_names_its_holder():
    presentation, did = _presentation()
    assert verify_did_authentication(presentation, challenge=CHALLENGE, domain=DOMAIN) == did


@pytest.mark.parametrize(
    ("challenge", "domain", "message"),
    [("other", DOMAIN, "challenge"), (CHALLENGE, "evil.example", "domain")],
)
def test_another_exchange_s_challenge_or_domain_is_refused(challenge, domain, message):
    presentation, _ = _presentation()
    with pytest.raises(ProofError, match=message):
        verify_did_authentication(presentation, challenge=challenge, domain=domain)


def test_a_changed_presentation_no_longer_verifies():
    presentation, _ = _presentation()
    changed = copy.deepcopy(presentation)
    changed["proof"]["created"] = "2026-12-03T00:00:00Z"
    with pytest.raises(ProofError, match="signature"):
        verify_did_authentication(changed, challenge=CHALLENGE, domain=DOMAIN)


def test_a_signature_by_someone_else_s_key_is_refused():
    presentation, _ = _presentation()
    other, other_did = _presentation()
    presentation["proof"]["verificationMethod"] = other["proof"]["verificationMethod"]
    presentation["holder"] = other_did
    with pytest.raises(ProofError, match="signature"):
        verify_did_authentication(presentation, challenge=CHALLENGE, domain=DOMAIN)


def test_the_holder_must_be_the_signer():
    presentation, _ = _presentation()
    presentation["holder"] = "did:key:z6MkSomebodyElse"
    with pytest.raises(ProofError, match="holder"):
        verify_did_authentication(presentation, challenge=CHALLENGE, domain=DOMAIN)


@pytest.mark.parametrize(
    ("changes", "message"),
    [({"proofPurpose": "assertionMethod"}, "purpose"), ({"cryptosuite": "ecdsa-rdfc-2019"}, "Unsupported")],
)
def test_other_purposes_and_suites_are_refused(changes, message):
    presentation, _ = _presentation(**changes)
    with pytest.raises(ProofError, match=message):
        verify_did_authentication(presentation, challenge=CHALLENGE, domain=DOMAIN)


def test_a_did_web_holder_is_refused():
    presentation, _ = _presentation(verificationMethod="did:web:example.com#key-1")
    with pytest.raises(ProofError, match="did:key"):
        verify_did_authentication(presentation, challenge=CHALLENGE, domain=DOMAIN)


def test_a_presentation_signed_without_a_domain_names_its_holder_where_the_domain_is_optional():
    presentation, did = _presentation(without=["domain"])  # what the Learner Credential Wallet signs
    assert verify_did_authentication(presentation, challenge=CHALLENGE, domain=DOMAIN, domain_optional=True) == did


def test_a_presentation_signed_without_a_domain_is_refused_where_the_domain_is_required():
    presentation, _ = _presentation(without=["domain"])
    with pytest.raises(ProofError, match="domain"):
        verify_did_authentication(presentation, challenge=CHALLENGE, domain=DOMAIN)


@pytest.mark.parametrize("domain", ["evil.example", "", None])
def test_a_domain_that_is_there_but_not_this_verifier_s_is_refused_even_where_it_is_optional(domain):
    presentation, _ = _presentation(domain=domain)
    with pytest.raises(ProofError, match="domain"):
        verify_did_authentication(presentation, challenge=CHALLENGE, domain=DOMAIN, domain_optional=True)


@pytest.mark.parametrize("challenge", ["other", "", None, 123, ["c-123"]])
def test_without_a_domain_another_challenge_is_still_refused(challenge):
    presentation, _ = _presentation(without=["domain"], challenge=challenge)
    with pytest.raises(ProofError, match="challenge"):
        verify_did_authentication(presentation, challenge=CHALLENGE, domain=DOMAIN, domain_optional=True)


def test_a_presentation_signed_without_a_domain_cannot_have_one_added_or_its_challenge_changed():
    presentation, _ = _presentation(without=["domain"], challenge="another offer's challenge")
    for change in ({"challenge": CHALLENGE}, {"domain": DOMAIN, "challenge": CHALLENGE}):
        changed = copy.deepcopy(presentation)
        changed["proof"].update(change)
        with pytest.raises(ProofError, match="signature"):
            verify_did_authentication(changed, challenge=CHALLENGE, domain=DOMAIN, domain_optional=True)


def test_a_challenge_holding_a_lone_surrogate_is_refused_not_a_crash():
    presentation, _ = _presentation()
    presentation["proof"]["challenge"] = "\ud800"  # what JSON's "\ud800" decodes to: not encodable as UTF-8
    with pytest.raises(ProofError, match="challenge"):
        verify_did_authentication(presentation, challenge=CHALLENGE, domain=DOMAIN)
