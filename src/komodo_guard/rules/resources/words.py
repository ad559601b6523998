"""TOML words for schema findings: what a value is, what a field accepts,
and how to name the table a key sits in."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping

from komodo_guard.komodo.model import KomodoModel
from komodo_guard.komodo.spec import FieldSpec, FieldType
from komodo_guard.workspace.headers import Header, KeyPath

_SIMPLE: Mapping[FieldType, str] = {
    FieldType.STRING: "a string",
    FieldType.BOOL: "true or false",
    FieldType.INT: "an integer",
    FieldType.FLOAT: "a number",
    FieldType.STRING_LIST: "an array of strings or one string of comma- or "
    "newline-separated items",
    FieldType.STRING_ARRAY: "an array of strings",
    FieldType.VERSION: 'a version string such as "1.2.3" or a {major, minor, '
    "patch} table",
    FieldType.MAP: "a table",
    FieldType.ANY: "any value",
}


_SHAPE_KEYS = 6


def toml_type(value: object) -> str:
    """The TOML type of a parsed value, with its article (never the value)."""
    match value:
        case bool():
            return "a boolean"
        case int():
            return "an integer"
        case float():
            return "a float"
        case str():
            return "a string"
        case list():
            if value and all(isinstance(item, Mapping) for item in value):
                return "an array of tables"
            return "an array"
        case Mapping():
            return "a table"
        case datetime.date() | datetime.time():
            return "a date-time"
    return "a value of another type"


def one_of(values: Iterable[str]) -> str:
    """``one of `A`, `B`, `C``` for a list of accepted values."""
    return "one of " + ", ".join(f"`{value}`" for value in values)


def expected(spec: FieldSpec, model: KomodoModel) -> str:
    """What Komodo accepts for ``spec``, in TOML words."""
    simple = _SIMPLE.get(spec.type)
    if simple is not None:
        return simple
    match spec.type:
        case FieldType.ENUM:
            return f"a string, {one_of(model.enums.get(spec.enum or '', ()))}"
        case FieldType.ENV_BLOCK:
            return _join("a multi-line string or an array of", _shape(spec), "tables")
        case FieldType.TABLE:
            return _join("a table", _shape(spec))
        case FieldType.STRING_OR_TABLE:
            return _join("a string or a table", _shape(spec))
        case FieldType.TAGGED_ENUM:
            return f"a table {{{spec.tag}, {spec.content}}}"
        case FieldType.PERMISSION:
            levels = one_of(model.enums.get("PermissionLevel", ()))
            return f"a permission level ({levels}) or a {{level, specific}} table"
        case FieldType.ARRAY:
            return _array(spec, model)
    return "a value of another type"


def _array(spec: FieldSpec, model: KomodoModel) -> str:
    match spec.items:
        case FieldType.TABLE:
            return _join("an array of", _shape(spec), "tables")
        case FieldType.STRING_OR_TABLE:
            return _join("an array of strings or", _shape(spec), "tables")
        case FieldType.ENUM:
            values = model.enums.get(spec.enum or "", ())
            return f"an array of strings, each {one_of(values)}"
        case FieldType.TAGGED_ENUM:
            return f"an array of {{{spec.tag}, {spec.content}}} tables"
        case FieldType.STRING:
            return "an array of strings"
    return "an array"


def expected_item(spec: FieldSpec, item: FieldType) -> str:
    """What Komodo accepts for one element of the array field ``spec``."""
    match item:
        case FieldType.TABLE:
            return _join("a table", _shape(spec))
        case FieldType.STRING_OR_TABLE:
            return _join("a string or a table", _shape(spec))
    return "a string"


def _join(*parts: str) -> str:
    return " ".join(part for part in parts if part)


def _shape(spec: FieldSpec) -> str:
    """``{path, command, shell_mode}``; big tables (a whole config) get no list."""
    keys = list(spec.fields or ())
    return f"{{{', '.join(keys)}}}" if 0 < len(keys) <= _SHAPE_KEYS else ""


def place(path: KeyPath, headers: Mapping[KeyPath, Header]) -> str:
    """Name the table at ``path`` as TOML does: ``[stack.config]``,
    ``[[stack]]``, "an entry of `config_files` in [stack.config]" for an
    inline array element, "`execution` in [[procedure.config.stage.execution]]"
    for a table inside an array element below the resource."""
    keys = [key for key in path if isinstance(key, str)]
    if path in headers or len(path) < 2:
        return _bracketed(path, keys)
    if isinstance(path[-1], int):
        return f"an entry of `{keys[-1]}` in {place(path[:-2], headers)}"
    element = max((i for i, key in enumerate(path) if isinstance(key, int)), default=0)
    if element < 2:
        return _bracketed(path, keys)
    rest = ".".join(str(key) for key in path[element + 1 :])
    return f"`{rest}` in {place(path[: element + 1], headers)}"


def _bracketed(path: KeyPath, keys: list[str]) -> str:
    dotted = ".".join(keys)
    return f"[[{dotted}]]" if path and isinstance(path[-1], int) else f"[{dotted}]"
