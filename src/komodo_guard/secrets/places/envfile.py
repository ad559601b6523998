"""``env-file``: a variable of a dotenv file such as ``compose.env``.

Read the way ``docker compose`` reads an ``env_file``
(:mod:`komodo_guard.workspace.envfile`): the last assignment of the key wins,
quotes and escapes are resolved, ``$$`` is a dollar sign. A value that refers
to another variable (``${OTHER}``) or a bare ``KEY`` (taken from the shell)
cannot be known from the file and is unreadable. Last changed: the file's
modification time.

    [[secrets.secret.places]]
    kind = "env-file"
    file = "/etc/komodo/compose.env"
    key = "KOMODO_DATABASE_PASSWORD"
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import ClassVar, Self

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
from komodo_guard.workspace.envfile import DotenvEntry, dotenv_entries

MAX_ENV_BYTES = 1024 * 1024
_REFERENCE = re.compile(r"\$(?:\{|[A-Za-z_])")


@dataclass(frozen=True)
class EnvFilePlace:
    """A variable of a dotenv file."""

    kind: ClassVar[str] = "env-file"
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

    @classmethod
    def from_table(cls, table: Table) -> Self:
        return cls(table.text("file"), table.text("key"), table.flag("source"))

    def read(self, context: Context) -> Reading:
        path = context.file(self.file)
        entries = context.memo.get(("dotenv", str(path)), lambda: read_dotenv(path))
        return value_of(self.file, entries, self.key, modified(path))


def read_dotenv(path: Path) -> tuple[DotenvEntry, ...]:
    """The assignments of a dotenv file; StoreError when it cannot be read."""
    try:
        if path.stat().st_size > MAX_ENV_BYTES:
            raise StoreError(f"{path}: larger than {MAX_ENV_BYTES} bytes")
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise StoreError(f"{path}: cannot read: {error.strerror}") from None
    except UnicodeDecodeError:
        raise StoreError(f"{path}: not UTF-8 text") from None
    return dotenv_entries(text)


def value_of(
    shown: str, entries: tuple[DotenvEntry, ...], key: str, changed: datetime | None
) -> Reading:
    """The value compose would give ``key`` (its last assignment)."""
    found = [entry for entry in entries if entry.key == key]
    if not found:
        return Absent(f"{shown} does not set {key}")
    entry = found[-1]
    where = f"{shown}:{entry.line}"
    if entry.value is None:
        raise StoreError(
            f"{where}: {key} has no value there (compose takes it from the shell)"
        )
    text = entry.value
    if entry.expands:
        if _REFERENCE.search(text.replace("$$", "")):
            raise StoreError(f"{where}: the value of {key} refers to other variables")
        text = text.replace("$$", "$")
    return Found(SecretValue(text), changed)
