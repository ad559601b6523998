"""Declarations of resource kinds, executions and enums, each with its history.

The catalog modules build these; :mod:`komodo_guard.komodo.model` turns them
into the view of one Komodo release.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from komodo_guard.komodo.spec import FieldSpec
from komodo_guard.komodo.versions import KomodoVersion


def _version(text: str | None) -> KomodoVersion | None:
    return None if text is None else KomodoVersion.parse(text)


def _present(
    since: KomodoVersion | None, until: KomodoVersion | None, version: KomodoVersion
) -> bool:
    return (since is None or since <= version) and (until is None or version < until)


@dataclass(frozen=True)
class KindDecl:
    """A top-level table (``[[stack]]``) and the fields of its entries.

    For resource kinds ``fields`` is the ``config`` table; for ``user_group``
    and ``variable`` (``has_config`` false) it is the entry itself.
    """

    name: str
    plural: str
    fields: tuple[FieldSpec, ...]
    has_config: bool = True
    deploys: bool = False
    tagged_config: bool = False
    since: KomodoVersion | None = None
    until: KomodoVersion | None = None

    def exists_in(self, version: KomodoVersion) -> bool:
        """Whether Komodo ``version`` reads this top-level table."""
        return _present(self.since, self.until, version)


def kind(
    name: str,
    fields: tuple[FieldSpec, ...],
    *,
    has_config: bool = True,
    deploys: bool = False,
    tagged_config: bool = False,
    since: str | None = None,
    until: str | None = None,
) -> KindDecl:
    """Declare a kind; its plural alias is the name plus ``s``."""
    return KindDecl(
        name=name,
        plural=f"{name}s",
        fields=fields,
        has_config=has_config,
        deploys=deploys,
        tagged_config=tagged_config,
        since=_version(since),
        until=_version(until),
    )


@dataclass(frozen=True)
class ExecutionDecl:
    """One ``Execution`` variant (``{type = "DeployStack", params = {...}}``)."""

    name: str
    params: tuple[FieldSpec, ...]
    batch: bool = False
    since: KomodoVersion | None = None

    def exists_in(self, version: KomodoVersion) -> bool:
        """Whether Komodo ``version`` knows this execution."""
        return _present(self.since, None, version)


def execution(
    name: str, *params: FieldSpec, batch: bool = False, since: str | None = None
) -> ExecutionDecl:
    """Declare an execution and its params."""
    return ExecutionDecl(name, params, batch, _version(since))


@dataclass(frozen=True)
class EnumValue:
    """One serde spelling of an enum, with the releases that accept it."""

    name: str
    since: KomodoVersion | None = None
    until: KomodoVersion | None = None

    def exists_in(self, version: KomodoVersion) -> bool:
        """Whether Komodo ``version`` accepts this value."""
        return _present(self.since, self.until, version)


def value(
    name: str, *, since: str | None = None, until: str | None = None
) -> EnumValue:
    """Declare an enum value that did not always exist."""
    return EnumValue(name, _version(since), _version(until))


@dataclass(frozen=True)
class EnumDecl:
    """A Rust enum as TOML spells it: values, extra accepted spellings, default."""

    name: str
    values: tuple[EnumValue, ...]
    default: str | None = None
    aliases: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    since: KomodoVersion | None = None
    until: KomodoVersion | None = None

    def exists_in(self, version: KomodoVersion) -> bool:
        """Whether Komodo ``version`` has this enum."""
        return _present(self.since, self.until, version)

    def values_in(self, version: KomodoVersion) -> tuple[str, ...]:
        """The values Komodo ``version`` accepts, in declaration order."""
        return tuple(item.name for item in self.values if item.exists_in(version))


def enum(
    name: str,
    *values: str | EnumValue,
    default: str | None = None,
    aliases: Mapping[str, str] | None = None,
    since: str | None = None,
    until: str | None = None,
) -> EnumDecl:
    """Declare an enum; plain strings are values that always existed."""
    return EnumDecl(
        name=name,
        values=tuple(EnumValue(v) if isinstance(v, str) else v for v in values),
        default=default,
        aliases=MappingProxyType(dict(aliases or {})),
        since=_version(since),
        until=_version(until),
    )
