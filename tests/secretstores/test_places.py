"""Each kind of place against a real store: files, a Docker Engine on a Unix
socket, the Core emulator, a GitHub API and databases on loopback."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from komodo_guard.live.client import CoreClient
from komodo_guard.secrets.places.container import ContainerPlace
from komodo_guard.secrets.places.core_config import CoreConfigPlace
from komodo_guard.secrets.places.envfile import EnvFilePlace
from komodo_guard.secrets.places.github import GithubSecretPlace
from komodo_guard.secrets.places.interface import (
    Absent,
    Context,
    Found,
    Present,
    Reading,
    StoreError,
)
from komodo_guard.secrets.places.komodo_variable import KomodoVariablePlace
from komodo_guard.secrets.places.mongodb import MongoUserPlace
from komodo_guard.secrets.places.postgres import PostgresUserPlace
from komodo_guard.secrets.value import SecretValue
from komodo_guard.testing import CoreEmulator, Scenario
from komodo_guard.testing.mongo import FakeMongo, MongoUser
from tests.host.fakedocker import FakeContainer
from tests.secretstores.conftest import PostgresRole
from tests.secretstores.storekit import (
    FakeGithub,
    NamedEngine,
    github_api,
    named_engine,
)

ENV_FILE = """\
# compose.env
PLAIN=plain-value
QUOTED="a b # not a comment"
SINGLE='it''s $literal'
DOLLARS=pa$$word
REFERS=${OTHER}
BARE
export EXPORTED=exported
TWICE=first
TWICE=second
KOMODO_MONGO_PASSWORD=mongo-alias
KOMODO_JWT_SECRET_FILE=/run/secrets/jwt
"""


def value(reading: Reading) -> str:
    assert isinstance(reading, Found), reading
    return reading.value.reveal()


@pytest.fixture
def context(tmp_path: Path) -> Context:
    (tmp_path / "compose.env").write_text(ENV_FILE)
    return Context(base=tmp_path, environ={}, timeout=5.0)


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("PLAIN", "plain-value"),
        ("QUOTED", "a b # not a comment"),
        ("DOLLARS", "pa$word"),
        ("EXPORTED", "exported"),
        ("TWICE", "second"),
    ],
)
def test_env_file_values_as_compose_reads_them(
    context: Context, key: str, expected: str
) -> None:
    reading = EnvFilePlace("compose.env", key).read(context)
    assert value(reading) == expected
    assert isinstance(reading, Found)
    assert reading.changed is not None


def test_env_file_missing_key_and_unknowable_values(context: Context) -> None:
    assert EnvFilePlace("compose.env", "NOPE").read(context) == Absent(
        "compose.env does not set NOPE"
    )
    with pytest.raises(StoreError, match=r"compose.env:6: the value of REFERS refers"):
        EnvFilePlace("compose.env", "REFERS").read(context)
    with pytest.raises(StoreError, match="BARE has no value there"):
        EnvFilePlace("compose.env", "BARE").read(context)
    with pytest.raises(StoreError, match="cannot read: No such file"):
        EnvFilePlace("absent.env", "PLAIN").read(context)


def test_core_config_env_file_aliases_and_file_variants(context: Context) -> None:
    place = CoreConfigPlace("compose.env", "KOMODO_DATABASE_PASSWORD")
    assert value(place.read(context)) == "mongo-alias"
    with pytest.raises(StoreError, match="sets KOMODO_JWT_SECRET_FILE"):
        CoreConfigPlace("compose.env", "KOMODO_JWT_SECRET").read(context)
    assert isinstance(
        CoreConfigPlace("compose.env", "KOMODO_WEBHOOK_SECRET").read(context), Absent
    )


def test_core_config_toml(context: Context) -> None:
    (context.base / "core.config.toml").write_text(
        'webhook_secret = "hook"\n[database]\npassword = "db-pass"\nport = 1\n'
    )
    assert value(CoreConfigPlace("core.config.toml", "webhook_secret").read(context))
    assert value(
        CoreConfigPlace("core.config.toml", "database.password").read(context)
    ) == ("db-pass")
    assert isinstance(
        CoreConfigPlace("core.config.toml", "database.uri").read(context), Absent
    )
    with pytest.raises(StoreError, match="is not a string"):
        CoreConfigPlace("core.config.toml", "database.port").read(context)
    (context.base / "bad.toml").write_text('password = "unterminated-secret\n')
    with pytest.raises(StoreError, match="not valid TOML") as caught:
        CoreConfigPlace("bad.toml", "password").read(context)
    assert "unterminated" not in str(caught.value)


@pytest.fixture
def engine() -> Iterator[NamedEngine]:
    containers = [
        FakeContainer(
            "komodo-core-1",
            env=["KOMODO_DATABASE_PASSWORD=core-db-pass", "EMPTY=", "TZ=UTC"],
        )
    ]
    with named_engine(containers) as fake:
        yield fake


def test_container_environment_over_the_socket(
    context: Context, engine: NamedEngine
) -> None:
    here = Context(base=context.base, environ={}, docker_socket=engine.socket)
    reading = ContainerPlace("komodo-core-1", "KOMODO_DATABASE_PASSWORD").read(here)
    assert value(reading) == "core-db-pass"
    assert isinstance(reading, Found)
    assert reading.changed is not None
    assert reading.changed.year == 2026
    assert value(ContainerPlace("komodo-core-1", "EMPTY").read(here)) == ""
    assert ContainerPlace("komodo-core-1", "NOPE").read(here) == Absent(
        "container komodo-core-1 has no NOPE"
    )
    assert ContainerPlace("gone", "X").read(here) == Absent(
        "no container named gone on this host"
    )
    # One inspection per container and run, however many places read it.
    inspections = [r for r in engine.requests if "komodo-core-1" in r]
    assert len(inspections) == 1


def test_container_socket_from_docker_host(
    context: Context, engine: NamedEngine
) -> None:
    here = Context(
        base=context.base, environ={"DOCKER_HOST": f"unix://{engine.socket}"}
    )
    assert value(ContainerPlace("komodo-core-1", "TZ").read(here)) == "UTC"


def test_no_docker_socket(context: Context, tmp_path: Path) -> None:
    here = Context(base=context.base, environ={}, docker_socket=str(tmp_path / "no"))
    with pytest.raises(StoreError, match="cannot talk to the Docker Engine"):
        ContainerPlace("komodo-core-1", "TZ").read(here)
    tcp = Context(base=context.base, environ={"DOCKER_HOST": "tcp://127.0.0.1:2375"})
    with pytest.raises(StoreError, match="tcp:// is not supported"):
        ContainerPlace("komodo-core-1", "TZ").read(tcp)


KEY, SECRET = "K-test-4242", "S-test-4242"
SCENARIO = Scenario(
    variables=[
        {"name": "DB_PASSWORD", "value": "variable-pass", "is_secret": True},
        {"name": "DOMAIN", "value": "example.net"},
        {"name": "EMPTY_SECRET", "value": "", "is_secret": True},
    ]
)


@pytest.mark.parametrize("admin", [True, False])
def test_komodo_variables_admin_and_non_admin(context: Context, admin: bool) -> None:
    with (
        CoreEmulator(SCENARIO, admin=admin, api_key=KEY, api_secret=SECRET) as core,
        CoreClient(core.url, KEY, SECRET, timeout=5) as client,
    ):
        here = Context(base=context.base, environ={}, core=client)
        if admin:
            assert value(KomodoVariablePlace("DB_PASSWORD").read(here)) == (
                "variable-pass"
            )
        else:
            with pytest.raises(StoreError, match="the API key is not an admin"):
                KomodoVariablePlace("DB_PASSWORD").read(here)
        assert value(KomodoVariablePlace("DOMAIN").read(here)) == "example.net"
        assert value(KomodoVariablePlace("EMPTY_SECRET").read(here)) == ""
        assert KomodoVariablePlace("NOPE").read(here) == Absent(
            "Core has no Variable NOPE"
        )
        calls = [call for call in core.requests if call[1] == "ListVariables"]
        assert len(calls) == 1


def test_komodo_variable_without_core(context: Context) -> None:
    with pytest.raises(StoreError, match="no Komodo Core configured"):
        KomodoVariablePlace("DB_PASSWORD").read(context)


def test_komodo_variable_with_a_refused_key(context: Context) -> None:
    with (
        CoreEmulator(SCENARIO, api_key=KEY, api_secret=SECRET) as core,
        CoreClient(core.url, KEY, "wrong-secret", timeout=5, retries=0) as client,
    ):
        here = Context(base=context.base, environ={}, core=client)
        with pytest.raises(StoreError, match="ListVariables: Core refused the API key"):
            KomodoVariablePlace("DB_PASSWORD").read(here)


def test_github_secret_exists_missing_and_refused(context: Context) -> None:
    fake = FakeGithub(
        secrets={"/repos/acme/homelab/actions/secrets/DB": "2026-03-01T10:00:00Z"}
    )
    with github_api(fake):
        good = Context(
            base=context.base,
            environ={"GITHUB_TOKEN": fake.token},
            github_api=fake.url,
        )
        reading = GithubSecretPlace("acme/homelab", "DB").read(good)
        assert isinstance(reading, Present)
        assert reading.changed is not None
        assert reading.changed.isoformat() == "2026-03-01T10:00:00+00:00"
        assert isinstance(GithubSecretPlace("acme/homelab", "NO").read(good), Absent)
        bad = Context(
            base=context.base, environ={"GITHUB_TOKEN": "wrong"}, github_api=fake.url
        )
        with pytest.raises(StoreError, match=r"refused the token .*HTTP 401") as error:
            GithubSecretPlace("acme/homelab", "DB").read(bad)
        assert "wrong" not in str(error.value)
    assert fake.requests[0] == (
        "/repos/acme/homelab/actions/secrets/DB",
        f"Bearer {fake.token}",
    )
    with pytest.raises(StoreError, match="GITHUB_TOKEN is not set"):
        GithubSecretPlace("acme/homelab", "DB").read(context)


def test_github_unreachable(context: Context) -> None:
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    here = Context(
        base=context.base,
        environ={"GITHUB_TOKEN": "t"},
        github_api=f"http://127.0.0.1:{port}",
        timeout=2,
    )
    with pytest.raises(StoreError, match="cannot reach GitHub"):
        GithubSecretPlace("a/b", "X").read(here)


def test_mongodb_user_by_scram(context: Context) -> None:
    with FakeMongo([MongoUser("admin", "right-pass")], iterations=4096) as mongo:
        place = MongoUserPlace(mongo.host, mongo.port, "admin")
        right = place.verify(SecretValue("right-pass"), context)
        wrong = place.verify(SecretValue("wrong-pass"), context)
    assert right.state == "verified"
    assert wrong.state == "refused"
    assert "wrong-pass" not in wrong.reason


def test_mongodb_unreachable(context: Context) -> None:
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    quick = Context(base=context.base, environ={}, timeout=1.0)
    outcome = MongoUserPlace("127.0.0.1", port, "admin").verify(
        SecretValue("x-pass"), quick
    )
    assert outcome.state == "unreachable"


def test_postgres_user(context: Context, postgres_role: PostgresRole) -> None:
    role = postgres_role.place
    place = PostgresUserPlace(role.host, role.port, role.user, sslmode="disable")
    right = place.verify(SecretValue(postgres_role.password), context)
    wrong = place.verify(SecretValue("not-the-password"), context)
    assert (right.state, wrong.state) == ("verified", "refused")
    assert "not-the-password" not in wrong.reason
