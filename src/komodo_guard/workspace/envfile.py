"""Dotenv files the way compose reads them: names, and values where needed.

Lines are ``KEY=VALUE`` (``export KEY=VALUE`` and ``KEY: VALUE`` work too);
``#`` starts a comment line, and `` #`` ends an unquoted value; a quoted value
may run over several lines. A bare ``KEY`` takes its value from the
environment compose runs in, so it counts as defined with an unknown value.

Most callers need the names only (:func:`dotenv_names`). The install rules
need values too (:func:`dotenv_entries`); those values may be secrets: keep
them in memory, compare them, and never put them in a message or a log line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_KEY = re.compile(r"\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.\-]*)\s*(?:([=:])(.*))?$")
_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", "\\": "\\", '"': '"', "$": "$$"}


@dataclass(frozen=True)
class DotenvEntry:
    """One ``KEY=VALUE`` of a dotenv file.

    ``line`` and ``column`` (1-based) are where the key is written. ``value``
    is None for a bare ``KEY``. ``expands`` is True when compose interpolates
    ``${VAR}`` in the value (unquoted and double-quoted values); a literal
    dollar sign in such a value is written ``$$``, as in a compose file.
    """

    key: str
    line: int
    column: int
    value: str | None = field(repr=False)
    expands: bool = True


def dotenv_names(text: str) -> frozenset[str]:
    """Names defined by the dotenv ``text``."""
    return frozenset(entry.key for entry in dotenv_entries(text))


def dotenv_entries(text: str) -> tuple[DotenvEntry, ...]:
    """Every assignment of the dotenv ``text``, in file order."""
    lines = text.splitlines()
    entries: list[DotenvEntry] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        index += 1
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        match = _KEY.match(line)
        if match is None:
            continue
        key, line_number = match.group(1), index
        column = match.start(1) + 1
        if match.group(2) is None:
            entries.append(DotenvEntry(key, line_number, column, None))
            continue
        value, expands, used = _value((match.group(3) or "").lstrip(), lines, index)
        index += used
        entries.append(DotenvEntry(key, line_number, column, value, expands))
    return tuple(entries)


def _value(first: str, lines: list[str], following: int) -> tuple[str, bool, int]:
    """(value, expands, lines consumed after the first) of a value that starts
    with ``first`` on its line; ``following`` is the index of the next line."""
    if not first or first[0] not in "\"'":
        return _unquoted(first), True, 0
    quote = first[0]
    text = first[1:]
    used = 0
    end = _closing(text, quote)
    while end < 0 and following + used < len(lines):
        text = f"{text}\n{lines[following + used]}"
        used += 1
        end = _closing(text, quote)
    body = text if end < 0 else text[:end]
    if quote == "'":
        return body, False, used
    return _unescape(body), True, used


def _unquoted(text: str) -> str:
    cut = re.search(r"\s#", text)
    return (text[: cut.start()] if cut else text).strip()


def _closing(text: str, quote: str) -> int:
    """Offset of the quote that closes ``text`` (after the opening one), or -1."""
    escaped = False
    for offset, char in enumerate(text):
        if escaped:
            escaped = False
        elif char == "\\" and quote == '"':
            escaped = True
        elif char == quote:
            return offset
    return -1


def _unescape(body: str) -> str:
    out: list[str] = []
    escaped = False
    for char in body:
        if escaped:
            out.append(_ESCAPES.get(char, f"\\{char}"))
            escaped = False
        elif char == "\\":
            escaped = True
        else:
            out.append(char)
    return "".join(out)
