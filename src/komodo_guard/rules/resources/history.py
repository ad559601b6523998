"""When a key, table or enum value Komodo does not accept was (or will be)
accepted by another supported release.

These look-ups run only for keys and values the target release refuses, and
each answer is cached, so they cost nothing on clean files.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from komodo_guard.komodo.catalog import ENUMS, KINDS
from komodo_guard.komodo.model import field_history, load
from komodo_guard.komodo.spec import Fields, FieldSpec
from komodo_guard.komodo.versions import SUPPORTED, KomodoVersion
from komodo_guard.rules.resources.tables import COMMON


@dataclass(frozen=True)
class History:
    """Why another release knows the key: it came later or went away."""

    since: KomodoVersion | None = None
    removed: KomodoVersion | None = None
    renamed_to: str | None = None

    def describe(self, target: KomodoVersion) -> str:
        """``needs Komodo >= 1.18.2 (target 1.17.5)`` or ``removed in 2.3.0
        (renamed to `image_registries`)``."""
        if self.since is not None:
            return f"needs Komodo >= {self.since} (target {target})"
        renamed = f", renamed to `{self.renamed_to}`" if self.renamed_to else ""
        return f"was removed in Komodo {self.removed}{renamed} (target {target})"


@functools.cache
def key_history(kind: str, dotted: str, target: KomodoVersion) -> History | None:
    """The history of a key the target refuses at ``dotted`` below ``kind``'s
    config (or entry, or common keys); None when no supported release has it
    there, or when the target has it (then it is only in another variant)."""
    try:
        since, removed = field_history(kind, dotted)
    except KeyError:
        return None
    if since is not None and target < since:
        return History(since=since)
    if removed is not None and target >= removed:
        return History(removed=removed, renamed_to=_renamed_to(kind, dotted, removed))
    return None


@functools.cache
def table_history(table: str, target: KomodoVersion) -> History | None:
    """The history of a top-level table the target does not read."""
    decl = next((k for k in KINDS if table in (k.name, k.plural)), None)
    if decl is None or decl.exists_in(target):
        return None
    if decl.since is not None and target < decl.since:
        return History(since=decl.since)
    return None if decl.until is None else History(removed=decl.until)


@functools.cache
def enum_history(enum: str, value: str, target: KomodoVersion) -> History | None:
    """The history of an enum value the target refuses (exact spelling)."""
    decl = next((e for e in ENUMS if e.name == enum), None)
    item = next((v for v in decl.values if v.name == value), None) if decl else None
    if item is None or item.exists_in(target):
        return None
    if item.since is not None and target < item.since:
        return History(since=item.since)
    return None if item.until is None else History(removed=item.until)


def _renamed_to(kind: str, dotted: str, removed: KomodoVersion) -> str | None:
    """``renamed_to`` of the field as the last release that had it declares it."""
    older = [v for v in SUPPORTED if v < removed]
    if not older:
        return None
    model = load(older[-1])
    if kind == COMMON:
        fields: Fields | None = model.common_fields
    else:
        found = model.kinds.get(kind)
        fields = found.fields if found else None
    spec = _descend(fields, dotted.split("."))
    return spec.renamed_to if spec else None


def _descend(fields: Fields | None, keys: list[str]) -> FieldSpec | None:
    """Follow ``keys`` down through nested fields and variants."""
    spec = None
    candidates = list((fields or {}).values())
    for key in keys:
        spec = next((s for s in candidates if key in s.spellings), None)
        if spec is None:
            return None
        candidates = [
            *(spec.fields or {}).values(),
            *(
                inner
                for table in (spec.variants or {}).values()
                for inner in table.values()
            ),
        ]
    return spec
