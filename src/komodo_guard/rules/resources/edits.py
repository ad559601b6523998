"""Which unknown keys (KG102) have a fix safe enough for ``lint --fix``.

Two cases, decided here by name and shape; :mod:`komodo_guard.fix` then
decides whether the text allows the edit and checks the result:

* **rename** to the one key the advice names, when that key is valid in the
  same table, no spelling of its field is already there, the typo has no
  second candidate field (a spelling from ``OTHER_SPELLINGS`` is one answer
  by construction), and the value is one the new key accepts exactly as
  written. So ``compose_file = "compose.yaml"`` becomes ``file_paths`` (a
  string list accepts one string), while ``args = ["-c", "x"]`` does not
  become ``command`` (a string), and ``tag = "x"`` does not become ``tags``
  (an array of strings);
* **move** of a key into the table it belongs to: a ``[stack.config]`` key
  written at resource level, or a key swallowed by a sub-table header, when
  the target table has no spelling of its field yet and accepts the value.

A value is accepted when the schema walk of the key in its new place finds no
issue at all, nested keys included. Everything else only gets advice.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from komodo_guard.rules.resources.issue import Advice
from komodo_guard.rules.resources.tables import OTHER_SPELLINGS, TableSpec
from komodo_guard.workspace.headers import KeyPath

# The similarity ``tables.closest`` suggests typos at; a rename needs exactly
# one field at or above it.
_CUTOFF = 0.8


@dataclass(frozen=True)
class Place:
    """A table an edited key ends up in: its key path, spec and current keys."""

    path: KeyPath
    spec: TableSpec
    table: Mapping[str, Any]

    def lacks(self, key: str) -> bool:
        """True when no spelling of the field ``key`` names is in the table."""
        return not any(spelling in self.table for spelling in self.field(key))

    def field(self, key: str) -> tuple[str, ...]:
        """Every spelling of the field ``key`` names here."""
        return self.spec.by_key[key].spellings


def renamed(key: str, advice: Advice, here: Place) -> str | None:
    """The key to rename ``key`` to, when the advice is one unambiguous key of
    the same table; None otherwise."""
    new = advice.key
    if advice.place or advice.header_line or new == key:
        return None
    if new not in here.spec.by_key:
        return None
    if OTHER_SPELLINGS.get(key.lower()) == new:
        return new
    return new if _fields_like(key, here.spec) == {here.spec.by_key[new].name} else None


def _fields_like(key: str, spec: TableSpec) -> set[str]:
    """Names of the fields ``key`` could be a typo of."""
    folded = key.lower()
    spellings = [option for option in spec.by_key if option.lower() == folded]
    spellings += difflib.get_close_matches(
        key, list(spec.by_key), n=len(spec.by_key), cutoff=_CUTOFF
    )
    return {spec.by_key[spelling].name for spelling in spellings}


def table_at(data: Mapping[str, Any] | None, path: KeyPath) -> Mapping[str, Any] | None:
    """The table at ``path`` of a parsed file: empty when absent, None when
    something other than a table is there."""
    node: Any = data or {}
    for key in path:
        if isinstance(key, int):
            node = node[key] if isinstance(node, list) and key < len(node) else None
        else:
            node = node.get(key, {}) if isinstance(node, Mapping) else None
        if node is None:
            return None
    return node if isinstance(node, Mapping) else None
