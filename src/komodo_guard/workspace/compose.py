"""Compose files of the tree, read with positions, checked against compose-spec.

A :class:`ComposeFile` holds what compose would load from one file (every
document layered, YAML 1.2 values), the position of every key, the problems
that stop compose from reading it, the compose-spec violations, the
``${VAR}`` interpolations it uses, and the Stacks of this tree that deploy it
with the variables each of them provides (see ``compose_stacks``).
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from komodo_guard.workspace.compose_interpolation import Fallback, find_interpolations
from komodo_guard.workspace.compose_schema import (
    SchemaError,
    SchemaUnavailableError,
    validate,
)
from komodo_guard.workspace.text import decode
from komodo_guard.workspace.yaml_positions import (
    KeyPath,
    YamlProblem,
    YamlSpan,
    parse_yaml,
)

MAX_COMPOSE_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class VariableUse:
    """A ``${NAME}`` / ``$NAME`` in a value, where it is written."""

    name: str
    line: int
    column: int
    path: KeyPath
    fallback: Fallback


@dataclass(frozen=True)
class Deployment:
    """One Stack of this tree that deploys a compose file.

    ``provided`` are the variable names its interpolation can see;
    ``looked_in`` names where they were looked for; ``unknown`` names sources
    that exist only on the host (or not at all), whose names cannot be known.
    ``env_file`` is the tree path Komodo writes the Stack's ``environment``
    to, and ``writes_env_file`` whether that environment is non-empty.
    """

    stack: str
    run_directory: str
    env_file: str
    writes_env_file: bool
    provided: frozenset[str]
    looked_in: tuple[str, ...]
    unknown: tuple[str, ...] = ()


@dataclass(frozen=True)
class ComposeFile:
    """One compose file as compose would read it."""

    path: str
    text: str | None
    data: Any
    spans: Mapping[KeyPath, YamlSpan]
    problems: tuple[YamlProblem, ...] = ()
    schema_errors: tuple[SchemaError, ...] = ()
    variables: tuple[VariableUse, ...] = ()
    deployments: tuple[Deployment, ...] = field(default=())

    @property
    def stacks(self) -> tuple[str, ...]:
        """Names of the Stacks of this tree that deploy this file."""
        return tuple(d.stack for d in self.deployments)

    @property
    def folder(self) -> str:
        """The file's folder, tree-relative (``""`` for the root)."""
        return self.path.rpartition("/")[0]

    def position(self, path: KeyPath, *, value: bool = False) -> tuple[int, int]:
        """(line, column) of a key (or its value); the nearest written parent
        when the key itself is not in the file."""
        for depth in range(len(path), -1, -1):
            span = self.spans.get(path[:depth])
            if span is not None:
                if value and depth == len(path):
                    return span.value_line, span.value_column
                return span.key_line, span.key_column
        return 1, 1

    def services(self) -> Iterator[tuple[str, Mapping[str, Any]]]:
        """``(name, definition)`` of every service that is a mapping."""
        services = self.data.get("services") if isinstance(self.data, Mapping) else None
        if not isinstance(services, Mapping):
            return
        for name, body in services.items():
            if isinstance(body, Mapping):
                yield str(name), body


def parse_compose(path: str, raw: bytes | None) -> ComposeFile:
    """Read one compose file's bytes (None: unreadable or too large)."""
    if raw is None:
        problem = YamlProblem(
            "too-large",
            f"not read: larger than {MAX_COMPOSE_BYTES // (1024 * 1024)} MiB or "
            "not a regular file inside the tree",
        )
        return ComposeFile(path, None, None, {}, (problem,))
    text, encoding = decode(raw)
    if text is None:
        assert encoding is not None
        problem = YamlProblem(
            "encoding", encoding.message, encoding.line, encoding.column
        )
        return ComposeFile(path, None, None, {}, (problem,))
    parsed = parse_yaml(text)
    if parsed.data is None:
        return ComposeFile(path, text, None, parsed.spans, parsed.problems)
    return ComposeFile(
        path,
        text,
        parsed.data,
        parsed.spans,
        parsed.problems,
        _schema_errors(parsed.data),
        tuple(_variables(text, parsed.data, parsed.spans)),
    )


def _schema_errors(data: Any) -> tuple[SchemaError, ...]:
    try:
        return validate(data)
    except SchemaUnavailableError as error:
        return (SchemaError((), f"compose-spec not checked: {error}", key=False),)


def _variables(
    text: str, data: Any, spans: Mapping[KeyPath, YamlSpan]
) -> Iterator[VariableUse]:
    starts = _line_starts(text)
    seen: set[tuple[str, int, int]] = set()
    for path, value in _strings(data, ()):
        uses = find_interpolations(value)
        if not uses:
            continue
        span = spans.get(path)
        cursor = _offset(starts, span.value_line, span.value_column) if span else 0
        limit = _offset(starts, span.end_line, span.end_column) if span else len(text)
        for use in uses:
            found = text.find(use.written, cursor, max(limit, cursor))
            if found == -1:
                line, column = (span.value_line, span.value_column) if span else (1, 1)
            else:
                cursor = found + len(use.written)
                line, column = _line_column(starts, found)
            if (use.name, line, column) not in seen:
                seen.add((use.name, line, column))
                yield VariableUse(use.name, line, column, path, use.fallback)


def _strings(value: Any, path: KeyPath) -> Iterator[tuple[KeyPath, str]]:
    if isinstance(value, str):
        if "$" in value:
            yield path, value
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield from _strings(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, (*path, index))


def _line_starts(text: str) -> list[int]:
    starts = [0]
    index = text.find("\n")
    while index != -1:
        starts.append(index + 1)
        index = text.find("\n", index + 1)
    return starts


def _offset(starts: list[int], line: int, column: int) -> int:
    if line - 1 >= len(starts):
        return starts[-1] + column - 1
    return starts[line - 1] + column - 1


def _line_column(starts: list[int], offset: int) -> tuple[int, int]:
    line = bisect.bisect_right(starts, offset)
    return line, offset - starts[line - 1] + 1
