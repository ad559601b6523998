"""Parse one resource TOML file the way Komodo does, keeping every position.

Values come from the Rust ``toml`` crate (through ``toml-rs``), the parser family Core
itself uses, after Komodo's backslash pre-processing. TOML 1.1 forms (multi-line
inline tables, trailing commas) are accepted when the target Komodo parses TOML 1.1
(2.x) and are syntax errors for 1.x targets.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import toml_rs

from komodo_guard.workspace.escape import ColumnMap, komodo_escape
from komodo_guard.workspace.headers import Header, KeyPath, scan_headers
from komodo_guard.workspace.keyscan import KeyIndex, Span
from komodo_guard.workspace.text import TextProblem, conflict_markers, decode, is_blank

_POSITION = re.compile(r"at line (\d+), column (\d+)")


@dataclass(frozen=True)
class TomlFile:
    """One parsed TOML file of the tree; ``data`` is None when it did not parse."""

    path: str
    text: str | None
    data: Mapping[str, Any] | None
    spans: Mapping[KeyPath, Span]
    headers: tuple[Header, ...]
    problems: tuple[TextProblem, ...]
    toml_spec: str

    def header(self, path: KeyPath) -> Header | None:
        """The header that opened the table at ``path``, if it had one."""
        return self._headers_by_path.get(path)

    @functools.cached_property
    def _headers_by_path(self) -> dict[KeyPath, Header]:
        return {header.path: header for header in reversed(self.headers)}

    def position(self, path: KeyPath, *, value: bool = False) -> tuple[int, int]:
        """Best (line, column) for ``path``: the key (or value), else its header,
        else the nearest ancestor with a position, else the top of the file."""
        for depth in range(len(path), 0, -1):
            prefix = path[:depth]
            span = self.spans.get(prefix)
            if span is not None:
                if value and depth == len(path):
                    return span.value_line, span.value_column
                return span.key_line, span.key_column
            header = self.header(prefix)
            if header is not None:
                return header.line, header.column
        return 1, 1

    def line_text(self, line: int) -> str:
        """The original text of a 1-based line, or "" when out of range."""
        lines = self.lines
        return lines[line - 1] if 0 < line <= len(lines) else ""

    @functools.cached_property
    def lines(self) -> tuple[str, ...]:
        """The original text split into lines (computed once)."""
        return tuple(self.text.splitlines()) if self.text is not None else ()


def parse_toml(
    path: str, raw: bytes, toml_spec: str, *, komodo_escape_rule: bool = True
) -> TomlFile:
    """Read ``raw`` as a Komodo resource file; problems become values, never raises.

    ``komodo_escape_rule`` applies Core's backslash doubling inside triple-quoted
    basic strings, which Komodo does since 1.17.0; before that the text was
    parsed as written.
    """
    text, problem = decode(raw)
    if text is None:
        assert problem is not None
        return TomlFile(path, None, None, {}, (), (problem,), toml_spec)
    conflicts = conflict_markers(text)
    if conflicts:
        return TomlFile(path, text, None, {}, (), tuple(conflicts), toml_spec)
    if is_blank(text):
        empty = TextProblem("empty", "empty file: it declares nothing for Komodo")
        return TomlFile(path, text, {}, {}, (), (empty,), toml_spec)
    processed, columns = (
        komodo_escape(text) if komodo_escape_rule else (text, ColumnMap())
    )
    try:
        data = (
            toml_rs.loads(processed, toml_version="1.1.0")
            if toml_spec == "1.1"
            else toml_rs.loads(processed, toml_version="1.0.0")
        )
    except toml_rs.TOMLDecodeError as error:
        syntax = _syntax_problem(error, columns, processed)
        return TomlFile(path, text, None, {}, (), (syntax,), toml_spec)
    headers = scan_headers(text)
    depth = _depth(data) if _may_nest_deeply(text, headers) else 0
    if depth > MAX_DEPTH:
        deep = TextProblem(
            "syntax",
            f"tables or arrays nested {depth} levels deep; komodo-guard checks at "
            f"most {MAX_DEPTH} levels, and no Komodo resource needs more than ten",
        )
        return TomlFile(path, text, None, {}, (), (deep,), toml_spec)
    spans = LazySpans(KeyIndex(text, headers), _Metadata(processed, columns, toml_spec))
    return TomlFile(path, text, data, spans, headers, (), toml_spec)


MAX_DEPTH = 100
_NESTED_OPENERS = re.compile(r"[\[{][ \t]*[\[{][ \t]*[\[{][ \t]*[\[{]")
_LONG_HEADER = 50


def _may_nest_deeply(text: str, headers: tuple[Header, ...]) -> bool:
    """A cheap test that rules out deep nesting for ordinary files: four
    brackets opened in a row, or a header of many dotted parts."""
    if any(len(header.keys) > _LONG_HEADER for header in headers):
        return True
    return "[" in text and _NESTED_OPENERS.search(text) is not None


def _depth(data: Any) -> int:
    """How deeply tables and arrays nest in ``data`` (iteratively: no recursion)."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        value, level = stack.pop()
        deepest = max(deepest, level)
        if deepest > MAX_DEPTH:
            return deepest
        children = value.values() if isinstance(value, dict) else value
        if isinstance(value, dict | list):
            stack.extend((child, level + 1) for child in children)
    return deepest


class _Metadata:
    """toml-rs's full position tree of one file, parsed only when first needed."""

    def __init__(self, processed: str, columns: ColumnMap, toml_spec: str) -> None:
        self._processed = processed
        self.columns = _Columns(processed, columns)
        self._toml_spec = toml_spec
        self._nodes: Mapping[str, Any] | None = None
        self._lines: list[str] | None = None

    @property
    def nodes(self) -> Mapping[str, Any]:
        if self._nodes is None:
            document = (
                toml_rs.load_with_metadata(self._processed, toml_version="1.1.0")
                if self._toml_spec == "1.1"
                else toml_rs.load_with_metadata(self._processed, toml_version="1.0.0")
            )
            self._nodes = document.meta.get("nodes", {})
        return self._nodes

    def inside(self, owner: KeyPath, span: Span, rest: KeyPath) -> Span | None:
        """The span of ``rest`` inside the inline value of the key at ``owner``.

        Only the value's own lines are parsed (as ``v = <value>``), so a lookup
        costs a few lines, not the whole file; values holding a triple-quoted
        string, where Komodo's backslash rule could matter, use the whole file.
        """
        lines = self._processed_lines()
        first, last = span.value_line - 1, span.end_line - 1
        if last >= len(lines) or span.value_column < 1:
            return self._whole(owner + rest)
        chunk = [lines[first][span.value_column - 1 :], *lines[first + 1 : last + 1]]
        if span.end_line == span.value_line:
            chunk[0] = lines[first][span.value_column - 1 : span.end_column]
        else:
            chunk[-1] = lines[last][: span.end_column]
        text = "v = " + "\n".join(chunk)
        if '"""' in text or "'''" in text or span.value_line != span.key_line:
            return self._whole(owner + rest)
        try:
            document = toml_rs.load_with_metadata(text, toml_version="1.1.0")
        except toml_rs.TOMLDecodeError:
            return self._whole(owner + rest)
        node: Any = document.meta.get("nodes", {})
        for depth, key in enumerate(("v", *rest)):
            node = _step(node, key, first=depth == 0)
            if node is None:
                return None
        local = _span_of(
            node, _Columns(text, ColumnMap()), element=isinstance(rest[-1], int)
        )
        return None if local is None else _shift(local, span)

    def _whole(self, path: KeyPath) -> Span | None:
        node: Any = self.nodes
        for depth, key in enumerate(path):
            node = _step(node, key, first=depth == 0)
            if node is None:
                return None
        return _span_of(node, self.columns, element=isinstance(path[-1], int))

    def _processed_lines(self) -> list[str]:
        if self._lines is None:
            self._lines = self._processed.splitlines()
        return self._lines


def _syntax_problem(
    error: Exception, columns: ColumnMap, processed: str
) -> TextProblem:
    message = str(error)
    match = _POSITION.search(message)
    line = int(match.group(1)) if match else 1
    column = int(match.group(2)) if match else 1
    column = _Columns(processed, columns).char_column(line, column)
    detail = [
        part.strip()
        for part in message.splitlines()[1:]
        if part.strip() and not part.lstrip().startswith(("|", f"{line} |"))
    ]
    reason = detail[-1] if detail else message.splitlines()[0]
    return TextProblem("syntax", f"invalid TOML: {reason}", line, column)


class _Columns:
    """Converts toml-rs byte columns on processed text to original char columns."""

    def __init__(self, processed: str, columns: ColumnMap) -> None:
        self._processed = processed
        self._columns = columns

    @functools.cached_property
    def _lines(self) -> list[str]:
        # Split on first use: most files never need a column converted.
        return self._processed.splitlines()

    def char_column(self, line: int, byte_column: int) -> int:
        text = self._lines[line - 1] if 0 < line <= len(self._lines) else ""
        if text.isascii():
            char = byte_column
        else:
            char = (
                len(text.encode()[: max(byte_column - 1, 0)].decode(errors="ignore"))
                + 1
            )
        return self._columns.original_column(line, char)


class LazySpans(Mapping[KeyPath, Span]):
    """Positions of a file's keys and values.

    Keys written at the start of a line come from the fast line scan
    (:func:`~komodo_guard.workspace.keyscan.scan_keys`). A path below one of
    those (inside an inline table or an array) is looked up in toml-rs's
    metadata, parsed for that file on first need. Iterating materialises the
    metadata once.
    """

    def __init__(self, scanned: KeyIndex, metadata: _Metadata) -> None:
        self._scanned = scanned
        self._metadata = metadata
        self._all: dict[KeyPath, Span] | None = None

    def __getitem__(self, path: KeyPath) -> Span:
        found = self._scanned.get(path)
        if found is not None:
            return found
        if self._all is not None:
            return self._all[path]
        for depth in range(len(path) - 1, 0, -1):
            owner = self._scanned.get(path[:depth])
            if owner is not None:
                span = self._metadata.inside(path[:depth], owner, path[depth:])
                if span is None:
                    raise KeyError(path)
                return span
        raise KeyError(path)

    def _materialised(self) -> dict[KeyPath, Span]:
        if self._all is None:
            spans: dict[KeyPath, Span] = {}
            _collect(self._metadata.nodes, (), spans, self._metadata.columns)
            spans.update(self._scanned.all())
            self._all = spans
        return self._all

    def __iter__(self) -> Iterator[KeyPath]:
        return iter(self._materialised())

    def __len__(self) -> int:
        return len(self._materialised())


def _step(node: Any, key: str | int, *, first: bool) -> Any:
    """One step down the metadata tree: a child by name or an element by index.

    The tree mixes three shapes: key nodes (``key``, ``key_line``, ``value``),
    array elements (``value``, ``value_line``, no ``key``) and plain child maps
    for tables that have no position of their own (``[a.b]`` parents).
    """
    if isinstance(key, int):
        elements = node.get("value") if _is_node(node) or _is_element(node) else None
        if isinstance(elements, list) and 0 <= key < len(elements):
            return elements[key]
        return None
    children = node if first else _children(node)
    return children.get(key) if isinstance(children, dict) else None


def _children(node: Any) -> Any:
    if _is_node(node) or _is_element(node):
        return node.get("value")
    return node


def _is_element(candidate: Any) -> bool:
    return (
        isinstance(candidate, dict)
        and "value" in candidate
        and isinstance(candidate.get("value_line"), int | list | tuple)
        and not isinstance(candidate.get("key"), str)
    )


def _span_of(node: Any, columns: _Columns, *, element: bool) -> Span | None:
    if not isinstance(node, dict):
        return None
    if element:
        line = _first(node.get("value_line"))
        if not line:
            return None
        end_line = _last(node.get("value_line")) or line
        column = columns.char_column(line, _first(node.get("value_col")))
        end = columns.char_column(end_line, _last(node.get("value_col")))
        return Span(line, column, line, column, end_line, end)
    if not _is_node(node):
        return None
    key_line = _first(node.get("key_line"))
    value_line = _first(node.get("value_line")) or key_line
    end_line = _last(node.get("value_line")) or value_line
    return Span(
        key_line,
        columns.char_column(key_line, _first(node.get("key_col"))),
        value_line,
        columns.char_column(value_line, _first(node.get("value_col"))),
        end_line,
        columns.char_column(end_line, _last(node.get("value_col"))),
    )


def _shift(local: Span, owner: Span) -> Span:
    """Move a span found in ``v = <value>`` to the value's place in the file."""

    def line(number: int) -> int:
        return number - 1 + owner.value_line

    def column(number: int, at: int) -> int:
        return number - 5 + owner.value_column if at == 1 else number

    return Span(
        line(local.key_line),
        column(local.key_column, local.key_line),
        line(local.value_line),
        column(local.value_column, local.value_line),
        line(local.end_line),
        column(local.end_column, local.end_line),
    )


def _first(value: Any) -> int:
    if isinstance(value, (list, tuple)):
        return int(value[0]) if value else 0
    return int(value or 0)


def _last(value: Any) -> int:
    if isinstance(value, (list, tuple)):
        return int(value[-1]) if value else 0
    return int(value or 0)


def _is_node(candidate: Any) -> bool:
    return (
        isinstance(candidate, dict)
        and isinstance(candidate.get("key"), str)
        and "key_line" in candidate
    )


def _collect(
    children: Mapping[str, Any],
    prefix: KeyPath,
    spans: dict[KeyPath, Span],
    columns: _Columns,
) -> None:
    for key, node in children.items():
        path = (*prefix, key)
        if not _is_node(node):
            if isinstance(node, dict):
                _collect(node, path, spans, columns)
            continue
        key_line = _first(node.get("key_line"))
        value_line = _first(node.get("value_line")) or key_line
        end_line = _last(node.get("value_line")) or value_line
        spans[path] = Span(
            key_line,
            columns.char_column(key_line, _first(node.get("key_col"))),
            value_line,
            columns.char_column(value_line, _first(node.get("value_col"))),
            end_line,
            columns.char_column(end_line, _last(node.get("value_col"))),
        )
        _collect_value(node.get("value"), path, spans, columns)


def _collect_value(
    value: Any, path: KeyPath, spans: dict[KeyPath, Span], columns: _Columns
) -> None:
    if isinstance(value, dict):
        _collect(value, path, spans, columns)
    elif isinstance(value, list):
        for index, element in enumerate(value):
            if not isinstance(element, dict):
                continue
            element_path = (*path, index)
            line = _first(element.get("value_line"))
            if line:
                end_line = _last(element.get("value_line")) or line
                column = columns.char_column(line, _first(element.get("value_col")))
                spans[element_path] = Span(
                    line,
                    column,
                    line,
                    column,
                    end_line,
                    columns.char_column(end_line, _last(element.get("value_col"))),
                )
            _collect_value(element.get("value"), element_path, spans, columns)
