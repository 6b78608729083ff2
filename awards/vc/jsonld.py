"""JSON-LD processing with vendored contexts only, and RDFC-1.0 canonicalization.

Pipeline: JSON-LD → RDF dataset (``fast_rdf`` for plain node-object documents such as our credentials, else PyLD;
offline document loader, safe mode) → RDFC-1.0 (``rdfc``) → canonical N-Quads sorted in code point order.

Safe mode refuses what JSON-LD → RDF would silently drop — what a signer's JSON says but its signature does not
cover (the W3C Data Integrity suites' DATA_LOSS_DETECTION_ERROR, jsonld.js's ``safe`` mode): a term the contexts
do not define or define as null, a type or an identifier that is not an absolute IRI (with no ``@vocab`` or base,
``"type": [..., "UndefinedType"]`` appended to a VC 1.1 credential after signing would otherwise still verify), and
a property mapped to a blank node. ``fast_rdf`` declines all of these, so PyLD's path is the one place they are
refused. A base direction (``@direction``), which standard RDF has no place for, is kept in the literal's datatype.
"""

import copy
import json
import re
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
    """The document holds data that JSON-LD → RDF would drop, so no signature could cover it (safe mode)."""


DROPPED = "so it would be dropped from what the signature covers."
LANGUAGE_TAG = re.compile(r"[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*")  # the N-Quads LANGTAG production, bounded as BCP 47


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


def _raise_dropped(expanded_property):
    if expanded_property is None:
        raise UnsafeJsonLd(f"A term the document's contexts define as null is used, {DROPPED}")
    raise UnsafeJsonLd(f"The term “{expanded_property}” is not defined by the document's contexts, {DROPPED}")


def _options():
    # A value's @direction becomes part of its datatype (https://www.w3.org/ns/i18n#ar_rtl) rather than being
    # dropped, as Digital Bazaar's eddsa-rdfc-2022 cryptosuite canonicalizes it: a signature covers the direction.
    return {"documentLoader": document_loader, "base": None, "rdfDirection": "i18n-datatype"}


class _SafeProcessor(JsonLdProcessor):
    """PyLD's processor, refusing terms it would drop while expanding and, once expanded, anything its RDF
    conversion would drop (``to_rdf`` expands through ``expand``)."""

    def __init__(self):
        super().__init__(on_property_dropped=_raise_dropped)

    def expand(self, input_, options):
        expanded = super().expand(input_, options)
        _check_expanded(expanded)
        return expanded


def _check_expanded(expanded):
    """Raise ``UnsafeJsonLd`` on what PyLD's ``to_rdf`` skips in expanded JSON-LD: relative IRIs as node
    identifiers, graph names or types (a relative IRI is what an undefined type expands to without ``@vocab``),
    and blank node predicates. Keys of expanded node objects are keywords or absolute IRIs already (others were
    dropped, and refused, during expansion)."""
    stack = [expanded]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(item)
            continue
        if isinstance(item, dict) and "@value" in item:  # a value object's @type is checked by expansion
            _check_value(item)
            continue
        if not isinstance(item, dict):
            continue
        identifier = item.get("@id")
        if isinstance(identifier, str) and not _absolute(identifier):
            raise UnsafeJsonLd(f"The identifier “{identifier}” is not an absolute IRI, {DROPPED}")
        types = item.get("@type", [])
        for type_name in [types] if isinstance(types, str) else types:
            if isinstance(type_name, str) and not _absolute(type_name):
                raise UnsafeJsonLd(f"The type “{type_name}” is not defined by the document's contexts, {DROPPED}")
        for key, value in item.items():
            if key.startswith("_:"):
                raise UnsafeJsonLd(f"The property “{key}” maps to a blank node, not an IRI, {DROPPED}")
            if key not in ("@id", "@type"):  # a @reverse map is checked like a node: its keys are properties
                stack.append(value)


def _check_value(value):
    """A language tag is written into N-Quads as it stands: one that is not a BCP 47 tag could carry quads of its own,
    so that two different documents canonicalize alike."""
    language = value.get("@language")
    if language is not None and not (isinstance(language, str) and LANGUAGE_TAG.fullmatch(language)):
        raise UnsafeJsonLd(f"The language “{language}” is not a language tag (BCP 47).")


def _absolute(iri):
    return bool(jsonld._is_absolute_iri(iri))


def expand_safe(document):
    """Expand ``document``, failing on anything that does not map to an absolute IRI (see the module's doc)."""
    try:
        return _SafeProcessor().expand(document, _options())
    except jsonld.JsonLdError as error:
        raise _unwrap(error) from error


def _unwrap(error):
    cause = error
    while cause is not None:
        if isinstance(cause, (ContextNotAvailable, UnsafeJsonLd, limits.TooComplex)):
            return cause
        cause = cause.__cause__ or getattr(cause, "cause", None)
    return UnsafeJsonLd(str(error))


def canonical_nquads(document) -> str:
    """RDFC-1.0 canonical N-Quads of a JSON-LD document (safe mode, offline contexts)."""
    try:
        quads = _fast().to_quads(document)
    except fast_rdf.Unsupported:
        quads = pyld_quads(document)
    return rdfc.canonicalize(quads)


def pyld_quads(document):
    """The document's RDF through PyLD's full JSON-LD processor."""
    try:
        with limits.metered():
            dataset = _SafeProcessor().to_rdf(document, _options())
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
