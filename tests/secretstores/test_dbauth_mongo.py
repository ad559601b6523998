"""MongoDB passwords checked and changed by logging in to the SCRAM stand-in."""

from __future__ import annotations

import time
from dataclasses import replace

import pytest

from komodo_guard.secrets.dbauth import (
    MongoPlace,
    set_mongodb_password,
    verify_mongodb,
)
from komodo_guard.secrets.value import SecretValue
from komodo_guard.testing.mongo import FakeMongo, MongoFault, MongoUser
from tests.secretstores.conftest import MONGO_USER

RIGHT = SecretValue(MONGO_USER.password)


def test_right_password_is_verified(mongo_place: MongoPlace) -> None:
    assert verify_mongodb(mongo_place, RIGHT).state == "verified"


def test_wrong_password_is_refused_with_code_18(mongo_place: MongoPlace) -> None:
    result = verify_mongodb(mongo_place, SecretValue("not the password"))

    assert result.state == "refused"
    assert "user `komodo` on database `admin`" in result.reason
    assert "AuthenticationFailed, code 18" in result.reason


def test_unknown_user_is_refused(mongo_place: MongoPlace) -> None:
    result = verify_mongodb(replace(mongo_place, user="nobody"), RIGHT)

    assert result.state == "refused"
    assert "code 18" in result.reason


def test_user_is_looked_up_in_its_auth_source(fake_mongo: FakeMongo) -> None:
    fake_mongo.add_user(MongoUser("app", "app-password", db="komodo"))
    place = MongoPlace(fake_mongo.host, fake_mongo.port, "app", auth_source="komodo")

    assert verify_mongodb(place, SecretValue("app-password")).state == "verified"
    in_admin = replace(place, auth_source="admin")
    assert verify_mongodb(in_admin, SecretValue("app-password")).state == "refused"


def test_closed_port_is_unreachable_within_the_timeout() -> None:
    with FakeMongo() as server:
        place = MongoPlace(server.host, server.port, "komodo")
    started = time.monotonic()

    result = verify_mongodb(place, RIGHT, timeout=0.5)

    assert result.state == "unreachable"
    assert f"could not reach MongoDB at 127.0.0.1:{place.port} within 0.5 s" in (
        result.reason
    )
    assert "Connection refused" in result.reason
    assert time.monotonic() - started < 2


@pytest.mark.parametrize("fault", ["hang", "drop"])
def test_faulty_server_is_unreachable_within_the_timeout(
    fake_mongo: FakeMongo, mongo_place: MongoPlace, fault: MongoFault
) -> None:
    fake_mongo.fault = fault
    started = time.monotonic()

    result = verify_mongodb(mongo_place, RIGHT, timeout=1.0)

    elapsed = time.monotonic() - started
    assert result.state == "unreachable"
    assert "within 1 s" in result.reason
    assert 0.9 < elapsed < 2.5


def test_tls_against_a_plain_server_is_unreachable(mongo_place: MongoPlace) -> None:
    result = verify_mongodb(replace(mongo_place, tls=True), RIGHT, timeout=1.0)

    assert result.state == "unreachable"


@pytest.mark.parametrize(
    "password",
    ["bell\u0007", "\u00ad\u00ad", ""],
    ids=["prohibited", "maps-to-nothing", "empty"],
)
def test_password_saslprep_refuses_is_refused(
    fake_mongo: FakeMongo, mongo_place: MongoPlace, password: str
) -> None:
    result = verify_mongodb(mongo_place, SecretValue(password))

    assert result.state == "refused"
    assert "SASLprep" in result.reason
    assert "saslStart" not in fake_mongo.commands
    assert "saslContinue" not in fake_mongo.commands


def test_set_password_changes_it_and_proves_it(
    fake_mongo: FakeMongo, mongo_place: MongoPlace
) -> None:
    new = SecretValue("n3w 'pass\" w@rd:/%")

    result = set_mongodb_password(mongo_place, RIGHT, new)

    assert result.state == "verified"
    assert fake_mongo.commands.count("updateUser") == 1
    after = fake_mongo.commands[fake_mongo.commands.index("updateUser") :]
    assert "saslContinue" in after  # the second login, with the new password
    assert after[-2:] == ["ping", "endSessions"]
    assert fake_mongo.accepts(MONGO_USER.name, new.reveal())
    assert verify_mongodb(mongo_place, RIGHT).state == "refused"


def test_set_password_in_another_auth_source(fake_mongo: FakeMongo) -> None:
    fake_mongo.add_user(MongoUser("app", "old", db="komodo"))
    place = MongoPlace(fake_mongo.host, fake_mongo.port, "app", auth_source="komodo")

    result = set_mongodb_password(place, SecretValue("old"), SecretValue("new"))

    assert result.state == "verified"
    assert fake_mongo.accepts("app", "new", db="komodo")


def test_set_password_with_a_wrong_current_one_changes_nothing(
    fake_mongo: FakeMongo, mongo_place: MongoPlace
) -> None:
    result = set_mongodb_password(
        mongo_place, SecretValue("stale copy"), SecretValue("new")
    )

    assert result.state == "refused"
    assert result.reason.startswith("not changed: MongoDB at")
    assert "updateUser" not in fake_mongo.commands
    assert fake_mongo.accepts(MONGO_USER.name, MONGO_USER.password)


def test_set_password_the_server_rejects_is_refused(
    fake_mongo: FakeMongo, mongo_place: MongoPlace
) -> None:
    result = set_mongodb_password(mongo_place, RIGHT, SecretValue("bell\u0007bell"))

    assert result.state == "refused"
    assert "BadValue (code 2)" in result.reason
    assert fake_mongo.accepts(MONGO_USER.name, MONGO_USER.password)


def test_set_empty_password_is_refused_without_contacting_the_server(
    fake_mongo: FakeMongo, mongo_place: MongoPlace
) -> None:
    result = set_mongodb_password(mongo_place, RIGHT, SecretValue(""))

    assert result.state == "refused"
    assert "empty" in result.reason
    assert fake_mongo.commands == []


def test_set_password_that_does_not_take_is_reported(
    fake_mongo: FakeMongo, mongo_place: MongoPlace
) -> None:
    fake_mongo.fault = "ignore_updates"

    result = set_mongodb_password(mongo_place, RIGHT, SecretValue("new"))

    assert result.state == "refused"
    assert "accepted the change, but logging in with the new password failed" in (
        result.reason
    )


def test_set_password_on_a_hanging_server_is_unreachable(
    fake_mongo: FakeMongo, mongo_place: MongoPlace
) -> None:
    fake_mongo.fault = "hang"
    started = time.monotonic()

    result = set_mongodb_password(mongo_place, RIGHT, SecretValue("new"), timeout=1)

    assert result.state == "unreachable"
    assert result.reason.startswith("not changed: could not reach MongoDB")
    assert time.monotonic() - started < 2.5


def test_lost_answer_to_an_applied_change_is_settled_by_logging_in(
    fake_mongo: FakeMongo, mongo_place: MongoPlace
) -> None:
    fake_mongo.fault, fake_mongo.fault_commands = "hang", frozenset({"updateUser"})

    result = set_mongodb_password(mongo_place, RIGHT, SecretValue("new"), timeout=1)

    assert result.state == "verified"
    assert "the answer to the change was lost" in result.reason
    assert "the new password logs in" in result.reason
    assert fake_mongo.accepts(MONGO_USER.name, "new")


def test_lost_change_is_reported_in_doubt(
    fake_mongo: FakeMongo, mongo_place: MongoPlace
) -> None:
    fake_mongo.fault, fake_mongo.fault_commands = "drop", frozenset({"updateUser"})

    result = set_mongodb_password(mongo_place, RIGHT, SecretValue("new"), timeout=1)

    assert result.state == "unreachable"
    assert "the change was sent but its answer was lost" in result.reason
    assert "the old one most likely still holds" in result.reason
    assert fake_mongo.accepts(MONGO_USER.name, MONGO_USER.password)
