"""Per-table lookups the schema walk needs, computed once per table spec.

A :class:`TableSpec` wraps the fields of one TOML table of the model (a
resource's top level, its ``config``, a nested table such as ``pre_deploy``,
the items of an array of tables, one variant of a tagged enum) with what the
walk asks of it for every key: the field a spelling names, the fields with
several spellings, the required ones, and the dotted keys of its sub-tables
for "did you mean" advice. Everything here is precomputed so the walk does no
per-key searching.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from komodo_guard.komodo.spec import Fields, FieldSpec, FieldType

COMMON = "common"
"""``TableSpec.kind`` of a resource's top level (the common keys)."""

# Keys people write for a Komodo field, mostly from docker compose habits or
# older Komodo docs; a suggestion is only made where the target key is valid.
OTHER_SPELLINGS: Mapping[str, str] = MappingProxyType(
    {
        "compose_file": "file_paths",
        "compose_files": "file_paths",
        "compose_path": "file_paths",
        "docker_compose_file": "file_paths",
        "files": "file_paths",
        "file_path": "file_paths",
        "env_file": "additional_env_files",
        "env_files": "additional_env_files",
        "env": "environment",
        "envs": "environment",
        "environment_variables": "environment",
        "working_dir": "run_directory",
        "workdir": "run_directory",
        "run_dir": "run_directory",
        "directory": "run_directory",
        "repository": "repo",
        "git_repo": "repo",
        "git_branch": "branch",
        "server_name": "server",
        "auto_deploy": "deploy",
        "autodeploy": "deploy",
        "auto_updates": "auto_update",
        "tag": "tags",
        "depends_on": "after",
        "cmd": "command",
        "args": "command",
        "script": "command",
    }
)


@dataclass(frozen=True)
class TableSpec:
    """One table of the model, ready for the walk.

    ``kind`` and ``locator`` name the table across releases for
    :func:`komodo_guard.komodo.model.field_history`: ``kind`` is a kind name
    or :data:`COMMON`, ``locator`` the keys from ``config`` (or the entry)
    down to this table.
    """

    kind: str
    locator: tuple[str, ...]
    by_key: Mapping[str, FieldSpec]
    aliased: tuple[tuple[str, ...], ...]
    required: tuple[tuple[FieldSpec, tuple[str, ...]], ...]
    nested: Mapping[str, str]

    def dotted(self, key: str) -> str:
        """The history path of ``key`` in this table (``pre_deploy.command``)."""
        return ".".join((*self.locator, key))

    def closest(self, key: str) -> str | None:
        """A valid key of this table that ``key`` looks like a typo of."""
        return closest(key, self.by_key)


def closest(word: str, candidates: Iterable[str]) -> str | None:
    """The candidate ``word`` is a typo of: the same but for case, or close by
    edit similarity (difflib ratio >= 0.8)."""
    options = list(candidates)
    folded = word.lower()
    for option in options:
        if option.lower() == folded:
            return option
    matches = difflib.get_close_matches(word, options, n=1, cutoff=0.8)
    return matches[0] if matches else None


def table_spec(kind: str, locator: tuple[str, ...], fields: Fields) -> TableSpec:
    """Build the lookups of one table; call through a cache, not per key."""
    by_key = {spelling: spec for spec in fields.values() for spelling in spec.spellings}
    return TableSpec(
        kind=kind,
        locator=locator,
        by_key=MappingProxyType(by_key),
        aliased=tuple(spec.spellings for spec in fields.values() if spec.aliases),
        required=tuple(
            (spec, spec.spellings) for spec in fields.values() if spec.required
        ),
        nested=MappingProxyType(_nested_keys(fields)),
    )


def _nested_keys(fields: Fields) -> dict[str, str]:
    """Keys of direct sub-tables, as the dotted key that reaches them."""
    found: dict[str, str] = {}
    for spec in fields.values():
        if spec.type is not FieldType.TABLE or spec.fields is None:
            continue
        for inner in spec.fields.values():
            for spelling in inner.spellings:
                found.setdefault(spelling, f"{spec.name}.{inner.name}")
    return found
