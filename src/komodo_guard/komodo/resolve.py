"""Turn versioned field declarations into the view of one Komodo release.

A declaration is dropped when the release predates ``since`` or reaches
``until``; a ``revised`` declaration gives way to its ``before`` form in older
releases; nested fields can never be older than their parent; tagged-enum
variants follow the values of their enum; a table's default is the table of
its fields' defaults.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from types import MappingProxyType

from komodo_guard.komodo.decl import EnumDecl
from komodo_guard.komodo.spec import EXECUTION, Fields, FieldSpec, FieldType
from komodo_guard.komodo.versions import KomodoVersion


def later(a: KomodoVersion | None, b: KomodoVersion | None) -> KomodoVersion | None:
    """The later of two ``since`` values, where ``None`` means "always"."""
    if a is None or b is None:
        return a or b
    return max(a, b)


@dataclass(frozen=True)
class Context:
    """What resolving a field needs to know about its release."""

    version: KomodoVersion
    enums: Mapping[str, EnumDecl]
    execution_params: Mapping[str, Fields]

    def variant(self, enum: str, name: str) -> tuple[bool, KomodoVersion | None]:
        """Whether the release has value ``name`` of ``enum``, and its ``since``."""
        decl = self.enums.get(enum)
        if decl is None:
            return True, None
        for item in decl.values:
            if item.name == name:
                return item.exists_in(self.version), item.since
        return False, None


def resolve_fields(
    declared: Fields, context: Context, floor: KomodoVersion | None
) -> Fields:
    """The fields of ``declared`` that exist in the release, resolved."""
    resolved = {}
    for spec in declared.values():
        view = resolve_field(spec, context, floor)
        if view is not None:
            resolved[view.name] = view
    return MappingProxyType(resolved)


def resolve_field(
    spec: FieldSpec, context: Context, floor: KomodoVersion | None
) -> FieldSpec | None:
    """``spec`` as the release sees it, or ``None`` if the release lacks it."""
    if not spec.exists_in(context.version):
        return None
    current, revised = spec, spec.revised
    if spec.revised is not None and context.version < spec.revised:
        assert spec.before is not None, f"{spec.name}: revised without a before form"
        current, revised = spec.before, None
    since = later(spec.since, floor)
    fields = None
    if current.fields is not None:
        fields = resolve_fields(current.fields, context, since)
    value = None
    if current.value is not None:
        value = resolve_field(current.value, context, since)
    default = current.default
    if current.type is FieldType.TABLE and fields is not None:
        default = {name: field.default for name, field in fields.items()}
    return replace(
        current,
        default=default,
        fields=fields,
        value=value,
        variants=_resolve_variants(current, context, since),
        since=since,
        until=spec.until,
        revised=revised,
        before=None,
        renamed_to=spec.renamed_to,
    )


def _resolve_variants(
    spec: FieldSpec, context: Context, floor: KomodoVersion | None
) -> Mapping[str, Fields] | None:
    if spec.enum == EXECUTION:
        return context.execution_params
    if spec.variants is None:
        return None
    resolved = {}
    for name, fields in spec.variants.items():
        present, since = context.variant(spec.enum or "", name)
        if present:
            resolved[name] = resolve_fields(fields, context, later(since, floor))
    return MappingProxyType(resolved)
