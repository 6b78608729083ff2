"""Bounds on the work of turning someone else's JSON-LD into RDF and canonicalizing it.

JSON-LD processing costs grow with what a document asks for, not with its size: a 318 KB credential that repeats
its two contexts 2,000 times, or a ``type`` array of one scoped type written 5,000 times, makes the processor redo
context processing thousands of times. Anything that verifies outside input therefore runs inside ``bounded()``:

- ``Budget.admit`` checks the JSON's shape before any processing: node count, array lengths, and every
  ``@context`` (no more than a few entries, none repeated);
- the JSON-LD → RDF walk (``fast_rdf``) and RDFC-1.0 (``rdfc``) ``spend`` operations as they work — node
  expansion, quads, blank nodes, hashes — and whatever PyLD does for them (context processing, expansion, its node
  map) runs ``metered()``, charged per Python function call; the budget raises ``TooComplex`` when its
  operations, its quad or blank node cap, or its deadline run out.

Outside ``bounded()`` (signing this registry's own credentials) ``spend`` does nothing. Operation weights are
rough CPU costs relative to emitting one quad; tests assert on these counts, benchmarks on the time they stand for.
"""

import contextlib
import contextvars
import sys
import time
from dataclasses import dataclass, field

# What each step costs, in operations (about a microsecond each on the development machine).
CALL = 1  # one Python function call made by PyLD
CHARGE_EVERY = 256  # PyLD's calls counted between two charges (and deadline checks)
NODE = 10  # expanding one node object
QUAD = 2
BLANK_NODE = 2
HASH = 5  # one SHA-256 of a serialization during canonicalization
PERMUTATION = 10


class TooComplex(Exception):
    """The document needs more work than the verifier allows; the message says what ran out."""


@dataclass(frozen=True)
class Limits:
    max_json_nodes: int = 20_000
    max_array_length: int = 1_000
    max_contexts: int = 10  # entries of one @context array
    max_quads: int = 20_000
    max_blank_nodes: int = 5_000
    operations: int = 500_000


@dataclass
class Budget:
    """Operations (and the deadline) are shared by everything verified within it — a partner's whole batch;
    the JSON value, quad and blank node caps apply to each admitted document."""

    limits: Limits = field(default_factory=Limits)
    deadline: float | None = None  # time.monotonic() value
    operations: int = 0
    calls: int = 0
    expansion_steps: int = 0
    hashes: int = 0
    json_nodes: int = 0  # these three: of the document admitted last
    quads: int = 0
    blank_nodes: int = 0

    def admit(self, document):
        """Refuse a document whose shape alone is too costly: too many JSON values, a long array, or an
        ``@context`` with too many or repeated entries (checked without recursion, before any processing)."""
        self.json_nodes = self.quads = self.blank_nodes = 0
        self.spend(0)  # a spent budget or a passed deadline refuses the next document at once
        limits, stack = self.limits, [document]
        while stack:
            item = stack.pop()
            self.json_nodes += 1
            if self.json_nodes > limits.max_json_nodes:
                raise TooComplex(f"The document holds more than {limits.max_json_nodes:,} JSON values.")
            if isinstance(item, dict):
                if "@context" in item:
                    _check_context(item["@context"], limits)
                stack.extend(item.values())
            elif isinstance(item, list):
                if len(item) > limits.max_array_length:
                    raise TooComplex(
                        f"An array holds {len(item):,} entries; at most {limits.max_array_length:,} are accepted."
                    )
                stack.extend(item)

    def spend(self, operations, *, quads=0, blank_nodes=0, expansion_steps=0, calls=0, hashes=0):
        self.operations += operations
        self.quads += quads
        self.blank_nodes += blank_nodes
        self.expansion_steps += expansion_steps
        self.calls += calls
        self.hashes += hashes
        limits = self.limits
        if self.operations > limits.operations:
            raise TooComplex(f"Verifying it needs more than the verifier's budget of {limits.operations:,} operations.")
        if self.quads > limits.max_quads:
            raise TooComplex(f"It states more than {limits.max_quads:,} RDF statements.")
        if self.blank_nodes > limits.max_blank_nodes:
            raise TooComplex(f"It has more than {limits.max_blank_nodes:,} unnamed nodes.")
        if self.deadline is not None and time.monotonic() > self.deadline:
            raise TooComplex("Verifying it takes longer than the verifier allows.")


def _check_context(context, limits):
    entries = context if isinstance(context, list) else [context]
    named = [entry for entry in entries if isinstance(entry, str)]
    if len(set(named)) != len(named):
        raise TooComplex("An @context lists the same context more than once.")
    if len(entries) > limits.max_contexts:
        raise TooComplex(f"An @context lists {len(entries):,} entries; at most {limits.max_contexts} are accepted.")


_active = contextvars.ContextVar("json_ld_budget", default=None)


@contextlib.contextmanager
def bounded(limits: Limits | None = None, *, deadline: float | None = None):
    """Run the enclosed JSON-LD work within a budget (nested calls share the outermost one)."""
    current = _active.get()
    if current is not None:
        yield current
        return
    budget = Budget(limits or Limits(), deadline)
    token = _active.set(budget)
    try:
        yield budget
    finally:
        _active.reset(token)


def spend(operations, **counts):
    """Charge the active budget, if any (signing our own credentials runs unbounded)."""
    budget = _active.get()
    if budget is not None:
        budget.spend(operations, **counts)


def active() -> bool:
    return _active.get() is not None


@contextlib.contextmanager
def metered():
    """Charge the active budget for every Python function called inside the block — PyLD's work on whatever path it
    takes, its node map and value comparisons included — and stop the block once the budget is spent. A profile
    hook counts the calls: the ``TooComplex`` it raises propagates through PyLD, which re-raises what it catches."""
    budget = _active.get()
    if budget is None:
        yield
        return
    count = 0

    def hook(frame, event, arg):
        nonlocal count
        if event == "call":
            count += 1
            if count == CHARGE_EVERY:
                count = 0
                budget.spend(CALL * CHARGE_EVERY, calls=CHARGE_EVERY)

    previous = sys.getprofile()
    sys.setprofile(hook)
    try:
        yield
    finally:
        sys.setprofile(previous)
    budget.spend(CALL * count, calls=count)
