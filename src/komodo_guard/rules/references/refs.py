"""The names a resource's config gives for other resources.

Walks a config table against the model's fields: every key (in any spelling
Komodo accepts) whose field has ``ref`` resolved by name or id, inside nested
tables, arrays of tables and tagged enums. A tagged enum is either one table
``{type, params}`` (deployment ``image``) or a ``params`` table whose variant is
chosen by the sibling ``type`` key (a builder's config).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from komodo_guard.komodo.parsers import parse_string_list
from komodo_guard.komodo.spec import NAME_OR_ID, Fields, FieldSpec, FieldType

Keys = tuple[str | int, ...]

RESOLVED_KINDS = frozenset(
    {
        "server",
        "swarm",
        "repo",
        "build",
        "builder",
        "procedure",
        "action",
        "alerter",
        "resource_sync",
        "stack",
        "deployment",
    }
)
"""Kinds Komodo resolves name -> id on write; tags are auto-created instead."""


@dataclass(frozen=True)
class NameRef:
    """One name given for a resource of ``kind``, at ``keys`` below the table
    walked (the key itself when the name came from a split string)."""

    keys: Keys
    kind: str
    name: str
    field: str


def refs_in(
    fields: Fields, table: Mapping[str, Any], keys: Keys = ()
) -> Iterator[NameRef]:
    """Every by-name reference in ``table`` described by ``fields``."""
    lookup = _lookup(fields)
    for key in table:
        spec = lookup.get(key)
        if spec is not None:
            yield from _refs_of(spec, table, key, (*keys, key))


_LOOKUPS: dict[int, tuple[Fields, Mapping[str, FieldSpec]]] = {}


def _lookup(fields: Fields) -> Mapping[str, FieldSpec]:
    """Spelling -> field for the fields that may hold a reference, memoised per
    (immutable, cached) model table so walking 10,000 configs stays cheap."""
    cached = _LOOKUPS.get(id(fields))
    if cached is not None and cached[0] is fields:
        return cached[1]
    lookup = {
        spelling: spec
        for spec in fields.values()
        if spec.ref in RESOLVED_KINDS or spec.fields or spec.variants
        for spelling in spec.spellings
    }
    _LOOKUPS[id(fields)] = (fields, lookup)
    return lookup


def _refs_of(
    spec: FieldSpec, parent: Mapping[str, Any], spelling: str, keys: Keys
) -> Iterator[NameRef]:
    value = parent[spelling]
    if spec.ref in RESOLVED_KINDS and spec.ref_by == NAME_OR_ID:
        for sub_keys, name in _names(value, keys, spec.type is FieldType.STRING_LIST):
            yield NameRef(sub_keys, spec.ref, name, spec.display_name)
    if spec.variants is not None and isinstance(value, Mapping):
        yield from _variant_refs(spec, parent, value, keys)
    elif spec.fields is not None:
        if isinstance(value, Mapping):
            yield from refs_in(spec.fields, value, keys)
        elif isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, Mapping):
                    yield from refs_in(spec.fields, item, (*keys, index))


def _variant_refs(
    spec: FieldSpec, parent: Mapping[str, Any], value: Mapping[str, Any], keys: Keys
) -> Iterator[NameRef]:
    assert spec.variants is not None
    if spec.type is FieldType.TAGGED_ENUM:
        variant, content = value.get(spec.tag), value.get(spec.content)
        keys = (*keys, spec.content)
    else:
        variant, content = parent.get(spec.tag), value
    fields = spec.variants.get(variant) if isinstance(variant, str) else None
    if fields is not None and isinstance(content, Mapping):
        yield from refs_in(fields, content, keys)


def _names(value: object, keys: Keys, split: bool) -> Iterator[tuple[Keys, str]]:
    if isinstance(value, str) and split:
        for name in parse_string_list(value):
            yield keys, name
    elif isinstance(value, str):
        if value.strip():
            yield keys, value
    elif isinstance(value, list):
        for index, item in enumerate(value):
            if isinstance(item, str) and item.strip():
                yield (*keys, index), item
