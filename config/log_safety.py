"""Log lines that values taken from requests cannot split or forge.

A did:web with ``%0a``, a header, a user agent or a URL may reach a log message or its arguments. Every control or
line-separator character in them is written as a visible escape (``\\n``, ``\\r``, ``\\u001b``, ``\\u2028``) in the
JSON format's spelling, so the same escapes serve both formats: json.dumps already escapes U+0000–U+001F and lets
through DEL, the C1 controls (U+0085 among them) and U+2028/U+2029, which some readers split lines on.
"""

import logging
import re

_LINE_BREAKING = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_SHORT = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def escape_controls(text: str) -> str:
    return _LINE_BREAKING.sub(lambda match: _SHORT.get(match[0], f"\\u{ord(match[0]):04x}"), text)


class TextFormatter(logging.Formatter):
    """The text format: the record's own line escaped whole; a traceback or stack keeps its lines, each indented
    and escaped, so none of them can pass for a record of its own."""

    def format(self, record):
        # Not Formatter.format: it caches the traceback text on the record, where another handler's formatter
        # may already have put it unescaped.
        record.message = record.getMessage()
        if self.usesTime():
            record.asctime = self.formatTime(record, self.datefmt)
        lines = [escape_controls(self.formatMessage(record))]
        if record.exc_info:
            lines.append(_indented(self.formatException(record.exc_info)))
        if record.stack_info:
            lines.append(_indented(self.formatStack(record.stack_info)))
        return "\n".join(lines)


def _indented(text):
    return "\n".join("    " + escape_controls(line) for line in text.split("\n"))
