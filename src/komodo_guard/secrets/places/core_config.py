"""``core-config``: a setting of Komodo Core's own configuration.

Either Core's config file (``core.config.toml``: ``key`` is a dotted TOML key
such as ``database.password``) or the env file Core is started with
(``compose.env``: ``key`` is a ``KOMODO_*`` variable). Komodo also accepts
``KOMODO_MONGO_*`` for ``KOMODO_DATABASE_*`` (FACTS §5.2), so either spelling
finds the other. A ``*_FILE`` variant means the value is in a file inside
Core's container, which cannot be read from here. Last changed: the file's
modification time.

    [[secrets.secret.places]]
    kind = "core-config"
    file = "/etc/komodo/compose.env"
    key = "KOMODO_DATABASE_PASSWORD"
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar, Self

from komodo_guard.secrets.places.envfile import read_dotenv, value_of
from komodo_guard.secrets.places.interface import (
    Absent,
    Context,
    Found,
    Reading,
    StoreError,
    Table,
    modified,
)
from komodo_guard.secrets.value import SecretValue
from komodo_guard.workspace.envfile import DotenvEntry

MAX_CONFIG_BYTES = 1024 * 1024
_ALIASES = {"KOMODO_DATABASE_": "KOMODO_MONGO_", "KOMODO_MONGO_": "KOMODO_DATABASE_"}


@dataclass(frozen=True)
class CoreConfigPlace:
    """A setting of Core's config file or of the env file Core reads."""

    kind: ClassVar[str] = "core-config"
    keys: ClassVar[tuple[str, ...]] = ("file", "key")
    file: str
    key: str
    source: bool = False

    @property
    def store(self) -> str:
        return self.file

    @property
    def label(self) -> str:
        return f"{self.file}: {self.key}"

    @property
    def is_toml(self) -> bool:
        """True for Core's TOML config, False for an env file."""
        return self.file.endswith(".toml")

    @classmethod
    def from_table(cls, table: Table) -> Self:
        return cls(table.text("file"), table.text("key"), table.flag("source"))

    def read(self, context: Context) -> Reading:
        path = context.file(self.file)
        if self.is_toml:
            data = context.memo.get(("toml", str(path)), lambda: _read_toml(path))
            return _toml_value(self.file, data, self.key, path)
        entries = context.memo.get(("dotenv", str(path)), lambda: read_dotenv(path))
        return self._env_value(entries, path)

    def _env_value(self, entries: tuple[DotenvEntry, ...], path: Path) -> Reading:
        names = {entry.key for entry in entries}
        for name in (self.key, *aliases(self.key)):
            if f"{name}_FILE" in names:
                raise StoreError(
                    f"{self.file} sets {name}_FILE: the value is in a file inside "
                    "Core's container; map that file as an env-file or sops place"
                )
            if name in names:
                return value_of(self.file, entries, name, modified(path))
        return Absent(f"{self.file} does not set {self.key}")


def aliases(key: str) -> tuple[str, ...]:
    """The other spellings Komodo accepts for ``key`` (``KOMODO_MONGO_*`` for
    ``KOMODO_DATABASE_*`` and back)."""
    return tuple(
        other + key.removeprefix(prefix)
        for prefix, other in _ALIASES.items()
        if key.startswith(prefix)
    )


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        if path.stat().st_size > MAX_CONFIG_BYTES:
            raise StoreError(f"{path}: larger than {MAX_CONFIG_BYTES} bytes")
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise StoreError(f"{path}: cannot read: {error.strerror}") from None
    except UnicodeDecodeError:
        raise StoreError(f"{path}: not UTF-8 text") from None
    except tomllib.TOMLDecodeError:
        # The parser's message may quote the line, and the line may be a secret.
        raise StoreError(f"{path}: not valid TOML") from None


def _toml_value(shown: str, data: dict[str, Any], key: str, path: Path) -> Reading:
    node: Any = data
    for part in key.split("."):
        if not isinstance(node, dict) or part not in node:
            return Absent(f"{shown} has no key `{key}`")
        node = node[part]
    if not isinstance(node, str):
        raise StoreError(f"{shown}: `{key}` is not a string")
    return Found(SecretValue(node), modified(path))
