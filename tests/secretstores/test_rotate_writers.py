"""Writing a new value: dotenv files (atomic, with a backup, the rest kept) and
Komodo Variables (``UpdateVariableValue``), also inside a whole rotation."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from komodo_guard.live.client import CoreClient
from komodo_guard.secrets.journal import Journal
from komodo_guard.secrets.places.envfile import EnvFilePlace
from komodo_guard.secrets.places.interface import Context, Found
from komodo_guard.secrets.rotate import RotateError, Rotation, plan_rotation
from komodo_guard.secrets.secretmap import load_secret_map
from komodo_guard.secrets.value import SecretValue
from komodo_guard.secrets.writers import (
    WriteError,
    env_literal,
    write_env_file,
    write_komodo_variable,
)

NEW = SecretValue("n3w-value_X")


def read(path: Path, key: str) -> str:
    reading = EnvFilePlace(path.name, key).read(Context(path.parent, {}))
    assert isinstance(reading, Found)
    return reading.value.reveal()


def test_only_the_last_assignment_line_is_rewritten(tmp_path: Path) -> None:
    path = tmp_path / "a.env"
    path.write_text('K=first\r\n# note\nK="old" # comment\r\nZ=2\n')
    assert write_env_file(path, "K", NEW) is True
    assert path.read_bytes() == b"K=first\r\n# note\nK=n3w-value_X\r\nZ=2\n"
    assert (tmp_path / "a.env.bak").read_bytes() == (
        b'K=first\r\n# note\nK="old" # comment\r\nZ=2\n'
    )
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_writing_the_same_value_twice_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "a.env"
    path.write_text("K=n3w-value_X\n")
    assert write_env_file(path, "K", NEW) is False
    assert not (tmp_path / "a.env.bak").exists()


def test_a_missing_key_is_appended(tmp_path: Path) -> None:
    path = tmp_path / "a.env"
    path.write_text("A=1")
    write_env_file(path, "K", NEW)
    assert path.read_text() == "A=1\nK=n3w-value_X\n"


@pytest.mark.parametrize("value", ["with space", "do$llar${X}", "a#b", "p%25+=/"])
def test_special_values_read_back_as_written(tmp_path: Path, value: str) -> None:
    path = tmp_path / "a.env"
    path.write_text("K=old\n")
    write_env_file(path, "K", SecretValue(value))
    assert read(path, "K") == value


@pytest.mark.parametrize("value", ["it's", "two\nlines"])
def test_values_a_dotenv_cannot_hold_are_refused(value: str) -> None:
    with pytest.raises(WriteError, match="quote or a line break") as caught:
        env_literal(SecretValue(value))
    assert value not in str(caught.value)


def test_a_multi_line_value_is_not_half_rewritten(tmp_path: Path) -> None:
    path = tmp_path / "a.env"
    text = 'K="line one\nline two"\nZ=1\n'
    path.write_text(text)
    with pytest.raises(WriteError, match="multi-line"):
        write_env_file(path, "K", NEW)
    assert path.read_text() == text
    assert not (tmp_path / "a.env.bak").exists()


def test_an_unreadable_file_is_a_write_error(tmp_path: Path) -> None:
    with pytest.raises(WriteError, match="cannot read"):
        write_env_file(tmp_path / "missing.env", "K", NEW)


class FakeCore:
    """Core's ``ListVariables`` and ``UpdateVariableValue``, over an httpx
    mock transport (no socket at all)."""

    def __init__(self, variables: dict[str, str], refuse: bool = False) -> None:
        self.variables = variables
        self.refuse = refuse
        self.calls: list[str] = []

    def handle(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        self.calls.append(body["type"])
        if body["type"] == "ListVariables":
            items = [
                {"name": name, "value": value, "is_secret": True}
                for name, value in self.variables.items()
            ]
            return httpx.Response(200, json=items)
        if body["type"] == "UpdateVariableValue":
            params = body["params"]
            if self.refuse:
                return httpx.Response(
                    500, json={"error": f"cannot set {params['value']}"}
                )
            self.variables[params["name"]] = params["value"]
            return httpx.Response(200, json={"name": params["name"]})
        return httpx.Response(404, json={"error": "unknown"})

    def client(self) -> CoreClient:
        transport = httpx.MockTransport(self.handle)
        return CoreClient("http://core.test", "k", "s", transport=transport, retries=0)


def test_update_variable_value_is_sent() -> None:
    core = FakeCore({"DB_PASSWORD": "old"})
    with core.client() as client:
        write_komodo_variable(client, "DB_PASSWORD", NEW)
    assert core.variables == {"DB_PASSWORD": "n3w-value_X"}
    assert core.calls == ["UpdateVariableValue"]


def test_an_error_quoting_the_value_is_withheld() -> None:
    core = FakeCore({"DB_PASSWORD": "old"}, refuse=True)
    with core.client() as client, pytest.raises(WriteError) as caught:
        write_komodo_variable(client, "DB_PASSWORD", NEW)
    assert "n3w-value_X" not in str(caught.value)
    assert "Komodo Variable DB_PASSWORD" in str(caught.value)


MAP = """\
[[secrets.secret]]
name = "api"
places = [
  {kind = "komodo-variable", variable = "API_TOKEN"},
  {kind = "env-file", file = "a.env", key = "API_TOKEN", source = true},
]
"""


def test_rotation_through_a_komodo_variable(tmp_path: Path) -> None:
    (tmp_path / "a.env").write_text("API_TOKEN=old-token\n")
    map_path = tmp_path / "komodo-guard.toml"
    map_path.write_text(MAP)
    plan = plan_rotation(load_secret_map(map_path).secrets[0])
    assert plan.labels == ("a.env: API_TOKEN", "Komodo Variable API_TOKEN")
    core = FakeCore({"API_TOKEN": "old-token"})
    with core.client() as client:
        context = Context(tmp_path, {}, core=client)
        journal = Journal(tmp_path / "j", {})
        Rotation(plan, context, journal).start()
        new = read(tmp_path / "a.env", "API_TOKEN")
        assert core.variables == {"API_TOKEN": new}
        assert new != "old-token"
        assert not journal.exists()


def test_rollback_after_a_refused_variable_update(tmp_path: Path) -> None:
    (tmp_path / "a.env").write_text("API_TOKEN=old-token\n")
    map_path = tmp_path / "komodo-guard.toml"
    map_path.write_text(MAP)
    plan = plan_rotation(load_secret_map(map_path).secrets[0])
    core = FakeCore({"API_TOKEN": "old-token"})

    def progress(line: str) -> None:
        core.refuse = line.startswith("step 1/2")

    with core.client() as client:
        journal = Journal(tmp_path / "j", {})
        rotation = Rotation(plan, Context(tmp_path, {}, core=client), journal, progress)
        with pytest.raises(RotateError, match="Komodo Variable API_TOKEN"):
            rotation.start()
        assert journal.read().statuses == ("done", "started")
        assert read(tmp_path / "a.env", "API_TOKEN") != "old-token"
        core.refuse = False
        rotation.rollback()
    assert core.variables == {"API_TOKEN": "old-token"}
    assert read(tmp_path / "a.env", "API_TOKEN") == "old-token"
    assert not journal.exists()


def test_a_variable_step_without_core_fails_preflight(tmp_path: Path) -> None:
    (tmp_path / "a.env").write_text("API_TOKEN=old-token\n")
    map_path = tmp_path / "komodo-guard.toml"
    map_path.write_text(MAP)
    plan = plan_rotation(load_secret_map(map_path).secrets[0])
    rotation = Rotation(plan, Context(tmp_path, {}), Journal(tmp_path / "j", {}))
    with pytest.raises(RotateError, match="Komodo Variable API_TOKEN: cannot be read"):
        rotation.start()
    assert read(tmp_path / "a.env", "API_TOKEN") == "old-token"
