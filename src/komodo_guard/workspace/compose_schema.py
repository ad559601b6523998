"""Validate compose data against the compose-spec schema, in compose's words.

The schema is the ``compose-spec.json`` that the installed check-jsonschema
package ships (it tracks compose-spec upstream); it is found without importing
that package, read once per process when the first compose file is validated,
and compiled with jsonschema-rs. Each schema error becomes a
:class:`SchemaError` with the position of the key it is about and a message
that speaks of services, volumes and networks, not objects and arrays.

Compose validates after ``${VAR}`` interpolation, so an error about a string
that holds an interpolation (``cpus: ${CPUS}``) is dropped: its value is only
known on the host.
"""

from __future__ import annotations

import difflib
import functools
import importlib.util
import json
import logging
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema_rs

from komodo_guard.workspace.compose_interpolation import has_interpolation
from komodo_guard.workspace.yaml_positions import KeyPath

log = logging.getLogger(__name__)

SCHEMA_PACKAGE = "check_jsonschema"
SCHEMA_RESOURCE = "builtin_schemas/vendor/compose-spec.json"

_SECTIONS = {
    "services": "service",
    "volumes": "volume",
    "networks": "network",
    "secrets": "secret",
    "configs": "config",
    "models": "model",
    "jobs": "job",
}
_TYPE_WORDS = {
    "object": "a mapping",
    "array": "a list",
    "string": "a string",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "null": "empty",
}
# Schema definitions closed with ``unevaluatedProperties: false``.
_CLOSED = ("service", "job", "pre_start_hook")


@dataclass(frozen=True)
class SchemaError:
    """One compose-spec violation at ``path`` (the key it is about)."""

    path: KeyPath
    message: str
    hint: str = ""
    key: bool = True


@dataclass(frozen=True)
class _Compiled:
    validator: Any
    known: Mapping[str, frozenset[str]]


class SchemaUnavailableError(Exception):
    """The compose-spec schema could not be loaded from check-jsonschema."""


@functools.cache
def _compiled() -> _Compiled:
    try:
        schema = json.loads(_schema_file().read_text("utf-8"))
        validator = jsonschema_rs.validator_for(schema)
    except (ModuleNotFoundError, OSError, ValueError) as error:
        raise SchemaUnavailableError(
            f"the compose-spec schema ({SCHEMA_PACKAGE}/{SCHEMA_RESOURCE}) could "
            f"not be loaded: {error}"
        ) from error
    known = {
        name: frozenset(_properties(schema, schema["$defs"][name])) for name in _CLOSED
    }
    return _Compiled(validator, known)


def _schema_file() -> Path:
    """Where the installed check-jsonschema keeps the schema, found from the
    package's import spec: importing check-jsonschema itself costs a quarter
    of a second, and only this one data file is needed."""
    spec = importlib.util.find_spec(SCHEMA_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(f"No module named {SCHEMA_PACKAGE!r}")
    return Path(next(iter(spec.submodule_search_locations)), SCHEMA_RESOURCE)


def _properties(schema: Mapping[str, Any], node: Mapping[str, Any]) -> Iterator[str]:
    """Property names a definition accepts, through ``allOf`` and ``$ref``."""
    yield from node.get("properties", {})
    for part in node.get("allOf", []):
        reference = part.get("$ref", "")
        if reference.startswith("#/$defs/"):
            yield from _properties(schema, schema["$defs"][reference.rsplit("/", 1)[1]])
        else:
            yield from _properties(schema, part)


def validate(data: Any) -> tuple[SchemaError, ...]:
    """Every compose-spec violation in ``data``; raises SchemaUnavailableError."""
    compiled = _compiled()
    found: list[SchemaError] = []
    for error in compiled.validator.iter_errors(data):
        found.extend(_translate(error, data, compiled.known))
    return tuple(dict.fromkeys(found))


def _translate(
    error: Any, data: Any, known: Mapping[str, frozenset[str]]
) -> list[SchemaError]:
    path: KeyPath = tuple(error.instance_path)
    instance = _value_at(data, path)
    if has_interpolation(instance):
        return []
    name = type(error.kind).__name__
    details = error.kind.as_dict()
    handler = _HANDLERS.get(name)
    if handler is not None:
        return handler(path, instance, details, known, data)
    return [SchemaError(path, f"{describe(path)} is not valid here ({_words(name)})")]


Handler = Callable[
    [KeyPath, Any, Mapping[str, Any], Mapping[str, frozenset[str]], Any],
    list[SchemaError],
]


def _unknown_keys(
    path: KeyPath,
    instance: Any,
    details: Mapping[str, Any],
    known: Mapping[str, frozenset[str]],
    data: Any,
) -> list[SchemaError]:
    accepted = _accepted(path, known)
    errors = []
    for key in details.get("unexpected", []):
        if key in accepted or str(key).startswith("x-"):
            continue
        suggestion = difflib.get_close_matches(str(key), sorted(accepted), n=1)
        hint = f"did you mean `{suggestion[0]}`?" if suggestion else ""
        errors.append(
            SchemaError((*path, key), f"unknown key `{key}` in {describe(path)}", hint)
        )
    return errors


def _accepted(path: KeyPath, known: Mapping[str, frozenset[str]]) -> frozenset[str]:
    if len(path) == 2 and path[0] == "services":
        return known["service"]
    if len(path) == 2 and path[0] == "jobs":
        return known["job"]
    if len(path) == 0:
        return frozenset(_SECTIONS) | {"version", "name", "include"}
    return frozenset()


def _wrong_type(
    path: KeyPath,
    instance: Any,
    details: Mapping[str, Any],
    known: Mapping[str, frozenset[str]],
    data: Any,
) -> list[SchemaError]:
    wanted = _alternatives(_TYPE_WORDS.get(t, t) for t in details.get("types", []))
    found = _kind_of(instance)
    return [
        SchemaError(path, f"{describe(path)} must be {wanted}, not {found}", key=False)
    ]


def _not_in_enum(
    path: KeyPath,
    instance: Any,
    details: Mapping[str, Any],
    known: Mapping[str, frozenset[str]],
    data: Any,
) -> list[SchemaError]:
    options = details.get("options", [])
    choices = _alternatives(f"`{option}`" for option in options) if options else ""
    message = f"{describe(path)} must be {choices}" if choices else ""
    return [
        SchemaError(
            path, message or f"{describe(path)} has a value compose rejects", key=False
        )
    ]


def _pattern(
    path: KeyPath,
    instance: Any,
    details: Mapping[str, Any],
    known: Mapping[str, frozenset[str]],
    data: Any,
) -> list[SchemaError]:
    return [
        SchemaError(
            path,
            f"{describe(path)} does not have the form compose expects",
            f"expected to match `{details.get('pattern', '')}`",
            key=False,
        )
    ]


def _required(
    path: KeyPath,
    instance: Any,
    details: Mapping[str, Any],
    known: Mapping[str, frozenset[str]],
    data: Any,
) -> list[SchemaError]:
    missing = details.get("property", "?")
    return [SchemaError(path, f"{describe(path)} needs the key `{missing}`")]


def _one_of(
    path: KeyPath,
    instance: Any,
    details: Mapping[str, Any],
    known: Mapping[str, frozenset[str]],
    data: Any,
) -> list[SchemaError]:
    branches: Sequence[Sequence[Any]] = details.get("context", [])
    deeper = [b for b in branches if not _shape_mismatch(b, path)]
    if not deeper:
        types = [
            t
            for branch in branches
            for e in branch
            for t in e.kind.as_dict().get("types", [])
        ]
        wanted = _alternatives(dict.fromkeys(_TYPE_WORDS.get(t, t) for t in types))
        return [
            SchemaError(
                path,
                f"{describe(path)} must be {wanted or 'another shape'}, "
                f"not {_kind_of(instance)}",
                key=False,
            )
        ]
    best = max(deeper, key=lambda b: max(len(e.instance_path) for e in b))
    return [found for e in best for found in _translate(e, data, known)]


def _shape_mismatch(branch: Sequence[Any], path: KeyPath) -> bool:
    return all(
        tuple(e.instance_path) == path and type(e.kind).__name__ == "Type"
        for e in branch
    )


_HANDLERS: Mapping[str, Handler] = {
    "AdditionalProperties": _unknown_keys,
    "UnevaluatedProperties": _unknown_keys,
    "Type": _wrong_type,
    "Enum": _not_in_enum,
    "Pattern": _pattern,
    "Required": _required,
    "OneOfNotValid": _one_of,
    "AnyOf": _one_of,
}


def describe(path: KeyPath) -> str:
    """``services.web.ports[0]`` -> "service `web`, key `ports[0]`"."""
    if not path:
        return "the top level"
    head, rest = path[0], path[1:]
    word = _SECTIONS.get(str(head))
    if word is None:
        return f"top-level key `{_dotted(path)}`"
    if not rest:
        return f"the `{head}` section"
    place = f"{word} `{rest[0]}`"
    return f"{place}, key `{_dotted(rest[1:])}`" if len(rest) > 1 else place


def _dotted(path: KeyPath) -> str:
    text = ""
    for part in path:
        text += (
            f"[{part}]"
            if isinstance(part, int)
            else (f".{part}" if text else str(part))
        )
    return text


def _alternatives(words: Iterable[str]) -> str:
    items = [str(word) for word in words]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " or " + items[-1]


def _kind_of(value: Any) -> str:
    match value:
        case bool():
            return "true/false"
        case int() | float():
            return "a number"
        case str():
            return "a string"
        case None:
            return "empty"
        case Mapping():
            return "a mapping"
        case list():
            return "a list"
    return "another kind of value"


def _words(kind: str) -> str:
    spaced = "".join(f" {c.lower()}" if c.isupper() else c for c in kind).strip()
    return spaced or kind


def _value_at(data: Any, path: KeyPath) -> Any:
    for part in path:
        in_mapping = isinstance(data, Mapping) and part in data
        in_list = isinstance(data, list) and isinstance(part, int) and part < len(data)
        if not (in_mapping or in_list):
            return None
        data = data[part]
    return data
