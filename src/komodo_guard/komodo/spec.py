"""Field declarations: the shape of one TOML key in Komodo's resource files.

A :class:`FieldSpec` serves twice. In the catalog it is a *declaration* that
carries its history (``since``, ``until``, ``revised`` + ``before``). After
:func:`komodo_guard.komodo.model.load` it is the *view* of that key in one
Komodo release, with history already applied and nested fields filtered.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from komodo_guard.komodo.versions import KomodoVersion


class FieldType(enum.StrEnum):
    """The kinds of TOML value a field accepts (Komodo's deserializers, in words).

    ``STRING_LIST`` takes an array of strings or one string split on newlines
    and commas; ``STRING_ARRAY`` takes an array only; ``ENV_BLOCK`` is a
    multi-line ``KEY=value`` string (or an array of ``{variable, value}``
    tables); ``VERSION`` is ``"1.2.3"`` or ``{major, minor, patch}``;
    ``STRING_OR_TABLE`` is a bare string shorthand or a table; ``PERMISSION``
    is a permission level string or ``{level, specific}``.
    """

    STRING = "string"
    BOOL = "bool"
    INT = "int"
    FLOAT = "float"
    STRING_LIST = "string_list"
    STRING_ARRAY = "string_array"
    ENV_BLOCK = "env_block"
    TABLE = "table"
    ARRAY = "array"
    ENUM = "enum"
    TAGGED_ENUM = "tagged_enum"
    MAP = "map"
    VERSION = "version"
    STRING_OR_TABLE = "string_or_table"
    PERMISSION = "permission_level_and_specifics"
    ANY = "any"


STRING = FieldType.STRING
BOOL = FieldType.BOOL
INT = FieldType.INT
FLOAT = FieldType.FLOAT
STRING_LIST = FieldType.STRING_LIST
STRING_ARRAY = FieldType.STRING_ARRAY
ENV_BLOCK = FieldType.ENV_BLOCK
TABLE = FieldType.TABLE
ARRAY = FieldType.ARRAY
ENUM = FieldType.ENUM
TAGGED_ENUM = FieldType.TAGGED_ENUM
MAP = FieldType.MAP
VERSION = FieldType.VERSION
STRING_OR_TABLE = FieldType.STRING_OR_TABLE
PERMISSION = FieldType.PERMISSION

# How a field names another resource (``FieldSpec.ref_by``).
NAME_OR_ID = "name_or_id"  # resolved name -> id on write, with permission checks
BY_ID = "id"  # stored verbatim; only an id works
BY_NAME = "name"  # names of declared resources (``after``)
PATTERN = "pattern"  # Batch* pattern or user group target: wildcards or \regex\
USERNAME = "username"  # user group ``users``

# ``ref`` of a field that may name a resource of any kind.
ANY_KIND = "any"
# ``enum`` of the procedure stage ``execution``: its variants are the executions.
EXECUTION = "Execution"

Fields = Mapping[str, "FieldSpec"]


@dataclass(frozen=True)
class FieldSpec:
    """One TOML key: its type, default, spellings and what it refers to.

    Defaults are plain TOML-shaped values (``str``, ``bool``, ``int``,
    ``float``, ``list``, ``dict`` or ``None`` for "no value"); treat them as
    read-only. A table's default is the table of its fields' defaults.
    """

    name: str
    type: FieldType
    default: object = None
    aliases: tuple[str, ...] = ()
    required: bool = False
    ref: str | None = None
    ref_by: str | None = None
    path: bool = False
    enum: str | None = None
    fields: Fields | None = None
    items: FieldType | None = None
    variants: Mapping[str, Fields] | None = None
    tag: str = "type"
    content: str = "params"
    since: KomodoVersion | None = None
    # What follows is not in the shared public sketch; see the module docstring.
    content_type: FieldType = FieldType.TABLE
    key_enum: str | None = None
    value: FieldSpec | None = None
    multiline: bool = False
    export_name: str | None = None
    until: KomodoVersion | None = None
    revised: KomodoVersion | None = None
    before: FieldSpec | None = None
    renamed_to: str | None = None

    @property
    def spellings(self) -> tuple[str, ...]:
        """Every key Komodo accepts for this field: its name, then its aliases."""
        return (self.name, *self.aliases)

    @property
    def display_name(self) -> str:
        """The spelling Komodo's export and docs use (``server`` for ``server_id``)."""
        return self.export_name or self.name

    @property
    def ref_kinds(self) -> tuple[str, ...]:
        """The kinds ``ref`` names; ``after`` names a stack or a deployment."""
        return tuple(self.ref.split("|")) if self.ref else ()

    def exists_in(self, version: KomodoVersion) -> bool:
        """Whether Komodo ``version`` knows this key (ignoring its parents)."""
        if self.since is not None and version < self.since:
            return False
        return self.until is None or version < self.until


def _version(text: str | None) -> KomodoVersion | None:
    return None if text is None else KomodoVersion.parse(text)


def table_of(*specs: FieldSpec) -> Fields:
    """A read-only mapping of field name to field, in declaration order."""
    return MappingProxyType({spec.name: spec for spec in specs})


def field(
    name: str,
    ftype: FieldType,
    default: object = None,
    *,
    aliases: tuple[str, ...] = (),
    export_name: str | None = None,
    required: bool = False,
    ref: str | None = None,
    ref_by: str | None = None,
    path: bool = False,
    enum: str | None = None,
    items: FieldType | None = None,
    multiline: bool = False,
    key_enum: str | None = None,
    value: FieldSpec | None = None,
    tag: str = "type",
    content: str = "params",
    content_type: FieldType = FieldType.TABLE,
    variants: Mapping[str, tuple[FieldSpec, ...]] | None = None,
    fields: tuple[FieldSpec, ...] | None = None,
    since: str | None = None,
    until: str | None = None,
    revised: str | None = None,
    before: FieldSpec | None = None,
    renamed_to: str | None = None,
) -> FieldSpec:
    """Declare a field; versions are written as text (``since="1.18.2"``).

    ``until`` is the first release without the field; ``revised`` the release
    from which this declaration applies, ``before`` what applied earlier;
    ``renamed_to`` the field that replaced this one at ``until``.
    """
    return FieldSpec(
        name=name,
        type=ftype,
        default=default,
        aliases=aliases,
        required=required,
        ref=ref,
        ref_by=ref_by,
        path=path,
        enum=enum,
        fields=None if fields is None else table_of(*fields),
        items=items,
        variants=None
        if variants is None
        else MappingProxyType(
            {key: table_of(*specs) for key, specs in variants.items()}
        ),
        tag=tag,
        content=content,
        since=_version(since),
        content_type=content_type,
        key_enum=key_enum,
        value=value,
        multiline=multiline,
        export_name=export_name,
        until=_version(until),
        revised=_version(revised),
        before=before,
        renamed_to=renamed_to,
    )
