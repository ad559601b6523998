"""The pattern table compiled for speed.

Stage names and commands are short: each field's rows are joined into one
alternation, best rank first, and matched once. Log output is long, and
CPython's regular expression engine tries every branch of an alternation at
every position (a joined table of 60 rows measured slower than searching each
row apart), so output is searched row by row, best rank first, and a row is
only run when its *needle* (the literal text every match must contain, read
from the front of its regex) is in the output; a cheap substring test skips
almost every row. The first rank with a match decides; lower ranks are not
searched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from komodo_guard.history.patterns import PATTERNS, PRECEDENCE, Field, Pattern

RANK = {kind: index for index, kind in enumerate(PRECEDENCE)}

_META = frozenset(".^$*+?{}[]|()\\")
_OPTIONAL = frozenset("?*{")


@dataclass(frozen=True)
class Row:
    """A compiled table row: its pattern, rank, stage scope and needle."""

    pattern: Pattern
    rank: int
    regex: re.Pattern[str]
    scope: re.Pattern[str] | None
    needle: str | None

    def applies(self, stage: str) -> bool:
        """Whether the row counts in a stage of this name."""
        return self.scope is None or self.scope.fullmatch(stage) is not None


def _top_level_bar(regex: str) -> bool:
    """Whether ``regex`` is an alternation at its top level."""
    depth, index, in_class = 0, 0, False
    while index < len(regex):
        char = regex[index]
        if char == "\\":
            index += 1
        elif in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char in "()":
            depth += 1 if char == "(" else -1
        elif char == "|" and depth == 0:
            return True
        index += 1
    return False


def _after_group(regex: str) -> int:
    """The index just after the group that opens ``regex``."""
    depth, index = 0, 0
    while index < len(regex):
        char = regex[index]
        if char == "\\":
            index += 1
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return index + 1
        index += 1
    return len(regex)


def needle(regex: str) -> str | None:
    """The literal text at the front of ``regex`` that every match contains
    (after a leading look-behind and word boundaries), or None."""
    if _top_level_bar(regex):
        return None
    index = _after_group(regex) if regex.startswith(("(?<!", "(?<=")) else 0
    while regex.startswith("\\b", index):
        index += 2
    found: list[str] = []
    while index < len(regex):
        char = regex[index]
        if char == "\\" and index + 1 < len(regex) and not regex[index + 1].isalnum():
            found.append(regex[index + 1])
            index += 2
            continue
        if char in _META:
            break
        found.append(char)
        index += 1
    if found and index < len(regex) and regex[index] in _OPTIONAL:
        found.pop()
    return "".join(found) or None


def _rows(field: Field, flags: int = 0) -> tuple[Row, ...]:
    chosen = sorted(
        (row for row in PATTERNS if row.field is field), key=lambda r: RANK[r.kind]
    )
    return tuple(
        Row(
            row,
            RANK[row.kind],
            re.compile(row.regex, flags),
            None if row.stages is None else re.compile(row.stages, re.IGNORECASE),
            needle(row.regex) if field is Field.TEXT else None,
        )
        for row in chosen
    )


@dataclass(frozen=True)
class Joined:
    """The rows of a short field joined into one alternation."""

    rows: tuple[Row, ...]
    regex: re.Pattern[str]

    @classmethod
    def of(cls, field: Field, flags: int = 0) -> Joined:
        rows = _rows(field, flags)
        joined = "|".join(
            f"(?P<r{i}>{row.pattern.regex})" for i, row in enumerate(rows)
        )
        return cls(rows, re.compile(joined, flags))

    def full(self, value: str) -> Row | None:
        """The best row matching all of ``value``."""
        match = self.regex.fullmatch(value)
        return None if match is None else self.rows[int((match.lastgroup or "r0")[1:])]

    def search(self, value: str) -> Row | None:
        """The row of the first match in ``value``."""
        match = self.regex.search(value)
        return None if match is None else self.rows[int((match.lastgroup or "r0")[1:])]


@dataclass(frozen=True)
class Text:
    """The rows searched in log output, one by one behind their needles."""

    rows: tuple[Row, ...]

    def best(self, text: str, stage: str) -> tuple[Row, re.Match[str]] | None:
        """The best-ranked row found in ``text`` (earliest match on a tie)."""
        found: tuple[Row, re.Match[str]] | None = None
        for row in self.rows:
            if found is not None and row.rank > found[0].rank:
                break
            if row.needle is not None and row.needle not in text:
                continue
            if not row.applies(stage):
                continue
            match = row.regex.search(text)
            if match is not None and (
                found is None or match.start() < found[1].start()
            ):
                found = (row, match)
        return found


STAGE = Joined.of(Field.STAGE, re.IGNORECASE)
COMMAND = Joined.of(Field.COMMAND)
TEXT = Text(_rows(Field.TEXT))
