"""Fixtures for the secret stores: the MongoDB stand-in and a real PostgreSQL.

``fake_mongo`` is a `FakeMongo` with one user (`MONGO_USER`), fresh per test.
``postgres_server`` is a throwaway PostgreSQL cluster for the whole session,
started with ``.ci/postgres`` (Debian's package; skipped when it is not
installed). When ``KOMODO_GUARD_POSTGRES`` names the folder of a cluster that
``.ci/postgres`` already started (as CI does), that cluster is used and left
running. ``postgres_role`` is a fresh login role on it, dropped afterwards.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from komodo_guard.secrets.dbauth import MongoPlace, PostgresPlace
from komodo_guard.testing.mongo import FakeMongo, MongoUser

SCRIPT = Path(__file__).resolve().parents[2] / ".ci" / "postgres"
MONGO_USER = MongoUser("komodo", "the-initial-password", "admin")


@pytest.fixture
def fake_mongo() -> Iterator[FakeMongo]:
    """A MongoDB stand-in on loopback holding `MONGO_USER`."""
    with FakeMongo([MONGO_USER]) as server:
        yield server


@pytest.fixture
def mongo_place(fake_mongo: FakeMongo) -> MongoPlace:
    """`MONGO_USER` on `fake_mongo`, as a place to check."""
    return MongoPlace(fake_mongo.host, fake_mongo.port, MONGO_USER.name)


@dataclass(frozen=True)
class PostgresServer:
    """A running throwaway cluster: where it listens, its superuser, its log."""

    host: str
    port: int
    superuser: str
    superuser_password: str
    log_file: Path

    def admin(self) -> Any:
        """A new autocommit connection as the superuser (close it after use)."""
        import psycopg

        return psycopg.connect(
            host=self.host,
            port=self.port,
            user=self.superuser,
            password=self.superuser_password,
            dbname="postgres",
            passfile=os.devnull,
            autocommit=True,
        )

    def run(self, statement: Any, *params: object) -> None:
        """Run one statement (a psycopg ``sql.Composed`` or text) as superuser."""
        with self.admin() as connection:
            connection.execute(statement, params or None)

    def create_role(self, name: str, password: str | None, *options: str) -> None:
        """Create login role `name` with `password` (SQL-quoted) and `options`."""
        from psycopg import sql

        statement = sql.SQL("CREATE ROLE {} LOGIN PASSWORD {} {}").format(
            sql.Identifier(name),
            sql.Literal(password),
            sql.SQL(" ".join(options)),
        )
        self.run(statement)

    def drop_role(self, name: str) -> None:
        """Drop role `name` if it exists."""
        from psycopg import sql

        self.run(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(name)))

    def place(self, role: str, **fields: Any) -> PostgresPlace:
        """Role `role` on this cluster as a `PostgresPlace`."""
        return PostgresPlace(self.host, self.port, role, **fields)


def _installed() -> bool:
    return any(glob.glob("/usr/lib/postgresql/*/bin/initdb"))


def _coordinates(output: str) -> dict[str, str]:
    return dict(line.split("=", 1) for line in output.splitlines() if "=" in line)


def _superuser_password(folder: Path) -> str:
    for line in (folder / "pgpass").read_text().splitlines():
        *_, user, password = line.split(":", 4)
        if user == "postgres":
            return password
    raise AssertionError(f"no postgres line in {folder / 'pgpass'}")


def _script(*args: str, owned: bool = True) -> str:
    environment = dict(os.environ)
    if owned:  # the script stops the cluster if this process dies untidily
        environment["KOMODO_GUARD_POSTGRES_OWNER_PID"] = str(os.getpid())
    done = subprocess.run(
        ["bash", str(SCRIPT), *args],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if done.returncode != 0:
        pytest.fail(f".ci/postgres {' '.join(args)} failed:\n{done.stderr}")
    return done.stdout


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """A real PostgreSQL on 127.0.0.1 for the session (scram-sha-256 logins)."""
    existing = os.environ.get("KOMODO_GUARD_POSTGRES")
    if not existing and not _installed():
        pytest.skip(
            "PostgreSQL is not installed (no initdb under "
            "/usr/lib/postgresql/*/bin); run `bash .ci/postgres install`"
        )
    # Not under pytest's tmp folder: as root the server runs as `postgres`,
    # which must be able to reach its data folder.
    folder = Path(existing or tempfile.mkdtemp(prefix="komodo-guard-postgres-"))
    found = _coordinates(_script("start", str(folder), owned=not existing))
    try:
        yield PostgresServer(
            found["PGHOST"],
            int(found["PGPORT"]),
            found["PGUSER"],
            _superuser_password(folder),
            folder / "cluster" / "postgres.log",
        )
    finally:
        if not existing:
            _script("stop", str(folder))
            shutil.rmtree(folder, ignore_errors=True)


@dataclass(frozen=True)
class PostgresRole:
    """A login role made for one test, with its password."""

    place: PostgresPlace
    password: str


@pytest.fixture
def postgres_role(postgres_server: PostgresServer) -> Iterator[PostgresRole]:
    """A fresh login role with a known password, dropped after the test."""
    name = f"kg_{uuid.uuid4().hex[:12]}"
    password = uuid.uuid4().hex
    postgres_server.create_role(name, password)
    try:
        yield PostgresRole(postgres_server.place(name), password)
    finally:
        postgres_server.drop_role(name)
