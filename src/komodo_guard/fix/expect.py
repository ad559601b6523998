"""The values a file must hold after an edit: the same values, with the one key
renamed or moved and its value unchanged. A fixed text is kept only when it
parses to exactly these."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from komodo_guard.rules.interface import Edit
from komodo_guard.workspace.headers import KeyPath

Change = Callable[[Mapping[str, Any]], dict[str, Any]]


def expected(data: Mapping[str, Any], edit: Edit) -> dict[str, Any]:
    """``data`` as it must read after ``edit``."""
    value = _get(data, edit.key)
    removed = _with(data, edit.key[:-1], lambda table: _drop(table, edit.old))
    into = edit.key[:-1] if edit.into is None else edit.into
    result: dict[str, Any] = _with(
        removed, into, lambda table: {**table, edit.new: value}
    )
    return result


def _get(node: Any, path: KeyPath) -> Any:
    for key in path:
        node = node[key]
    return node


def _drop(table: Mapping[str, Any], key: str) -> dict[str, Any]:
    return {name: value for name, value in table.items() if name != key}


def _with(node: Any, path: KeyPath, change: Change) -> Any:
    """A copy of ``node`` with the table at ``path`` replaced by ``change(it)``;
    a missing table is created empty first. Only the nodes on the path are
    copied."""
    if not path:
        return change(node)
    key, rest = path[0], path[1:]
    if isinstance(key, int):
        items = list(node)
        items[key] = _with(items[key], rest, change)
        return items
    return {**node, key: _with(node.get(key, {}), rest, change)}
