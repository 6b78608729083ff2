"""Proof sets and proof chains (VC Data Integrity 1.0 §2.1.1–2.1.2) in the one verifier: every proof must verify, a
chained proof over the proofs it names, one of them by the issuer; hostile sets get a verdict before any work."""

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from awards import keys, verification
from awards.vc import data_integrity, limits
from awards.vc.multikey import encode_base58btc, public_key_multibase
from tests.awards.helpers import credential_of, foreign_credential, third_party_verify

pytestmark = pytest.mark.django_db
ISSUER = Ed25519PrivateKey.generate()
NOTARY = Ed25519PrivateKey.generate()


def _method(secret):
    did = "did:key:" + public_key_multibase(secret.public_key())
    return f"{did}#{did[len('did:key:') :]}"


def _unsigned():
    credential = foreign_credential(ISSUER)
    credential.pop("proof")
    return credential


def _proof(document, secret, *, proof_id=None, previous=(), method=None, purpose="assertionMethod"):
    """A proof by ``secret`` over ``document`` and the ``previous`` proofs it chains to ("Add Proof Set/Chain")."""
    config = data_integrity.proof_configuration(
        document, verification_method=method or _method(secret), created="2025-01-01T00:00:00Z", proof_purpose=purpose
    )
    if proof_id:
        config["id"] = proof_id
    if previous:
        config["previousProof"] = [proof["id"] for proof in previous]
    proof = {key: value for key, value in config.items() if key != "@context"}
    proof["proofValue"] = encode_base58btc(secret.sign(data_integrity.hash_data(document, config, previous)))
    return proof


def _with(document, *proofs):
    return {**document, "proof": list(proofs)}


def _chain():
    """A notary's proof, then the issuer's proof over the notary's."""
    document = _unsigned()
    notarised = _proof(document, NOTARY, proof_id="urn:uuid:notary")
    return _with(document, notarised, _proof(document, ISSUER, proof_id="urn:uuid:issuer", previous=[notarised]))


def _verify_counted(document):
    """The verdict on ``document`` and the operations its verification spent."""
    with limits.bounded(limits.Limits(operations=10**9)) as budget:
        result = verification.verify(document)
    return result, budget.operations


def test_a_set_verifies_when_every_proof_does_and_says_how_many_were_checked():
    document = _unsigned()
    result = verification.verify(_with(document, _proof(document, ISSUER), _proof(document, NOTARY)))
    assert result.verdict == "valid"
    assert "All 2 proofs are valid, and the issuer made 1 of them." in result.reasons
    assert f"Also signed by {_method(NOTARY)}." in result.reasons
    assert result.verification_method == _method(ISSUER)


def test_one_forged_proof_makes_the_whole_set_invalid():
    document = _unsigned()
    forged = {**_proof(document, NOTARY), "proofValue": _proof(document, ISSUER)["proofValue"]}
    result = verification.verify(_with(document, _proof(document, ISSUER), forged))
    assert result.verdict == "invalid_signature"
    assert result.reasons == ["Proof 2 of 2: The signature does not match the credential's content."]


def test_a_chain_verifies_each_proof_over_the_proofs_it_names():
    result = verification.verify(_chain())
    assert result.verdict == "valid" and "All 2 proofs are valid, and the issuer made 1 of them." in result.reasons


def test_a_previous_proof_given_as_one_string_is_the_same_chain():
    document = _unsigned()
    notarised = _proof(document, NOTARY, proof_id="urn:uuid:notary")
    config = data_integrity.proof_configuration(
        document, verification_method=_method(ISSUER), created="2025-01-01T00:00:00Z"
    )
    config["previousProof"] = "urn:uuid:notary"
    issued = {key: value for key, value in config.items() if key != "@context"}
    issued["proofValue"] = encode_base58btc(ISSUER.sign(data_integrity.hash_data(document, config, [notarised])))
    assert verification.verify(_with(document, notarised, issued)).verdict == "valid"


def test_a_chained_proof_signed_over_the_document_alone_is_invalid():
    document = _unsigned()
    notarised = _proof(document, NOTARY, proof_id="urn:uuid:notary")
    unchained = _proof(document, ISSUER, previous=[notarised])
    unchained["proofValue"] = _proof(document, ISSUER)["proofValue"]  # a signature that left the notary's out
    assert verification.verify(_with(document, notarised, unchained)).verdict == "invalid_signature"


def test_an_altered_proof_a_chain_builds_on_is_reported_first():
    document = _chain()
    document["proof"] = [document["proof"][1], {**document["proof"][0], "created": "2025-06-01T00:00:00Z"}]
    result = verification.verify(document)
    assert result.verdict == "invalid_signature"
    assert result.reasons == ["Proof 2 of 2: The signature does not match the credential's content."]


def test_removing_the_proof_a_chain_builds_on_breaks_the_chain():
    document = _chain()
    result = verification.verify(_with(document, document["proof"][1]))
    assert result.verdict == "invalid_signature"
    assert result.reasons == ["A proof builds on the proof urn:uuid:notary, which the credential does not carry."]


def test_a_set_without_a_proof_by_the_issuer_is_unverifiable_before_any_key_is_resolved(monkeypatch):
    document = _unsigned()
    other = Ed25519PrivateKey.generate()
    resolved = []
    monkeypatch.setattr(verification, "resolve_key", lambda method, *args: resolved.append(method))
    result = verification.verify(_with(document, _proof(document, NOTARY), _proof(document, other)))
    assert result.verdict == "unverifiable"
    assert result.reasons[0].startswith("None of the 2 proofs is made with a key of the issuer")
    assert resolved == []


def test_every_proof_of_a_set_must_be_for_assertion():
    document = _unsigned()
    result = verification.verify(
        _with(document, _proof(document, ISSUER), _proof(document, NOTARY, purpose="authentication"))
    )
    assert result.verdict == "invalid_signature"
    assert result.reasons == ["Proof 2 of 2: The proof's purpose is not assertionMethod."]


def test_a_proof_of_another_kind_in_a_set_leaves_the_credential_unverifiable_and_is_named():
    document = _unsigned()
    legacy = {**_proof(document, NOTARY), "type": "Ed25519Signature2020"}
    legacy.pop("cryptosuite")
    result = verification.verify(_with(document, _proof(document, ISSUER), legacy))
    assert result.verdict == "unverifiable"
    assert result.reasons == [
        "Proof 2 of 2 is Ed25519Signature2020/None, which cannot be checked; expected eddsa-rdfc-2022."
    ]


def test_a_cycle_of_previous_proofs_is_malformed_before_any_work():
    document = _unsigned()
    first = {**_proof(document, ISSUER, proof_id="urn:a"), "previousProof": "urn:b"}
    second = {**_proof(document, NOTARY, proof_id="urn:b"), "previousProof": "urn:a"}
    result, operations = _verify_counted(_with(document, first, second))
    assert result.verdict == "malformed" and result.reasons == ["The proofs' previousProof references form a cycle."]
    assert operations == 0


def test_a_proof_naming_itself_is_malformed_before_any_work():
    document = _unsigned()
    selfish = {**_proof(document, ISSUER, proof_id="urn:a"), "previousProof": ["urn:a"]}
    result, operations = _verify_counted(_with(document, selfish))
    assert result.verdict == "malformed" and result.reasons == ["The proof urn:a names itself as its previous proof."]
    assert operations == 0


def test_two_proofs_sharing_an_id_are_malformed_before_any_work():
    document = _unsigned()
    proofs = [_proof(document, ISSUER, proof_id="urn:a"), _proof(document, NOTARY, proof_id="urn:a")]
    result, operations = _verify_counted(_with(document, *proofs))
    assert result.verdict == "malformed" and result.reasons == ["Two proofs share the id urn:a."]
    assert operations == 0


def test_a_missing_previous_proof_is_found_before_any_work():
    document = _unsigned()
    orphan = {**_proof(document, ISSUER), "previousProof": ["urn:gone"]}
    result, operations = _verify_counted(_with(document, orphan))
    assert result.verdict == "invalid_signature" and "urn:gone" in result.reasons[0]
    assert operations == 0


def test_more_than_ten_proofs_are_too_complex_before_any_is_checked():
    document = _unsigned()
    result, operations = _verify_counted(_with(document, *[_proof(document, ISSUER)] * 11))
    assert result.verdict == "too_complex"
    assert "carries 11 proofs; at most 10 are verified" in result.reasons[0]
    assert operations == 0


def test_a_proof_array_of_ten_thousand_entries_is_refused_by_the_array_bound():
    document = _unsigned()
    result, operations = _verify_counted(_with(document, *[_proof(document, ISSUER)] * 10_000))
    assert result.verdict == "too_complex" and "An array holds 10,000 entries" in result.reasons[0]
    assert operations == 0


def test_a_previous_proof_list_of_ten_thousand_strings_is_refused_by_the_array_bound():
    document = _unsigned()
    greedy = {**_proof(document, ISSUER), "previousProof": [f"urn:{n}" for n in range(10_000)]}
    result, operations = _verify_counted(_with(document, greedy))
    assert result.verdict == "too_complex" and "An array holds 10,000 entries" in result.reasons[0]
    assert operations == 0


def test_a_previous_proof_list_longer_than_any_set_is_malformed():
    document = _unsigned()
    greedy = {**_proof(document, ISSUER), "previousProof": [f"urn:{n}" for n in range(500)]}
    result, operations = _verify_counted(_with(document, greedy))
    assert result.verdict == "malformed" and "names 500 previous proofs" in result.reasons[0]
    assert operations == 0


def test_proofs_naming_nothing_share_one_canonicalization_of_the_document():
    document = _unsigned()
    _verify_counted(_with(document, _proof(document, ISSUER)))  # warm the context memo
    _, one = _verify_counted(_with(document, _proof(document, ISSUER)))
    result, three = _verify_counted(_with(document, *[_proof(document, secret) for secret in (ISSUER, NOTARY, NOTARY)]))
    assert result.verdict == "valid" and three < 2 * one  # three canonicalizations of it would cost 3x


def test_the_operation_budget_stops_a_chain_whose_proofs_each_sign_a_different_document(settings):
    document, proofs = _unsigned(), []
    for n in range(6):  # each proof names all before it: six canonicalizations, each larger than the last
        proofs.append(_proof(document, ISSUER, proof_id=f"urn:{n}", previous=list(proofs)))
    _verify_counted(_with(document, proofs[0]))  # warm the context memo
    _, one = _verify_counted(_with(document, proofs[0]))
    settings.VERIFIER_OPERATION_BUDGET = 3 * one
    result = verification.verify(_with(document, *proofs))
    assert result.verdict == "too_complex" and "budget" in result.reasons[0]
    assert verification.verify(_with(document, *proofs[:2])).verdict == "valid"


def test_digital_bazaars_verifier_agrees_on_a_set_signed_with_two_keys_of_the_registry(award, client):
    credential = credential_of(award)
    retired_proof = credential.pop("proof")
    active = keys.generate_key()  # the award's key is retired and still published
    second_proof = data_integrity.sign(
        credential,
        private_key=keys.private_key(active),
        verification_method=keys.verification_method(active),
        created="2026-12-01T00:00:00Z",
    )["proof"]
    document = _with(credential, retired_proof, second_proof)
    assert verification.verify(document).verdict == "valid"
    assert third_party_verify(client, [document]) == [{"verified": True, "error": ""}]
