"""Komodo's backslash pre-processing of ``\"\"\"`` strings, with a column map back.

Since 1.17 Core splits a resource file on every ``\"\"\"`` and doubles each backslash in
the odd-numbered pieces before handing the text to the TOML parser
(``bin/core/src/sync/mod.rs::escape_between_triple_string``). The split is naive: a
``\"\"\"`` inside a literal string or a comment shifts the parity, exactly as in Komodo.

No newline is added, so line numbers stay right; columns on affected lines shift by
the number of backslashes inserted before them, which :class:`ColumnMap` undoes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

_TRIPLE = '"""'


@dataclass(frozen=True)
class ColumnMap:
    """Per line (1-based), the original columns of backslashes that were doubled."""

    doubled: dict[int, tuple[int, ...]] = field(default_factory=dict)

    def original_column(self, line: int, column: int) -> int:
        """Map a 1-based column in the processed text to the original text."""
        inserted = self.doubled.get(line)
        if not inserted:
            return column
        shift = 0
        for original in inserted:
            # The copy of the backslash at ``original`` sits at processed column
            # original + shift + 1; positions after it move one to the right.
            if original + shift < column:
                shift += 1
            else:
                break
        return column - shift


def komodo_escape(text: str) -> tuple[str, ColumnMap]:
    """Return the text Komodo parses and the map from its columns to ``text``'s."""
    if "\\" not in text or _TRIPLE not in text:
        return text, ColumnMap()
    pieces = text.split(_TRIPLE)
    doubled: dict[int, list[int]] = {}
    line, column = 1, 1
    out = []
    for index, piece in enumerate(pieces):
        if index % 2 == 1 and "\\" in piece:
            _record_backslashes(piece, line, column, doubled)
            out.append(piece.replace("\\", "\\\\"))
        else:
            out.append(piece)
        line, column = _advance(
            piece + (_TRIPLE if index < len(pieces) - 1 else ""), line, column
        )
    mapped = {key: tuple(value) for key, value in doubled.items()}
    return _TRIPLE.join(out), ColumnMap(mapped)


def _record_backslashes(
    piece: str, line: int, column: int, doubled: dict[int, list[int]]
) -> None:
    for char in piece:
        if char == "\n":
            line, column = line + 1, 1
            continue
        if char == "\\":
            doubled.setdefault(line, []).append(column)
        column += 1


def _advance(piece: str, line: int, column: int) -> tuple[int, int]:
    newlines = piece.count("\n")
    if newlines:
        return line + newlines, len(piece) - piece.rfind("\n")
    return line, column + len(piece)
