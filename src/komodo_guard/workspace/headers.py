"""Find TOML table headers (``[a.b]``, ``[[a]]``) with their lines.

The TOML parser gives positions for keys and values but not for table headers, which
are where an unknown table or a swallowed key has to be reported. This scanner walks
the text once, skipping multi-line strings and comments, and resolves each header to
the concrete key path it opens (array-of-tables headers get their element index).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

KeyPath = tuple[str | int, ...]


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
        keys = tuple(split_dotted(inner))
        if not keys:
            continue
        path = _resolve(keys, array, counts)
        headers.append(Header(line_no, column, keys, array, path, raw))
    return tuple(headers)


def _resolve(keys: tuple[str, ...], array: bool, counts: dict[KeyPath, int]) -> KeyPath:
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


def split_dotted(inner: str) -> list[str]:
    """Split a dotted key (``a."b.c".d``) into its parts, unquoting each."""
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
    """Yield (line, column, header text) for header lines outside strings."""
    open_string = ""
    for line_no, line in enumerate(text.splitlines(), start=1):
        if open_string:
            if open_string not in line:
                continue
            rest = line[line.index(open_string) + 3 :]
            open_string = _still_open(rest)
            continue
        stripped = line.lstrip()
        if stripped.startswith("["):
            header = _header_text(stripped)
            if header:
                yield line_no, len(line) - len(stripped) + 1, header
                continue
        open_string = _still_open(line)


def _header_text(stripped: str) -> str:
    """The ``[...]`` or ``[[...]]`` part of a header line, or "" if not a header."""
    array = stripped.startswith("[[")
    closing = "]]" if array else "]"
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
