"""PostgreSQL passwords checked and changed by logging in to a real cluster."""

from __future__ import annotations

import contextlib
import os
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from typing import Literal

import psycopg
import pytest
from psycopg import sql

from komodo_guard.secrets.dbauth import (
    AuthResult,
    PostgresPlace,
    set_postgres_password,
    verify_postgres,
)
from komodo_guard.secrets.value import SecretValue
from tests.secretstores.conftest import PostgresRole, PostgresServer


def _logs_in(place: PostgresPlace, password: str) -> bool:
    """A login with psycopg directly, independent of the code under test."""
    try:
        psycopg.connect(
            host=place.host,
            port=place.port,
            user=place.user,
            password=password,
            dbname=place.database,
            passfile=os.devnull,
            connect_timeout=5,
        ).close()
    except psycopg.OperationalError:
        return False
    return True


@pytest.fixture
def special_role(postgres_server: PostgresServer) -> Iterator[str]:
    """A role name that needs quoting; dropped after the test."""
    name = 'kg "we\'ird" role'
    postgres_server.create_role(name, "start-password")
    yield name
    postgres_server.drop_role(name)


def test_right_password_is_verified(postgres_role: PostgresRole) -> None:
    result = verify_postgres(postgres_role.place, SecretValue(postgres_role.password))

    assert result.state == "verified"
    assert result.reason == ""


def test_wrong_password_is_refused_as_28p01(postgres_role: PostgresRole) -> None:
    result = verify_postgres(postgres_role.place, SecretValue("not the password"))

    assert result.state == "refused"
    assert f"role `{postgres_role.place.user}`" in result.reason
    assert "28P01 invalid_password" in result.reason


def test_unknown_role_is_refused(postgres_server: PostgresServer) -> None:
    result = verify_postgres(postgres_server.place("kg_nobody"), SecretValue("x"))

    assert result.state == "refused"
    assert "28P01" in result.reason


def test_role_without_login_is_refused_as_28000(
    postgres_server: PostgresServer,
) -> None:
    postgres_server.create_role("kg_nologin", "its-password")
    postgres_server.run('ALTER ROLE "kg_nologin" NOLOGIN')
    try:
        result = verify_postgres(
            postgres_server.place("kg_nologin"), SecretValue("its-password")
        )
    finally:
        postgres_server.drop_role("kg_nologin")

    assert result.state == "refused"
    assert "(28000)" in result.reason
    assert "is not permitted to log in" in result.reason


def test_role_pg_hba_rejects_is_refused_as_28000(
    postgres_server: PostgresServer,
) -> None:
    postgres_server.create_role("komodo_guard_rejected", "its-password")
    try:
        result = verify_postgres(
            postgres_server.place("komodo_guard_rejected"), SecretValue("its-password")
        )
    finally:
        postgres_server.drop_role("komodo_guard_rejected")

    assert result.state == "refused"
    assert "(28000)" in result.reason
    assert "pg_hba.conf rejects connection" in result.reason


def test_trusted_role_is_unreachable_because_nothing_was_checked(
    postgres_server: PostgresServer,
) -> None:
    postgres_server.create_role("komodo_guard_trusted", "its-password")
    try:
        place = postgres_server.place("komodo_guard_trusted")
        result = verify_postgres(place, SecretValue("anything at all"))
        changed = set_postgres_password(
            place, SecretValue("anything"), SecretValue("new")
        )
    finally:
        postgres_server.drop_role("komodo_guard_trusted")

    assert result.state == "unreachable"
    assert "without asking for a password" in result.reason
    assert changed.state == "unreachable"
    assert changed.reason.startswith("not changed:")


def test_missing_database_is_unreachable_as_3d000(
    postgres_role: PostgresRole,
) -> None:
    place = replace(postgres_role.place, database="kg_no_such_db")

    result = verify_postgres(place, SecretValue(postgres_role.password))

    assert result.state == "unreachable"
    assert "no database `kg_no_such_db` (3D000)" in result.reason


def test_closed_port_is_unreachable() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]

    result = verify_postgres(PostgresPlace("127.0.0.1", port, "x"), SecretValue("y"))

    assert result.state == "unreachable"
    assert "Connection refused" in result.reason


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A port that accepts connections and never says a word."""
    listener = socket.create_server(("127.0.0.1", 0))
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.05)
        while not stop.is_set():
            try:
                accepted.append(listener.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield listener.getsockname()[1]
    stop.set()
    thread.join()
    for sock in accepted:
        sock.close()
    listener.close()


def test_silent_server_is_unreachable_within_the_timeout(silent_port: int) -> None:
    place = PostgresPlace("127.0.0.1", silent_port, "x", sslmode="disable")
    started = time.monotonic()

    result = verify_postgres(place, SecretValue("y"), timeout=2)

    assert result.state == "unreachable"
    assert "no answer from PostgreSQL" in result.reason
    assert time.monotonic() - started < 3.5


def test_sslmode_require_without_server_tls_is_unreachable(
    postgres_role: PostgresRole,
) -> None:
    place = replace(postgres_role.place, sslmode="require")

    result = verify_postgres(place, SecretValue(postgres_role.password))

    assert result.state == "unreachable"
    assert "SSL" in result.reason


def test_set_password_changes_it_and_proves_it(postgres_role: PostgresRole) -> None:
    new = "n3w 'pass\" w\\rd:/% @ é"

    result = set_postgres_password(
        postgres_role.place, SecretValue(postgres_role.password), SecretValue(new)
    )

    assert result.state == "verified"
    assert _logs_in(postgres_role.place, new)
    assert not _logs_in(postgres_role.place, postgres_role.password)


def test_set_password_sends_no_plain_password_to_the_server(
    postgres_server: PostgresServer, postgres_role: PostgresRole
) -> None:
    role = sql.Identifier(postgres_role.place.user)
    postgres_server.run(sql.SQL("ALTER ROLE {} SET log_statement = 'all'").format(role))
    new = "plain-text-never-logged-8d1c"

    result = set_postgres_password(
        postgres_role.place, SecretValue(postgres_role.password), SecretValue(new)
    )

    assert result.state == "verified"
    log = postgres_server.log_file.read_text(errors="replace")
    assert f'ALTER ROLE "{postgres_role.place.user}" PASSWORD' in log
    assert "SCRAM-SHA-256$4096:" in log
    assert new not in log


def test_set_password_with_a_wrong_current_one_changes_nothing(
    postgres_role: PostgresRole,
) -> None:
    result = set_postgres_password(
        postgres_role.place, SecretValue("stale copy"), SecretValue("new")
    )

    assert result.state == "refused"
    assert result.reason.startswith("not changed: PostgreSQL at")
    assert _logs_in(postgres_role.place, postgres_role.password)


def test_set_password_the_server_refuses_is_refused(
    postgres_server: PostgresServer, postgres_role: PostgresRole
) -> None:
    role = sql.Identifier(postgres_role.place.user)
    postgres_server.run(
        sql.SQL("ALTER ROLE {} SET default_transaction_read_only = on").format(role)
    )

    result = set_postgres_password(
        postgres_role.place, SecretValue(postgres_role.password), SecretValue("new")
    )

    assert result.state == "refused"
    assert "answered 25006" in result.reason
    assert "read-only transaction" in result.reason
    assert _logs_in(postgres_role.place, postgres_role.password)


def test_set_empty_password_is_refused(postgres_role: PostgresRole) -> None:
    result = set_postgres_password(
        postgres_role.place, SecretValue(postgres_role.password), SecretValue("")
    )

    assert result.state == "refused"
    assert "empty" in result.reason
    assert _logs_in(postgres_role.place, postgres_role.password)


def test_set_password_of_a_role_whose_name_needs_quoting(
    postgres_server: PostgresServer, special_role: str
) -> None:
    place = postgres_server.place(special_role)

    result = set_postgres_password(
        place, SecretValue("start-password"), SecretValue("renamed-not")
    )

    assert result.state == "verified"
    assert _logs_in(place, "renamed-not")


def test_injection_in_the_new_password_is_only_a_password(
    postgres_server: PostgresServer, postgres_role: PostgresRole
) -> None:
    attack = "x'; ALTER ROLE postgres PASSWORD 'pwned'; --"

    result = set_postgres_password(
        postgres_role.place, SecretValue(postgres_role.password), SecretValue(attack)
    )

    assert result.state == "verified"
    assert _logs_in(postgres_role.place, attack)
    superuser = postgres_server.place("postgres")
    assert _logs_in(superuser, postgres_server.superuser_password)
    assert not _logs_in(superuser, "pwned")


def test_terminated_alter_role_changes_nothing(
    postgres_server: PostgresServer, postgres_role: PostgresRole
) -> None:
    """A blocked ``ALTER ROLE`` whose backend is terminated: 57P01, not applied."""
    place = postgres_role.place
    role = sql.Identifier(place.user)
    results: list[AuthResult] = []
    with postgres_server.admin() as blocker, postgres_server.admin() as admin:
        blocker.execute("BEGIN")
        blocker.execute(sql.SQL("ALTER ROLE {} PASSWORD 'held'").format(role))
        change = threading.Thread(
            target=lambda: results.append(
                set_postgres_password(
                    place, SecretValue(postgres_role.password), SecretValue("new")
                )
            )
        )
        change.start()
        _terminate_when_waiting(admin, place.user)
        change.join(timeout=20)
        blocker.execute("ROLLBACK")

    [result] = results
    assert result.state == "unreachable", result.reason
    assert result.reason.startswith("not changed:")
    assert "answered 57P01" in result.reason
    assert _logs_in(place, postgres_role.password)


def _terminate_when_waiting(admin: psycopg.Connection[object], user: str) -> None:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        row = admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE usename = %s AND wait_event_type = 'Lock'",
            [user],
        ).fetchone()
        if row:
            return
        time.sleep(0.05)
    raise AssertionError("the password change never waited for the lock")


ProxyMode = Literal["applied", "lost", "silent"]


class _CuttingProxy:
    """A TCP proxy to PostgreSQL that spoils the message carrying ``ALTER ROLE``:
    ``applied`` forwards it then cuts the connection, ``lost`` cuts without
    forwarding it, ``silent`` swallows it and keeps the connection open."""

    def __init__(self, server: PostgresServer, mode: ProxyMode) -> None:
        self.target = (server.host, server.port)
        self.mode = mode
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.settimeout(0.05)
        self.port: int = self.listener.getsockname()[1]
        self.stop = threading.Event()
        self.sockets: list[socket.socket] = []
        self.threads = [threading.Thread(target=self._accept, daemon=True)]
        self.threads[0].start()

    def close(self) -> None:
        self.stop.set()
        for sock in self.sockets:
            _shut(sock)
        for thread in self.threads:
            thread.join(timeout=5)
        self.listener.close()

    def _accept(self) -> None:
        while not self.stop.is_set():
            try:
                client = self.listener.accept()[0]
            except TimeoutError:
                continue
            upstream = socket.create_connection(self.target)
            self.sockets += [client, upstream]
            mute = threading.Event()  # set: the server's answers are dropped
            for source, sink in ((client, upstream), (upstream, client)):
                thread = threading.Thread(
                    target=self._pump, args=(mute, source, sink, client, upstream)
                )
                thread.start()
                self.threads.append(thread)

    def _pump(self, mute: threading.Event, *sockets: socket.socket) -> None:
        source, sink, client, upstream = sockets
        with contextlib.suppress(OSError):
            while data := source.recv(65536):
                if source is upstream or b"ALTER ROLE" not in data:
                    if not mute.is_set():
                        sink.sendall(data)
                    continue
                mute.set()
                if self.mode == "silent":
                    continue
                if self.mode == "applied":
                    sink.sendall(data)
                    time.sleep(0.3)  # let the server apply it
                break
        for sock in (client, upstream):
            _shut(sock)


def _shut(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)


@pytest.mark.parametrize("mode", ["applied", "lost", "silent"])
def test_lost_answer_to_alter_role_is_settled_by_logging_in(
    postgres_server: PostgresServer, postgres_role: PostgresRole, mode: ProxyMode
) -> None:
    proxy = _CuttingProxy(postgres_server, mode)
    place = replace(postgres_role.place, port=proxy.port)
    started = time.monotonic()
    try:
        result = set_postgres_password(
            place, SecretValue(postgres_role.password), SecretValue("new"), timeout=2
        )
    finally:
        proxy.close()

    assert time.monotonic() - started < 6
    if mode == "applied":
        assert result.state == "verified", result.reason
        assert "the answer to the change was lost" in result.reason
        assert _logs_in(postgres_role.place, "new")
    else:
        assert result.state == "unreachable", result.reason
        assert "the old one most likely still holds" in result.reason
        assert _logs_in(postgres_role.place, postgres_role.password)


def test_a_role_asked_for_in_clear_text_is_never_sent_the_password(
    postgres_server: PostgresServer,
) -> None:
    postgres_server.create_role("komodo_guard_cleartext", "its-password")
    try:
        place = postgres_server.place("komodo_guard_cleartext")
        result = verify_postgres(place, SecretValue("its-password"))
    finally:
        postgres_server.drop_role("komodo_guard_cleartext")

    assert result.state == "unreachable"
    assert "in clear text (pg_hba.conf method `password`)" in result.reason
    assert "its-password" not in result.reason


def test_libpq_environment_cannot_redirect_the_password(
    postgres_server: PostgresServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    postgres_server.create_role("komodo_guard_envtest", "its-password")
    try:
        with monkeypatch.context() as patched:
            # Nothing listens on ::1 here.
            patched.setenv("PGHOSTADDR", "::1")
            place = postgres_server.place("komodo_guard_envtest")
            result = verify_postgres(place, SecretValue("its-password"))
    finally:
        postgres_server.drop_role("komodo_guard_envtest")
    assert result.state == "verified", result.reason


def test_a_service_from_the_environment_is_refused_before_connecting(
    postgres_server: PostgresServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PGSERVICE", "komodo-guard-no-such-service")
    result = verify_postgres(
        postgres_server.place("komodo_guard_test"), SecretValue("anything")
    )
    assert result.state == "unreachable"
    assert "PGSERVICE is set" in result.reason
