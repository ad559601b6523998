"""``secrets check`` results as text, JSON or Markdown: pure functions of the result.

Text and Markdown show the matrix first (a row per secret, a column per
store, each cell its state and the letter of the value it holds), then each
secret's places with the reason and last-changed time of every cell, then
the secret Variables a ResourceSync would blank. JSON holds the same facts
as data. None of them can show a value: the result holds none.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, datetime
from enum import StrEnum
from types import MappingProxyType
from typing import Any

from komodo_guard.secrets.model import Blanked, Cell, CheckResult, SecretRow

EMPTY = "-"
BLANK_HINT = (
    "the sync sets it to an empty value: keep the Variable out of the synced "
    "files (manage it in Core), or set include_variables = false"
)


class SecretsFormat(StrEnum):
    """Output formats of ``secrets check``."""

    TEXT = "text"
    JSON = "json"
    MARKDOWN = "markdown"


def render(result: CheckResult, fmt: SecretsFormat) -> str:
    """The whole report in ``fmt``."""
    return RENDERERS[fmt](result)


def columns(result: CheckResult) -> list[str]:
    """The stores, in the order they first appear; a secret with two places in
    one store opens a second column ``store #2``."""
    found: list[str] = []
    for row in result.secrets:
        for column in _row_columns(row):
            if column not in found:
                found.append(column)
    return found


def _row_columns(row: SecretRow) -> list[str]:
    seen: Counter[str] = Counter()
    names: list[str] = []
    for cell in row.cells:
        seen[cell.store] += 1
        count = seen[cell.store]
        names.append(cell.store if count == 1 else f"{cell.store} #{count}")
    return names


def short(cell: Cell) -> str:
    """A cell in the matrix: its state and value letter."""
    return f"{cell.state} {cell.value}" if cell.value else str(cell.state)


def when(stamp: datetime | None) -> str:
    """A last-changed time in UTC, to the minute."""
    if stamp is None:
        return ""
    moment = stamp if stamp.tzinfo else stamp.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def _matrix(result: CheckResult) -> tuple[list[str], list[list[str]]]:
    header = ["secret", *columns(result)]
    rows = []
    for row in result.secrets:
        by_column = dict(zip(_row_columns(row), row.cells, strict=True))
        rows.append(
            [row.name]
            + [short(by_column[c]) if c in by_column else EMPTY for c in header[1:]]
        )
    return header, rows


def _summary(result: CheckResult) -> str:
    counts = {"agree": 0, "drift": 0, "incomplete": 0}
    for row in result.secrets:
        counts[row.status] += 1
    parts = [f"{count} {status}" for status, count in counts.items()]
    blanked = f", {_count(len(result.blanked), 'secret Variable')} a sync would blank"
    return (
        f"{_count(len(result.secrets), 'secret')}: {', '.join(parts)}"
        + (blanked if result.blanked else "")
        + f"; exit {result.exit_code}"
    )


def _count(count: int, noun: str) -> str:
    """``1 secret``, ``2 secrets``, ``0 secrets``."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _detail(cell: Cell) -> str:
    parts = [cell.reason, f"changed {when(cell.changed)}" if cell.changed else ""]
    return "; ".join(part for part in parts if part)


def _blanked_line(entry: Blanked) -> str:
    syncs = ", ".join(entry.syncs)
    return (
        f"{entry.path}:{entry.line}: [[variable]] {entry.variable} is secret and has "
        f"no value; sync {syncs} includes variables: {BLANK_HINT}"
    )


# text ------------------------------------------------------------------------


def render_text(result: CheckResult) -> str:
    """A fixed-width matrix, then the places of each secret."""
    lines = [f"secrets check of {result.map_file or 'the secret map'}", ""]
    if not result.secrets:
        lines.append("the map lists no secrets: add [[secrets.secret]] tables")
    else:
        header, rows = _matrix(result)
        lines += _aligned([header, *rows])
        for row in result.secrets:
            lines += ["", *_text_secret(row)]
    if result.blanked:
        lines += ["", "secret Variables a ResourceSync would blank:"]
        lines += [f"  {_blanked_line(entry)}" for entry in result.blanked]
    lines += ["", _summary(result)]
    return "\n".join(lines) + "\n"


def _aligned(table: list[list[str]]) -> list[str]:
    widths = [max(len(row[i]) for row in table) for i in range(len(table[0]))]
    return [
        "  ".join(
            cell.ljust(width) for cell, width in zip(row, widths, strict=True)
        ).rstrip()
        for row in table
    ]


def _text_secret(row: SecretRow) -> Iterator[str]:
    yield f"{row.name}: {row.status} (compared with {row.reference})"
    width = max(len(cell.label) for cell in row.cells)
    for cell in row.cells:
        mark = " (source)" if cell.source else ""
        detail = _detail(cell)
        yield (
            f"  {cell.label.ljust(width)}  {short(cell)}{mark}"
            + (f": {detail}" if detail else "")
        )
    for entry in row.blanked:
        yield f"  blanked by a sync: {_blanked_line(entry)}"


# markdown --------------------------------------------------------------------


def render_markdown(result: CheckResult) -> str:
    """A Markdown table, then a list of places per secret."""
    lines = [f"## Secrets: {_md(result.map_file or 'the secret map')}", ""]
    if result.secrets:
        header, rows = _matrix(result)
        lines += [
            _md_row(header),
            "|" + "---|" * len(header),
            *(_md_row(row) for row in rows),
        ]
        for row in result.secrets:
            lines += ["", *_md_secret(row)]
    else:
        lines.append("The map lists no secrets.")
    if result.blanked:
        lines += ["", "### Secret Variables a ResourceSync would blank", ""]
        lines += [f"- {_md(_blanked_line(entry))}" for entry in result.blanked]
    lines += ["", _md(_summary(result))]
    return "\n".join(lines) + "\n"


def _md(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("`", "\\`")


def _md_row(cells: list[str]) -> str:
    return "| " + " | ".join(_md(cell) for cell in cells) + " |"


def _md_secret(row: SecretRow) -> Iterator[str]:
    yield f"### {_md(row.name)}: {row.status}"
    yield ""
    yield f"Compared with {_md(row.reference)}."
    yield ""
    for cell in row.cells:
        mark = " (source)" if cell.source else ""
        detail = _detail(cell)
        yield f"- {_md(cell.label)}: **{_md(short(cell))}**{mark}" + (
            f": {_md(detail)}" if detail else ""
        )
    for entry in row.blanked:
        yield f"- blanked by a sync: {_md(_blanked_line(entry))}"


# json ------------------------------------------------------------------------


def render_json(result: CheckResult) -> str:
    """The result as one JSON document."""
    document = {
        "map": result.map_file,
        "exit_code": result.exit_code,
        "columns": columns(result),
        "secrets": [_json_row(row) for row in result.secrets],
        "blanked": [_json_blanked(entry) for entry in result.blanked],
    }
    return json.dumps(document, indent=2) + "\n"


def _json_row(row: SecretRow) -> dict[str, Any]:
    return {
        "name": row.name,
        "status": row.status,
        "reference": row.reference,
        "cells": [
            {
                "column": column,
                "kind": cell.kind,
                "place": cell.label,
                "state": str(cell.state),
                "value": cell.value or None,
                "source": cell.source,
                "drift": cell.drift,
                "reason": cell.reason or None,
                "changed": cell.changed.isoformat() if cell.changed else None,
            }
            for column, cell in zip(_row_columns(row), row.cells, strict=True)
        ],
        "blanked": [_json_blanked(entry) for entry in row.blanked],
    }


def _json_blanked(entry: Blanked) -> dict[str, Any]:
    return {
        "variable": entry.variable,
        "path": entry.path,
        "line": entry.line,
        "syncs": list(entry.syncs),
    }


RENDERERS: Mapping[SecretsFormat, Callable[[CheckResult], str]] = MappingProxyType(
    {
        SecretsFormat.TEXT: render_text,
        SecretsFormat.JSON: render_json,
        SecretsFormat.MARKDOWN: render_markdown,
    }
)
