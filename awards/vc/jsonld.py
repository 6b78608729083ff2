"""JSON-LD processing with vendored contexts only, and RDFC-1.0 canonicalization.

Pipeline: JSON-LD → RDF dataset (``fast_rdf`` for plain node-object documents such as our credentials, else PyLD;
offline document loader, safe mode) → RDFC-1.0 (``rdfc``) → canonical N-Quads sorted in code point order.
"""

import copy
import json
from functools import cache
from pathlib import Path

from pyld import jsonld
from pyld.jsonld import JsonLdProcessor
from pyld.nquads import parse_nquads

from . import fast_rdf, limits, rdfc

CONTEXTS_DIR = Path(__file__).resolve().parent / "standards" / "contexts"


class ContextNotAvailable(Exception):
    """A document referred to a context that is not vendored; nothing is ever fetched."""


class UnsafeJsonLd(Exception):
    """The document uses terms its contexts do not define (JSON-LD safe mode)."""


@cache
def _contexts():
    index = json.loads((CONTEXTS_DIR / "index.json").read_text())
    return {url: json.loads((CONTEXTS_DIR / name).read_text()) for url, name in index.items()}


def document_loader(url, options=None):
    try:
        document = _contexts()[url]
    except KeyError:
        raise ContextNotAvailable(f"Context {url} is not available offline; refusing to fetch it.") from None
    # "static": the vendored contexts never change, so PyLD may reuse their resolved form across operations.
    return {"contextUrl": None, "documentUrl": url, "document": copy.deepcopy(document), "tag": "static"}


def _raise_dropped(property_name):
    raise UnsafeJsonLd(f"The term “{property_name}” is not defined by the document's contexts.")


def _options():
    return {"documentLoader": document_loader, "base": None}


def expand_safe(document):
    """Expand ``document``, failing on any term or type that does not map to an absolute IRI."""
    try:
        expanded = jsonld.expand(document, _options(), on_property_dropped=_raise_dropped)
    except jsonld.JsonLdError as error:
        raise _unwrap(error) from error
    _check_types(expanded)
    return expanded


def _unwrap(error):
    cause = error
    while cause is not None:
        if isinstance(cause, (ContextNotAvailable, UnsafeJsonLd, limits.TooComplex)):
            return cause
        cause = cause.__cause__ or getattr(cause, "cause", None)
    return UnsafeJsonLd(str(error))


def _check_types(node):
    if isinstance(node, list):
        for item in node:
            _check_types(item)
    elif isinstance(node, dict):
        for value in node.get("@type", []) if isinstance(node.get("@type"), list) else []:
            if ":" not in value:
                raise UnsafeJsonLd(f"The type “{value}” is not defined by the document's contexts.")
        for key, value in node.items():
            if key != "@type":
                _check_types(value)


def canonical_nquads(document) -> str:
    """RDFC-1.0 canonical N-Quads of a JSON-LD document (safe mode, offline contexts)."""
    try:
        quads = _fast().to_quads(document)
    except fast_rdf.Unsupported:
        quads = pyld_quads(document)
    return rdfc.canonicalize(quads)


def pyld_quads(document):
    """The document's RDF through PyLD's full JSON-LD processor."""
    processor = JsonLdProcessor(on_property_dropped=_raise_dropped)
    try:
        with limits.metered():
            dataset = processor.to_rdf(document, _options())
    except jsonld.JsonLdError as error:
        raise _unwrap(error) from error
    quads = _quads(dataset)
    limits.spend(limits.QUAD * len(quads), quads=len(quads))
    return quads


@cache
def _fast():
    return fast_rdf.Converter(document_loader)


def canonicalize_nquads_text(text: str, max_work_factor=1) -> str:
    """Canonicalize an N-Quads document (used for the RDFC test vectors)."""
    return rdfc.canonicalize(_quads(parse_nquads(text)), max_work_factor)


def _quads(dataset):
    """PyLD's {graph name: [triples]} → quads with a ``graph`` term (None for the default graph)."""
    quads = []
    for graph, triples in dataset.items():
        name = None
        if graph != "@default":
            name = {"type": "blank node" if graph.startswith("_:") else "IRI", "value": graph}
        quads.extend({**triple, "graph": name} for triple in triples)
    return quads
