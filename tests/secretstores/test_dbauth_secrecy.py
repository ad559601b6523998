"""No password reaches a result, an exception, a log line or the output, and
passwords full of quotes and unicode survive a change and still log in."""

from __future__ import annotations

import json
import logging
import os
import uuid
from urllib.parse import quote, quote_plus

import psycopg
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from komodo_guard.secrets.dbauth import (
    AuthResult,
    MongoPlace,
    PostgresPlace,
    set_mongodb_password,
    set_postgres_password,
    verify_mongodb,
    verify_postgres,
)
from komodo_guard.secrets.value import SecretValue
from komodo_guard.testing.mongo import FakeMongo, MongoUser, saslprep
from tests.secretstores.conftest import PostgresServer

AWKWARD = "'\"\\%@:/;$`&?#= \t\u00e9\u00df\u4e2d\u0627\U0001f511\u00ad\u2168"
passwords = st.text(
    alphabet=st.one_of(
        st.sampled_from(AWKWARD),
        st.characters(codec="utf-8", exclude_characters="\x00"),
    ),
    min_size=8,
    max_size=24,
)
"""Long enough that no error text or log line holds one by coincidence."""
PROPERTY = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


def _forms(password: str) -> set[str]:
    return {
        password,
        quote(password, safe=""),
        quote_plus(password),
        repr(password)[1:-1],
        json.dumps(password)[1:-1],
    }


def _assert_nowhere(texts: list[str], *secrets: str) -> None:
    for secret in secrets:
        for form in _forms(secret):
            for text in texts:
                assert form not in text


def _everything(
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
    results: list[AuthResult],
) -> list[str]:
    """Every text the calls produced: results, log records, stdout, stderr."""
    out, err = capsys.readouterr()
    texts = [out, err, caplog.text, *map(repr, results)]
    for record in caplog.records:
        texts += [record.getMessage(), repr(record.args), repr(record.msg)]
    return texts


def _usable_for_scram(password: str) -> bool:
    try:
        return saslprep(password) != ""
    except ValueError:
        return False


@pytest.fixture
def debug_logs(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    """caplog at DEBUG for every logger, pymongo's and psycopg's included."""
    caplog.set_level(logging.DEBUG)
    # psycopg sets its own logger to WARNING when imported.
    caplog.set_level(logging.DEBUG, logger="psycopg")
    return caplog


@PROPERTY
@given(old=passwords, new=passwords)
@example(old='it\'s "quoted"', new="back\\slash%40@host:27017/db")
@example(old="fine password", new="bell\x07bell")
@example(old="bell\x07bell", new="fine password")
def test_mongodb_password_secrecy_and_round_trip(
    fake_mongo: FakeMongo,
    debug_logs: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
    old: str,
    new: str,
) -> None:
    old, new = "O" + old, "N" + new  # never equal, even after SASLprep
    debug_logs.clear()
    capsys.readouterr()
    user = MongoUser(f"u{uuid.uuid4().hex[:8]}", "x")
    place = MongoPlace(fake_mongo.host, fake_mongo.port, user.name)
    if _usable_for_scram(old):
        fake_mongo.add_user(MongoUser(user.name, old))

    results = [
        verify_mongodb(place, SecretValue(old)),
        verify_mongodb(place, SecretValue(new + "!")),
        set_mongodb_password(place, SecretValue(old), SecretValue(new)),
        verify_mongodb(place, SecretValue(new)),
    ]

    usable = _usable_for_scram(old), _usable_for_scram(new)
    good = {True: "verified", False: "refused"}
    states = [result.state for result in results]
    assert states == [good[usable[0]], "refused", *[good[all(usable)]] * 2]
    assert fake_mongo.accepts(user.name, new) is all(usable)
    assert any(record.name.startswith("pymongo") for record in debug_logs.records)
    _assert_nowhere(_everything(debug_logs, capsys, results), old, new, new + "!")


@PROPERTY
@given(old=passwords, new=passwords)
@example(old="x'; DROP ROLE postgres; --", new="$$; ALTER ROLE postgres NOLOGIN; $$")
def test_postgres_password_secrecy_and_round_trip(
    postgres_server: PostgresServer,
    debug_logs: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
    old: str,
    new: str,
) -> None:
    old, new = "O" + old, "N" + new  # never equal, even after SASLprep
    debug_logs.clear()
    capsys.readouterr()
    name = f"kg_{uuid.uuid4().hex[:12]}"
    postgres_server.create_role(name, old)
    place = postgres_server.place(name)
    try:
        results = [
            verify_postgres(place, SecretValue(old)),
            verify_postgres(place, SecretValue(new + "!")),
            set_postgres_password(place, SecretValue(old), SecretValue(new)),
            verify_postgres(place, SecretValue(old)),
            verify_postgres(place, SecretValue(new)),
        ]
        direct = psycopg.connect(
            host=place.host,
            port=place.port,
            user=name,
            password=new,
            dbname="postgres",
            passfile=os.devnull,
        )
        direct.close()
    finally:
        postgres_server.drop_role(name)

    states = [result.state for result in results]
    assert states == ["verified", "refused", "verified", "refused", "verified"]
    assert any(record.name.startswith("psycopg") for record in debug_logs.records)
    _assert_nowhere(_everything(debug_logs, capsys, results), old, new, new + "!")


@settings(PROPERTY, max_examples=10)
@given(password=passwords)
def test_unreachable_results_hold_no_password(
    debug_logs: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
    password: str,
) -> None:
    debug_logs.clear()
    capsys.readouterr()
    with FakeMongo() as closed:
        port = closed.port
    secret = SecretValue(password)

    results = [
        verify_mongodb(MongoPlace("127.0.0.1", port, "u"), secret, timeout=0.2),
        verify_postgres(PostgresPlace("127.0.0.1", port, "u"), secret),
    ]

    assert [result.state for result in results] == ["unreachable"] * 2
    _assert_nowhere(_everything(debug_logs, capsys, results), password)
