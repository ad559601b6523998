"""Which string fields Komodo interpolates or parses as env blocks, and where
every character of their values sits in the file.

Komodo interpolates ``[[NAME]]`` in a fixed set of fields (FACTS §2.7,
``lib/interpolate/src/lib.rs``) and parses another set as env blocks
(``parsers.rs::parse_key_value_list``). A :class:`FieldText` is one string of
such a field together with a mapping from an offset in the value to the line
and column in the original file, so findings point at the exact line inside a
multi-line string.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from komodo_guard.komodo.interpolation import VariableUse, find_variables
from komodo_guard.rules.interface import Location
from komodo_guard.workspace.headers import KeyPath
from komodo_guard.workspace.model import Resource

Keys = tuple[str, ...]

INTERPOLATED: Mapping[str, tuple[Keys, ...]] = MappingProxyType(
    {
        "stack": (
            ("file_contents",),
            ("environment",),
            ("pre_deploy", "command"),
            ("post_deploy", "command"),
            ("compose_cmd_wrapper",),
            ("extra_args",),
            ("build_extra_args",),
        ),
        "deployment": (
            ("environment",),
            ("ports",),
            ("volumes",),
            ("labels",),
            ("command",),
            ("extra_args",),
        ),
        "build": (
            ("build_args",),
            ("secret_args",),
            ("labels",),
            ("pre_build", "command"),
            ("dockerfile",),
            ("extra_args",),
        ),
        "repo": (
            ("environment",),
            ("on_clone", "command"),
            ("on_pull", "command"),
        ),
        "alerter": (("endpoint", "params", "url"),),
    }
)
"""Config keys whose values go through ``[[NAME]]`` interpolation, per kind."""

ENV_BLOCKS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "stack": ("environment",),
        "deployment": ("environment", "ports", "volumes", "labels"),
        "build": ("build_args", "secret_args", "labels"),
        "repo": ("environment",),
    }
)
"""Config keys Komodo parses as ``KEY=value`` env blocks, per kind."""


@dataclass(frozen=True)
class FieldText:
    """One string value of a field below ``resource`` (keys start at ``config``)."""

    resource: Resource
    keys: KeyPath
    text: str

    @property
    def field(self) -> str:
        """The dotted key below ``config`` (``environment``, ``pre_deploy.command``),
        without array indexes or the keys of an array's tables."""
        names = []
        for key in self.keys[1:]:
            if not isinstance(key, str):
                break
            names.append(key)
        return ".".join(names)

    @property
    def env_block(self) -> bool:
        """True when this string is a whole env block Komodo parses line by line."""
        return len(self.keys) == 2 and self.field in ENV_BLOCKS.get(
            self.resource.kind, ()
        )

    def location(self, offset: int = 0) -> Location:
        """The file position of character ``offset`` of the value."""
        line, column, multiline = self._start()
        before = self.text[: max(offset, 0)]
        newlines = before.count("\n") if multiline else 0
        if newlines:
            return Location(
                self.resource.file.path, line + newlines, offset - before.rfind("\n")
            )
        return Location(self.resource.file.path, line, column + offset)

    def line_number(self, line_offset: int) -> int:
        """The file line of line ``line_offset`` (0-based) of the value."""
        line, _, multiline = self._start()
        return line + line_offset if multiline else line

    def _start(self) -> tuple[int, int, bool]:
        """(line, column) of the value's first character, and whether its lines
        map one to one onto file lines (a multi-line string)."""
        file = self.resource.file
        span = file.spans.get((*self.resource.path, *self.keys))
        if span is None:
            line, column = self.resource.position(*self.keys, value=True)
            return line, column, False
        opening = file.line_text(span.value_line)[span.value_column - 1 :]
        if opening.startswith(('"""', "'''")):
            if opening[3:] == "":
                return span.value_line + 1, 1, True
            return span.value_line, span.value_column + 3, True
        return span.value_line, span.value_column + 1, False


@functools.lru_cache(maxsize=32768)
def variable_uses(text: str) -> tuple[VariableUse, ...]:
    """:func:`find_variables` of ``text``, cached: several rules scan the same
    strings one after the other."""
    return tuple(find_variables(text))


def interpolation_skipped(resource: Resource) -> bool:
    """True when ``skip_secret_interp = true``: Komodo interpolates nothing."""
    return resource.config.get("skip_secret_interp") is True


def interpolated_texts(
    resource: Resource, needles: tuple[str, ...] = ()
) -> Iterator[FieldText]:
    """Every string Komodo interpolates for ``resource``, in field order; with
    ``needles``, only the strings that contain one of them."""
    fields = INTERPOLATED.get(resource.kind)
    if not fields:
        return
    config = resource.config
    for keys in fields:
        # Most fields are absent, and most present ones are one plain string:
        # both are settled here without walking further.
        value = _lookup(config.get(keys[0]), keys[1:])
        if value is None:
            continue
        if type(value) is str:
            if value and (not needles or any(n in value for n in needles)):
                yield FieldText(resource, ("config", *keys), value)
            continue
        yield from _texts(resource, ("config", *keys), value, needles)


def env_block_texts(resource: Resource) -> Iterator[FieldText]:
    """Env-block fields of ``resource`` written as one string."""
    config = resource.config
    for key in ENV_BLOCKS.get(resource.kind, ()):
        value = config.get(key)
        if isinstance(value, str) and value:
            yield FieldText(resource, ("config", key), value)


@dataclass(frozen=True)
class EnvEntry:
    """One ``{variable, value}`` table of an env block written as an array."""

    variable: str
    value: FieldText


def env_block_entries(resource: Resource) -> Iterator[EnvEntry]:
    """Env-block fields of ``resource`` written as arrays of tables."""
    config = resource.config
    for key in ENV_BLOCKS.get(resource.kind, ()):
        value = config.get(key)
        if not isinstance(value, list):
            continue
        for index, item in enumerate(value):
            if not isinstance(item, Mapping):
                continue
            variable, text = item.get("variable"), item.get("value")
            if isinstance(variable, str) and isinstance(text, str):
                keys = ("config", key, index, "value")
                yield EnvEntry(variable, FieldText(resource, keys, text))


def _is_table(value: Any) -> bool:
    # ``type(...) is dict`` first: the parser gives dicts, and the ABC check
    # alone dominates the cost of scanning 10,000 resources.
    return type(value) is dict or (value is not None and isinstance(value, Mapping))


def _lookup(table: Any, keys: Keys) -> Any:
    value: Any = table
    for key in keys:
        if not _is_table(value):
            return None
        value = value.get(key)
    return value


def _texts(
    resource: Resource, keys: KeyPath, value: Any, needles: tuple[str, ...]
) -> Iterator[FieldText]:
    if value is None:
        return
    if isinstance(value, str):
        if value and (not needles or any(needle in value for needle in needles)):
            yield FieldText(resource, keys, value)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _texts(resource, (*keys, index), item, needles)
    elif _is_table(value):
        for name in ("variable", "value"):
            if isinstance(value.get(name), str):
                yield from _texts(resource, (*keys, name), value[name], needles)
