"""The small part of MongoDB's filter language that ListUpdates/ListAlerts accept.

Supported: equality on dotted paths (``target.type``), and the operators ``$eq``,
``$ne``, ``$gt``, ``$gte``, ``$lt``, ``$lte``, ``$in``, ``$nin``, plus ``$and`` /
``$or`` over lists of filters. Anything else raises `ValueError` so a test never
silently matches everything.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Sequence
from typing import Any

_MISSING = object()
_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "$eq": operator.eq,
    "$ne": operator.ne,
    "$gt": operator.gt,
    "$gte": operator.ge,
    "$lt": operator.lt,
    "$lte": operator.le,
    "$in": lambda value, options: value in options,
    "$nin": lambda value, options: value not in options,
}


def matches(document: dict[str, Any], query: dict[str, Any]) -> bool:
    """Whether `document` satisfies the Mongo-style `query`."""
    return all(_clause(document, key, wanted) for key, wanted in query.items())


def _clause(document: dict[str, Any], key: str, wanted: Any) -> bool:
    if key == "$and":
        return all(matches(document, part) for part in _filters(key, wanted))
    if key == "$or":
        return any(matches(document, part) for part in _filters(key, wanted))
    if key.startswith("$"):
        raise ValueError(f"unsupported query operator `{key}`")
    value = _lookup(document, key)
    if isinstance(wanted, dict) and wanted and all(k.startswith("$") for k in wanted):
        return all(_compare(value, op, arg) for op, arg in wanted.items())
    return value is not _MISSING and bool(value == wanted)


def _filters(key: str, wanted: Any) -> Sequence[dict[str, Any]]:
    if not isinstance(wanted, list) or not all(isinstance(w, dict) for w in wanted):
        raise ValueError(f"`{key}` takes an array of filters")
    return wanted


def _compare(value: Any, op: str, arg: Any) -> bool:
    compare = _COMPARE.get(op)
    if compare is None:
        raise ValueError(f"unsupported query operator `{op}`")
    if value is _MISSING:
        return op in ("$ne", "$nin")
    try:
        return bool(compare(value, arg))
    except TypeError:
        return False


def _lookup(document: dict[str, Any], path: str) -> Any:
    current: Any = document
    for part in path.split("."):
        if not isinstance(current, dict) or part not in current:
            return _MISSING
        current = current[part]
    return current
