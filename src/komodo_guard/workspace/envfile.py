"""The variable names a dotenv file defines, the way compose reads it.

Only names are kept: values can be secrets and no rule needs them. Lines are
``KEY=VALUE`` (``export KEY=VALUE`` and ``KEY: VALUE`` work too); ``#`` starts
a comment; a quoted value may run over several lines. A bare ``KEY`` takes
its value from the environment compose runs in, so it counts as defined.
"""

from __future__ import annotations

import re

_KEY = re.compile(r"\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.\-]*)\s*(?:([=:])(.*))?$")


def dotenv_names(text: str) -> frozenset[str]:
    """Names defined by the dotenv ``text``."""
    names: set[str] = set()
    open_quote = ""
    for line in text.splitlines():
        if open_quote:
            if _closes(line, open_quote):
                open_quote = ""
            continue
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        match = _KEY.match(line)
        if match is None:
            continue
        names.add(match.group(1))
        open_quote = _unclosed_quote((match.group(3) or "").strip())
    return frozenset(names)


def _unclosed_quote(value: str) -> str:
    """The quote character a value opens and does not close on its line."""
    if not value or value[0] not in "\"'":
        return ""
    quote = value[0]
    return "" if _closes(value[1:], quote) else quote


def _closes(text: str, quote: str) -> bool:
    escaped = False
    for char in text:
        if escaped:
            escaped = False
        elif char == "\\" and quote == '"':
            escaped = True
        elif char == quote:
            return True
    return False
