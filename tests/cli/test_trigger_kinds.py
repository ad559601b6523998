"""``trigger deployment|build|repo`` end to end: through the parser on the
demo Core, and on a Core whose runs are made to fail, by exit code and output."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from komodo_guard.cli.main import main
from komodo_guard.testing import CoreEmulator, Scenario
from tests.cli.conftest import KEY, SECRET

# kind, the demo's resource, its execute call
KINDS = [
    ("deployment", "mongo-backup", "Deploy"),
    ("build", "backup-image", "RunBuild"),
    ("repo", "homelab-checkout", "PullRepo"),
]
LEAKED_PASSWORD = "pw-in-a-build-log-Tq81"


@pytest.fixture(autouse=True)
def _hermetic(monkeypatch: pytest.MonkeyPatch, tmp_path: object) -> None:
    """No config file and no Core URL but the ones a test gives."""
    monkeypatch.chdir(str(tmp_path))
    monkeypatch.delenv("KOMODO_URL", raising=False)


def failing() -> Scenario:
    """One of each kind that runs fine, one that fails with its own log stages."""
    return Scenario(
        servers=[{"name": "hearth", "address": "https://h:8120"}],
        deployments=[
            {"name": "web", "server": "hearth", "state": "exited"},
            {
                "name": "broken",
                "server": "hearth",
                "deploy_fails": True,
                "deploy_logs": [
                    {
                        "stage": "Pull Image",
                        "command": "docker pull registry.test/app:2",
                        "stderr": "manifest unknown",
                    }
                ],
            },
        ],
        builds=[
            {"name": "web", "latest_hash": "b2"},
            {
                "name": "broken",
                "build_fails": True,
                "build_logs": [
                    {"stage": "Clone Repo", "command": "git clone", "success": True},
                    {
                        "stage": "Build",
                        "command": "docker build .",
                        "stdout": "step 4/9",
                        "stderr": f"npm ERR! auth password={LEAKED_PASSWORD}\nexit 1",
                    },
                ],
            },
        ],
        repos=[
            {"name": "web", "server": "hearth"},
            {"name": "broken", "server": "hearth", "pull_fails": True},
        ],
    )


@pytest.fixture
def core(credentials: None) -> Iterator[CoreEmulator]:
    with CoreEmulator(
        failing(), api_key=KEY, api_secret=SECRET, update_seconds=0.1
    ) as emulator:
        yield emulator


@pytest.mark.parametrize(("kind", "name", "call"), KINDS)
def test_the_demo_runs_every_kind(
    capsys: pytest.CaptureFixture[str], kind: str, name: str, call: str
) -> None:
    code = main(["trigger", kind, name, "--demo", "--wait", "30"])
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert lines[0].startswith(f"started {call} of {kind} '{name}': Update ")
    if kind == "deployment":  # the demo's deployment still has wrong credentials
        assert code == 1
        assert lines[1].startswith(f"{call} of {kind} '{name}' failed in ")
        assert lines[2:4] == [
            "  failed stage 'Deploy Container'",
            "    $ docker run -d --name mongo-backup tiredofit/db-backup:4.1",
        ]
        assert "    stderr | MongoServerError: Authentication failed." in lines
    else:
        assert code == 0
        assert lines[1].startswith(f"{call} of {kind} '{name}' succeeded in ")
        assert len(lines) == 2
    assert err == ""


@pytest.mark.parametrize(("kind", "name", "call"), KINDS)
def test_an_unknown_name_in_the_demo_exits_2(
    capsys: pytest.CaptureFixture[str], kind: str, name: str, call: str
) -> None:
    assert main(["trigger", kind, "absent", "--demo"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    target = kind.capitalize()
    assert err == (
        f"komodo-guard: error: could not start {call} of {kind} 'absent': "
        f"{call}: Core answered 404: did not find any {target} matching absent\n"
    )


@pytest.mark.parametrize(("kind", "name", "call"), KINDS)
def test_a_run_that_succeeds_exits_0(
    core: CoreEmulator,
    capsys: pytest.CaptureFixture[str],
    kind: str,
    name: str,
    call: str,
) -> None:
    assert main(["trigger", kind, "web", "--komodo", core.url]) == 0
    out, err = capsys.readouterr()
    assert f"{call} of {kind} 'web' succeeded in " in out
    assert ("/execute", call) in core.requests
    assert err == ""


def test_a_failed_deploy_prints_its_failed_stage(
    core: CoreEmulator, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["trigger", "deployment", "broken", "--komodo", core.url]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[1].startswith("Deploy of deployment 'broken' failed in ")
    assert lines[2:] == [
        "  failed stage 'Pull Image'",
        "    $ docker pull registry.test/app:2",
        "    stderr | manifest unknown",
    ]


def test_a_failed_build_prints_only_its_failed_stage_redacted(
    core: CoreEmulator, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["trigger", "build", "broken", "--komodo", core.url]) == 1
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[1].startswith("RunBuild of build 'broken' failed in ")
    assert lines[2:] == [
        "  failed stage 'Build'",
        "    $ docker build .",
        "    stderr | npm ERR! auth password=***",
        "    stderr | exit 1",
        "    stdout | step 4/9",
    ]
    assert LEAKED_PASSWORD not in out


def test_a_failed_pull_prints_the_blocked_git_pull(
    core: CoreEmulator, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["trigger", "repo", "broken", "--komodo", core.url]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[1].startswith("PullRepo of repo 'broken' failed in ")
    assert lines[2:5] == [
        "  failed stage 'Git Pull'",
        "    $ git pull --rebase=false --force origin main",
        "    stderr | error: The following untracked working tree files would be "
        "overwritten by merge:",
    ]
    assert lines[-1] == "    stderr | Aborting"


@pytest.mark.parametrize(("kind", "call"), [(k, c) for k, _, c in KINDS])
def test_a_pattern_runs_each_match_and_fails_with_the_broken_one(
    core: CoreEmulator, capsys: pytest.CaptureFixture[str], kind: str, call: str
) -> None:
    assert main(["trigger", kind, "--pattern", "*", "--komodo", core.url]) == 1
    out = capsys.readouterr().out
    assert f"started Batch{call} '*': 2 Update(s)" in out
    assert f"{call} of {kind} 'web' succeeded in " in out
    assert f"{call} of {kind} 'broken' failed in " in out


@pytest.mark.parametrize(
    ("kind", "name", "route"),
    [
        ("build", "backup-image", "/listener/github/build/backup-image"),
        ("repo", "homelab-checkout", "/listener/github/repo/homelab-checkout/pull"),
    ],
)
def test_the_demo_takes_build_and_repo_webhooks(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    kind: str,
    name: str,
    route: str,
) -> None:
    monkeypatch.setenv("KOMODO_WEBHOOK_SECRET", "demo-webhook-secret")
    argv = ["trigger", kind, name, "--via", "webhook", "--demo", "--wait", "30"]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert f"{route}: the listener took it" in out
    assert f"webhook run of {kind} '{name}' succeeded in " in out
