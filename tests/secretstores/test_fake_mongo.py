"""The MongoDB stand-in, checked with pymongo's own client and handshake."""

from __future__ import annotations

import base64
import hashlib
import hmac
import socket
import struct
import time
from collections.abc import Iterator
from typing import Any

import bson
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pymongo import MongoClient
from pymongo.errors import (
    AutoReconnect,
    OperationFailure,
    ServerSelectionTimeoutError,
)
from pymongo.saslprep import saslprep as pymongo_saslprep

from komodo_guard.testing.mongo import (
    Credential,
    FakeMongo,
    MongoUser,
    _Commands,
    saslprep,
)
from tests.secretstores.conftest import MONGO_USER

Client = MongoClient[dict[str, Any]]


def _client(server: FakeMongo, user: str, password: str, **options: Any) -> Client:
    return MongoClient(
        host=server.host,
        port=server.port,
        username=user,
        password=password,
        authSource=options.pop("authSource", "admin"),
        directConnection=True,
        serverSelectionTimeoutMS=options.pop("timeout_ms", 3000),
        **options,
    )


@pytest.fixture
def login(fake_mongo: FakeMongo) -> Iterator[Any]:
    """Log in with pymongo and ``ping``; closes every client at the end."""
    clients: list[Client] = []

    def attempt(user: str, password: str, **options: Any) -> Client:
        client = _client(fake_mongo, user, password, **options)
        clients.append(client)
        client.admin.command("ping")
        return client

    yield attempt
    for client in clients:
        client.close()


def test_right_password_logs_in_with_speculative_scram(
    fake_mongo: FakeMongo, login: Any
) -> None:
    login(MONGO_USER.name, MONGO_USER.password)

    assert "saslContinue" in fake_mongo.commands
    assert "saslStart" not in fake_mongo.commands  # speculated inside hello


def test_explicit_scram_sha_256_mechanism_logs_in(login: Any) -> None:
    login(MONGO_USER.name, MONGO_USER.password, authMechanism="SCRAM-SHA-256")


def test_wrong_password_is_authentication_failed(login: Any) -> None:
    with pytest.raises(OperationFailure) as failure:
        login(MONGO_USER.name, "not-the-password")

    assert failure.value.code == 18
    assert failure.value.details is not None
    assert failure.value.details["codeName"] == "AuthenticationFailed"


def test_unknown_user_is_authentication_failed(login: Any) -> None:
    with pytest.raises(OperationFailure) as failure:
        login("nobody", MONGO_USER.password)

    assert failure.value.code == 18


def test_user_of_another_database_is_not_found(login: Any) -> None:
    with pytest.raises(OperationFailure) as failure:
        login(MONGO_USER.name, MONGO_USER.password, authSource="komodo")

    assert failure.value.code == 18


def test_closed_port_is_server_selection_timeout() -> None:
    with FakeMongo() as server:
        port = server.port
    client: Client = MongoClient(
        host="127.0.0.1", port=port, directConnection=True, serverSelectionTimeoutMS=300
    )
    with pytest.raises(ServerSelectionTimeoutError):
        client.admin.command("ping")
    client.close()


def test_update_user_changes_the_own_password(
    fake_mongo: FakeMongo, login: Any
) -> None:
    client = login(MONGO_USER.name, MONGO_USER.password)
    client.admin.command("updateUser", MONGO_USER.name, pwd="a new one")

    with pytest.raises(OperationFailure) as failure:
        login(MONGO_USER.name, MONGO_USER.password)
    assert failure.value.code == 18
    login(MONGO_USER.name, "a new one")
    assert fake_mongo.accepts(MONGO_USER.name, "a new one")
    assert not fake_mongo.accepts(MONGO_USER.name, MONGO_USER.password)


def test_update_user_of_someone_else_is_unauthorized(
    fake_mongo: FakeMongo, login: Any
) -> None:
    fake_mongo.add_user(MongoUser("other", "other-password"))
    client = login(MONGO_USER.name, MONGO_USER.password)

    with pytest.raises(OperationFailure) as failure:
        client.admin.command("updateUser", "other", pwd="taken over")

    assert failure.value.code == 13
    assert fake_mongo.accepts("other", "other-password")


def test_update_user_refuses_a_password_saslprep_rejects(login: Any) -> None:
    client = login(MONGO_USER.name, MONGO_USER.password)

    with pytest.raises(OperationFailure) as failure:
        client.admin.command("updateUser", MONGO_USER.name, pwd="bell\u0007")

    assert failure.value.code == 2
    assert "bell" not in str(failure.value)


def test_commands_that_need_a_login_are_unauthorized_without_one(
    fake_mongo: FakeMongo,
) -> None:
    client: Client = MongoClient(
        host=fake_mongo.host, port=fake_mongo.port, directConnection=True
    )
    with pytest.raises(OperationFailure) as failure:
        client.admin.command("updateUser", MONGO_USER.name, pwd="x")
    client.close()

    assert failure.value.code == 13


def test_unknown_command_is_command_not_found(login: Any) -> None:
    client = login(MONGO_USER.name, MONGO_USER.password)

    with pytest.raises(OperationFailure) as failure:
        client.admin.command("listDatabases")

    assert failure.value.code == 59
    assert failure.value.details is not None
    assert failure.value.details["codeName"] == "CommandNotFound"


def test_build_info_and_users_info_answer(login: Any) -> None:
    client = login(MONGO_USER.name, MONGO_USER.password)

    assert client.admin.command("buildInfo")["versionArray"][0] == 7
    users = client.admin.command("usersInfo", MONGO_USER.name)["users"]
    assert [(u["user"], u["mechanisms"]) for u in users] == [
        (MONGO_USER.name, ["SCRAM-SHA-256"])
    ]


def test_stored_credentials_hold_no_password(fake_mongo: FakeMongo) -> None:
    credential = fake_mongo.users.get("admin", MONGO_USER.name)

    assert credential is not None
    assert MONGO_USER.password.encode() not in repr(credential).encode()
    assert credential.iterations == 15000


@pytest.mark.parametrize(
    ("stored", "typed"),
    [
        ("I\u00adX", "IX"),  # RFC 4013 example: soft hyphen maps to nothing
        ("\u2168", "IX"),  # NFKC: roman numeral nine
        ("\u00aa", "a"),  # NFKC: feminine ordinal
        ("pass\u00a0word", "pass word"),  # non-ASCII space maps to space
    ],
)
def test_saslprep_makes_equivalent_passwords_log_in(
    fake_mongo: FakeMongo, login: Any, stored: str, typed: str
) -> None:
    fake_mongo.add_user(MongoUser("prepped", stored))

    login("prepped", typed)


@pytest.mark.parametrize("text", ["\u0007", "a\ufffdb", "\u0627\u0031"])
def test_saslprep_rejects_prohibited_and_bidi_mixtures(text: str) -> None:
    with pytest.raises(ValueError, match="SASLprep") as failure:
        saslprep(text)

    assert text not in str(failure.value)


@given(st.text(max_size=12))
def test_saslprep_agrees_with_pymongo(text: str) -> None:
    try:
        expected: str | None = pymongo_saslprep(text)
    except ValueError:
        expected = None
    except IndexError:  # pymongo fails on text that maps to nothing
        expected = ""
    try:
        ours: str | None = saslprep(text)
    except ValueError:
        ours = None

    assert ours == expected


def _hmac(key: bytes, message: bytes) -> bytes:
    return hmac.new(key, message, hashlib.sha256).digest()


def test_scram_without_skip_empty_exchange_needs_a_third_message(
    fake_mongo: FakeMongo,
) -> None:
    """An RFC 5802 client written here, not pymongo's, against the server."""
    commands = _Commands(fake_mongo, 1)
    first_bare = b"n=" + MONGO_USER.name.encode() + b",r=clientnonce"
    start = {
        "saslStart": 1,
        "mechanism": "SCRAM-SHA-256",
        "payload": b"n,," + first_bare,
        "$db": "admin",
    }
    server_first = commands.run(start)["payload"]
    fields = dict(part.split(b"=", 1) for part in server_first.split(b","))
    salted = hashlib.pbkdf2_hmac(
        "sha256",
        MONGO_USER.password.encode(),
        base64.b64decode(fields[b"s"]),
        int(fields[b"i"]),
    )
    client_key = _hmac(salted, b"Client Key")
    without_proof = b"c=biws,r=" + fields[b"r"]
    message = b",".join((first_bare, server_first, without_proof))
    signature = _hmac(hashlib.sha256(client_key).digest(), message)
    proof = bytes(a ^ b for a, b in zip(client_key, signature, strict=True))
    final = without_proof + b",p=" + base64.b64encode(proof)

    second = commands.run({"saslContinue": 1, "conversationId": 1, "payload": final})
    expected = base64.b64encode(_hmac(_hmac(salted, b"Server Key"), message))
    assert (second["ok"], second["done"]) == (1.0, False)
    assert second["payload"] == b"v=" + expected
    third = commands.run({"saslContinue": 1, "conversationId": 1, "payload": b""})
    assert (third["ok"], third["done"]) == (1.0, True)
    assert commands.session.user == ("admin", MONGO_USER.name)


def test_credential_accepts_only_its_password() -> None:
    credential = Credential.derive("pencil", iterations=4096)

    assert credential.accepts("pencil")
    assert not credential.accepts("pencil ")


@pytest.mark.parametrize("fault", ["drop", "hang"])
def test_faults_make_the_server_unusable(fake_mongo: FakeMongo, fault: Any) -> None:
    fake_mongo.fault = fault
    client = _client(fake_mongo, MONGO_USER.name, MONGO_USER.password, timeout_ms=500)
    started = time.monotonic()

    with pytest.raises(ServerSelectionTimeoutError):
        client.admin.command("ping")
    client.close()
    assert time.monotonic() - started < 3


def test_hang_keeps_the_connection_open_without_answering(
    fake_mongo: FakeMongo,
) -> None:
    fake_mongo.fault = "hang"
    with socket.create_connection((fake_mongo.host, fake_mongo.port)) as sock:
        body = struct.pack("<IB", 0, 0) + bson.encode({"ping": 1, "$db": "admin"})
        sock.sendall(struct.pack("<iiii", 16 + len(body), 1, 0, 2013) + body)
        sock.settimeout(0.3)
        with pytest.raises(TimeoutError):
            sock.recv(1)


def test_ignore_updates_answers_ok_but_keeps_the_password(
    fake_mongo: FakeMongo, login: Any
) -> None:
    fake_mongo.fault = "ignore_updates"
    client = login(MONGO_USER.name, MONGO_USER.password)
    client.admin.command("updateUser", MONGO_USER.name, pwd="ignored")

    assert fake_mongo.accepts(MONGO_USER.name, MONGO_USER.password)


def test_fault_commands_limit_a_fault_to_the_named_commands(
    fake_mongo: FakeMongo, login: Any
) -> None:
    fake_mongo.fault, fake_mongo.fault_commands = "drop", frozenset({"updateUser"})
    client = login(MONGO_USER.name, MONGO_USER.password)

    with pytest.raises(AutoReconnect):
        client.admin.command("updateUser", MONGO_USER.name, pwd="dropped")
    assert client.admin.command("ping")["ok"] == 1.0
    assert fake_mongo.accepts(MONGO_USER.name, MONGO_USER.password)
