"""Move one key, its value and the comment lines directly above it to the end
of the table it belongs to.

The key must be written on lines of its own directly under its table's header
(not dotted, not in an inline table). It lands after the last key of the
target table (right after the header when it has none). When the target is a
resource's ``config`` table that has no header yet, ``[<table>.config]`` is
written after the resource's own keys. Everything else stays byte for byte,
except that a blank line left doubled by the removal is dropped.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from komodo_guard.fix.keys import assigns, read_key
from komodo_guard.fix.lines import (
    is_blank,
    is_comment,
    newline_of,
    split_lines,
    terminated,
    with_final_newline,
)
from komodo_guard.rules.interface import Edit
from komodo_guard.rules.resources.edits import table_at
from komodo_guard.workspace.headers import Header, KeyPath
from komodo_guard.workspace.toml_file import TomlFile

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Block:
    """0-based indexes of the first and last line of a key to move."""

    first: int
    last: int


@dataclass(frozen=True)
class Target:
    """Where the block goes: before 0-based line ``at``, after ``header``."""

    at: int
    header: str = ""


def move(file: TomlFile, edit: Edit) -> str | None:
    """The text of ``file`` with the key moved, or None when that is not safe."""
    if file.text is None or edit.into is None:
        return None
    lines = split_lines(file.text)
    block = key_block(file, edit, lines)
    target = target_of(file, edit.into, len(lines))
    if block is None or target is None:
        log.debug("%s: cannot move `%s` into %s", file.path, edit.old, edit.into)
        return None
    newline = newline_of(file.text)
    moved = [terminated(line, newline) for line in lines[block.first : block.last + 1]]
    if target.header:
        moved.insert(0, target.header + newline)
    removed = {*range(block.first, block.last + 1), *_doubled_blank(lines, block)}
    out: list[str] = []
    for index, line in enumerate(lines):
        if index == target.at:
            _insert(out, moved, newline)
        if index not in removed:
            out.append(line)
    if target.at >= len(lines):
        _insert(out, moved, newline)
    return with_final_newline("".join(out), newline, final=file.text.endswith("\n"))


def _insert(out: list[str], moved: list[str], newline: str) -> None:
    """Append the moved lines, ending the line before them first."""
    if out:
        out[-1] = terminated(out[-1], newline)
    out.extend(moved)


def key_block(file: TomlFile, edit: Edit, lines: list[str]) -> Block | None:
    """The lines of the key, its value and its attached comments, when the key
    is written plainly right under its own table's header."""
    span = file.spans.get(edit.key)
    if span is None:
        return None
    owner = _header_before(file.headers, span.key_line)
    if owner is None or owner.path != edit.key[:-1]:
        return None
    line = lines[span.key_line - 1]
    start = span.key_column - 1
    token = read_key(line, start)
    if token is None or token.name != edit.old or line[:start].strip():
        return None
    if not assigns(line, start + len(token.text)):
        return None
    first = span.key_line - 1
    while first - 1 >= owner.line and is_comment(lines[first - 1]):
        first -= 1
    return Block(first, span.end_line - 1)


def target_of(file: TomlFile, into: KeyPath, size: int) -> Target | None:
    """Where a key moved into the table ``into`` goes in a file of ``size`` lines."""
    header = file.header(into)
    if header is not None:
        table = table_at(file.data, into)
        return None if table is None else Target(_after_keys(file, header, table, size))
    owner = file.header(into[:-1])
    if len(into) != 3 or into[-1] != "config" or owner is None or not owner.array:
        return None
    if not _headers_only(file, into):
        return None
    body = table_at(file.data, into[:-1]) or {}
    name = ".".join((*owner.keys, "config"))
    return Target(_after_keys(file, owner, body, size), f"[{name}]")


def _header_before(headers: tuple[Header, ...], line: int) -> Header | None:
    before = [header for header in headers if header.line < line]
    return before[-1] if before else None


def _after_keys(
    file: TomlFile, header: Header, table: Mapping[str, Any], size: int
) -> int:
    """The 0-based line after the last key written under ``header``."""
    following = [h.line for h in file.headers if h.line > header.line]
    region = range(header.line + 1, min(following, default=size + 1))
    return max(header.line, _last_line(file, header.path, table, region))


def _last_line(
    file: TomlFile, path: KeyPath, table: Mapping[str, Any], region: range
) -> int:
    """The last line of a key of ``table`` (dotted keys included) in ``region``."""
    last = 0
    for key, value in table.items():
        span = file.spans.get((*path, key))
        if span is not None and span.key_line in region:
            last = max(last, span.end_line)
        elif span is None and isinstance(value, Mapping):
            last = max(last, _last_line(file, (*path, key), value, region))
    return last


def _headers_only(file: TomlFile, into: KeyPath) -> bool:
    """True when the table ``into`` is absent or holds only tables opened by
    headers of their own, so writing its header cannot define it twice."""
    table = table_at(file.data, into)
    if table is None:
        return False
    return all(
        file.header((*into, key)) is not None
        or file.header((*into, key, 0)) is not None
        for key in table
    )


def _doubled_blank(lines: list[str], block: Block) -> set[int]:
    """The blank line above the block when the block is followed by another
    blank line or the end of the file: removing both would leave it doubled."""
    before, after = block.first - 1, block.last + 1
    if before < 0 or not is_blank(lines[before]):
        return set()
    return {before} if after >= len(lines) or is_blank(lines[after]) else set()
