"""YAML with a position for every key and value, decoded the way compose does.

Docker compose decodes YAML with Go's yaml.v3, which follows YAML 1.2: ``no``
and ``on`` stay strings and ``0755`` is a decimal number. PyYAML's libyaml
parser (through yamlcore's YAML 1.2 core loader) builds the node graph; a walk
over it builds the values and records every key's and value's 1-based line and
column under its key path.

The walk also does what yaml.v3 does and PyYAML does not: a key written twice
in one mapping is an error, ``<<`` merge keys are resolved with explicit keys
winning, and several documents in one file are layered in order (compose-go
loads each document as one more layer; an empty document is skipped). Compose
tags such as ``!reset`` and ``!override`` are read as plain values.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

# PyYAML and yamlcore ship no type information; remove these ignores when the
# lead adds a mypy override for them (or types-PyYAML) in pyproject.toml.
import yaml
from yamlcore import CCoreLoader

KeyPath = tuple[str | int, ...]

# Node visits allowed per file: bounds what aliases can expand to ("billion
# laughs"); real compose files stay several orders of magnitude below it.
MAX_VISITS = 1_000_000

_MERGE = "<<"
_STR = "tag:yaml.org,2002:str"
_SCALAR_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}" for name in ("bool", "int", "float", "null")
)


@dataclass(frozen=True)
class YamlSpan:
    """Where a key and its value start (1-based); items use their own position
    as the key position."""

    key_line: int
    key_column: int
    value_line: int
    value_column: int
    end_line: int
    end_column: int


@dataclass(frozen=True)
class YamlProblem:
    """Why a file is not the YAML compose accepts, with the position."""

    kind: str  # "syntax", "duplicate-key", "merge", "too-large", "encoding"
    message: str
    line: int = 1
    column: int = 1


@dataclass(frozen=True)
class ParsedYaml:
    """The layered value of every document, positions, and problems.

    ``data`` is None when the YAML could not be read at all (a syntax error);
    a duplicate key or a bad merge leaves ``data`` usable for further checks.
    """

    data: Any
    spans: Mapping[KeyPath, YamlSpan]
    problems: tuple[YamlProblem, ...]
    documents: int


class _WalkError(Exception):
    """Ends a walk that cannot finish (alias bomb, recursive alias)."""

    def __init__(self, problem: YamlProblem) -> None:
        super().__init__(problem.message)
        self.problem = problem


def parse_yaml(text: str) -> ParsedYaml:
    """Parse every document of ``text``; never raises on bad input."""
    loader = CCoreLoader(text)
    walker = _Walker(loader)
    data: Any = None
    documents = 0
    try:
        while loader.check_node():
            node = loader.get_node()
            if _is_empty(node):
                continue
            documents += 1
            data = walker.value(node, (), node.start_mark, data)
    except yaml.MarkedYAMLError as error:
        return ParsedYaml(None, {}, (_syntax_problem(error),), documents)
    except yaml.YAMLError as error:
        return ParsedYaml(
            None, {}, (YamlProblem("syntax", f"invalid YAML: {error}"),), 0
        )
    except RecursionError:
        problem = YamlProblem("syntax", "invalid YAML: nested too deeply to read")
        return ParsedYaml(None, {}, (problem,), documents)
    except _WalkError as stop:
        return ParsedYaml(None, {}, (stop.problem,), documents)
    finally:
        loader.dispose()
    problems = tuple(dict.fromkeys(walker.problems))
    return ParsedYaml(data, walker.spans, problems, documents)


def _is_empty(node: yaml.Node | None) -> bool:
    return node is None or (
        isinstance(node, yaml.ScalarNode) and node.value == "" and not node.style
    )


def _syntax_problem(error: yaml.MarkedYAMLError) -> YamlProblem:
    mark = error.problem_mark or error.context_mark
    words = " ".join(part for part in (error.problem, error.context) if part)
    if "cannot start any token" in words and mark is not None:
        words += " (a tab? YAML indents with spaces only)"
    line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    return YamlProblem("syntax", f"invalid YAML: {words}", line, column)


class _Walker:
    """Builds values and spans from composed nodes."""

    def __init__(self, loader: CCoreLoader) -> None:
        self.loader = loader
        self.spans: dict[KeyPath, YamlSpan] = {}
        self.problems: list[YamlProblem] = []
        self.visits = 0
        self.open: set[int] = set()

    def value(self, node: yaml.Node, path: KeyPath, key_mark: Any, base: Any) -> Any:
        """The value of ``node`` at ``path``, layered over ``base``."""
        self._count(node)
        start, end = node.start_mark, node.end_mark
        self.spans[path] = YamlSpan(
            key_mark.line + 1,
            key_mark.column + 1,
            start.line + 1,
            start.column + 1,
            end.line + 1,
            end.column + 1,
        )
        if isinstance(node, yaml.ScalarNode):
            return self._scalar(node)
        self.open.add(id(node))
        try:
            if isinstance(node, yaml.SequenceNode):
                return self._sequence(node, path, base)
            return self._mapping(node, path, base)
        finally:
            self.open.discard(id(node))

    def _count(self, node: yaml.Node) -> None:
        self.visits += 1
        mark = node.start_mark
        if id(node) in self.open:
            raise _WalkError(
                YamlProblem(
                    "syntax",
                    "invalid YAML: an alias refers to the node that contains it",
                    mark.line + 1,
                    mark.column + 1,
                )
            )
        if self.visits > MAX_VISITS:
            raise _WalkError(
                YamlProblem(
                    "syntax",
                    f"not read: aliases expand to more than {MAX_VISITS:,} values",
                    mark.line + 1,
                    mark.column + 1,
                )
            )

    def _scalar(self, node: yaml.ScalarNode) -> Any:
        tag = node.tag
        if tag != _STR and tag not in _SCALAR_TAGS:
            tag = self.loader.resolve(yaml.ScalarNode, node.value, (True, False))
        if tag not in _SCALAR_TAGS:
            return node.value
        plain = yaml.ScalarNode(tag, node.value, node.start_mark, node.end_mark)
        try:
            return self.loader.yaml_constructors[tag](self.loader, plain)
        except (ValueError, KeyError):
            return node.value

    def _sequence(self, node: yaml.SequenceNode, path: KeyPath, base: Any) -> list[Any]:
        items = list(base) if isinstance(base, list) else []
        offset = len(items)
        for index, item in enumerate(node.value):
            items.append(
                self.value(item, (*path, offset + index), item.start_mark, None)
            )
        return items

    def _mapping(
        self, node: yaml.MappingNode, path: KeyPath, base: Any
    ) -> dict[str, Any]:
        result: dict[str, Any] = dict(base) if isinstance(base, dict) else {}
        for key, key_node, value_node in self._pairs(node):
            previous = result.get(key)
            result[key] = self.value(
                value_node, (*path, key), key_node.start_mark, previous
            )
        return result

    def _pairs(
        self, node: yaml.MappingNode
    ) -> Iterator[tuple[str, yaml.Node, yaml.Node]]:
        """Explicit pairs (duplicates reported), then merged pairs they do not
        override, earlier merge sources first."""
        seen: dict[str, yaml.Node] = {}
        merges: list[yaml.Node] = []
        for key_node, value_node in node.value:
            if _is_merge(key_node):
                merges.append(value_node)
                continue
            key = self._key(key_node)
            if key in seen:
                self._duplicate(key, key_node, seen[key])
            seen[key] = key_node
            yield key, key_node, value_node
        taken = set(seen)
        for source in self._merge_sources(merges):
            for key, key_node, value_node in self._pairs(source):
                if key not in taken:
                    taken.add(key)
                    yield key, key_node, value_node

    def _merge_sources(self, merges: list[yaml.Node]) -> Iterator[yaml.MappingNode]:
        for merge in merges:
            candidates = (
                merge.value if isinstance(merge, yaml.SequenceNode) else [merge]
            )
            for source in candidates:
                self._count(source)
                if isinstance(source, yaml.MappingNode):
                    yield source
                    continue
                mark = source.start_mark
                self.problems.append(
                    YamlProblem(
                        "merge",
                        "a merge key `<<` takes a mapping or a list of mappings "
                        "(usually an alias such as `*defaults`)",
                        mark.line + 1,
                        mark.column + 1,
                    )
                )

    def _key(self, key_node: yaml.Node) -> str:
        if isinstance(key_node, yaml.ScalarNode):
            return str(key_node.value)
        mark = key_node.start_mark
        self.problems.append(
            YamlProblem(
                "syntax",
                "a mapping key must be a plain value, not a list or mapping",
                mark.line + 1,
                mark.column + 1,
            )
        )
        return f"<complex key at line {mark.line + 1}>"

    def _duplicate(self, key: str, node: yaml.Node, first: yaml.Node) -> None:
        mark = node.start_mark
        self.problems.append(
            YamlProblem(
                "duplicate-key",
                f"key `{key}` is written twice in one mapping (first at line "
                f"{first.start_mark.line + 1}); compose refuses the file",
                mark.line + 1,
                mark.column + 1,
            )
        )


def _is_merge(key_node: yaml.Node) -> bool:
    return (
        isinstance(key_node, yaml.ScalarNode)
        and key_node.value == _MERGE
        and not key_node.style
    )
