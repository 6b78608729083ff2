"""A fast JSON-LD → RDF path for node-object documents such as the credentials this registry issues.

PyLD spends most of a signature re-processing the OB 3.0 context's scoped contexts at every nested object and
building intermediate expanded and flattened forms. This module walks the document once and emits quads
directly, following JSON-LD 1.1 expansion for node objects exactly as PyLD does (reverting type-scoped contexts,
then applying property-scoped and type-scoped ones, in PyLD's order), but every context operation and IRI
expansion is PyLD's own function, memoized — so context semantics stay PyLD's, computed once per process. Nested
named nodes (an achievement with its rubric and alignments, an issuer) are memoized by content: a cohort's
credentials expand them once and replay their quads.

Anything outside that subset — value objects, lists and sets written as objects, index, language, id or type
containers, @json, reverse properties, @nest, @included, blank node identifiers, relative IRIs, dropped terms —
raises ``Unsupported``, and the caller falls back to PyLD, which handles or rejects it: whatever JSON-LD → RDF would
drop (an undefined term or type, a relative identifier) is refused there, so both paths give one verdict on it
(``jsonld``'s safe mode). (Plain graph containers, as proofs use, and list containers are supported.) Tests compare
both paths on every credential kind the registry issues, on the standards' examples and on thousands of generated
mutations.
"""

import json
from functools import lru_cache
from numbers import Integral, Real
from typing import NamedTuple

from pyld import jsonld as pyld
from pyld.jsonld import ContextResolver, JsonLdProcessor

from . import limits
from .limits import TooComplex

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDF_TYPE, RDF_FIRST, RDF_REST, RDF_NIL = (RDF + name for name in ("type", "first", "rest", "nil"))
XSD = "http://www.w3.org/2001/XMLSchema#"
XSD_STRING, XSD_BOOLEAN, XSD_DOUBLE, XSD_INTEGER = (XSD + name for name in ("string", "boolean", "double", "integer"))
PLAIN_CONTAINERS = [(), ("@set",)]
GRAPH_CONTAINERS = [("@graph",), ("@graph", "@set")]
LIST_CONTAINER = ("@list",)
SUPPORTED_CONTAINERS = [*PLAIN_CONTAINERS, *GRAPH_CONTAINERS, LIST_CONTAINER]
MEMO_LIMIT = 20_000  # entries per memo (the registry's own credentials need a few hundred)
MEMO_MAX_TEXT = 512  # longer IRIs and values are expanded every time, never kept
# A node with fewer quads is cheaper to expand again than to copy: a credential's status entry, which is unique
# to it, would only fill the memo.
NODE_MEMO_MIN_QUADS = 8
get_value = JsonLdProcessor.get_context_value


class Unsupported(Exception):
    """The document uses JSON-LD this path does not implement; use PyLD."""


def _absolute_iri(iri):
    return not iri.startswith("_:") and bool(pyld._is_absolute_iri(iri))


_absolute_iri_memo = lru_cache(maxsize=65536)(_absolute_iri)


def _absolute(iri):
    """PyLD's own test for an absolute IRI, minus blank node identifiers (which this path does not take)."""
    if not isinstance(iri, str):
        return False
    if len(iri) > MEMO_MAX_TEXT:  # a data: URI, or an attacker's: not worth keeping
        return _absolute_iri(iri)
    return _absolute_iri_memo(iri)


def _context_urls(local):
    """Whether a local context is only context URLs (what a memo may keep: short, and the same every time)."""
    entries = local if isinstance(local, list) else [local]
    return all(isinstance(entry, str) and len(entry) <= MEMO_MAX_TEXT for entry in entries)


class _Term(NamedTuple):
    """What a term means in one active context: everything the walk asks of its definition."""

    container: tuple
    coerced: object  # the @type coercion: "@id", "@vocab", a datatype IRI, or None
    scoped: object  # the property-scoped context, or None
    reverse: bool
    tagged: bool  # strings get a language or a direction


class Converter:
    """Memoizes PyLD's context processing and IRI expansion for one document loader (one per process)."""

    def __init__(self, document_loader):
        self._processor = JsonLdProcessor()
        self._options = {
            "documentLoader": document_loader,
            "contextResolver": ContextResolver(pyld._resolved_context_cache, document_loader),
            "base": None,
            "processingMode": "json-ld-1.1",
            "isFrame": False,
            "keepFreeFloatingNodes": False,
        }
        self._initial = self._processor._get_initial_context(self._options)
        # Keys hold id()s of contexts; each entry keeps its contexts alive, so an id is never reused while cached.
        self._embedded, self._applied, self._iris, self._terms, self._nodes = {}, {}, {}, {}, {}

    def to_quads(self, document):
        """The document's RDF as PyLD-shaped quads (default graph), or ``Unsupported``."""
        if not isinstance(document, dict) or "@context" not in document:
            raise Unsupported("not a node object with a context")
        quads = []
        _Walk(self, quads).node(self._root(document["@context"]), None, document, root=True)
        return quads

    def _root(self, local):
        return self.embedded(self._initial, local)

    def embedded(self, active, local):
        """A context written in the document (kept by value: the document's objects are new every time). Outside
        input's own context definitions are not kept: their text could be large and is rarely seen twice."""
        if limits.active() and not _context_urls(local):
            return self._pyld(self._processor._process_context, active, local, self._options)
        return _memo(
            self._embedded,
            (id(active), json.dumps(local, sort_keys=True)),
            lambda: self._pyld(self._processor._process_context, active, local, self._options),
            active,
        )

    def apply(self, active, local, **flags):
        return _memo(
            self._applied,
            (id(active), id(local), tuple(sorted(flags.items()))),
            lambda: self._pyld(self._processor._process_context, active, local, self._options, **flags),
            active,
            local,
        )

    def iri(self, active, value, vocab=False):
        if len(value) > MEMO_MAX_TEXT:
            return self._pyld(self._processor._expand_iri, active, value, vocab=vocab, base=None)
        return _memo(
            self._iris,
            (id(active), value, vocab),
            lambda: self._pyld(self._processor._expand_iri, active, value, vocab=vocab, base=None),
            active,
        )

    def term(self, active, key):
        return _memo(self._terms, (id(active), key), lambda: _term(active, key), active)

    @staticmethod
    def _pyld(operation, *args, **kwargs):
        """PyLD's operation; if it fails, the full processor will fail the same way and say why."""
        try:
            with limits.metered():  # a memo miss is charged to the active budget; a hit is free
                return operation(*args, **kwargs)
        except TooComplex:
            raise
        except Exception as error:  # noqa: BLE001 - any failure means "let PyLD decide"
            raise Unsupported(f"PyLD's {operation.__name__} failed: {error}") from error


def _memo(cache, key, compute, *pins):
    """``compute()`` once per key. Keys include terms and IRIs from the documents, which may be hostile (the
    verifier converts anyone's credential) or unique (credential ids): a full memo is emptied and refilled,
    so a long-running worker's memory stays bounded. ``pins`` keep the contexts whose id()s the key holds."""
    entry = cache.get(key)
    if entry is None:
        if len(cache) >= MEMO_LIMIT:
            cache.clear()
        entry = cache[key] = (compute(), *pins)
    return entry[0]


def _term(active, key):
    container = get_value(active, key, "@container")
    return _Term(
        container=tuple(sorted(container if isinstance(container, list) else [container] if container else [])),
        coerced=get_value(active, key, "@type"),
        scoped=get_value(active, key, "@context"),
        reverse=bool((active["mappings"].get(key) or {}).get("reverse")),
        tagged=get_value(active, key, "@language") is not None or get_value(active, key, "@direction") is not None,
    )


class _Template(NamedTuple):
    """A named node's quads with its blank nodes numbered from 0, to be replayed in any document."""

    subject: object
    quads: list  # (subject, predicate, object, graph) with an int for each of the node's own blank nodes
    blank_nodes: int


class _Walk:
    def __init__(self, converter, quads):
        self.converter, self.quads, self.blank_nodes = converter, quads, 0

    def node(self, term_ctx, active_property, element, root=False, graph=None):
        """A nested named node (an achievement, an issuer) is the same in every credential of a program: its quads
        are memoized by its exact content (JSON text) and the context it is expanded in, never by identity, so a
        changed node is expanded afresh. Anything else is expanded every time."""
        if root or graph is not None or not ("id" in element or "@id" in element) or limits.active():
            # Outside input (a budget is active) is never memoized: keying by content costs its size at every level.
            return self._expand(term_ctx, active_property, element, root, graph)
        try:
            key = (id(term_ctx), active_property, json.dumps(element, sort_keys=True))
        except (TypeError, ValueError):  # not plain JSON: expand it (or decline) without memoizing
            return self._expand(term_ctx, active_property, element, root, graph)
        cached = self.converter._nodes.get(key)
        if cached is not None:
            return self._replay(cached[0])
        first_quad, first_blank = len(self.quads), self.blank_nodes
        subject = self._expand(term_ctx, active_property, element, root, graph)
        template = _template(subject, self.quads[first_quad:], first_blank, self.blank_nodes)
        if template is not None and len(template.quads) >= NODE_MEMO_MIN_QUADS:
            _memo(self.converter._nodes, key, lambda: template, term_ctx)
        return subject

    def _replay(self, template):
        limits.spend(
            limits.QUAD * len(template.quads) + limits.BLANK_NODE * template.blank_nodes,
            quads=len(template.quads),
            blank_nodes=template.blank_nodes,
        )
        base = self.blank_nodes
        self.blank_nodes += template.blank_nodes

        def term(value):
            return {"type": "blank node", "value": f"_:b{base + value}"} if isinstance(value, int) else value

        for subject, predicate, item, graph in template.quads:
            self.quads.append(
                {"subject": term(subject), "predicate": predicate, "object": term(item), "graph": term(graph)}
            )
        return term(template.subject)

    def _expand(self, term_ctx, active_property, element, root, graph):
        """Expand one node object (JSON-LD 1.1 §13, as PyLD orders it) and return its subject term."""
        limits.spend(limits.NODE, expansion_steps=1)
        converter = self.converter
        active = term_ctx
        if not root:
            property_scoped = converter.term(term_ctx, active_property).scoped
            active = self._revert(term_ctx, element)
            if property_scoped is not None:
                active = converter.apply(active, property_scoped, override_protected=True)
            if "@context" in element:  # e.g. a credential embedded in an endorsement or a CLR
                active = converter.embedded(active, element["@context"])
        type_scoped = active
        for key, value in sorted(element.items()):
            if converter.iri(active, key, vocab=True) != "@type":
                continue
            for type_name in sorted(t for t in (value if isinstance(value, list) else [value]) if isinstance(t, str)):
                scoped = get_value(type_scoped, type_name, "@context")
                if scoped is not None and scoped is not False:
                    active = converter.apply(active, scoped, propagate=False)
        subject = None
        properties = []
        for key, value in sorted(element.items()):
            if key == "@context":
                continue
            expanded = converter.iri(active, key, vocab=True)
            if expanded == "@id":
                if subject is not None:
                    raise Unsupported("two identifiers")
                subject = self._node_id(active, value)
            elif expanded == "@type":
                types = value if isinstance(value, list) else [value]
                properties.append((RDF_TYPE, [self._type(type_scoped, t) for t in types]))
            elif _absolute(expanded):
                properties.append((expanded, self._objects(active, key, value, graph)))
            else:
                raise Unsupported(f"property {key!r} expands to {expanded!r}")
        if subject is None:
            subject = self._blank_node()
        count = sum(len(objects) for _, objects in properties)
        limits.spend(limits.QUAD * count, quads=count)
        for predicate, objects in properties:
            for item in objects:
                self.quads.append(
                    {
                        "subject": subject,
                        "predicate": {"type": "IRI", "value": predicate},
                        "object": item,
                        "graph": graph,
                    }
                )
        return subject

    def _blank_node(self):
        limits.spend(limits.BLANK_NODE, blank_nodes=1)
        self.blank_nodes += 1
        return {"type": "blank node", "value": f"_:b{self.blank_nodes - 1}"}

    def _revert(self, term_ctx, element):
        """Drop a type-scoped context on entering a nested node, unless the element is a subject reference."""
        previous = term_ctx.get("previousContext")
        if previous is None:
            return term_ctx
        if len(element) <= 2 and "@context" not in element:
            for key in sorted(element):
                expanded = self.converter.iri(term_ctx, key, vocab=True)
                if expanded == "@value":
                    raise Unsupported("value object")
                if expanded == "@id" and len(element) == 1:
                    return term_ctx
        return previous

    def _node_id(self, active, value):
        iri = self.converter.iri(active, value) if isinstance(value, str) else None
        if not _absolute(iri):
            raise Unsupported(f"node identifier {value!r}")
        return {"type": "IRI", "value": iri}

    def _type(self, type_scoped, value):
        iri = self.converter.iri(type_scoped, value, vocab=True) if isinstance(value, str) else None
        if not _absolute(iri):
            raise Unsupported(f"type {value!r}")
        return {"type": "IRI", "value": iri}

    def _objects(self, active, key, value, graph):
        term = self.converter.term(active, key)
        if term.reverse:
            raise Unsupported("reverse property")
        container = term.container
        if container not in SUPPORTED_CONTAINERS:
            raise Unsupported(f"container on {key!r}")
        if term.coerced == "@json":
            raise Unsupported("@json value")
        term_ctx = active if term.scoped is None else self.converter.apply(active, term.scoped, override_protected=True)
        if container == LIST_CONTAINER:
            return [self._list([self._object(term_ctx, key, item, graph) for item in _values(value)], graph)]
        objects = []
        for item in _values(value):
            if isinstance(item, dict) and container in GRAPH_CONTAINERS:
                # Each value is a node in a graph of its own, named by a blank node (e.g. a proof).
                name = self._blank_node()
                self.node(term_ctx, key, item, graph=name)
                objects.append(name)
            elif container in GRAPH_CONTAINERS:
                raise Unsupported("scalar in a graph container")
            else:
                objects.append(self._object(term_ctx, key, item, graph))
        return objects

    def _object(self, term_ctx, key, item, graph):
        if isinstance(item, dict):
            return self.node(term_ctx, key, item, graph=graph)
        if isinstance(item, list):
            raise Unsupported("nested list")
        return self._scalar(item, self.converter.term(term_ctx, key), term_ctx)

    def _list(self, items, graph):
        """An RDF collection: rdf:first/rdf:rest blank nodes ending in rdf:nil (rdf:nil alone when empty)."""
        head = {"type": "IRI", "value": RDF_NIL}
        limits.spend(limits.QUAD * 2 * len(items), quads=2 * len(items))
        for item in reversed(items):
            cell = self._blank_node()
            for predicate, value in ((RDF_FIRST, item), (RDF_REST, head)):
                self.quads.append(
                    {"subject": cell, "predicate": {"type": "IRI", "value": predicate}, "object": value, "graph": graph}
                )
            head = cell
        return head

    def _scalar(self, value, term, term_ctx):
        coerced = term.coerced
        if coerced in ("@id", "@vocab"):
            iri = self.converter.iri(term_ctx, value, vocab=coerced == "@vocab") if isinstance(value, str) else None
            if not _absolute(iri):
                raise Unsupported(f"IRI value {value!r}")
            return {"type": "IRI", "value": iri}
        datatype = None
        if coerced is not None and coerced != "@none":
            if not _absolute(coerced):
                raise Unsupported(f"datatype {coerced!r}")
            datatype = coerced
        elif isinstance(value, str) and term.tagged:
            raise Unsupported("language-tagged string")
        return {"type": "literal", **_literal(value, datatype)}


def _template(subject, quads, first_blank, next_blank):
    """The node's quads with its own blank nodes (numbered ``first_blank`` up to ``next_blank``) made relative;
    None if a quad mentions any other blank node, which a memoized copy could not reproduce."""

    def relative(term):
        if term is None or term["type"] != "blank node":
            return term
        number = int(term["value"][3:])
        if not first_blank <= number < next_blank:
            raise LookupError(term["value"])
        return number - first_blank

    try:
        return _Template(
            relative(subject),
            [(relative(q["subject"]), q["predicate"], relative(q["object"]), relative(q["graph"])) for q in quads],
            next_blank - first_blank,
        )
    except LookupError:
        return None


def _values(value):
    if value is None:
        return []
    return [item for item in value if item is not None] if isinstance(value, list) else [value]


def _literal(value, datatype):
    """PyLD's value → literal conversion (``_object_to_rdf``), branch for branch."""
    if isinstance(value, bool):
        return {"value": "true" if value else "false", "datatype": datatype or XSD_BOOLEAN}
    number = isinstance(value, Real)
    if number and not isinstance(value, Integral) and not float(value).is_integer():
        return {"value": pyld._canonicalize_double(value), "datatype": datatype or XSD_DOUBLE}
    if datatype == XSD_DOUBLE or (number and abs(value) >= 1e21):
        raise Unsupported("double written as an integer or a string")
    if number:
        return {"value": str(int(value)), "datatype": datatype or XSD_INTEGER}
    if isinstance(value, str):
        return {"value": value, "datatype": datatype or XSD_STRING}
    raise Unsupported(f"value of type {type(value).__name__}")
