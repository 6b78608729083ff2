"""The fast JSON-LD → RDF path gives exactly PyLD's dataset, or declines (``Unsupported``) and PyLD decides."""

import copy
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from awards.vc import fast_rdf, jsonld, rdfc

VECTORS = Path(__file__).resolve().parent / "vectors"
DOCUMENTS = sorted(path for path in VECTORS.rglob("*.json") if "@context" in json.loads(path.read_text() or "{}"))


def _unsecured(path):
    document = json.loads(path.read_text())
    document.pop("proof", None)
    return document


def _both(document):
    """(fast canonical form or None if declined, PyLD canonical form or the exception type PyLD raised)."""
    try:
        fast = rdfc.canonicalize(jsonld._fast().to_quads(copy.deepcopy(document)))
    except fast_rdf.Unsupported:
        fast = None
    try:
        reference = rdfc.canonicalize(jsonld.pyld_quads(copy.deepcopy(document)))
    except Exception as error:  # noqa: BLE001 - which error PyLD raises is what the caller compares
        reference = type(error)
    return fast, reference


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda path: path.name)
def test_every_standards_example_gives_pyld_s_exact_dataset(path):
    fast, reference = _both(_unsecured(path))
    assert fast is not None, "the fast path should handle the standards' own examples"
    assert fast == reference


def test_the_complete_example_exercises_lists_graphs_and_embedded_contexts():
    quads = jsonld._fast().to_quads(_unsecured(VECTORS / "1edtech" / "ob30-complete.json"))
    predicates = {quad["predicate"]["value"] for quad in quads}
    assert fast_rdf.RDF_FIRST in predicates  # an @list container
    assert any(quad["graph"] is not None for quad in quads)  # an embedded proof's graph


@pytest.mark.parametrize(
    "change, reason",
    [
        (lambda d: d["credentialSubject"].update(name={"@value": "x", "@language": "en"}), "value object"),
        (lambda d: d.update({"@id": "urn:a", "id": "urn:b"}), "two identifiers"),
        (lambda d: d.update(id="relative/path"), "node identifier"),
        (lambda d: d["credentialSubject"].update(id="_:b0"), "node identifier"),
        (lambda d: d.update(validFrom=[["2026-01-01T00:00:00Z"]]), "nested list"),
    ],
)
def test_what_the_fast_path_does_not_implement_is_declined_and_left_to_pyld(change, reason):
    document = _unsecured(VECTORS / "1edtech" / "ob30-simple.json")
    change(document)
    with pytest.raises(fast_rdf.Unsupported, match=reason):
        jsonld._fast().to_quads(document)


def test_canonical_nquads_falls_back_to_pyld_when_the_fast_path_declines():
    document = _unsecured(VECTORS / "1edtech" / "ob30-simple.json")
    document["credentialSubject"]["name"] = {"@value": "Ada", "@language": "en"}
    assert '"Ada"@en' in jsonld.canonical_nquads(document)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-(10**22), 10**22) | st.floats(allow_nan=False) | st.text(max_size=8)
    | st.sampled_from(["urn:x", "https://example.org/a", "Achievement", "_:b1", "xsd:string", "@id", "id"]),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(
        st.sampled_from(["id", "type", "name", "@value", "@language", "@list", "achievement", "unknownTerm",
                         "result", "creditsAvailable", "@context"]),
        children, max_size=3),
    max_leaves=8,
)  # fmt: skip
PATHS = st.sampled_from(
    [
        ("credentialSubject",),
        ("credentialSubject", "achievement"),
        ("credentialSubject", "achievement", "criteria"),
        ("issuer",),
        (),
    ]
)


KEYS = st.sampled_from(
    ["name", "type", "id", "achievement", "unknownTerm", "creditsAvailable", "validFrom", "@type", "@id", "result"]
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(path=PATHS, key=KEYS, value=JSON_VALUES)
def test_on_any_mutation_the_fast_path_agrees_with_pyld_or_declines(path, key, value):
    document = _unsecured(VECTORS / "1edtech" / "ob30-simple.json")
    target = document
    for step in path:
        target = target[step]
    target[key] = value
    fast, reference = _both(document)
    if fast is not None:
        assert fast == reference  # never a different dataset, never a dataset where PyLD refuses


def test_the_memoized_path_never_returns_a_stale_form_for_changed_content():
    original = _unsecured(VECTORS / "1edtech" / "ob30-simple.json")
    changed = copy.deepcopy(original)
    changed["credentialSubject"]["achievement"]["name"] = "A different achievement"
    first = jsonld.canonical_nquads(original)
    assert jsonld.canonical_nquads(changed) != first
    assert jsonld.canonical_nquads(original) == first
    assert "A different achievement" in jsonld.canonical_nquads(changed)


def test_a_changed_context_is_applied_not_a_memoized_one():
    document = _unsecured(VECTORS / "1edtech" / "ob30-simple.json")
    remapped = copy.deepcopy(document)
    remapped["@context"] = [*document["@context"], {"nickname": "https://example.org/vocab#nickname"}]
    remapped["nickname"] = "Badge"
    fast, reference = _both(remapped)
    assert fast == reference and "<https://example.org/vocab#nickname>" in fast
    assert "nickname" not in jsonld.canonical_nquads(document)


def test_hostile_or_unique_values_cannot_grow_the_memos_without_bound(monkeypatch):
    monkeypatch.setattr(fast_rdf, "MEMO_LIMIT", 50)
    converter = fast_rdf.Converter(jsonld.document_loader)
    document = _unsecured(VECTORS / "1edtech" / "ob30-simple.json")
    expected = rdfc.canonicalize(jsonld.pyld_quads(document))
    for number in range(200):  # unique ids and unique undefined terms, as a stream of hostile documents would send
        hostile = copy.deepcopy(document)
        hostile["id"] = f"urn:uuid:{number:032x}"
        hostile[f"term{number}"] = "x"
        with pytest.raises(fast_rdf.Unsupported):  # undefined here; looked up (and memoized) all the same
            converter.to_quads(hostile)
    memos = (converter._embedded, converter._applied, converter._iris, converter._terms, converter._nodes)
    assert all(len(memo) <= 50 for memo in memos)
    assert rdfc.canonicalize(converter.to_quads(document)) == expected  # still right after being emptied


def test_a_memoized_node_is_replayed_exactly_as_a_fresh_expansion_writes_it(monkeypatch):
    """Same quads, same blank node labels, even where the node sits after a different number of blank nodes."""
    document = _unsecured(VECTORS / "1edtech" / "ob30-complete.json")
    shifted = copy.deepcopy(document)  # one more blank node before the subject's achievement is reached
    shifted["credentialSchema"].insert(0, {"type": "1EdTechJsonSchemaValidator2019"})
    warm = fast_rdf.Converter(jsonld.document_loader)
    warm.to_quads(copy.deepcopy(document))
    expansions = []
    expand = fast_rdf._Walk._expand
    monkeypatch.setattr(fast_rdf._Walk, "_expand", lambda walk, *args: expansions.append(1) or expand(walk, *args))

    def counted(converter, example):
        expansions.clear()
        quads = converter.to_quads(copy.deepcopy(example))
        return quads, len(expansions)

    for example in (shifted, document):
        (replayed, warm_count), (fresh, fresh_count) = counted(warm, example), counted(_fresh(), example)
        assert replayed == fresh
        assert warm_count < fresh_count / 2  # the achievement, issuer and the rest came from the memo
    assert rdfc.canonicalize(warm.to_quads(shifted)) == rdfc.canonicalize(jsonld.pyld_quads(shifted))


def _fresh():
    return fast_rdf.Converter(jsonld.document_loader)
