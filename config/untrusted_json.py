"""Parsing JSON that came from outside: a depth limit, so hostile nesting is a clear error, not a RecursionError.

Used by the verify form, the verifier itself and the API's request parser.
"""

import json

MAX_JSON_DEPTH = 32  # an OB 3.0 credential nests about ten levels; deeper input is an attack on recursion


class JSONTooDeep(ValueError):
    pass


def json_depth_check(value, limit=MAX_JSON_DEPTH):
    """Raise JSONTooDeep if ``value`` nests more than ``limit`` levels (checked without recursion)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > limit:
            raise JSONTooDeep(f"The JSON nests more than {limit} levels deep.")
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else ()
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))


def loads_bounded(text):
    """``json.loads`` for untrusted text: ValueError (with a readable message) for bad or too-deep JSON."""
    try:
        value = json.loads(text)
    except RecursionError as error:
        raise JSONTooDeep(f"The JSON nests more than {MAX_JSON_DEPTH} levels deep.") from error
    json_depth_check(value)
    return value
