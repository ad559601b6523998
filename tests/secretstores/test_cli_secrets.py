"""The ``secrets check`` and ``secrets map --suggest`` command functions, whole:
exit code, standard output and standard error together."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from komodo_guard.cli.main import UsageError
from komodo_guard.cli.secrets import secrets_check, secrets_suggest
from komodo_guard.testing import CoreEmulator, Scenario
from tests.host.fakedocker import FakeContainer
from tests.secretstores.storekit import named_engine, write_map

MAP = """\
[[secrets.secret]]
name = "db"
places = [
  {kind = "env-file", file = "tree/komodo/compose.env",
   key = "KOMODO_DATABASE_PASSWORD", source = true},
  {kind = "komodo-variable", variable = "DB_PASSWORD"},
]
"""
TREE_SYNC = (
    '[[resource_sync]]\nname = "infra"\n[resource_sync.config]\nrepo = "a/b"\n'
    'resource_path = ["komodo"]\ninclude_variables = true\n\n'
    '[[variable]]\nname = "DB_PASSWORD"\nis_secret = true\n'
)


@pytest.fixture
def setup(tmp_path: Path) -> Path:
    root = tmp_path / "tree"
    (root / "komodo").mkdir(parents=True)
    (root / "komodo" / "compose.env").write_text("KOMODO_DATABASE_PASSWORD=cli-pass\n")
    (root / "komodo" / "resources.toml").write_text('[[variable]]\nname = "X"\n')
    return write_map(tmp_path, MAP, "secrets.toml")


def core(value: str, admin: bool = True) -> CoreEmulator:
    scenario = Scenario(
        variables=[{"name": "DB_PASSWORD", "value": value, "is_secret": True}]
    )
    return CoreEmulator(scenario, admin=admin, api_key="K-cli-1", api_secret="S-cli-1")


@pytest.fixture
def api_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KOMODO_API_KEY", "K-cli-1")
    monkeypatch.setenv("KOMODO_API_SECRET", "S-cli-1")


@pytest.mark.usefixtures("api_env")
def test_agreeing_secret_exits_0(
    setup: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with core("cli-pass") as emulator:
        code = secrets_check(setup.parent / "tree", map_file=setup, komodo=emulator.url)
    out, err = capsys.readouterr()
    assert code == 0
    assert "db      same A" in out
    assert out.endswith("1 secret: 1 agree, 0 drift, 0 incomplete; exit 0\n")
    assert err == ""


@pytest.mark.usefixtures("api_env")
@pytest.mark.parametrize("fmt", ["text", "json", "markdown"])
def test_drift_exits_1_in_every_format(
    setup: Path, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    with core("rotated-in-ui") as emulator:
        code = secrets_check(
            setup.parent / "tree", map_file=setup, komodo=emulator.url, fmt=fmt
        )
    out, _ = capsys.readouterr()
    assert code == 1
    assert "cli-pass" not in out
    assert "rotated-in-ui" not in out
    if fmt == "json":
        assert json.loads(out)["secrets"][0]["cells"][1]["state"] == "different"
    else:
        assert "different B" in out


@pytest.mark.usefixtures("api_env")
def test_non_admin_key_is_unreadable_exit_2(
    setup: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with core("cli-pass", admin=False) as emulator:
        code = secrets_check(setup.parent / "tree", map_file=setup, komodo=emulator.url)
    out, _ = capsys.readouterr()
    assert code == 2
    assert (
        "unreadable: Core masks the secret Variable DB_PASSWORD: the API key is "
        in (out)
    )
    assert "#" * len("cli-pass") not in out


def test_no_core_configured(
    setup: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("KOMODO_URL", raising=False)
    code = secrets_check(setup.parent / "tree", map_file=setup)
    out, _ = capsys.readouterr()
    assert code == 2
    assert "unreadable: no Komodo Core to read: pass --komodo URL" in out


def test_blanked_variable_in_the_tree(
    setup: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("KOMODO_URL", raising=False)
    tree = setup.parent / "tree"
    (tree / "komodo" / "resources.toml").write_text(TREE_SYNC)
    out_file = setup.parent / "report.md"
    code = secrets_check(tree, map_file=setup, fmt="markdown", output=out_file)
    assert code == 2
    text = out_file.read_text()
    assert (
        "- blanked by a sync: komodo/resources.toml:8: [[variable]] DB_PASSWORD is "
        "secret and has no value; sync infra includes variables"
    ) in text
    assert "### Secret Variables a ResourceSync would blank" in text
    assert capsys.readouterr().out == ""


def test_map_errors_are_usage_errors(tmp_path: Path) -> None:
    (tmp_path / "tree").mkdir()
    bad = write_map(
        tmp_path, '[[secrets.secret]]\nname = "x"\nplaces = [{}]\n', "m.toml"
    )
    with pytest.raises(UsageError, match=r"m.toml:3:11: `secrets.secret\[0\]"):
        secrets_check(tmp_path / "tree", map_file=bad)
    with pytest.raises(UsageError, match="no secret map"):
        secrets_check(tmp_path / "tree")
    empty = write_map(tmp_path, "", "empty.toml")
    with pytest.raises(UsageError, match="no secret map"):
        secrets_check(tmp_path / "tree", map_file=empty)


def test_map_in_komodo_guard_toml(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "tree"
    root.mkdir()
    (root / ".env").write_text("A_TOKEN=t\n")
    write_map(
        root,
        '[[secrets.secret]]\nname = "a"\n'
        'places = [{kind = "env-file", file = ".env", key = "A_TOKEN"}]\n',
    )
    assert secrets_check(root) == 0
    assert "a       same A" in capsys.readouterr().out


def test_suggest_prints_toml(setup: Path, capsys: pytest.CaptureFixture[str]) -> None:
    tree = setup.parent / "tree"
    with named_engine(
        [FakeContainer("komodo-core-1", env=["KOMODO_DATABASE_PASSWORD=x-pass"])]
    ) as engine:
        code = secrets_suggest(tree, docker_socket=engine.socket)
    out, err = capsys.readouterr()
    assert code == 0
    assert 'container = "komodo-core-1"' in out
    assert 'kind = "mongodb-user"' in out
    assert "cli-pass" not in out
    assert "x-pass" not in out
    assert err == ""


def test_suggest_with_an_unreadable_socket(setup: Path, tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="cannot read the containers over"):
        secrets_suggest(setup.parent / "tree", docker_socket=str(tmp_path / "none"))


def test_the_command_line_reaches_secrets(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from komodo_guard.cli.main import main

    root = tmp_path / "tree"
    root.mkdir()
    (root / ".env").write_text("A_TOKEN=t\n")
    (root / "other.env").write_text("A_TOKEN=u\n")
    write_map(
        root,
        '[[secrets.secret]]\nname = "a"\nplaces = [\n'
        '  {kind = "env-file", file = ".env", key = "A_TOKEN"},\n'
        '  {kind = "env-file", file = "other.env", key = "A_TOKEN"},\n]\n',
    )
    assert main(["secrets", "check", str(root), "-f", "json"]) == 1
    out = capsys.readouterr().out
    assert '"t"' not in out
    assert '"u"' not in out
    assert main(["secrets", "map", "--suggest", str(root)]) == 0
