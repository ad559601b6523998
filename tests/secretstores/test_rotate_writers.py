"""Writing a new value: dotenv files (atomic, with a backup, the rest kept) and
Komodo Variables (``UpdateVariableValue``), also inside a whole rotation."""

from __future__ import annotations

import json
import os
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterator
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
    env_value_problem,
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
    assert path.read_bytes() == (b"K=first\r\n# note\nK=n3w-value_X # comment\r\nZ=2\n")
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


REFUSED = r"a single quote \('\) or a line break"


@pytest.mark.parametrize("value", ["it's", "two\nlines", "carriage\rreturn"])
def test_values_a_dotenv_cannot_hold_are_refused(value: str) -> None:
    with pytest.raises(WriteError, match=REFUSED) as caught:
        env_literal(SecretValue(value))
    assert value not in str(caught.value)
    assert env_value_problem(SecretValue(value)) is not None


@pytest.mark.parametrize("value", ['with "double" quotes', "plain", "a#b $x"])
def test_values_a_dotenv_can_hold_have_no_problem(value: str) -> None:
    assert env_value_problem(SecretValue(value)) is None


def test_a_refused_value_names_the_file_and_key(tmp_path: Path) -> None:
    path = tmp_path / "a.env"
    path.write_text("K=old\n")
    with pytest.raises(WriteError, match=REFUSED) as caught:
        write_env_file(path, "K", SecretValue("it's Zq~secret"))
    assert str(caught.value).startswith(f"{path}: K cannot hold the new value: ")
    assert "Zq~" not in str(caught.value)
    assert path.read_text() == "K=old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.env"]


@pytest.mark.parametrize(
    ("line", "value", "written"),
    [
        ('API_TOKEN="x" # comment', "n3w", "API_TOKEN=n3w # comment"),
        ("API_TOKEN='x'   # two  spaces", "n3w", "API_TOKEN=n3w   # two  spaces"),
        ('API_TOKEN="x"# tight', "n3w", "API_TOKEN=n3w # tight"),
        ('API_TOKEN="x"\t# tab', "n3w", "API_TOKEN=n3w # tab"),
        ('API_TOKEN="a \\" b" # c', "n3w", "API_TOKEN=n3w # c"),
        ("API_TOKEN=x # comment", "n 3w", "API_TOKEN='n 3w' # comment"),
        ("  export API_TOKEN=x # c", "n3w", "  export API_TOKEN=n3w # c"),
        ("API_TOKEN=x#not-a-comment", "n3w", "API_TOKEN=n3w"),
        ('API_TOKEN="x" trailing', "n3w", "API_TOKEN=n3w"),
        ("API_TOKEN=x   ", "n3w", "API_TOKEN=n3w"),
    ],
)
def test_an_inline_comment_is_kept(
    tmp_path: Path, line: str, value: str, written: str
) -> None:
    path = tmp_path / "a.env"
    path.write_text(f"A=1\n{line}\nB=2\n")
    assert write_env_file(path, "API_TOKEN", SecretValue(value))
    assert path.read_text() == f"A=1\n{written}\nB=2\n"
    assert read(path, "API_TOKEN") == value


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


def test_a_symbolic_link_is_written_through(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    target = tmp_path / "real" / "a.env"
    target.write_text("K=old\n")
    target.chmod(0o640)
    link = tmp_path / "a.env"
    link.symlink_to(Path("real") / "a.env")
    assert write_env_file(link, "K", NEW)
    assert link.is_symlink()
    assert os.readlink(link) == str(Path("real") / "a.env")
    assert target.read_text() == "K=n3w-value_X\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert (tmp_path / "real" / "a.env.bak").read_text() == "K=old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.env", "real"]
    assert not write_env_file(link, "K", NEW)


NOBODY = 65534
as_root = pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root"
)


@as_root
def test_owner_and_group_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "a.env"
    path.write_text("K=old\n")
    os.chown(path, NOBODY, NOBODY)
    path.chmod(0o640)
    assert write_env_file(path, "K", NEW)
    status = path.stat()
    assert (status.st_uid, status.st_gid) == (NOBODY, NOBODY)
    assert stat.S_IMODE(status.st_mode) == 0o640
    backup = (tmp_path / "a.env.bak").stat()
    assert (backup.st_uid, backup.st_gid) == (NOBODY, NOBODY)
    assert stat.S_IMODE(backup.st_mode) == 0o600


@pytest.fixture
def shared_folder() -> Iterator[Path]:
    """A folder anyone may write (pytest's own are root's alone)."""
    folder = Path(tempfile.mkdtemp(prefix="kg-owner-"))
    folder.chmod(0o777)
    yield folder
    shutil.rmtree(folder)


def as_nobody(action: Callable[[], object]) -> str:
    """Run ``action`` in a child process as uid and gid 65534 (nobody,
    nogroup); what it raised, or "ok"."""
    reader, writer = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - the child reports through the pipe
        said = "ok"
        try:
            os.setgroups([])
            os.setgid(NOBODY)
            os.setuid(NOBODY)
            action()
        except BaseException as error:
            said = f"{type(error).__name__}: {error}"
        finally:
            os.write(writer, said.encode())
            os._exit(0)
    os.close(writer)
    with os.fdopen(reader, "rb") as pipe:
        said = pipe.read().decode()
    os.waitpid(child, 0)
    return said


@as_root
def test_a_file_another_user_owns_is_refused(shared_folder: Path) -> None:
    path = shared_folder / "a.env"
    path.write_text("K=old\n")
    os.chown(path, 0, NOBODY)
    path.chmod(0o660)  # nobody may write it through its group
    said = as_nobody(lambda: write_env_file(path, "K", NEW))
    assert said.startswith(f"WriteError: {path} belongs to uid 0, gid {NOBODY}")
    assert "run as root or as its owner" in said
    assert path.read_text() == "K=old\n"
    assert (path.stat().st_uid, path.stat().st_gid) == (0, NOBODY)
    assert sorted(p.name for p in shared_folder.iterdir()) == ["a.env"]


@as_root
def test_its_owner_may_rewrite_a_file(shared_folder: Path) -> None:
    path = shared_folder / "a.env"
    path.write_text("K=old\n")
    os.chown(path, NOBODY, NOBODY)
    assert as_nobody(lambda: write_env_file(path, "K", NEW)) == "ok"
    assert path.read_text() == "K=n3w-value_X\n"
    assert (path.stat().st_uid, path.stat().st_gid) == (NOBODY, NOBODY)


def test_temporaries_a_killed_run_left_are_removed(tmp_path: Path) -> None:
    path = tmp_path / "a.env"
    path.write_text("K=old\n")
    leftovers = [".a.env.4242.tmp", ".a.env.bak.4243.tmp"]
    kept = [".a.env.x.tmp", ".b.env.4242.tmp", "a.env.4242.tmp", ".a.env.4242.tmp~"]
    for name in leftovers + kept:
        (tmp_path / name).write_text("K=half-written\n")
    (tmp_path / ".a.env.99.tmp").mkdir()
    assert write_env_file(path, "K", NEW)
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == sorted(["a.env", "a.env.bak", ".a.env.99.tmp", *kept])


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
