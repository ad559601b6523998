"""``sops``: a key of a SOPS-encrypted YAML, JSON or dotenv file.

The file is decrypted in memory with the operator's age identities
(:mod:`komodo_guard.secrets.sops`), its MAC verified, once per run however
many secrets it holds. Last changed: the file's ``sops.lastmodified``.

    [[secrets.secret.places]]
    kind = "sops"
    file = "secrets/komodo.sops.yaml"
    key = "database.password"        # or ["database", "password"]
    format = "yaml"                  # optional: yaml | json | dotenv
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar, Self

from komodo_guard.secrets.places.interface import (
    Absent,
    Context,
    Found,
    KeyPath,
    Reading,
    StoreError,
    Table,
    show_path,
)
from komodo_guard.secrets.sops import (
    FORMATS,
    SopsDocument,
    SopsError,
    age_identities,
    decrypt_file,
)


@dataclass(frozen=True)
class SopsPlace:
    """A key of a SOPS file."""

    kind: ClassVar[str] = "sops"
    keys: ClassVar[tuple[str, ...]] = ("file", "key", "format")
    file: str
    key: KeyPath
    format: str | None = None
    source: bool = False

    @property
    def store(self) -> str:
        return self.file

    @property
    def label(self) -> str:
        return f"{self.file}: {show_path(self.key)}"

    @classmethod
    def from_table(cls, table: Table) -> Self:
        fmt = (
            table.choice("format", FORMATS, "yaml") if "format" in table.data else None
        )
        return cls(
            file=table.text("file"),
            key=table.key_path("key"),
            format=fmt,
            source=table.flag("source"),
        )

    def read(self, context: Context) -> Reading:
        path = context.file(self.file)
        document = context.memo.get(
            ("sops", str(path), self.format), lambda: _decrypted(path, self, context)
        )
        value = document.get(self.key)
        if value is None:
            return Absent(f"{self.file} has no key `{show_path(self.key)}`")
        return Found(value, document.lastmodified)


def _decrypted(path: Path, place: SopsPlace, context: Context) -> SopsDocument:
    try:
        identities = context.memo.get(
            "age-identities", lambda: age_identities(context.environ)
        )
        return decrypt_file(path, identities, place.format)
    except SopsError as error:
        raise StoreError(str(error)) from None
