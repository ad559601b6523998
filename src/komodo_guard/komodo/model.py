"""The Komodo domain model: what one Komodo release accepts in resource TOML.

``load("2.3.2")`` gives a :class:`KomodoModel` with every kind, field,
execution and enum of that release. ``field_history`` and ``removed_fields``
answer "since when" and "removed in" questions across releases.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from types import MappingProxyType

from komodo_guard.komodo.catalog import (
    ALERT_TYPES_ENUM,
    COMMON_FIELDS,
    ENUMS,
    EXECUTION_VARIANT_ENUM,
    EXECUTIONS,
    KINDS,
)
from komodo_guard.komodo.decl import ExecutionDecl, KindDecl
from komodo_guard.komodo.resolve import Context, later, resolve_fields
from komodo_guard.komodo.spec import (
    NAME_OR_ID,
    PATTERN,
    Fields,
    FieldSpec,
    FieldType,
    table_of,
)
from komodo_guard.komodo.versions import (
    NEWEST,
    SUPPORTED,
    KomodoVersion,
    as_version,
    closest_supported,
    toml_spec,
)

__all__ = [
    "COMMON",
    "ExecutionSpec",
    "FieldSpec",
    "FieldType",
    "KomodoModel",
    "ResourceKind",
    "field_history",
    "load",
    "param_history",
    "removed_fields",
]

# ``field_history`` / ``removed_fields`` kind name for the common keys.
COMMON = "common"


def _find(spec_fields: Mapping[str, FieldSpec], key: str) -> FieldSpec | None:
    found = spec_fields.get(key)
    if found is not None:
        return found
    return next((f for f in spec_fields.values() if key in f.aliases), None)


@dataclass(frozen=True)
class ResourceKind:
    """A top-level table (``[[stack]]`` / ``[[stacks]]``) in one release."""

    name: str
    plural: str
    fields: Fields
    has_config: bool
    deploys: bool
    tagged_config: bool = False
    since: KomodoVersion | None = None

    def field(self, key: str) -> FieldSpec | None:
        """The field spelled ``key`` (its name or an alias), if any."""
        return _find(self.fields, key)


@dataclass(frozen=True)
class ExecutionSpec:
    """An execution in one release; ``target`` is the kind its target names."""

    name: str
    params: Fields
    batch: bool
    target: str | None
    target_param: str | None = None
    since: KomodoVersion | None = None

    def param(self, key: str) -> FieldSpec | None:
        """The param spelled ``key`` (its name or an alias), if any."""
        return _find(self.params, key)


@dataclass(frozen=True)
class KomodoModel:
    """Everything one Komodo release accepts in resource TOML."""

    version: KomodoVersion
    toml_spec: str
    kinds: Mapping[str, ResourceKind]
    common_fields: Fields
    executions: Mapping[str, ExecutionSpec]
    enums: Mapping[str, tuple[str, ...]]
    enum_aliases: Mapping[str, Mapping[str, str]]
    alert_types: tuple[str, ...]
    enum_defaults: Mapping[str, str] = dataclass_field(
        default_factory=lambda: MappingProxyType({})
    )

    def kind_for_table(self, key: str) -> ResourceKind | None:
        """The kind read from top-level key ``key`` (``stack`` or ``stacks``)."""
        found = self.kinds.get(key)
        if found is not None:
            return found
        return next((k for k in self.kinds.values() if k.plural == key), None)

    def enum_accepts(self, enum: str, value: str) -> str | None:
        """The canonical spelling of ``value`` in ``enum``, or ``None`` if refused."""
        if value in self.enums.get(enum, ()):
            return value
        return self.enum_aliases.get(enum, {}).get(value)


def load(version: KomodoVersion | str | None = None) -> KomodoModel:
    """The model of ``version`` (default: the newest supported release).

    Any version maps to :func:`~komodo_guard.komodo.versions.closest_supported`
    (``"2.3"`` loads 2.3.2). Models are built once and cached.
    """
    wanted = NEWEST if version is None else as_version(version)
    return _load(closest_supported(wanted))


@functools.cache
def _load(version: KomodoVersion) -> KomodoModel:
    enums = {decl.name: decl for decl in ENUMS if decl.exists_in(version)}
    kind_decls = [decl for decl in KINDS if decl.exists_in(version)]
    kind_names = frozenset(decl.name for decl in kind_decls)
    bare = Context(version, enums, MappingProxyType({}))
    executions = {
        decl.name: _resolve_execution(decl, bare, kind_names)
        for decl in EXECUTIONS
        if decl.exists_in(version)
    }
    context = Context(version, enums, _execution_params(executions))
    kinds = {decl.name: _resolve_kind(decl, context) for decl in kind_decls}
    values = {name: decl.values_in(version) for name, decl in enums.items()}
    values[EXECUTION_VARIANT_ENUM] = tuple(executions)
    return KomodoModel(
        version=version,
        toml_spec=toml_spec(version),
        kinds=MappingProxyType(kinds),
        common_fields=resolve_fields(table_of(*COMMON_FIELDS), context, None),
        executions=MappingProxyType(executions),
        enums=MappingProxyType(values),
        enum_aliases=MappingProxyType(
            {name: decl.aliases for name, decl in enums.items() if decl.aliases}
        ),
        alert_types=values[ALERT_TYPES_ENUM],
        enum_defaults=MappingProxyType(
            {
                name: decl.default
                for name, decl in enums.items()
                if decl.default is not None
            }
        ),
    )


def _execution_params(executions: Mapping[str, ExecutionSpec]) -> Mapping[str, Fields]:
    return MappingProxyType({name: spec.params for name, spec in executions.items()})


def _resolve_kind(decl: KindDecl, context: Context) -> ResourceKind:
    return ResourceKind(
        name=decl.name,
        plural=decl.plural,
        fields=resolve_fields(table_of(*decl.fields), context, decl.since),
        has_config=decl.has_config,
        deploys=decl.deploys,
        tagged_config=decl.tagged_config,
        since=decl.since,
    )


def _resolve_execution(
    decl: ExecutionDecl, context: Context, kinds: frozenset[str]
) -> ExecutionSpec:
    params = resolve_fields(table_of(*decl.params), context, decl.since)
    target = _target_param(params, kinds)
    return ExecutionSpec(
        name=decl.name,
        params=params,
        batch=decl.batch,
        target=None if target is None else target.ref,
        target_param=None if target is None else target.name,
        since=decl.since,
    )


def _target_param(params: Fields, kinds: frozenset[str]) -> FieldSpec | None:
    """The param naming the resource an execution acts on.

    That is the required param naming a resource by name, id or Batch pattern;
    failing that (``SendAlert``), the first param naming a resource.
    """
    naming = [p for p in params.values() if p.ref in kinds]
    chosen = [p for p in naming if p.required and p.ref_by in (NAME_OR_ID, PATTERN)]
    candidates = chosen or naming
    return candidates[0] if candidates else None


# ---------------------------------------------------------------------------
# History across releases


def _kind_decl(kind: str) -> KindDecl | None:
    return next((decl for decl in KINDS if decl.name == kind), None)


def _top_fields(kind: str) -> tuple[tuple[FieldSpec, ...], KomodoVersion | None]:
    if kind == COMMON:
        return COMMON_FIELDS, None
    decl = _kind_decl(kind)
    if decl is None:
        raise KeyError(f"unknown Komodo kind {kind!r}")
    return decl.fields, decl.since


def _children(spec: FieldSpec) -> Iterator[FieldSpec]:
    """Every nested declaration of ``spec``: fields, variants, older forms."""
    for form in (spec, spec.before):
        if form is None:
            continue
        yield from (form.fields or {}).values()
        for variant in (form.variants or {}).values():
            yield from variant.values()


def field_history(
    kind: str, field: str
) -> tuple[KomodoVersion | None, KomodoVersion | None]:
    """``(since, removed_in)`` of a field of ``kind`` (or ``"common"``).

    ``field`` is a key or a dotted path of keys under ``config`` (aliases
    count, variants and array elements add no segment:
    ``"params.docker_registries"``). ``since`` is ``None`` when the field is
    older than every supported release, ``removed_in`` when it still exists.
    Raises ``KeyError`` for an unknown kind or field.
    """
    declared, floor = _top_fields(kind)
    ceiling = None if kind == COMMON else _kind_until(kind)
    level: list[_Trail] = [(spec, floor, ceiling) for spec in declared]
    keys = field.split(".")
    for depth, key in enumerate(keys):
        level = [
            (spec, later(spec.since, since), _earliest(spec.until, until))
            for spec, since, until in level
            if key in spec.spellings
        ]
        if not level:
            raise KeyError(f"{kind} has no field {field!r} in any supported version")
        if depth < len(keys) - 1:
            level = [(child, s, u) for spec, s, u in level for child in _children(spec)]
    since = min((s for _, s, _ in level), key=_since_key)
    ends = [u for _, _, u in level]
    return since, None if None in ends else max(e for e in ends if e is not None)


_Trail = tuple[FieldSpec, KomodoVersion | None, KomodoVersion | None]


def _since_key(version: KomodoVersion | None) -> KomodoVersion:
    return version or KomodoVersion(0, 0, 0)


def _earliest(a: KomodoVersion | None, b: KomodoVersion | None) -> KomodoVersion | None:
    if a is None or b is None:
        return a or b
    return min(a, b)


def _kind_until(kind: str) -> KomodoVersion | None:
    decl = _kind_decl(kind)
    return None if decl is None else decl.until


def _paths(fields: Fields, spellings: bool, prefix: str = "") -> Iterator[str]:
    """Every dotted path under ``fields``, by name or also by alias."""
    for spec in fields.values():
        for spelling in spec.spellings if spellings else (spec.name,):
            path = f"{prefix}{spelling}"
            yield path
            for inner in (spec.fields or {}, *(spec.variants or {}).values()):
                yield from _paths(inner, spellings, f"{path}.")


def _kind_paths(kind: str, version: KomodoVersion, spellings: bool) -> set[str]:
    model = _load(version)
    if kind == COMMON:
        return set(_paths(model.common_fields, spellings))
    found = model.kinds.get(kind)
    return set() if found is None else set(_paths(found.fields, spellings))


def removed_fields(
    kind: str, version: KomodoVersion | str
) -> Mapping[str, KomodoVersion]:
    """Fields of ``kind`` an older supported release had but ``version`` lacks.

    Keys are dotted paths as in :func:`field_history`; values the first
    release without the field. A renamed field counts as removed (its
    declaration names the successor in ``renamed_to``).
    """
    target = closest_supported(as_version(version))
    present = _kind_paths(kind, target, spellings=True)
    last_seen: dict[str, KomodoVersion] = {}
    for older in (v for v in SUPPORTED if v < target):
        for path in _kind_paths(kind, older, spellings=False) - present:
            last_seen[path] = older
    return MappingProxyType(
        {
            path: field_history(kind, path)[1] or _next_supported(seen)
            for path, seen in sorted(last_seen.items())
        }
    )


def _next_supported(version: KomodoVersion) -> KomodoVersion:
    return next(v for v in SUPPORTED if v > version)


def param_history(
    execution: str, param: str
) -> tuple[KomodoVersion | None, KomodoVersion | None]:
    """``(since, removed_in)`` of an execution param, e.g. ``DeployStack.service``."""
    decl = next((d for d in EXECUTIONS if d.name == execution), None)
    if decl is None:
        raise KeyError(f"unknown Komodo execution {execution!r}")
    matches = [s for s in decl.params if param in s.spellings]
    if not matches:
        raise KeyError(f"{execution} has no param {param!r} in any supported version")
    since = min((later(s.since, decl.since) for s in matches), key=_since_key)
    ends = [s.until for s in matches]
    return since, None if None in ends else max(e for e in ends if e is not None)
