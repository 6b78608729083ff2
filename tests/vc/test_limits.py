"""The bounded cost of turning outside JSON-LD into RDF (awards.vc.limits), without a database: what is refused
before any processing, what is counted while it runs, and where the counting stops the work. Assertions are on
counted work, never on wall time."""

import copy
import json
import time
from pathlib import Path

import pytest

from awards.vc import jsonld, limits
from awards.vc.data_integrity import ProofError
from awards.vc.presentations import verify_did_authentication

VECTORS = Path(__file__).resolve().parent / "vectors" / "1edtech"
CONTEXTS = ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]


def _credential(name="ob30-simple.json"):
    document = json.loads((VECTORS / name).read_text())
    document.pop("proof")
    return document


def _canonicalize(document, **limit_changes):
    """Admit and canonicalize ``document`` in a fresh budget; returns the budget and the exception, if any."""
    with limits.bounded(limits.Limits(**limit_changes)) as budget:
        try:
            budget.admit(document)
            jsonld.canonical_nquads(document)
        except limits.TooComplex as error:
            return budget, error
    return budget, None


def test_a_context_repeated_two_thousand_times_is_refused_before_any_processing():
    document = {**_credential(), "@context": CONTEXTS * 2000}
    budget, error = _canonicalize(document, max_contexts=10**6)
    assert "same context more than once" in str(error)
    assert budget.operations == budget.calls == budget.expansion_steps == 0


def test_an_at_context_with_too_many_entries_is_refused():
    document = {**_credential(), "@context": [*CONTEXTS, *({"@vocab": f"https://e.example/{i}/"} for i in range(9))]}
    _, error = _canonicalize(document)
    assert "11 entries; at most 10" in str(error)


def test_a_repeated_context_in_a_nested_node_is_refused_too():
    document = _credential()
    document["credentialSubject"]["@context"] = [CONTEXTS[1], CONTEXTS[1]]
    assert "same context more than once" in str(_canonicalize(document)[1])


def test_an_array_longer_than_the_limit_is_refused_before_any_processing():
    document = {**_credential(), "type": ["VerifiableCredential"] * 1000 + ["OpenBadgeCredential"]}
    budget, error = _canonicalize(document)
    assert "1,001 entries; at most 1,000" in str(error)
    assert budget.operations == 0


def test_a_document_with_too_many_json_values_is_refused():
    document = _credential()
    document["evidence"] = [{"type": ["Evidence"], "name": f"e{i}"} for i in range(900)]
    _, error = _canonicalize(document, max_json_nodes=2_000)
    assert "more than 2,000 JSON values" in str(error)


def test_a_scoped_type_repeated_within_the_array_limit_spends_the_budget_and_stops():
    document = {**_credential(), "type": ["VerifiableCredential"] * 998 + ["OpenBadgeCredential"]}
    budget, error = _canonicalize(document)
    assert "budget of 500,000 operations" in str(error)
    # Each repetition re-processes the type's scoped context in PyLD: counted per call, stopped near the budget.
    assert budget.calls > 0.9 * limits.Limits().operations
    assert budget.operations <= limits.Limits().operations + limits.CHARGE_EVERY * limits.CALL


def test_the_quad_cap_stops_the_walk_near_the_cap():
    document = _credential()
    document["credentialSubject"]["achievement"]["alignment"] = [
        {"type": ["Alignment"], "targetName": f"Skill {i}", "targetUrl": f"https://skills.example/{i}"}
        for i in range(600)
    ]
    budget, error = _canonicalize(document, max_quads=500)
    assert "more than 500 RDF statements" in str(error)
    assert 500 < budget.quads < 520  # counted per node: at most one node's quads past the cap


def test_the_blank_node_cap_counts_unnamed_nodes():
    document = _credential()
    document["evidence"] = [{"type": ["Evidence"], "name": f"e{i}"} for i in range(300)]
    budget, error = _canonicalize(document, max_blank_nodes=100)
    assert "more than 100 unnamed nodes" in str(error)
    assert budget.blank_nodes == 101


def test_json_ld_outside_the_fast_subset_is_counted_in_pyld_too():
    document = _credential()
    document["evidence"] = [
        {"@context": {"@vocab": f"https://e.example/{i}/"}, "type": ["Evidence"], "note": {"@value": "x"}}
        for i in range(900)
    ]
    budget, error = _canonicalize(document)
    assert "budget of 500,000 operations" in str(error)
    assert budget.calls > 0.9 * limits.Limits().operations


def test_many_terms_in_an_inline_context_are_counted_per_call_of_pyld():
    document = {**_credential(), "@context": [*CONTEXTS, {f"t{i}": f"https://e.example/t{i}" for i in range(9000)}]}
    budget, error = _canonicalize(document, operations=10**9)
    assert error is None
    assert budget.calls > 9000  # at least one call to define each term


def test_pyld_s_node_map_is_counted_and_stopped():
    """Values merged into one node through repeated ids: PyLD compares each new value with every earlier one,
    quadratic work that no expansion step shows (2 groups of 1,000 values took 1.2 s, 10 groups 28 s)."""
    document = _credential()
    document["@context"] = [*CONTEXTS, "https://www.w3.org/ns/credentials/examples/v2"]
    document["name"] = {"@value": "x"}  # outside the fast path: PyLD does it all
    group = {"id": "https://e.example/n", "p": [f"value {i}" for i in range(999)]}
    document["x"] = [group] * 10
    budget, error = _canonicalize(document)
    assert "budget of 500,000 operations" in str(error)
    assert budget.calls > 0.9 * limits.Limits().operations  # stopped inside PyLD, counted by its calls


def test_a_deep_chain_of_large_named_nodes_is_not_keyed_by_content_at_every_level():
    document = _credential()
    document["@context"] = [*CONTEXTS, "https://www.w3.org/ns/credentials/examples/v2"]
    node = {"id": "https://e.example/leaf", **{f"k{i}": "é" * 50 for i in range(1500)}}
    for depth in range(25):
        node = {"id": f"https://e.example/{depth}", "next": node}
    document["x"] = node
    jsonld._fast.cache_clear()  # a fresh converter: its memo of named nodes starts empty
    budget, error = _canonicalize(document, operations=10**9)
    assert error is None
    assert not fast_rdf_memo_holds_nodes()


def test_canonicalization_hashes_are_counted():
    document = _credential()
    document["evidence"] = [{"type": ["Evidence"], "name": "same"} for _ in range(50)]
    budget, error = _canonicalize(document)
    assert error is None and budget.hashes >= 50


def test_a_passed_deadline_stops_the_work():
    with limits.bounded(deadline=time.monotonic() - 1) as budget:
        with pytest.raises(limits.TooComplex, match="longer than the verifier allows"):
            budget.admit(_credential())


def test_a_spent_budget_refuses_the_next_document_at_once():
    with limits.bounded(limits.Limits(operations=100)) as budget:
        budget.spend(101 - 1)
        with pytest.raises(limits.TooComplex):
            budget.admit(_credential())
            jsonld.canonical_nquads(_credential())
        with pytest.raises(limits.TooComplex):
            budget.admit(_credential())


def test_nested_bounds_share_the_outermost_budget():
    with limits.bounded(limits.Limits(operations=10**9)) as outer:
        with limits.bounded(limits.Limits(operations=1)) as inner:
            assert inner is outer
            jsonld.canonical_nquads(_credential())
    assert outer.operations > 0


def test_signing_outside_a_budget_counts_nothing():
    assert not limits.active()
    jsonld.canonical_nquads(_credential())  # no budget: nothing to charge, nothing refused
    assert not limits.active()


@pytest.mark.parametrize("name", ["ob30-complete.json", "clr20-simple.json"])
def test_real_credentials_cost_a_fraction_of_the_budget(name):
    budget, error = _canonicalize(_credential(name))
    assert error is None
    assert budget.operations < limits.Limits().operations / 3


def test_a_wallet_presentation_that_repeats_its_context_is_refused_as_too_complex():
    from tests.vc.test_presentations import CHALLENGE, DOMAIN, _presentation

    presentation, _ = _presentation()
    presentation = copy.deepcopy(presentation)
    presentation["@context"] = presentation["@context"] * 50
    with pytest.raises(ProofError, match="too complex to verify: An @context lists the same context"):
        verify_did_authentication(presentation, challenge=CHALLENGE, domain=DOMAIN)


@pytest.mark.parametrize("proof_value", [12, ["z1"], {"a": 1}, None])
def test_a_presentation_whose_proof_value_is_not_a_string_is_refused(proof_value):
    from tests.vc.test_presentations import CHALLENGE, DOMAIN, _presentation

    presentation, _ = _presentation()
    presentation["proof"]["proofValue"] = proof_value
    with pytest.raises(ProofError, match="proofValue must be a string"):
        verify_did_authentication(presentation, challenge=CHALLENGE, domain=DOMAIN)


def test_a_presentation_without_a_context_is_refused():
    from tests.vc.test_presentations import CHALLENGE, DOMAIN, _presentation

    presentation, _ = _presentation()
    del presentation["@context"]
    with pytest.raises(ProofError, match="no @context"):
        verify_did_authentication(presentation, challenge=CHALLENGE, domain=DOMAIN)


@pytest.mark.parametrize("value", ["z" + "2" * 100_000, 12, None])
def test_a_proof_value_that_is_no_short_string_is_refused_before_it_is_decoded(value):
    from awards.vc.multikey import InvalidMultikey, decode_base58btc

    with pytest.raises(InvalidMultikey, match="at most 128 characters"):
        decode_base58btc(value)


def test_a_credential_with_a_huge_proof_value_gets_a_refusal_not_a_long_decode():
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from awards.vc import data_integrity

    secret = Ed25519PrivateKey.generate()
    document = _credential()
    signed = data_integrity.sign(
        document, private_key=secret, verification_method="did:key:z#z", created="2024-01-01T00:00:00Z"
    )
    signed["proof"]["proofValue"] = "z" + "2" * 300_000  # 68 s of base58 decoding before the bound
    with pytest.raises(ProofError, match="does not match"):
        data_integrity.verify(signed, secret.public_key())


def fast_rdf_memo_holds_nodes():
    return bool(jsonld._fast()._nodes)


@pytest.mark.parametrize("method", [None, 42, "did:key:z6Mk#" + "x" * 300])
def test_a_presentation_whose_verification_method_is_no_short_string_is_refused(method):
    from tests.vc.test_presentations import CHALLENGE, DOMAIN, _presentation

    presentation, _ = _presentation()
    presentation["proof"]["verificationMethod"] = method
    with pytest.raises(ProofError, match="verificationMethod must be a string of at most 256"):
        verify_did_authentication(presentation, challenge=CHALLENGE, domain=DOMAIN)
