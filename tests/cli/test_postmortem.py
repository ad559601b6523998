"""``komodo-guard postmortem``: list, write, and refuse unknown incidents."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from komodo_guard.cli.main import main
from komodo_guard.testing import CoreEmulator
from tests.cli.conftest import KEY, SECRET, demo_scenario

IDENT = re.compile(r"^([a-z-]+)  ", re.MULTILINE)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["postmortem", *argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(autouse=True)
def _elsewhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def idents(capsys: pytest.CaptureFixture[str], *argv: str) -> list[str]:
    code, out, err = run(capsys, "--list", *argv)
    assert (code, err) == (0, "")
    return IDENT.findall(out)


def test_list_newest_first(
    demo_core: CoreEmulator, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "--list", "--komodo", demo_core.url)
    assert code == 0
    lines = out.splitlines()
    assert len(lines) == 2
    # Each is the window's only outage of its kind and target: named without
    # its start, so the name stays valid while the outage lasts.
    assert lines[0].startswith("database-auth-mongo-backup  Deployment mongo-backup")
    assert lines[0].endswith(", 2 d, still open")
    assert lines[1].startswith("git-pull-blocked-mealie  Stack mealie, from ")
    assert lines[1].endswith(", 5 d, still open")


def test_writes_the_postmortem_of_a_known_incident(
    demo_core: CoreEmulator, capsys: pytest.CaptureFixture[str]
) -> None:
    mealie = idents(capsys, "--komodo", demo_core.url)[1]
    code, out, err = run(capsys, mealie, "--komodo", demo_core.url, "-o", "PM.md")
    assert (code, out, err) == (0, "", "")
    text = Path("PM.md").read_text(encoding="utf-8")
    assert text.startswith("# Postmortem: git-pull-blocked on Stack mealie, ")
    for part in (
        "## Summary",
        "## Timeline (UTC)",
        "## Cause",
        "## What ended it",
        "## Open follow-ups",
    ):
        assert part in text
    assert (
        "| DeployStack | Git Webhook | failed: `Git Pull: error: The following" in text
    )
    assert "| DeployStack | admin | failed" in text
    assert "- [ ] KG1101 outage-open: stack 'mealie' has failed to deploy" in text
    assert "Also failing meanwhile**: `Deployment mongo-backup`" in text
    assert not list(Path().glob(".PM.md.tmp-*"))


def test_works_with_the_demo(capsys: pytest.CaptureFixture[str]) -> None:
    backup = idents(capsys, "--demo")[0]
    code, out, _ = run(capsys, backup, "--demo")
    assert code == 0
    assert out.startswith("# Postmortem: database-auth on Deployment mongo-backup, ")
    assert "`Deploy Container: MongoServerError: Authentication failed.`" in out


def test_an_unknown_incident_lists_the_known_ones(
    demo_core: CoreEmulator, capsys: pytest.CaptureFixture[str]
) -> None:
    known = idents(capsys, "--komodo", demo_core.url)
    code, out, err = run(capsys, "git-pull-blocked-nope", "--komodo", demo_core.url)
    assert (code, out) == (2, "")
    assert err == (
        "komodo-guard: error: no incident 'git-pull-blocked-nope' in the last 30 "
        f"days of Core's update log; newest first: {known[0]}, {known[1]} "
        "(`komodo-guard postmortem --list` lists them all)\n"
    )


@pytest.mark.parametrize(
    "name", ["git-pull-blocked-mealie", "GIT-PULL", "git-pull-blocked-mealie-20"]
)
def test_a_short_name_or_a_unique_beginning_finds_the_incident(
    name: str, demo_core: CoreEmulator, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, name, "--komodo", demo_core.url)
    assert (code, err) == (0, "")
    assert out.startswith("# Postmortem: git-pull-blocked on Stack mealie, ")
    assert "Incident `git-pull-blocked-mealie`." in out


def test_the_name_the_audit_prints_still_works_later(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # The demo's times are relative to now: an audit's names must not expire.
    assert main(["audit", "--demo", "-o", "audit.md"]) == 1
    capsys.readouterr()
    audit = Path("audit.md").read_text(encoding="utf-8")
    named = re.findall(r"komodo-guard postmortem ([a-z][a-z0-9-]+)", audit)
    assert sorted(set(named)) == [
        "database-auth-mongo-backup",
        "git-pull-blocked-mealie",
    ]
    code, out, _ = run(capsys, named[0], "--demo")
    assert code == 0
    assert out.startswith("# Postmortem: ")


@pytest.fixture
def two_mongos(credentials: None) -> Iterator[CoreEmulator]:
    """The demo, with a second deployment whose database refuses it too."""
    scenario = demo_scenario()
    scenario.deployments.append({"name": "mongo-restore", "server": "attic"})
    failed = next(u for u in scenario.updates if u["operation"] == "Deploy")
    scenario.updates.append(
        {**failed, "target": {"type": "Deployment", "name": "mongo-restore"}}
    )
    with CoreEmulator(scenario, api_key=KEY, api_secret=SECRET) as core:
        yield core


def test_a_name_of_several_targets_lists_them(
    two_mongos: CoreEmulator, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "database-auth-mongo", "--komodo", two_mongos.url)
    assert (code, out) == (2, "")
    assert err == (
        "komodo-guard: error: 'database-auth-mongo' names incidents of more than "
        "one kind or target; say which: database-auth-mongo-backup, "
        "database-auth-mongo-restore\n"
    )
    code, out, _ = run(capsys, "database-auth-mongo-r", "--komodo", two_mongos.url)
    assert code == 0
    assert out.startswith("# Postmortem: database-auth on Deployment mongo-restore")


def test_list_filters_by_the_name_given(
    two_mongos: CoreEmulator, capsys: pytest.CaptureFixture[str]
) -> None:
    assert idents(capsys, "database-auth", "--komodo", two_mongos.url) == [
        "database-auth-mongo-backup",
        "database-auth-mongo-restore",
    ]
    assert idents(capsys, "git", "--komodo", two_mongos.url) == [
        "git-pull-blocked-mealie"
    ]
    code, out, err = run(capsys, "--list", "compose", "--komodo", two_mongos.url)
    assert (code, err) == (0, "")
    assert out == (
        "no incident name begins with 'compose'; 3 incidents in the window "
        "(`komodo-guard postmortem --list` lists them all)\n"
    )


def test_no_incident_named_is_a_usage_error(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert run(capsys, "--demo") == (
        2,
        "",
        "komodo-guard: error: name the incident to write up; `komodo-guard "
        "postmortem --list` lists them\n",
    )


def test_a_clean_core_has_nothing_to_list(
    clean_core: CoreEmulator, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "--list", "--komodo", clean_core.url)
    assert (code, out) == (0, "no incidents: no failed update in the window\n")
    code, _, err = run(capsys, "x", "--komodo", clean_core.url)
    assert code == 2
    assert "there is none: no update failed in that time" in err


def test_the_config_in_the_current_folder_names_core(
    demo_core: CoreEmulator, capsys: pytest.CaptureFixture[str]
) -> None:
    Path("komodo-guard.toml").write_text(f'[komodo]\nurl = "{demo_core.url}"\n')
    assert len(idents(capsys)) == 2
