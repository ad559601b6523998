"""``mongodb-user``: a MongoDB (or FerretDB) user, checked by authenticating.

MongoDB never gives a password back: the value found in the other places
is tried with SCRAM (:func:`komodo_guard.secrets.dbauth.verify_mongodb`),
each distinct value at most once and no more than needed, and the cell says
``verified``, ``refused`` or ``unreachable``.

    [[secrets.secret.places]]
    kind = "mongodb-user"
    host = "127.0.0.1"
    port = 27017
    user = "admin"
    auth_source = "admin"            # optional
    tls = false                      # optional
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Self

from komodo_guard.secrets import dbauth
from komodo_guard.secrets.places.interface import AuthOutcome, Context, Table
from komodo_guard.secrets.value import SecretValue

DEFAULT_PORT = 27017


@dataclass(frozen=True)
class MongoUserPlace:
    """A MongoDB user."""

    kind: ClassVar[str] = "mongodb-user"
    keys: ClassVar[tuple[str, ...]] = ("host", "port", "user", "auth_source", "tls")
    host: str
    port: int
    user: str
    auth_source: str = "admin"
    tls: bool = False
    source: bool = False

    @property
    def store(self) -> str:
        return f"MongoDB {self.host}:{self.port}"

    @property
    def label(self) -> str:
        return f"MongoDB user {self.user}@{self.host}:{self.port}"

    @classmethod
    def from_table(cls, table: Table) -> Self:
        return cls(
            host=table.text("host"),
            port=table.integer("port", DEFAULT_PORT),
            user=table.text("user"),
            auth_source=table.text("auth_source", "admin"),
            tls=table.flag("tls"),
            source=table.flag("source"),
        )

    @property
    def server(self) -> dbauth.MongoPlace:
        """Where to log in, as :mod:`komodo_guard.secrets.dbauth` takes it."""
        return dbauth.MongoPlace(
            self.host, self.port, self.user, auth_source=self.auth_source, tls=self.tls
        )

    def verify(self, value: SecretValue, context: Context) -> AuthOutcome:
        result = dbauth.verify_mongodb(self.server, value, timeout=context.timeout)
        return AuthOutcome(result.state, result.reason)
