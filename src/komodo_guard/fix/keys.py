"""Read and write one TOML key as the file spells it: bare, "basic" or 'literal'.

Only keys a fixer can read back unambiguously are read: bare keys, and quoted
keys without escapes. Anything else is left alone.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

_BARE = re.compile(r"[A-Za-z0-9_-]+")


@dataclass(frozen=True)
class KeyToken:
    """One key as written: its name, its text and its quote (``""`` if bare)."""

    name: str
    text: str
    quote: str

    def spelled(self, name: str) -> str:
        """``name`` written with this token's quoting."""
        if self.quote == "'" and "'" not in name and name.isprintable():
            return f"'{name}'"
        if self.quote == "" and _BARE.fullmatch(name):
            return name
        return json.dumps(name, ensure_ascii=False)


def read_key(line: str, start: int) -> KeyToken | None:
    """The key written at 0-based ``start`` of ``line``, or None."""
    quote = line[start : start + 1]
    if quote in ("'", '"'):
        end = line.find(quote, start + 1)
        if end < 0 or (quote == '"' and "\\" in line[start:end]):
            return None
        text = line[start : end + 1]
        return KeyToken(text[1:-1], text, quote)
    bare = _BARE.match(line, start)
    return KeyToken(bare.group(), bare.group(), "") if bare else None


def assigns(line: str, token_end: int) -> bool:
    """True when the key ending at ``token_end`` is followed by ``=`` (so it
    is not the first part of a dotted key)."""
    return line[token_end:].lstrip(" \t").startswith("=")
