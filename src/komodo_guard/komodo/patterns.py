"""Batch* execution patterns (``resource/mod.rs::list_full_for_user_using_pattern``).

A pattern is a string list (comma / newline separated, see
:func:`~komodo_guard.komodo.parsers.parse_string_list`). An entry wrapped in
backslashes, ``\\^api-.*$\\``, is a Rust regex searched in each resource name;
any other entry is a wildcard matched against the whole name, where ``*`` is
any run of bytes, ``?`` one byte and ``\\`` escapes ``*``, ``?`` or ``\\``.
Komodo rejects the whole execution when one entry does not compile.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from komodo_guard.komodo.parsers import parse_string_list

# Rust's regex crate has no look-around and no backreferences.
_LOOK_AROUND = re.compile(r"\(\?<?[=!]")
_NAMED_GROUP = re.compile(r"\(\?<(?=[A-Za-z_])")
_WILDCARD_META = frozenset("*?\\")


@dataclass(frozen=True)
class PatternEntry:
    """One entry: its text, whether it is a regex, and its compiled form."""

    text: str
    is_regex: bool
    compiled: re.Pattern[bytes] | None
    error: str | None = None

    def matches(self, name: str) -> bool:
        """Whether this entry selects a resource called ``name``."""
        if self.compiled is None:
            return False
        data = name.encode()
        if self.is_regex:
            return self.compiled.search(data) is not None
        return self.compiled.fullmatch(data) is not None


@dataclass(frozen=True)
class BatchPattern:
    """A parsed Batch* pattern; ``errors`` lists entries Komodo would refuse."""

    entries: tuple[PatternEntry, ...]

    @property
    def errors(self) -> tuple[str, ...]:
        """One message per entry that does not compile."""
        return tuple(e.error for e in self.entries if e.error is not None)

    def matches(self, name: str) -> bool:
        """Whether any entry selects a resource called ``name``."""
        return any(entry.matches(name) for entry in self.entries)


def compile_pattern(pattern: str) -> BatchPattern:
    """Parse a Batch* ``pattern`` into its entries."""
    return BatchPattern(tuple(_entry(text) for text in parse_string_list(pattern)))


def _entry(text: str) -> PatternEntry:
    if len(text) >= 2 and text.startswith("\\") and text.endswith("\\"):
        compiled, error = _compile_regex(text[1:-1])
        return PatternEntry(text, True, compiled, error)
    compiled, error = _compile_wildcard(text)
    return PatternEntry(text, False, compiled, error)


def _compile_regex(source: str) -> tuple[re.Pattern[bytes] | None, str | None]:
    if _LOOK_AROUND.search(_without_escapes(source)):
        return None, f"regex {source!r} uses look-around, which Rust regex lacks"
    backreference = _backreference(source)
    if backreference:
        return None, (
            f"regex {source!r} uses backreference {backreference}, "
            "which Rust regex lacks"
        )
    python = _NAMED_GROUP.sub("(?P<", source).replace("\\z", "\\Z")
    try:
        return re.compile(python.encode()), None
    except re.error as error:
        return None, f"regex {source!r} does not compile: {error}"


def _without_escapes(source: str) -> str:
    """``source`` with every escaped character blanked out."""
    return re.sub(r"\\.", "__", source, flags=re.DOTALL)


def _backreference(source: str) -> str | None:
    """The first backreference (``\\1`` or ``\\k<name>``) in ``source``."""
    index = 0
    while index < len(source) - 1:
        if source[index] != "\\":
            index += 1
            continue
        following = source[index + 1]
        if following in "123456789":
            return f"\\{following}"
        if following == "k" and source[index + 2 : index + 3] == "<":
            return "\\k<name>"
        index += 2
    return None


def _compile_wildcard(text: str) -> tuple[re.Pattern[bytes] | None, str | None]:
    parts: list[bytes] = []
    data = text.encode()
    index = 0
    while index < len(data):
        char = data[index : index + 1]
        if char == b"\\":
            following = data[index + 1 : index + 2]
            if (
                not following
                or following.decode(errors="replace") not in _WILDCARD_META
            ):
                return None, f"wildcard {text!r} has an invalid escape"
            parts.append(re.escape(following))
            index += 2
            continue
        parts.append({b"*": b".*", b"?": b"."}.get(char, re.escape(char)))
        index += 1
    return re.compile(b"".join(parts), re.DOTALL), None
