"""Positions of every key of a TOML file written as ``key = value`` on its own line.

Parsing with positions through toml-rs's metadata costs about fifteen times a plain
parse, so the values come from the fast parse and the positions of ordinary keys
(under ``[table]`` and ``[[array]]`` headers, dotted keys included) from this one
line scan. Keys inside inline tables and array elements, which are rarely needed,
are left to the metadata fallback in :mod:`komodo_guard.workspace.toml_file`.

The scan runs only on files that already parsed, so it can rely on the text being
valid TOML; it works on the original text, before Komodo's backslash doubling, so
its columns need no mapping back.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from komodo_guard.workspace.headers import (
    Header,
    KeyPath,
    dotted_keys,
    header_text,
    resolve,
)

_KEY_PART = r"""(?:[A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*"|'[^']*')"""
_PART = re.compile(_KEY_PART)
_BASIC_REST = re.compile(r'(?:[^"\\]|\\.)*"')
_TOKEN = re.compile(r'"""|\'\'\'|"|\'|#|[\[\]{},]')
_KEY_LINE = re.compile(
    rf"[ \t]*({_KEY_PART}(?:[ \t]*\.[ \t]*{_KEY_PART})*)[ \t]*=[ \t]*"
)


@dataclass(frozen=True)
class Span:
    """Where a key and its value are, as 1-based (line, column) pairs."""

    key_line: int
    key_column: int
    value_line: int
    value_column: int
    end_line: int
    end_column: int


def scan_keys(text: str) -> dict[KeyPath, Span]:
    """Spans of the keys of ``text`` that stand at the start of a line."""
    lines = text.splitlines()
    return scan_rows(lines, 0, len(lines), (), {})


def scan_rows(
    lines: list[str],
    start: int,
    stop: int,
    table: KeyPath,
    counts: dict[KeyPath, int],
) -> dict[KeyPath, Span]:
    """Spans of the keys on rows ``start`` to ``stop`` (0-based, exclusive),
    starting inside ``table`` with ``counts`` array-of-tables elements seen."""
    spans: dict[KeyPath, Span] = {}
    index = start
    while index < stop:
        line = lines[index]
        stripped = line.lstrip()
        if not stripped or stripped[0] == "#":
            index += 1
            continue
        if stripped[0] == "[":
            header = header_text(stripped)
            array = header.startswith("[[")
            keys = dotted_keys(header[2:-2] if array else header[1:-1])
            table = resolve(keys, array, counts)
            if array:
                _array_header(spans, table, index, line, header)
            index += 1
            continue
        match = _KEY_LINE.match(line)
        if match is None:
            index += 1
            continue
        start = match.end()
        elements: list[Span] = []
        end_line, end_column = value_end(lines, index, start, elements)
        path = (*table, *dotted_keys(match.group(1)))
        for number, element in enumerate(elements):
            spans[(*path, number)] = element
        spans[path] = Span(
            index + 1,
            _last_part_column(match) + 1,
            index + 1,
            start + 1,
            end_line + 1,
            end_column + 1,
        )
        index = end_line + 1
    return spans


class KeyIndex:
    """Key positions of one file, scanned one top-level table at a time.

    A top-level table (``[name]``) or array element (``[[name]]``), with the
    sub-tables that follow it, is a region; a lookup scans only the region its
    path starts in, once. Most keys never need a position, so most regions of a
    large file are never scanned.
    """

    def __init__(self, text: str, headers: Sequence[Header]) -> None:
        self._lines = text.splitlines()
        self._regions: list[tuple[int, int, KeyPath]] = []
        self._by_prefix: dict[KeyPath, list[int]] = {}
        self._scanned: dict[int, dict[KeyPath, Span]] = {}
        self._split(headers)

    def _split(self, headers: Sequence[Header]) -> None:
        starts: list[tuple[int, KeyPath, KeyPath]] = [(0, (), ())]
        current = ""
        for header in headers:
            if len(header.keys) == 1 or header.keys[0] != current:
                current = header.keys[0]
                element = len(header.path) > 1 and isinstance(header.path[1], int)
                prefix = header.path[:2] if element else header.path[:1]
                starts.append((header.line - 1, prefix, prefix if element else ()))
        ends = [row for row, _, _ in starts[1:]] + [len(self._lines)]
        for number, ((row, prefix, seed), end) in enumerate(
            zip(starts, ends, strict=True)
        ):
            self._regions.append((row, end, seed))
            self._by_prefix.setdefault(prefix, []).append(number)

    def get(self, path: KeyPath) -> Span | None:
        """The span of ``path``, scanning its region on first need."""
        for number in self._candidates(path):
            found = self._region(number).get(path)
            if found is not None:
                return found
        return None

    def all(self) -> dict[KeyPath, Span]:
        """Every key's span (scans every region)."""
        spans: dict[KeyPath, Span] = {}
        for number in range(len(self._regions)):
            spans.update(self._region(number))
        return spans

    def _candidates(self, path: KeyPath) -> list[int]:
        """The regions a path can be in: its element's, its table's, or (for
        an array's own key) its first element's; else the top of the file."""
        for prefix in (path[:2], path[:1], (*path, 0)):
            found = self._by_prefix.get(prefix)
            if found is not None:
                return found
        return self._by_prefix[()]

    def _region(self, number: int) -> dict[KeyPath, Span]:
        found = self._scanned.get(number)
        if found is None:
            start, stop, seed = self._regions[number]
            counts = {seed[:1]: int(seed[1])} if seed else {}
            found = scan_rows(self._lines, start, stop, (), counts)
            self._scanned[number] = found
        return found


def _array_header(
    spans: dict[KeyPath, Span], element: KeyPath, row: int, line: str, header: str
) -> None:
    """Spans for a ``[[a.b]]`` header: the element it opens, and (the first
    element) the array's key, placed where toml-rs places them."""
    column = line.index(header)
    end = column + len(header)
    spans[element] = Span(row + 1, column + 1, row + 1, column + 1, row + 1, end)
    array = element[:-1]
    if element[-1] == 0 and isinstance(array[-1], str):
        key_column = line.rfind(array[-1], column, end) + 1
        spans[array] = Span(row + 1, key_column, row + 1, 0, row + 1, 0)


def _last_part_column(match: re.Match[str]) -> int:
    """0-based column of the last part of a (dotted) key, as toml-rs reports it."""
    key = match.group(1)
    if "." not in key:
        return match.start(1)
    last = 0
    for part in _PART.finditer(key):
        last = part.start()
    return match.start(1) + last


def value_end(
    lines: list[str], row: int, column: int, elements: list[Span] | None = None
) -> tuple[int, int]:
    """(row, column) of the last character of the value starting at ``column``
    of ``lines[row]``; both 0-based. For an array, the spans of its quoted,
    table and array elements are appended to ``elements``."""
    line = lines[row]
    if line.startswith(('"""', "'''"), column):
        return _triple_end(lines, row, column + 3, line[column : column + 3])
    char = line[column] if column < len(line) else ""
    if char == '"':
        return row, _basic_end(line, column + 1)
    if char == "'":
        end = line.find("'", column + 1)
        return row, end if end >= 0 else len(line) - 1
    if char in "[{":
        return _bracket_end(lines, row, column, elements if char == "[" else None)
    comment = line.find("#", column)
    value = line[column : comment if comment >= 0 else len(line)].rstrip()
    return row, column + max(len(value), 1) - 1


def _basic_end(line: str, index: int) -> int:
    match = _BASIC_REST.match(line, index)
    return match.end() - 1 if match else len(line) - 1


def _triple_end(
    lines: list[str], row: int, column: int, delimiter: str
) -> tuple[int, int]:
    while row < len(lines):
        found = lines[row].find(delimiter, column)
        if found >= 0:
            end = found + 2
            line = lines[row]
            # Up to two quotes right before the closing delimiter belong to the
            # string: the delimiter is the last three quotes of the run.
            while (
                end + 1 < len(line)
                and line[end + 1] == delimiter[0]
                and end < found + 4
            ):
                end += 1
            return row, end
        row, column = row + 1, 0
    return len(lines) - 1, max(len(lines[-1]) - 1, 0) if lines else 0


def _bracket_end(
    lines: list[str], row: int, column: int, elements: list[Span] | None
) -> tuple[int, int]:
    """End of an inline array or table; records depth-1 elements of arrays."""
    depth = 0
    opened: tuple[int, int] | None = None
    commas: list[tuple[int, int]] = []
    found: list[Span] = []
    while row < len(lines):
        line = lines[row]
        resume = -1
        for match in _TOKEN.finditer(line, column):
            index = match.start()
            if index < resume:
                continue
            token = match.group()
            if token == "#":
                break
            if token in ('"""', "'''"):
                end_row, end = _triple_end(lines, row, index + 3, token)
                _element(found, depth, (row, index), (end_row, end))
                if end_row != row:
                    row, column = end_row, end + 1
                    break
                resume = end + 1
            elif token == '"' or token == "'":
                end = (
                    _basic_end(line, index + 1)
                    if token == '"'
                    else line.find("'", index + 1)
                )
                _element(found, depth, (row, index), (row, end))
                resume = end + 1
            elif token == ",":
                if depth == 1:
                    commas.append((row, index))
            elif token in "[{":
                depth += 1
                if depth == 2:
                    opened = (row, index)
            elif token in "]}":
                depth -= 1
                if depth == 1 and opened is not None:
                    _element(found, 1, opened, (row, index))
                    opened = None
                if depth == 0:
                    if elements is not None and _complete(found, commas):
                        elements.extend(found)
                    return row, index
        else:
            row, column = row + 1, 0
            continue
        if token == "#":
            row, column = row + 1, 0
    return len(lines) - 1, max(len(lines[-1]) - 1, 0) if lines else 0


def _complete(found: list[Span], commas: list[tuple[int, int]]) -> bool:
    """True when every element of the array was recorded: as many elements as
    commas, plus one unless the last comma trails the last element."""
    if not found:
        return not commas
    last = (found[-1].end_line - 1, found[-1].end_column - 1)
    trailing = bool(commas) and commas[-1] > last
    return len(found) == len(commas) + (0 if trailing else 1)


def _element(
    elements: list[Span],
    depth: int,
    start: tuple[int, int],
    end: tuple[int, int],
) -> None:
    if depth == 1:
        row, column = start[0] + 1, start[1] + 1
        elements.append(Span(row, column, row, column, end[0] + 1, end[1] + 1))
