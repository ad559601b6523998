"""The places a secret is kept, behind one interface.

A place is one frozen dataclass per kind (a key of a SOPS file, a variable of
a running container, a MongoDB user, ...), built from its table in the
secret map by ``from_table`` and read by ``read`` or, for a database user,
checked by ``verify``: a database never gives a password back, it only
accepts or refuses one.

``read`` returns a :class:`Found` value (wrapped in :class:`SecretValue` at
once), :class:`Absent` when the store is there but does not hold the key, or
:class:`Present` when the store says the secret exists but never shows it
(GitHub). A store that cannot be read raises :class:`StoreError`, whose
message names the place and the reason, never a value.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import (
    TYPE_CHECKING,
    Any,
    ClassVar,
    Literal,
    Protocol,
    Self,
    TypeVar,
    runtime_checkable,
)

from komodo_guard.secrets.value import SecretValue

if TYPE_CHECKING:
    from komodo_guard.live.client import CoreClient
    from komodo_guard.workspace.toml_file import TomlFile

DEFAULT_GITHUB_API = "https://api.github.com"
T = TypeVar("T")
KeyPath = tuple[str | int, ...]


class StoreError(Exception):
    """A place could not be read; the message says why and never holds a value."""


class MapError(Exception):
    """The secret map is wrong: ``file:line:column: what was expected``."""


@dataclass(frozen=True)
class Found:
    """The store holds the secret; ``changed`` is when it was last written,
    where the store knows."""

    value: SecretValue = field(repr=False)
    changed: datetime | None = None


@dataclass(frozen=True)
class Absent:
    """The store was read and does not hold the secret."""

    reason: str


@dataclass(frozen=True)
class Present:
    """The store says the secret exists and never shows it (GitHub)."""

    changed: datetime | None = None


Reading = Found | Absent | Present
AuthState = Literal["verified", "refused", "unreachable"]


@dataclass(frozen=True)
class AuthOutcome:
    """What a database answered to one password."""

    state: AuthState
    reason: str = ""


class Memo:
    """Per-run results shared by places (a decrypted file, Core's Variables, a
    container's environment): each computed once, by the first caller, even
    when places are read concurrently; an error is remembered too."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._locks: dict[object, threading.Lock] = {}
        self._done: dict[object, object] = {}

    def get(self, key: object, compute: Callable[[], T]) -> T:
        """``compute()`` the first time ``key`` is asked for, the same after."""
        with self._lock:
            lock = self._locks.setdefault(key, threading.Lock())
        with lock:
            if key not in self._done:
                try:
                    self._done[key] = compute()
                except StoreError as error:
                    self._done[key] = error
            done = self._done[key]
        if isinstance(done, StoreError):
            raise StoreError(str(done))
        return done  # type: ignore[return-value]


@dataclass(frozen=True)
class Context:
    """What reading places needs: where relative files are, the environment,
    the per-request timeout, Komodo Core, the Docker socket, GitHub's API,
    and the sops binary rotate writes SOPS files with (None: ``sops`` on
    PATH)."""

    base: Path
    environ: Mapping[str, str]
    timeout: float = 10.0
    core: CoreClient | None = None
    core_problem: str = "no Komodo Core configured (pass --komodo or set [komodo] url)"
    docker_socket: str | None = None
    github_api: str = DEFAULT_GITHUB_API
    sops: str | None = None
    memo: Memo = field(default_factory=Memo, compare=False)

    def file(self, written: str) -> Path:
        """A file named in the map, relative to the map's folder."""
        path = Path(written).expanduser() if written.startswith("~") else Path(written)
        return path if path.is_absolute() else self.base / path


@runtime_checkable
class Place(Protocol):
    """One place of a secret; ``store`` is the matrix column it falls in."""

    kind: ClassVar[str]
    keys: ClassVar[tuple[str, ...]]

    @property
    def source(self) -> bool:
        """True for the place the others are compared with (``source = true``)."""

    @property
    def store(self) -> str:
        """The store, e.g. ``env-file compose.env`` (the matrix column)."""

    @property
    def label(self) -> str:
        """The store and the key within it, e.g. ``compose.env: DB_PASSWORD``."""

    @classmethod
    def from_table(cls, table: Table) -> Self:
        """The place written in one table of the map."""


@runtime_checkable
class ValuePlace(Place, Protocol):
    """A place whose value (or existence) can be read."""

    def read(self, context: Context) -> Reading:
        """The secret as the store holds it; StoreError when it cannot be read."""


@runtime_checkable
class AuthPlace(Place, Protocol):
    """A place checked by authenticating with a value found elsewhere."""

    def verify(self, value: SecretValue, context: Context) -> AuthOutcome:
        """Whether the store accepts ``value``."""


@dataclass(frozen=True)
class Table:
    """One place table of the map, with the file positions of its keys."""

    data: Mapping[str, Any]
    keys: KeyPath
    file: TomlFile

    def fail(self, key: str | None, expected: str) -> MapError:
        """A :class:`MapError` at ``key`` (the table when None)."""
        keys = (*self.keys, key) if key else self.keys
        line, column = self.file.position(keys)
        return MapError(
            f"{self.file.path}:{line}:{column}: `{dotted(keys)}` {expected}"
        )

    def text(self, key: str, default: str | None = None) -> str:
        """A non-empty string; required when there is no default."""
        value = self.data.get(key, default)
        if value is None:
            raise self.fail(None, f"needs `{key}`")
        if not isinstance(value, str) or not value.strip():
            raise self.fail(key, "must be a non-empty string")
        return value

    def integer(self, key: str, default: int) -> int:
        """A port-like integer from 1 to 65535."""
        value = self.data.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(key, "must be an integer")
        if not 0 < value < 65536:
            raise self.fail(key, "must be from 1 to 65535")
        return value

    def flag(self, key: str, default: bool = False) -> bool:
        """A boolean."""
        value = self.data.get(key, default)
        if not isinstance(value, bool):
            raise self.fail(key, "must be true or false")
        return value

    def key_path(self, key: str) -> KeyPath:
        """A key inside a structured file: ``"db.password"`` (split at dots)
        or an array such as ``["db", "password"]`` (integers index lists)."""
        value = self.data.get(key)
        if value is None:
            raise self.fail(None, f"needs `{key}`")
        if isinstance(value, str) and value.strip():
            return tuple(value.split("."))
        parts = value if isinstance(value, list) else []
        if parts and all(_is_part(part) for part in parts):
            return tuple(parts)
        raise self.fail(key, 'must be a dotted string ("db.password") or an array')

    def choice(self, key: str, allowed: tuple[str, ...], default: str) -> str:
        """One of ``allowed``."""
        value = self.text(key, default)
        if value not in allowed:
            raise self.fail(key, f"must be one of {', '.join(allowed)}")
        return value


def _is_part(part: object) -> bool:
    return (isinstance(part, str) and bool(part)) or (
        isinstance(part, int) and not isinstance(part, bool) and part >= 0
    )


def dotted(keys: KeyPath) -> str:
    """``secrets.secret[0].places[1].file`` for a key path."""
    text = ""
    for key in keys:
        text += f"[{key}]" if isinstance(key, int) else (f".{key}" if text else key)
    return text


def show_path(keys: KeyPath) -> str:
    """A key inside a file as the map writes it: ``db.password``, ``list.0``."""
    return ".".join(str(key) for key in keys)


def modified(path: Path) -> datetime | None:
    """The file's modification time (UTC), or None when it cannot be read."""
    try:
        return datetime.fromtimestamp(path.stat().st_mtime, UTC)
    except OSError:
        return None
