"""One cache of :class:`TableSpec` lookups per Komodo model.

Models are built once per release and live for the whole process, so their
table specs are built the first time a table is met and reused for every
resource of every workspace checked against that release.
"""

from __future__ import annotations

from types import MappingProxyType

from komodo_guard.komodo.model import KomodoModel, ResourceKind
from komodo_guard.komodo.spec import Fields, FieldSpec, FieldType
from komodo_guard.rules.resources.tables import COMMON, TableSpec, table_spec


class SpecCache:
    """Table specs of one model, keyed by kind, locator and fields object."""

    def __init__(self, model: KomodoModel) -> None:
        self.model = model
        self._tables: dict[tuple[str, tuple[str, ...], int], TableSpec] = {}
        self._tops: dict[str, TableSpec] = {}

    def table(self, kind: str, locator: tuple[str, ...], fields: Fields) -> TableSpec:
        """The spec of a table with ``fields`` at ``locator`` below ``kind``.

        The key holds ``id(fields)``; the cached spec keeps ``fields`` alive,
        so the id cannot be reused while the entry exists.
        """
        key = (kind, locator, id(fields))
        found = self._tables.get(key)
        if found is None:
            found = self._tables[key] = table_spec(kind, locator, fields)
        return found

    def top(self, kind: ResourceKind) -> TableSpec:
        """The spec of a resource entry's own keys: the common keys and ``config``."""
        found = self._tops.get(kind.name)
        if found is None:
            config = FieldSpec(name="config", type=FieldType.TABLE, fields=kind.fields)
            fields = MappingProxyType({**self.model.common_fields, "config": config})
            found = self._tops[kind.name] = table_spec(COMMON, (), fields)
        return found


_CACHES: dict[int, SpecCache] = {}


def specs_for(model: KomodoModel) -> SpecCache:
    """The spec cache of ``model`` (models are cached for the process)."""
    found = _CACHES.get(id(model))
    if found is None or found.model is not model:
        found = _CACHES[id(model)] = SpecCache(model)
    return found
