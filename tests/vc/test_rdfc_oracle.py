"""Our RDFC-1.0 against the reference implementation (rdf-canonize, run with Node.js) on varied datasets."""

import json
import random
import shutil
import subprocess
from pathlib import Path

import pytest

from awards.vc import jsonld, rdfc

ORACLE = Path(__file__).resolve().parent / "oracle" / "canonize.js"
VECTORS = Path(__file__).resolve().parent / "vectors" / "1edtech"


def _reference(documents):
    node = shutil.which("node") or shutil.which("nodejs")
    assert node, "Node.js is needed for the reference canonicalizer (.ci/run installs it)"
    payload = json.dumps([{"nquads": text, "maxWorkFactor": factor} for text, factor in documents])
    output = subprocess.run([node, str(ORACLE)], input=payload, capture_output=True, text=True, check=True).stdout
    return json.loads(output)


def _ours(quads, factor):
    try:
        return {"canonical": rdfc.canonicalize(quads, max_work_factor=factor)}
    except rdfc.CanonicalizationLimitExceeded:
        return {"error": "limit"}


LITERALS = [
    "plain",
    'with "quotes"',
    "back\\slash",
    "tab\there",
    "new\nline",
    "bell\u0007",
    "del\u007f",
    "unicode ✓ é 日本",
    "vt\u000b",
    "nul\u0000x",
    "",
]
XSD_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"


def _random_dataset(seed):
    """Quads built directly (no N-Quads parser involved) with shared blank nodes, graphs and odd literals."""
    rng = random.Random(seed)
    nodes = [{"type": "blank node", "value": f"_:n{i}"} for i in range(rng.randint(2, 7))]
    iris = [{"type": "IRI", "value": f"urn:ex:{name}"} for name in "abc"]
    literals = [
        {"type": "literal", "value": value, "datatype": "http://www.w3.org/2001/XMLSchema#string"} for value in LITERALS
    ]
    literals += [
        {"type": "literal", "value": "5", "datatype": XSD_INTEGER},
        {"type": "literal", "value": "chat", "datatype": rdfc.RDF_LANG_STRING, "language": "fr"},
    ]
    graphs = [
        None,
        None,
        {"type": "IRI", "value": "urn:ex:g"},
        {"type": "blank node", "value": "_:g0"},
        {"type": "blank node", "value": "_:g1"},
    ]
    return [
        {
            "subject": rng.choice(nodes + iris),
            "predicate": {"type": "IRI", "value": f"urn:ex:{rng.choice('pqr')}"},
            "object": rng.choice(nodes + iris + literals),
            "graph": rng.choice(graphs),
        }
        for _ in range(rng.randint(3, 12))
    ]


def _nquads(quads):
    return "".join(rdfc._Line(quad).original for quad in quads)


def _credential_nquads(document):
    from pyld import jsonld as pyld_jsonld

    return pyld_jsonld.to_rdf(document, {"format": "application/n-quads", "documentLoader": jsonld.document_loader})


def test_random_datasets_match_the_reference_implementation():
    datasets = [(_random_dataset(seed), 2 if seed < 150 else 1) for seed in range(200)]
    expected = _reference([(_nquads(quads), factor) for quads, factor in datasets])
    for (quads, factor), reference in zip(datasets, expected, strict=True):
        ours = _ours(quads, factor)
        if "error" in reference:
            assert "error" in ours, _nquads(quads)
        else:
            assert ours == reference, _nquads(quads)


@pytest.mark.parametrize("name", ["ob30-complete.json", "clr20-simple.json", "ob30-endorsement-valid.json"])
def test_1edtech_credentials_match_the_reference_implementation(name):
    document = json.loads((VECTORS / name).read_text())
    document.pop("proof")
    expected = _reference([(_credential_nquads(document), 1)])[0]
    assert {"canonical": jsonld.canonical_nquads(document)} == expected
