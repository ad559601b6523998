"""``postgres-user``: a PostgreSQL user (FerretDB's backend), checked by
authenticating.

PostgreSQL never gives a password back: the value found in the other
places is tried (:func:`komodo_guard.secrets.dbauth.verify_postgres`), each
distinct value at most once and no more than needed, and the cell says
``verified``, ``refused`` or ``unreachable``.

    [[secrets.secret.places]]
    kind = "postgres-user"
    host = "127.0.0.1"
    port = 5432
    user = "postgres"
    database = "postgres"            # optional
    sslmode = "prefer"               # optional
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Self

from komodo_guard.secrets import dbauth
from komodo_guard.secrets.places.interface import AuthOutcome, Context, Table
from komodo_guard.secrets.value import SecretValue

DEFAULT_PORT = 5432
SSL_MODES = ("disable", "allow", "prefer", "require", "verify-ca", "verify-full")


@dataclass(frozen=True)
class PostgresUserPlace:
    """A PostgreSQL user."""

    kind: ClassVar[str] = "postgres-user"
    keys: ClassVar[tuple[str, ...]] = ("host", "port", "user", "database", "sslmode")
    host: str
    port: int
    user: str
    database: str = "postgres"
    sslmode: str = "prefer"
    source: bool = False

    @property
    def store(self) -> str:
        return f"PostgreSQL {self.host}:{self.port}"

    @property
    def label(self) -> str:
        return f"PostgreSQL user {self.user}@{self.host}:{self.port}"

    @classmethod
    def from_table(cls, table: Table) -> Self:
        return cls(
            host=table.text("host"),
            port=table.integer("port", DEFAULT_PORT),
            user=table.text("user"),
            database=table.text("database", "postgres"),
            sslmode=table.choice("sslmode", SSL_MODES, "prefer"),
            source=table.flag("source"),
        )

    @property
    def role(self) -> dbauth.PostgresPlace:
        """Where to log in, as :mod:`komodo_guard.secrets.dbauth` takes it."""
        return dbauth.PostgresPlace(
            self.host,
            self.port,
            self.user,
            database=self.database,
            sslmode=self.sslmode,
        )

    def verify(self, value: SecretValue, context: Context) -> AuthOutcome:
        result = dbauth.verify_postgres(self.role, value, timeout=context.timeout)
        return AuthOutcome(result.state, result.reason)
