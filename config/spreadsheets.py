"""Cells written to CSV/XLSX files that people open in spreadsheets, and read back from them.

A text cell beginning with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is run as a formula by
Excel, LibreOffice and Google Sheets (CSV/formula injection). Every export escapes such cells with a leading
apostrophe, which spreadsheets hide and treat as "this is text"; numbers, negative ones included, stay numbers.
Imports remove that apostrophe again so an export round-trips, and report unescaped formula-like cells.
"""

import re

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def looks_like_formula(value) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_PREFIXES) and not _NUMBER.match(value)


def escape_cell(value):
    """The value as it is safe to write into a spreadsheet cell."""
    return "'" + value if looks_like_formula(value) else value


def escape_row(values):
    return [escape_cell(value) for value in values]


def unescape_cell(value):
    """Undo ``escape_cell`` on a value read back from a file."""
    if isinstance(value, str) and value.startswith("'") and looks_like_formula(value[1:]):
        return value[1:]
    return value
