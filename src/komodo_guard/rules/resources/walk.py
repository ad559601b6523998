"""Walk one resource file against the Komodo model and record every schema issue.

The walk follows Komodo's deserializer: top-level arrays by kind, each
entry's common keys and ``config``, nested tables, arrays of tables, tagged
enums (``{type, params}`` / ``{type, id}``), maps and the forms each field
type accepts. It yields :class:`~komodo_guard.rules.resources.issue.Issue`
records and never reads a file. The inside of an execution's ``params`` is
left to the execution rules.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from komodo_guard.komodo.model import KomodoModel, ResourceKind
from komodo_guard.komodo.spec import (
    EXECUTION,
    Fields,
    FieldSpec,
    FieldType,
    field,
    table_of,
)
from komodo_guard.rules.interface import Edit, Location
from komodo_guard.rules.resources import advice, edits, words
from komodo_guard.rules.resources.history import (
    enum_history,
    key_history,
    table_history,
)
from komodo_guard.rules.resources.issue import Advice, Issue, Problem
from komodo_guard.rules.resources.specs import SpecCache, specs_for
from komodo_guard.rules.resources.tables import TableSpec
from komodo_guard.workspace.headers import KeyPath
from komodo_guard.workspace.toml_file import TomlFile

_VERSION_TABLE: Fields = table_of(
    field("major", FieldType.INT, 0),
    field("minor", FieldType.INT, 0),
    field("patch", FieldType.INT, 0),
)

# Arrays Komodo reads with its item-or-vec deserializer: one table is
# accepted as an array of one (``deserializers/item_or_vec.rs``). Listed here
# by kind and key until ``FieldSpec`` can say so; then read it from the model.
_ITEM_OR_VEC = frozenset({("build", "image_registry")})


def _is_str(value: object) -> bool:
    return isinstance(value, str)


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _is_strings(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def _is_bool(value: object) -> bool:
    return isinstance(value, bool)


def _is_any(value: object) -> bool:
    return True


def _is_string_list(value: object) -> bool:
    return _is_str(value) or _is_strings(value)


_SIMPLE_CHECKS: Mapping[FieldType, Callable[[object], bool]] = {
    FieldType.STRING: _is_str,
    FieldType.BOOL: _is_bool,
    FieldType.INT: _is_int,
    FieldType.FLOAT: _is_number,
    FieldType.STRING_ARRAY: _is_strings,
    FieldType.STRING_LIST: _is_string_list,
    FieldType.ANY: _is_any,
}


@dataclass(frozen=True)
class Frame:
    """A table on the walk's stack: where it is and what it may hold."""

    path: KeyPath
    spec: TableSpec


def walk_file(file: TomlFile, model: KomodoModel) -> Iterator[Issue]:
    """Every schema issue of one parsed file, in walk order."""
    walk = _FileWalk(file, model, specs_for(model))
    walk.run()
    return iter(walk.found)


class _FileWalk:
    """The state of one file's walk: the resource and the tables above a key."""

    def __init__(self, file: TomlFile, model: KomodoModel, specs: SpecCache) -> None:
        self.file = file
        self.model = model
        self.specs = specs
        self.headers = {header.path: header for header in file.headers}
        self.found: list[Issue] = []
        self.stack: list[Frame] = []
        self.kind = ""
        self.name: str | None = None
        self.config: TableSpec | None = None

    # -- recording -----------------------------------------------------------

    def add(
        self,
        problem: Problem,
        path: KeyPath,
        key: str,
        *,
        at_value: bool = False,
        **details: Any,
    ) -> None:
        """Record one issue at ``path`` (a key, or a table for a missing key)."""
        line, column = self.file.position(path, value=at_value)
        table = path if problem is Problem.MISSING_KEY else _table_of(path)
        self.found.append(
            Issue(
                problem=problem,
                file=self.file.path,
                line=line,
                column=column,
                path=path,
                place=self.place(table),
                key=key,
                kind=self.kind,
                name=self.name,
                **details,
            )
        )

    def place(self, path: KeyPath) -> str:
        """The TOML name of the table at ``path``."""
        return "the top level" if not path else words.place(path, self.headers)

    def wrong_type(self, path: KeyPath, value: object, expected: str) -> None:
        """Record a value of a type Komodo refuses."""
        self.add(
            Problem.WRONG_TYPE,
            path,
            _key_of(path),
            expected=expected,
            got=words.toml_type(value),
        )

    # -- top level -----------------------------------------------------------

    def run(self) -> None:
        """Walk the file's top-level keys."""
        seen: dict[str, str] = {}
        for key, value in (self.file.data or {}).items():
            kind = self.model.kind_for_table(key)
            if kind is None:
                self.unknown_table(key, value)
                continue
            if kind.name in seen:
                self.add(
                    Problem.DUPLICATE_KEY,
                    (key,),
                    key,
                    expected=f"`{seen[kind.name]}` and `{key}`",
                    advice=Advice(key=seen[kind.name]),
                )
            seen[kind.name] = key
            self.kind_array(kind, key, value)

    def unknown_table(self, key: str, value: object) -> None:
        history = table_history(key, self.model.version)
        problem = Problem.UNKNOWN_TABLE if history is None else Problem.NOT_IN_VERSION
        self.add(
            problem,
            (key,),
            key,
            got=words.toml_type(value),
            history=history,
            advice=advice.for_table(key, self.model) if history is None else None,
        )

    def kind_array(self, kind: ResourceKind, key: str, value: object) -> None:
        self.kind, self.name = kind.name, None
        if not isinstance(value, list):
            self.wrong_type((key,), value, f"an array of tables: [[{key}]]")
            return
        for index, body in enumerate(value):
            if isinstance(body, Mapping):
                self.resource(kind, (key, index), body)
            else:
                self.wrong_type((key, index), body, f"a table under [[{key}]]")

    def resource(
        self, kind: ResourceKind, path: KeyPath, body: Mapping[str, Any]
    ) -> None:
        name = body.get("name")
        self.kind, self.name = kind.name, name if isinstance(name, str) else None
        entry = self.specs.table(kind.name, (), kind.fields)
        if kind.has_config:
            self.config = entry
            self.table(path, body, self.specs.top(kind))
        else:
            self.config = None
            self.table(path, body, entry)

    # -- tables --------------------------------------------------------------

    def table(self, path: KeyPath, table: Mapping[str, Any], spec: TableSpec) -> None:
        """Walk the keys of one table, then its duplicates and missing keys."""
        self.stack.append(Frame(path, spec))
        for key, value in table.items():
            found = spec.by_key.get(key)
            if found is None:
                self.unknown_key(path, key, spec, table)
            else:
                self.value((*path, key), value, found, table)
        self.duplicates(path, table, spec)
        self.missing(path, table, spec)
        self.stack.pop()

    def duplicates(
        self, path: KeyPath, table: Mapping[str, Any], spec: TableSpec
    ) -> None:
        for spellings in spec.aliased:
            present = [key for key in spellings if key in table]
            if len(present) > 1:
                present.sort(key=lambda key: self._line_of((*path, key)))
                self.add(
                    Problem.DUPLICATE_KEY,
                    (*path, present[-1]),
                    present[-1],
                    expected=" and ".join(f"`{k}`" for k in present),
                    advice=Advice(key=present[0]),
                )

    def _line_of(self, path: KeyPath) -> tuple[int, int]:
        return self.file.position(path)

    def missing(self, path: KeyPath, table: Mapping[str, Any], spec: TableSpec) -> None:
        for required, spellings in spec.required:
            present = any(key in table for key in spellings)
            if required.type is FieldType.TABLE and required.variants is not None:
                # Content selected by a sibling tag: each needs the other.
                if present and required.tag not in table:
                    self.add(Problem.MISSING_KEY, path, required.tag)
                elif not present and required.tag in table:
                    self.add(Problem.MISSING_KEY, path, required.name)
            elif not present:
                self.add(Problem.MISSING_KEY, path, required.name)

    def child(self, parent: TableSpec, spec: FieldSpec, fields: Fields) -> TableSpec:
        """The table spec of a sub-table of ``parent`` reached through ``spec``."""
        if (
            parent is self.stack[0].spec
            and self.config is not None
            and spec.name == "config"
        ):
            return self.config
        return self.specs.table(parent.kind, (*parent.locator, spec.name), fields)

    # -- values --------------------------------------------------------------

    def value(
        self, path: KeyPath, value: object, spec: FieldSpec, parent: Mapping[str, Any]
    ) -> None:
        """Check one value against its field and walk into it."""
        check = _SIMPLE_CHECKS.get(spec.type)
        if check is not None:
            if not check(value):
                self.wrong_type(path, value, words.expected(spec, self.model))
            return
        match spec.type:
            case FieldType.ENUM:
                self.enum(path, value, spec.enum or "")
            case FieldType.TAGGED_ENUM:
                self.tagged(path, value, spec)
            case FieldType.TABLE:
                self.sub_table(path, value, spec, parent)
            case FieldType.ARRAY:
                self.array(path, value, spec)
            case FieldType.MAP:
                self.map(path, value, spec)
            case _:
                self.string_or_table(path, value, spec)

    def sub_table(
        self, path: KeyPath, value: object, spec: FieldSpec, parent: Mapping[str, Any]
    ) -> None:
        fields = spec.fields
        if spec.variants is not None:
            fields = spec.variants.get(str(parent.get(spec.tag)))
        if isinstance(value, Mapping):
            if fields is not None:
                self.table(path, value, self.child(self.stack[-1].spec, spec, fields))
            return
        self.wrong_type(path, value, words.expected(spec, self.model))
        if fields is not None and isinstance(value, list):
            tables = self.child(self.stack[-1].spec, spec, fields)
            for index, item in enumerate(value):
                if isinstance(item, Mapping):
                    self.table((*path, index), item, tables)

    def string_or_table(self, path: KeyPath, value: object, spec: FieldSpec) -> None:
        """ENV_BLOCK, VERSION, STRING_OR_TABLE and PERMISSION: a string or a table."""
        if isinstance(value, str):
            if spec.type is FieldType.PERMISSION:
                self.enum(path, value, "PermissionLevel", aliases=False)
            return
        fields = _VERSION_TABLE if spec.type is FieldType.VERSION else spec.fields
        if isinstance(value, Mapping) and spec.type is not FieldType.ENV_BLOCK:
            self.table(path, value, self.child(self.stack[-1].spec, spec, fields or {}))
        elif isinstance(value, list) and spec.type is FieldType.ENV_BLOCK:
            self.items(path, value, spec, FieldType.TABLE)
        else:
            self.wrong_type(path, value, words.expected(spec, self.model))

    def array(self, path: KeyPath, value: object, spec: FieldSpec) -> None:
        if isinstance(value, list):
            self.items(path, value, spec, spec.items)
        elif isinstance(value, Mapping) and (self.kind, spec.name) in _ITEM_OR_VEC:
            self.table(
                path, value, self.child(self.stack[-1].spec, spec, spec.fields or {})
            )
        else:
            self.wrong_type(path, value, words.expected(spec, self.model))

    def items(
        self, path: KeyPath, items: list[Any], spec: FieldSpec, kind: FieldType | None
    ) -> None:
        """Check each element of an array field."""
        parent = self.stack[-1].spec
        for index, item in enumerate(items):
            where = (*path, index)
            if kind is FieldType.ENUM:
                self.enum(where, item, spec.enum or "")
            elif kind is FieldType.TAGGED_ENUM:
                self.tagged(where, item, spec)
            elif kind in (FieldType.TABLE, FieldType.STRING_OR_TABLE):
                if isinstance(item, Mapping):
                    self.table(where, item, self.child(parent, spec, spec.fields or {}))
                elif not (kind is FieldType.STRING_OR_TABLE and isinstance(item, str)):
                    self.wrong_type(where, item, words.expected_item(spec, kind))
            elif kind is FieldType.STRING and not isinstance(item, str):
                self.wrong_type(where, item, words.expected_item(spec, kind))

    def map(self, path: KeyPath, value: object, spec: FieldSpec) -> None:
        if not isinstance(value, Mapping):
            self.wrong_type(path, value, words.expected(spec, self.model))
            return
        for key, item in value.items():
            if spec.key_enum and self.model.enum_accepts(spec.key_enum, key) is None:
                self.enum((*path, key), key, spec.key_enum, as_key=True)
            elif spec.value is not None:
                self.value((*path, key), item, spec.value, value)

    def enum(
        self,
        path: KeyPath,
        value: object,
        enum: str,
        *,
        aliases: bool = True,
        as_key: bool = False,
    ) -> None:
        """Check one enum value; serde aliases count unless ``aliases`` is off."""
        values = self.model.enums.get(enum, ())
        if not isinstance(value, str):
            expected = f"a string, {words.one_of(values)}"
            self.wrong_type(path, value, expected)
            return
        accepted = self.model.enum_accepts(enum, value) if aliases else None
        if accepted is not None or value in values:
            return
        self.add(
            Problem.INVALID_ENUM,
            path,
            _key_of(path),
            at_value=not as_key,
            expected=words.one_of(values),
            got=value,
            advice=advice.for_enum(value, values, self.model.enum_aliases.get(enum)),
            history=enum_history(enum, value, self.model.version),
        )

    def tagged(self, path: KeyPath, value: object, spec: FieldSpec) -> None:
        """A ``{type, params}`` / ``{type, id}`` table: outer keys, tag, content."""
        if not isinstance(value, Mapping):
            self.wrong_type(path, value, words.expected(spec, self.model))
            return
        for key in value:
            if key not in (spec.tag, spec.content):
                self.add(
                    Problem.UNKNOWN_KEY,
                    (*path, key),
                    key,
                    advice=advice.for_tagged(key, value, spec),
                )
        for key in (spec.tag, spec.content):
            if key not in value:
                self.add(Problem.MISSING_KEY, path, key)
        tag = value.get(spec.tag)
        if spec.enum == EXECUTION or tag is None:
            return
        variants = spec.variants or {}
        if not isinstance(tag, str) or tag not in variants:
            self.variant(path, tag, spec)
        elif spec.content in value:
            self.content(
                (*path, spec.content), value[spec.content], spec, variants[tag]
            )

    def variant(self, path: KeyPath, tag: object, spec: FieldSpec) -> None:
        names = tuple((spec.variants or {}).keys())
        where = (*path, spec.tag)
        if not isinstance(tag, str):
            self.wrong_type(where, tag, f"a string, {words.one_of(names)}")
            return
        self.add(
            Problem.INVALID_ENUM,
            where,
            spec.tag,
            at_value=True,
            expected=words.one_of(names),
            got=tag,
            advice=advice.for_enum(tag, names, None),
            history=enum_history(spec.enum or "", tag, self.model.version),
        )

    def content(
        self, path: KeyPath, value: object, spec: FieldSpec, fields: Fields
    ) -> None:
        if spec.content_type is FieldType.STRING:
            if not isinstance(value, str):
                self.wrong_type(path, value, "a string")
        elif isinstance(value, Mapping):
            self.table(path, value, self.child(self.stack[-1].spec, spec, fields))
        else:
            self.wrong_type(path, value, "a table")

    # -- unknown keys --------------------------------------------------------

    def unknown_key(
        self, path: KeyPath, key: str, spec: TableSpec, table: Mapping[str, Any]
    ) -> None:
        history = key_history(spec.kind, spec.dotted(key), self.model.version)
        if history is not None:
            renamed = history.renamed_to
            hint = Advice(key=renamed) if renamed and renamed in spec.by_key else None
            self.add(
                Problem.NOT_IN_VERSION, (*path, key), key, history=history, advice=hint
            )
            return
        found = self.advise(path, key)
        edit = self.edit(Frame(path, spec), key, table, found) if found else None
        self.add(Problem.UNKNOWN_KEY, (*path, key), key, advice=found, edit=edit)

    def advise(self, path: KeyPath, key: str) -> Advice | None:
        """What an unknown key probably meant, most specific first."""
        return (
            self.swallowed(path, key)
            or self.wrong_level(key)
            or advice.for_key(key, self.stack[-1].spec, self.levels())
        )

    def swallowed(self, path: KeyPath, key: str) -> Advice | None:
        """A key written after a sub-table header that belongs above it."""
        header = self.headers.get(path)
        span = self.file.spans.get((*path, key))
        if header is None or span is None or span.key_line <= header.line:
            return None
        for frame in reversed(self.stack[:-1]):
            if key in frame.spec.by_key:
                return Advice(
                    key=key, place=self.place(frame.path), header_line=header.line
                )
        return None

    def wrong_level(self, key: str) -> Advice | None:
        """A resource-level key inside ``config`` or the reverse."""
        here = self.stack[-1].spec
        top = self.stack[0]
        config_path = (*top.path, "config")
        if here is top.spec and self.config is not None and key in self.config.by_key:
            where = self.place(config_path)
            return Advice(key=key, place=where, note=f"above {where} it is ignored")
        if here is self.config and key in top.spec.by_key:
            return Advice(key=key, place=self.place(top.path))
        return None

    # -- safe edits (see :mod:`.edits`) --------------------------------------

    def edit(
        self, frame: Frame, key: str, table: Mapping[str, Any], found: Advice
    ) -> Edit | None:
        """The rename or move ``lint --fix`` may apply to an unknown key."""
        here = edits.Place(frame.path, frame.spec, table)
        target: edits.Place | None = here
        new = edits.renamed(key, found, here)
        if new is None:
            target, new = self.move_target(key, found), key
        if target is None or not target.lacks(new):
            return None
        if not self.accepts(target, new, table[key]):
            return None
        line, column = self.file.position((*frame.path, key))
        return Edit(
            Location(self.file.path, line, column),
            key,
            new,
            key=(*frame.path, key),
            into=None if target is here else target.path,
        )

    def move_target(self, key: str, found: Advice) -> edits.Place | None:
        """The table a key written at the wrong level or swallowed by a
        sub-table header belongs in; None for any other advice."""
        if found.key != key or not found.place:
            return None
        if found.header_line:
            above = self.stack[:-1]
            frame = next((f for f in reversed(above) if key in f.spec.by_key), None)
        elif len(self.stack) == 1 and self.config is not None:
            frame = Frame((*self.stack[0].path, "config"), self.config)
        else:
            return None
        if frame is None:
            return None
        table = edits.table_at(self.file.data, frame.path)
        return None if table is None else edits.Place(frame.path, frame.spec, table)

    def accepts(self, target: edits.Place, key: str, value: object) -> bool:
        """True when ``value`` under ``key`` in ``target`` has no schema issue."""
        mark = len(self.found)
        self.stack.append(Frame(target.path, target.spec))
        self.value((*target.path, key), value, target.spec.by_key[key], target.table)
        self.stack.pop()
        clean = len(self.found) == mark
        del self.found[mark:]
        return clean

    def levels(self) -> list[tuple[str, TableSpec]]:
        """The resource's top level and ``config`` table, named, for advice."""
        top = self.stack[0]
        found = [(self.place(top.path), top.spec)]
        if self.config is not None:
            found.append((self.place((*top.path, "config")), self.config))
        return found


def _table_of(path: KeyPath) -> KeyPath:
    """The path of the table holding the key (or array element) at ``path``."""
    return path[:-2] if path and isinstance(path[-1], int) else path[:-1]


def _key_of(path: KeyPath) -> str:
    """The last key of ``path`` (the field an array element belongs to)."""
    for key in reversed(path):
        if isinstance(key, str):
            return key
    return ""
