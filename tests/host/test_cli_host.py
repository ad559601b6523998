"""``host()`` end to end: real checkouts, a served Docker Engine, every format,
exit codes, the textfile, and no secret anywhere in what it prints or logs."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from komodo_guard.cli.host import HostFlags, env_files, host
from komodo_guard.cli.main import FORMATS
from komodo_guard.host.textfile import FILE_NAME
from tests.host.conftest import stack
from tests.host.fakedocker import FakeContainer, FakeEngine
from tests.host.gitrepos import Remote, git, write
from tests.host.test_textfile import parse
from tests.rules.live.livekit import workspace

TOKEN = "ghp_HostTestT0ken0123456789"
SECRET = "s3cret-db-Passw0rd-xyz"


def containers(root: Path) -> list[FakeContainer]:
    return [
        FakeContainer(
            "app-web-1",
            project="app",
            working_dir=str(root / "stacks" / "app"),
            env=[f"DB_PASSWORD={SECRET}"],
        ),
        FakeContainer(
            "portainer-1",
            project="portainer",
            working_dir="/opt/portainer",
            binds=[("/var/run/docker.sock", "/var/run/docker.sock")],
        ),
    ]


@pytest.fixture
def prepared(remote: Remote, root: Path) -> Path:
    """Stack ``app`` blocked by an untracked file; stack ``tok`` whose origin
    URL holds a token (and cannot be fetched)."""
    app = stack(root, "app").path
    remote.clone(app)
    remote.commit({"new.txt": "upstream\n"})
    write(app, {"new.txt": "mine\n"})
    tok = stack(root, "tok").path
    remote.clone(tok)
    git(tok, "remote", "set-url", "origin", f"https://token:{TOKEN}@127.0.0.1:9/x.git")
    return root


def test_findings_exit_one_and_textfile(
    prepared: Path, short_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    git(
        prepared / "stacks" / "tok",
        "remote",
        "set-url",
        "origin",
        str(tmp_path / "remote.git"),
    )
    metrics = tmp_path / "metrics"
    metrics.mkdir()
    with FakeEngine(short_dir, containers(prepared)) as engine:
        code = host(
            None,
            config=None,
            output=None,
            fmt="json",
            fail_on=None,
            flags=HostFlags(root=prepared, docker_socket=engine.socket),
            textfile=metrics,
        )

    report = json.loads(capsys.readouterr().out)
    found = sorted((f["code"], f["path"] or "") for f in _findings(report))
    assert code == 1
    assert ("KG1201", str(prepared / "stacks" / "app")) in found
    assert [c for c, _ in found].count("KG1211") == 1
    assert [c for c, _ in found].count("KG1212") == 1
    values = {k: v for k, (_, _, v) in parse((metrics / FILE_NAME).read_text()).items()}
    assert values == {
        "komodo_guard_host_checkouts_blocked": 1,
        "komodo_guard_host_colliding_files": 1,
        "komodo_guard_host_unmanaged_containers": 1,
        "komodo_guard_host_socket_mounts": 1,
        "komodo_guard_host_check_success": 1,
    }


@pytest.mark.parametrize("fmt", FORMATS)
def test_no_secret_in_any_format_or_log(
    prepared: Path,
    short_dir: Path,
    tmp_path: Path,
    fmt: str,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    metrics = tmp_path / "metrics"
    metrics.mkdir()
    caplog.set_level(logging.DEBUG)
    with FakeEngine(short_dir, containers(prepared)) as engine:
        code = host(
            None,
            config=None,
            output=None,
            fmt=fmt,
            fail_on=None,
            flags=HostFlags(root=prepared, docker_socket=engine.socket),
            textfile=metrics,
        )

    printed = capsys.readouterr()
    assert code == 2  # the token remote could not be fetched
    assert "KG1206" in printed.out
    assert "KG000" in printed.out
    everything = (
        printed.out + printed.err + caplog.text + (metrics / FILE_NAME).read_text()
    )
    assert TOKEN not in everything
    assert SECRET not in everything


def test_docker_refused_is_incomplete(
    root: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DOCKER_HOST", "tcp://127.0.0.1:2375")

    code = host(
        None,
        config=None,
        output=None,
        fmt="text",
        fail_on=None,
        flags=HostFlags(root=root),
    )

    out = capsys.readouterr().out
    assert code == 2
    assert "could not run DOCKER_HOST: tcp:// is not supported" in out


def test_clean_host_exits_zero(
    remote: Remote, root: Path, short_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    remote.clone(stack(root, "app").path)
    (root / "stacks" / "app" / ".git" / "info" / "exclude").write_text(".env\n")
    with FakeEngine(short_dir, containers(root)[:1]) as engine:
        code = host(
            None,
            config=None,
            output=None,
            fmt="text",
            fail_on=None,
            flags=HostFlags(root=root, docker_socket=engine.socket),
        )

    out = capsys.readouterr().out
    assert code == 0, out
    name = _hostname(out)
    assert f"note: host {name}: 1 git checkout under {root} (option)" in out
    assert out.splitlines()[0] == (
        f"1 git checkout and 1 container checked on host {name}: "
        "0 errors, 0 warnings, 0 infos"
    )


def test_env_files_from_the_tree(make_tree: object) -> None:
    tree = make_tree(  # type: ignore[operator]
        {
            "stacks.toml": '[[stack]]\nname = "App"\n[stack.config]\n'
            'run_directory = "deploy"\nenv_file_path = "prod.env"\n\n'
            '[[stack]]\nname = "linked"\n[stack.config]\nlinked_repo = "Shared"\n\n'
            '[[stack]]\nname = "outside"\n[stack.config]\n'
            'env_file_path = "/etc/x.env"\n'
        }
    )

    assert env_files(workspace(tree)) == {
        ("stack", "app"): ("deploy/prod.env",),
        ("repo", "Shared"): (".env",),
    }


def _findings(report: dict[str, object]) -> list[dict[str, object]]:
    found = report["findings"]
    assert isinstance(found, list)
    return found


def _hostname(out: str) -> str:
    return out.split("note: host ", 1)[1].split(":", 1)[0]


def test_the_command_line_reaches_host(
    remote: Remote, root: Path, short_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from komodo_guard.cli.main import main

    remote.clone(stack(root, "app").path)
    (root / "stacks" / "app" / ".git" / "info" / "exclude").write_text(".env\n")
    with FakeEngine(short_dir, containers(root)[:1]) as engine:
        code = main(
            [
                "host",
                "--root",
                str(root),
                "--docker-socket",
                engine.socket,
                "--offline",
                "-f",
                "json",
            ]
        )
    document = json.loads(capsys.readouterr().out)
    assert code == 0
    assert document["findings"] == []


def test_help_defaults_match_the_host_package() -> None:
    from komodo_guard.cli import main
    from komodo_guard.host.checkouts import DEFAULT_JOBS
    from komodo_guard.host.gitrun import DEFAULT_TIMEOUT

    assert (main.HOST_JOBS, main.GIT_TIMEOUT) == (DEFAULT_JOBS, DEFAULT_TIMEOUT)


def test_a_relative_root_is_the_same_root(
    remote: Remote,
    root: Path,
    short_dir: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    remote.clone(stack(root, "app").path)
    (root / "stacks" / "app" / ".git" / "info" / "exclude").write_text(".env\n")
    monkeypatch.chdir(root.parent)
    with FakeEngine(short_dir, containers(root)[:1]) as engine:
        code = host(
            None,
            config=None,
            output=None,
            fmt="json",
            fail_on=None,
            flags=HostFlags(root=Path(root.name), docker_socket=engine.socket),
        )
    document = json.loads(capsys.readouterr().out)
    assert code == 0, document["findings"]


def test_a_root_that_is_not_a_folder_could_not_be_checked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "file").write_text("x")
    for root in (tmp_path / "missing", tmp_path / "file"):
        code = host(
            None,
            config=None,
            output=None,
            fmt="text",
            fail_on=None,
            flags=HostFlags(root=root, docker=False),
        )
        assert code == 2
        assert "is not a folder on this host" in capsys.readouterr().out


def test_the_config_names_the_root_and_the_socket(
    remote: Remote,
    root: Path,
    short_dir: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PERIPHERY_ROOT_DIRECTORY", str(tmp_path / "not-here"))
    monkeypatch.setenv("DOCKER_HOST", "tcp://127.0.0.1:2375")
    remote.clone(stack(root, "app").path)
    (root / "stacks" / "app" / ".git" / "info" / "exclude").write_text(".env\n")
    config = tmp_path / "komodo-guard.toml"
    with FakeEngine(short_dir, containers(root)[:1]) as engine:
        config.write_text(
            f'[hosts]\nperiphery_root = "{root.name}"\n'
            f'docker_socket = "unix://{engine.socket}"\n'
        )
        code = host(
            None,
            config=config,
            output=None,
            fmt="text",
            fail_on=None,
            flags=HostFlags(),
        )
    out = capsys.readouterr().out
    assert code == 0, out
    assert f"1 git checkout under {root} ([hosts] periphery_root in {config})" in out
    assert f"1 container from unix://{engine.socket}" in out


def test_the_flags_win_over_the_config(
    root: Path, short_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "komodo-guard.toml"
    config.write_text(
        f'[hosts]\nperiphery_root = "{tmp_path / "nowhere"}"\n'
        f'docker_socket = "{tmp_path / "none.sock"}"\n'
    )
    with FakeEngine(short_dir, []) as engine:
        flags = HostFlags(root=root, docker_socket=engine.socket)
        code = host(
            None, config=config, output=None, fmt="text", fail_on=None, flags=flags
        )
    out = capsys.readouterr().out
    assert code == 0, out
    assert f"0 git checkouts under {root} (option)" in out
    assert f"0 containers from unix://{engine.socket}" in out


def test_help_names_the_config_keys(capsys: pytest.CaptureFixture[str]) -> None:
    from komodo_guard.cli.main import main

    with pytest.raises(SystemExit):
        main(["host", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert (
        "(default: [hosts] periphery_root in the config, else $PERIPHERY_ROOT" in text
    )
    assert "(default: [hosts] docker_socket in the config, else $DOCKER_HOST" in text


def test_the_summary_says_what_was_checked(
    root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tree = tmp_path / "tree"
    tree.mkdir()
    (tree / "stacks.toml").write_text('[[stack]]\nname = "app"\n')
    flags = HostFlags(root=root, docker=False, server="hearth")
    code = host(tree, config=None, output=None, fmt="text", fail_on=None, flags=flags)
    out = capsys.readouterr().out
    assert code == 0, out
    assert out.splitlines() == [
        "0 git checkouts, 1 tree file and 1 resource checked on host hearth: "
        "0 errors, 0 warnings, 0 infos",
        f"note: host hearth: 0 git checkouts under {root} (option), compared "
        "after a fetch",
    ]


def test_sarif_paths_are_relative_to_peripherys_root(
    prepared: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.report.sarif_schema import github_problems

    flags = HostFlags(root=prepared, docker=False, offline=True)
    host(None, config=None, output=None, fmt="sarif", fail_on=None, flags=flags)
    document = json.loads(capsys.readouterr().out)
    (run,) = document["runs"]
    assert run["originalUriBaseIds"] == {"%SRCROOT%": {"uri": prepared.as_uri() + "/"}}
    artifacts = [
        r["locations"][0]["physicalLocation"]["artifactLocation"]
        for r in run["results"]
    ]
    assert {"uri": "stacks/tok/.git/config", "uriBaseId": "%SRCROOT%"} in artifacts
    assert github_problems(document) == []
