"""``secrets rotate --redeploy STACK``: the Stack is deployed after every place
is written (and again after a rollback), and its deploy is followed."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from komodo_guard.live.trigger import Polling
from komodo_guard.secrets.journal import Journal
from komodo_guard.secrets.places.interface import Context
from komodo_guard.secrets.rotate import RotateError, Rotation, plan_rotation
from komodo_guard.secrets.secretmap import load_secret_map
from tests.secretstores.test_rotate_writers import MAP, FakeCore, read

FAST = Polling(wait=5, first=0.01, longest=0.01)


class DeployingCore(FakeCore):
    """FakeCore that also knows Stack ``app``, deploys it (noting what
    ``a.env`` held at that moment) and answers ``GetUpdate``."""

    def __init__(self, folder: Path, *, fail: bool = False) -> None:
        super().__init__({"API_TOKEN": "old-token"})
        self.folder = folder
        self.fail = fail
        self.deployed_with: list[str] = []

    def handle(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        kind = body["type"]
        if kind == "GetStack":
            self.calls.append(kind)
            if body["params"]["stack"] != "app":
                return httpx.Response(404, json={"error": "no stack"})
            return httpx.Response(200, json={"name": "app", "id": "s1"})
        if kind == "DeployStack":
            self.calls.append(kind)
            self.deployed_with.append(read(self.folder / "a.env", "API_TOKEN"))
            return httpx.Response(200, json={"id": "u1", "status": "InProgress"})
        if kind == "GetUpdate":
            update = {"id": "u1", "status": "Complete", "success": not self.fail}
            return httpx.Response(200, json=update)
        return super().handle(request)


def setup(folder: Path, stacks: tuple[str, ...] = ("app",)) -> Rotation:
    (folder / "a.env").write_text("API_TOKEN=old-token\n")
    (folder / "komodo-guard.toml").write_text(MAP)
    spec = load_secret_map(folder / "komodo-guard.toml").secrets[0]
    plan = plan_rotation(spec, stacks)
    return Rotation(plan, Context(folder, {}), Journal(folder / "j", {}), polling=FAST)


def test_plan_lists_the_deploy_after_the_places(tmp_path: Path) -> None:
    plan = setup(tmp_path).plan
    assert plan.labels == ("a.env: API_TOKEN", "Komodo Variable API_TOKEN", "Stack app")
    text = plan.render()
    assert "3. redeploy Stack app and follow the deploy" in text
    assert "4. verify every place" in text


def test_the_stack_is_deployed_with_the_new_value(tmp_path: Path) -> None:
    rotation = setup(tmp_path)
    core = DeployingCore(tmp_path)
    with core.client() as client:
        rotation.context = Context(tmp_path, {}, core=client)
        rotation.start()
    new = read(tmp_path / "a.env", "API_TOKEN")
    assert core.deployed_with == [new]
    assert core.variables == {"API_TOKEN": new}
    assert core.calls.index("UpdateVariableValue") < core.calls.index("DeployStack")
    assert not rotation.journal.exists()


def test_a_failed_deploy_keeps_the_journal_and_rollback_deploys_again(
    tmp_path: Path,
) -> None:
    rotation = setup(tmp_path)
    core = DeployingCore(tmp_path, fail=True)
    with core.client() as client:
        rotation.context = Context(tmp_path, {}, core=client)
        with pytest.raises(RotateError, match="Stack app: the deploy failed"):
            rotation.start()
        assert rotation.journal.read().statuses == ("done", "done", "started")
        core.fail = False
        rotation.rollback()
    assert read(tmp_path / "a.env", "API_TOKEN") == "old-token"
    assert core.variables == {"API_TOKEN": "old-token"}
    assert core.deployed_with[-1] == "old-token"
    assert len(core.deployed_with) == 2
    assert not rotation.journal.exists()


def test_an_unknown_stack_fails_preflight(tmp_path: Path) -> None:
    rotation = setup(tmp_path, ("nope",))
    core = DeployingCore(tmp_path)
    with core.client() as client:
        rotation.context = Context(tmp_path, {}, core=client)
        with pytest.raises(RotateError, match="Stack nope: ") as caught:
            rotation.start()
    assert "pre-flight" in str(caught.value)
    assert "DeployStack" not in core.calls
    assert read(tmp_path / "a.env", "API_TOKEN") == "old-token"


def test_redeploy_without_core_fails_preflight(tmp_path: Path) -> None:
    (tmp_path / "a.env").write_text("API_TOKEN=old-token\n")
    (tmp_path / "m.toml").write_text(
        '[[secrets.secret]]\nname = "x"\nplaces = [\n'
        '  {kind = "env-file", file = "a.env", key = "API_TOKEN"},\n]\n'
    )
    plan = plan_rotation(load_secret_map(tmp_path / "m.toml").secrets[0], ["app"])
    rotation = Rotation(plan, Context(tmp_path, {}), Journal(tmp_path / "j", {}))
    with pytest.raises(RotateError, match="cannot redeploy: no Komodo Core"):
        rotation.start()
    assert read(tmp_path / "a.env", "API_TOKEN") == "old-token"
