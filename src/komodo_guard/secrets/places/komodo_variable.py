"""``komodo-variable``: a Variable of Komodo Core, read with ``ListVariables``.

Core shows the value of a secret Variable only to an admin: a non-admin key
gets ``#`` repeated instead (FACTS §3.3), so the cell is unreadable ("the API
key is not an admin"). The list is read once per run; the key and secret of
the Core client come from ``KOMODO_API_KEY`` / ``KOMODO_API_SECRET``. Core
keeps no change time for Variables.

    [[secrets.secret.places]]
    kind = "komodo-variable"
    variable = "DB_PASSWORD"
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Self

from komodo_guard.live.client import CoreClient
from komodo_guard.live.errors import CoreError
from komodo_guard.secrets.places.interface import (
    Absent,
    Context,
    Found,
    Reading,
    StoreError,
    Table,
)
from komodo_guard.secrets.value import SecretValue

CALL = "ListVariables"


@dataclass(frozen=True)
class CoreVariable:
    """One Variable as Core showed it; ``value`` None when masked."""

    secret: bool
    value: SecretValue | None


@dataclass(frozen=True)
class KomodoVariablePlace:
    """A Variable of Komodo Core."""

    kind: ClassVar[str] = "komodo-variable"
    keys: ClassVar[tuple[str, ...]] = ("variable",)
    variable: str
    source: bool = False

    @property
    def store(self) -> str:
        return "Komodo Variables"

    @property
    def label(self) -> str:
        return f"Komodo Variable {self.variable}"

    @classmethod
    def from_table(cls, table: Table) -> Self:
        return cls(table.text("variable"), table.flag("source"))

    def read(self, context: Context) -> Reading:
        core = context.core
        if core is None:
            raise StoreError(context.core_problem)
        variables = context.memo.get("core-variables", lambda: list_variables(core))
        found = variables.get(self.variable)
        if found is None:
            return Absent(f"Core has no Variable {self.variable}")
        if found.value is None:
            raise StoreError(
                f"Core masks the secret Variable {self.variable}: the API key is not "
                "an admin (secret values are shown to admins only)"
            )
        return Found(found.value)


def list_variables(core: CoreClient) -> dict[str, CoreVariable]:
    """Every Variable of Core by name; masked values become None."""
    try:
        items = core.list_all(CALL)
    except CoreError as error:
        raise StoreError(str(error)) from None
    variables: dict[str, CoreVariable] = {}
    for item in items:
        if not isinstance(item, dict) or not isinstance(item.get("name"), str):
            continue
        secret = item.get("is_secret") is True
        raw = item.pop("value", None)
        text = raw if isinstance(raw, str) else ""
        masked = secret and bool(text) and not text.strip("#")
        variables[item["name"]] = CoreVariable(
            secret, None if masked else SecretValue(text)
        )
    return variables
