"""Find TOML table headers (``[a.b]``, ``[[a]]``) with their lines.

The TOML parser gives positions for keys and values but not for table headers, which
are where an unknown table or a swallowed key has to be reported. This scanner walks
the text once, skipping multi-line strings and comments, and resolves each header to
the concrete key path it opens (array-of-tables headers get their element index).
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass

KeyPath = tuple[str | int, ...]

_DELIMITERS = ('"""', "'''")
# `key = """` (or ''') with nothing else on the line: the common opening form.
_SIMPLE_OPEN = re.compile(r"""^[^"'#]*("{3}|'{3})[^"'#]*$""")
# A line that may be a header: its first non-blank character is `[`. Matching the
# newline before it (rather than `^` in multi-line mode) lets the search skip
# ahead to each newline; the first line is tested on its own.
_CANDIDATE = re.compile(r"\n[ \t]*\[")
_FIRST_CANDIDATE = re.compile(r"[ \t]*\[")


@dataclass(frozen=True)
class Header:
    """A table header: where it is, the keys as written, and the path it opens."""

    line: int
    column: int
    keys: tuple[str, ...]
    array: bool
    path: KeyPath
    text: str


def scan_headers(text: str) -> tuple[Header, ...]:
    """Return every table header of ``text`` in order."""
    headers = []
    counts: dict[KeyPath, int] = {}
    for line_no, column, raw in _header_lines(text):
        array = raw.startswith("[[")
        inner = raw[2:-2] if array else raw[1:-1]
        keys = dotted_keys(inner)
        if not keys:
            continue
        path = resolve(keys, array, counts)
        headers.append(Header(line_no, column, keys, array, path, raw))
    return tuple(headers)


def resolve(keys: tuple[str, ...], array: bool, counts: dict[KeyPath, int]) -> KeyPath:
    """The concrete path a header opens; ``counts`` tracks array-of-tables sizes."""
    path: KeyPath = ()
    for position, key in enumerate(keys):
        path = (*path, key)
        last = position == len(keys) - 1
        if last and array:
            index = counts.get(path, 0)
            counts[path] = index + 1
            return (*path, index)
        if path in counts:
            path = (*path, counts[path] - 1)
    return path


@functools.lru_cache(maxsize=4096)
def dotted_keys(inner: str) -> tuple[str, ...]:
    """:func:`split_dotted` as a tuple, remembered: a large file writes the same
    few headers and keys thousands of times."""
    return tuple(split_dotted(inner))


def split_dotted(inner: str) -> list[str]:
    """Split a dotted key (``a."b.c".d``) into its parts, unquoting each."""
    if '"' not in inner and "'" not in inner:
        return [part.strip() for part in inner.split(".")]
    parts: list[str] = []
    current = []
    quote = ""
    for char in inner.strip():
        if quote:
            if char == quote:
                quote = ""
            else:
                current.append(char)
        elif char in "\"'":
            quote = char
        elif char == ".":
            parts.append("".join(current).strip())
            current = []
        else:
            current.append(char)
    parts.append("".join(current).strip())
    return [part for part in parts if part] if all(parts) else parts


def _header_lines(text: str) -> Iterator[tuple[int, int, str]]:
    """Yield (line, column, header text) for header lines outside strings.

    Only lines holding a triple quote can open or close a multi-line string, so
    those are the only lines scanned character by character; candidate header
    lines are found with one regular-expression pass.
    """
    line_starts = [0, *itertools.accumulate(map(len, text.splitlines(keepends=True)))]
    open_after: list[tuple[int, str]] = []
    open_string = ""
    for line_no in _triple_lines(text, line_starts):
        line = _line_text(text, line_starts, line_no)
        if open_string:
            if open_string in line:
                rest = line[line.index(open_string) + 3 :]
                open_string = _still_open(rest)
        else:
            open_string = _still_open(line)
        open_after.append((line_no, open_string))
    for start in _candidate_starts(text):
        line_no = _line_of(line_starts, start)
        index = bisect.bisect_left(open_after, (line_no, "")) - 1
        if index >= 0 and open_after[index][1]:
            continue
        line = _line_text(text, line_starts, line_no)
        stripped = line.lstrip()
        header = header_text(stripped)
        if header:
            yield line_no, len(line) - len(stripped) + 1, header


def _triple_lines(text: str, line_starts: list[int]) -> list[int]:
    """The numbers of the lines holding a triple quote, in order."""
    found: set[int] = set()
    for delimiter in _DELIMITERS:
        index = text.find(delimiter)
        while index >= 0:
            line_no = _line_of(line_starts, index)
            found.add(line_no)
            index = text.find(delimiter, line_starts[line_no])  # the next line
    return sorted(found)


def _candidate_starts(text: str) -> Iterator[int]:
    """Offsets of the lines whose first non-blank character is ``[``."""
    if _FIRST_CANDIDATE.match(text):
        yield 0
    for match in _CANDIDATE.finditer(text):
        yield match.start() + 1


def _line_of(line_starts: list[int], offset: int) -> int:
    return bisect.bisect_right(line_starts, offset)


def _line_text(text: str, line_starts: list[int], line_no: int) -> str:
    start = line_starts[line_no - 1]
    end = line_starts[line_no] - 1 if line_no < len(line_starts) else len(text)
    return text[start:end].rstrip("\r")


def header_text(stripped: str) -> str:
    """The ``[...]`` or ``[[...]]`` part of a header line, or "" if not a header."""
    array = stripped.startswith("[[")
    closing = "]]" if array else "]"
    if '"' not in stripped and "'" not in stripped:
        end = stripped.find(closing, 2 if array else 1)
        return stripped[: end + len(closing)] if end >= 0 else ""
    quote = ""
    start = 2 if array else 1
    for index in range(start, len(stripped)):
        char = stripped[index]
        if quote:
            if char == quote:
                quote = ""
        elif char in "\"'":
            quote = char
        elif stripped.startswith(closing, index):
            return stripped[: index + len(closing)]
    return ""


def _still_open(line: str) -> str:
    """Which multi-line string delimiter is left open at the end of ``line``."""
    if '"""' not in line and "'''" not in line:
        return ""
    simple = _SIMPLE_OPEN.match(line)
    if simple:
        return simple.group(1)
    index = 0
    open_string = ""
    while index < len(line):
        if open_string:
            found = line.find(open_string, index)
            if found < 0:
                return open_string
            index, open_string = found + 3, ""
            continue
        char = line[index]
        if char == "#":
            return ""
        if line.startswith('"""', index) or line.startswith("'''", index):
            open_string = line[index : index + 3]
            index += 3
        elif char in "\"'":
            end = _end_of_string(line, index)
            index = end + 1
        else:
            index += 1
    return open_string


def _end_of_string(line: str, start: int) -> int:
    quote = line[start]
    index = start + 1
    while index < len(line):
        if quote == '"' and line[index] == "\\":
            index += 2
            continue
        if line[index] == quote:
            return index
        index += 1
    return len(line)
