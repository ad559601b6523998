"""Where Komodo Core finds its database, read from Core's environment settings.

Core connects with ``KOMODO_DATABASE_URI`` when it is set, else with
``KOMODO_DATABASE_ADDRESS`` and the user name and password (``KOMODO_MONGO_*``
are accepted for the same settings). From these, :func:`database_address`
takes the host, port, user name and authentication database a
``mongodb-user`` place needs. The password in a URI is never kept: the URI
arrives as a :class:`~komodo_guard.secrets.value.SecretValue`, is parsed
here, and only its other parts leave; a URI that cannot be parsed is dropped
without a word of its text.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from urllib.parse import parse_qs, unquote

from komodo_guard.secrets.value import SecretValue

URI_KEYS = ("KOMODO_DATABASE_URI", "KOMODO_MONGO_URI")
ADDRESS_KEYS = ("KOMODO_DATABASE_ADDRESS", "KOMODO_MONGO_ADDRESS")
USER_KEYS = ("KOMODO_DATABASE_USERNAME", "KOMODO_MONGO_USERNAME", "KOMODO_DB_USERNAME")
SETTING_KEYS = URI_KEYS + ADDRESS_KEYS + USER_KEYS
_SCHEMES = ("mongodb", "mongodb+srv")
_TRUE = ("true", "1", "yes")


@dataclass(frozen=True)
class Setting:
    """A literal value of one of :data:`SETTING_KEYS`, and the tree-relative
    file that sets it. A URI's value is a :class:`SecretValue` (it may hold
    the password)."""

    key: str
    value: str | SecretValue
    file: str


@dataclass(frozen=True)
class DatabaseAddress:
    """What the settings say; None where they say nothing usable.

    ``sources`` names each setting used, ``KEY in FILE``; ``srv`` is True for
    a ``mongodb+srv://`` URI, whose host is a DNS name for the members (and
    whose ``tls`` is then True unless the URI turns it off).
    """

    host: str | None = None
    port: int | None = None
    user: str | None = None
    auth_source: str | None = None
    tls: bool = False
    srv: bool = False
    sources: tuple[str, ...] = ()


def database_address(settings: Iterable[Setting]) -> DatabaseAddress:
    """The database Core connects to: the URI when one parses, else the
    address and user name; the first setting of each key counts."""
    first: dict[str, Setting] = {}
    for setting in settings:
        first.setdefault(setting.key, setting)
    for key in URI_KEYS:
        uri = first.get(key)
        if uri is not None and isinstance(uri.value, SecretValue):
            parsed = parse_uri(uri.value)
            if parsed is not None:
                return _with_user(parsed, first, _source(uri))
    return _from_address(first)


def _from_address(first: Mapping[str, Setting]) -> DatabaseAddress:
    address = _first(first, ADDRESS_KEYS)
    endpoint = parse_hosts(str(address.value)) if address else None
    found = DatabaseAddress(
        host=endpoint[0] if endpoint else None,
        port=endpoint[1] if endpoint else None,
        sources=(_source(address),) if address and endpoint else (),
    )
    return _with_user(found, first)


def _with_user(
    found: DatabaseAddress, first: Mapping[str, Setting], *sources: str
) -> DatabaseAddress:
    """``found`` with its user from the user name settings when it has none."""
    found = replace(found, sources=found.sources + sources)
    user = _first(first, USER_KEYS) if found.user is None else None
    if user is None or isinstance(user.value, SecretValue):
        return found
    return replace(found, user=user.value, sources=(*found.sources, _source(user)))


def _first(first: Mapping[str, Setting], keys: tuple[str, ...]) -> Setting | None:
    return next((first[key] for key in keys if key in first), None)


def _source(setting: Setting) -> str:
    return f"{setting.key} in {setting.file}"


def parse_uri(uri: SecretValue) -> DatabaseAddress | None:
    """Host, port, user, authentication database and TLS of a MongoDB
    connection string; None when it is not one. The password is dropped.

    The authority runs from ``//`` to the first ``/``, ``?`` or ``#`` (a
    password holding one of them must be percent-encoded, as the drivers
    require); its user information ends at its last ``@``. A
    ``mongodb+srv://`` URI turns TLS on unless ``tls=false`` says otherwise.
    """
    scheme, separator, rest = uri.reveal().partition("://")
    if not separator or scheme not in _SCHEMES:
        return None
    cut = next((i for i, char in enumerate(rest) if char in "/?#"), len(rest))
    userinfo, _, hosts = rest[:cut].rpartition("@")
    endpoint = parse_hosts(hosts)
    if endpoint is None:
        return None
    path, _, query = rest[cut:].partition("#")[0].partition("?")
    options = _options(query)
    srv = scheme == "mongodb+srv"
    tls = options.get("tls", options.get("ssl"))
    return DatabaseAddress(
        host=endpoint[0],
        port=endpoint[1],
        user=unquote(userinfo.partition(":")[0]) or None,
        auth_source=options.get("authsource") or unquote(path[1:]) or None,
        tls=srv if tls is None else tls.lower() in _TRUE,
        srv=srv,
    )


def _options(query: str) -> dict[str, str]:
    """A URI's options by lower-case name (names are case-insensitive); the
    first value of each."""
    options: dict[str, str] = {}
    for name, values in parse_qs(query).items():
        options.setdefault(name.lower(), values[0])
    return options


def parse_hosts(text: str) -> tuple[str, int | None] | None:
    """The first ``host[:port]`` of a comma-separated list (an IPv6 host in
    brackets); None when it is empty or its port is not a port."""
    first = text.split(",")[0].strip()
    if first.startswith("["):
        host, bracket, tail = first[1:].partition("]")
        if not bracket or (tail and not tail.startswith(":")):
            return None
        port_text = tail[1:]
    else:
        host, _, port_text = first.partition(":")
    if not host:
        return None
    if not port_text:
        return host, None
    if not port_text.isdigit() or not 0 < int(port_text) < 65536:
        return None
    return host, int(port_text)
