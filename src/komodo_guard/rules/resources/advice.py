"""``did you mean`` advice for unknown tables, keys, and enum values.

Advice comes from, in order: Komodo's own domain (a table that belongs to
Core's config file, a key written at the wrong level), the spellings people
carry over from docker compose and older docs, and edit distance among the
keys valid at that place. Only called for things Komodo refuses.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from komodo_guard.komodo.model import KomodoModel
from komodo_guard.komodo.spec import FieldSpec
from komodo_guard.rules.resources.issue import Advice
from komodo_guard.rules.resources.tables import OTHER_SPELLINGS, TableSpec, closest

_GIT_PROVIDERS = (
    "git providers and their accounts are configured in Core's config file "
    "(`[[git_provider]]` with `accounts` in core.config.toml) or in the UI under "
    "Settings, not in resource files; stacks name them with `git_provider` and "
    "`git_account`"
)
_REGISTRIES = (
    "image registries and their accounts are configured in Core's or Periphery's "
    "config file (`[[image_registry]]`) or in the UI under Settings, not in resource "
    "files; stacks name them with `registry_provider` and `registry_account`"
)
_SECRETS = (
    "`[secrets]` belongs to Core's or Periphery's config file; in resource files "
    "declare secrets as `[[variable]]` entries with `is_secret = true`"
)

# Tables of Core's and Periphery's config files that people paste into
# resource files (``entities/config/core.rs``, ``periphery.rs``).
CONFIG_FILE_TABLES: Mapping[str, str] = {
    "git_provider": _GIT_PROVIDERS,
    "git_providers": _GIT_PROVIDERS,
    "git_account": _GIT_PROVIDERS,
    "git_accounts": _GIT_PROVIDERS,
    "image_registry": _REGISTRIES,
    "image_registries": _REGISTRIES,
    "docker_registry": _REGISTRIES,
    "docker_registries": _REGISTRIES,
    "secrets": _SECRETS,
}


def for_table(key: str, model: KomodoModel) -> Advice | None:
    """Advice for a top-level table that is not a Komodo kind."""
    note = CONFIG_FILE_TABLES.get(key.lower())
    if note is not None:
        return Advice(note=note)
    names = [name for kind in model.kinds.values() for name in (kind.name, kind.plural)]
    close = closest(key, names)
    return Advice(key=close) if close else None


def for_key(
    key: str, here: TableSpec, levels: Sequence[tuple[str, TableSpec]]
) -> Advice | None:
    """Advice for an unknown key: another spelling, a typo, or a sub-table key.

    ``levels`` are the resource's own tables (its top level and ``config``),
    named, where a key written under another name may belong instead.
    """
    other = OTHER_SPELLINGS.get(key.lower())
    if other is not None:
        if other in here.by_key:
            return Advice(key=other)
        for place, table in levels:
            if table is not here and other in table.by_key:
                return Advice(key=other, place=place)
    close = here.closest(key)
    if close is not None:
        return Advice(key=close)
    nested = here.nested.get(key)
    return Advice(key=nested) if nested else None


def for_enum(
    value: str, values: Iterable[str], aliases: Mapping[str, str] | None
) -> Advice | None:
    """Advice for an enum value Komodo refuses: case or a near spelling."""
    spellings = [*values, *(aliases or {})]
    close = closest(value, spellings)
    if close is None:
        return None
    return Advice(key=(aliases or {}).get(close, close))


def for_tagged(key: str, table: Mapping[str, object], spec: FieldSpec) -> Advice | None:
    """Advice for an unknown key in a ``{type, params}`` table: a typo of the
    tag or content key, or a content key written one level too high."""
    close = closest(key, (spec.tag, spec.content))
    if close is not None:
        return Advice(key=close)
    tag = table.get(spec.tag)
    fields = (spec.variants or {}).get(tag) if isinstance(tag, str) else None
    if fields is not None and any(key in f.spellings for f in fields.values()):
        return Advice(key=f"{spec.content}.{key}")
    return None
