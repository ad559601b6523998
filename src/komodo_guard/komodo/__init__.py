"""The Komodo domain model: kinds, fields, executions and enums per release,
plus Komodo's own parsers for names, string lists, env blocks, Batch
patterns and ``[[VARIABLE]]`` interpolation.

The model is declared in :mod:`komodo_guard.komodo.catalog` (one module per
kind); :func:`load` gives the view of one release.
"""

from komodo_guard.komodo.model import (
    ExecutionSpec,
    FieldSpec,
    FieldType,
    KomodoModel,
    ResourceKind,
    field_history,
    load,
    param_history,
    removed_fields,
)
from komodo_guard.komodo.versions import (
    NEWEST,
    SUPPORTED,
    KomodoVersion,
    closest_supported,
)

__all__ = [
    "NEWEST",
    "SUPPORTED",
    "ExecutionSpec",
    "FieldSpec",
    "FieldType",
    "KomodoModel",
    "KomodoVersion",
    "ResourceKind",
    "closest_supported",
    "field_history",
    "load",
    "param_history",
    "removed_fields",
]
