"""``komodo-guard drift`` against the Core emulator on loopback: exit codes,
formats, where Core is found, and credentials only from the environment."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest

from komodo_guard.cli import main as cli
from komodo_guard.cli.main import main
from komodo_guard.testing import CoreEmulator
from tests.cli.conftest import KEY
from tests.conftest import TreeFactory

ROOT = Path(__file__).resolve().parents[2]
HOMELAB = str(ROOT / "examples" / "homelab")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["drift", *argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def empty(make_tree: TreeFactory) -> str:
    return str(make_tree({"README.md": "not a GitOps tree\n"}))


def test_no_drift_exits_0(
    clean_core: CoreEmulator, empty: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, empty, "--komodo", clean_core.url)
    assert (code, err) == (0, "")
    assert out == (
        f"Komodo Core 2.3.2 ({clean_core.url}) checked: 0 errors, 0 warnings, "
        f"0 infos\nnote: {empty} declares no Komodo resources, so git was not "
        "compared with Core; give the root of your GitOps tree as PATH to compare "
        "them\n"
    )


def test_drift_exits_1_with_resource_and_file_findings(
    demo_core: CoreEmulator, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, HOMELAB, "--komodo", demo_core.url, "-f", "text")
    assert (code, err) == (1, "")
    lines = out.splitlines()
    assert any(
        line.startswith("deployment 'mongo-backup': error KG1101 outage-open: ")
        for line in lines
    )
    assert any(
        line.startswith("komodo/sync.toml:4:1: warning KG1001 sync-pending: ")
        and "pending changes for 3 days" in line
        for line in lines
    )
    assert any(
        line.startswith("komodo/apps.toml:") and "KG1003 declared-not-in-core" in line
        for line in lines
    )
    assert lines[-1].startswith("7 files, 26 resources checked for Komodo 2.3.2 and ")


def test_drift_without_a_tree_reports_resources_by_name(
    demo_core: CoreEmulator, empty: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, empty, "--komodo", demo_core.url)
    assert code == 1
    assert "stack 'mealie': error KG1101 outage-open: " in out
    assert "KG1003" not in out


@pytest.mark.parametrize("fmt", cli.FORMATS)
def test_every_format(
    demo_core: CoreEmulator, fmt: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, HOMELAB, "--komodo", demo_core.url, "-f", fmt)
    assert (code, err) == (1, "")
    match fmt:
        case "json":
            document = json.loads(out)
            codes = {f["code"] for f in document["findings"]}
            assert {"KG1001", "KG1003", "KG1101"} <= codes
            assert document["live"]["url"] == demo_core.url
        case "sarif":
            results = json.loads(out)["runs"][0]["results"]
            assert any(r["ruleId"] == "KG1101" for r in results)
        case "junit":
            suites = ElementTree.fromstring(out)
            assert suites.find("testsuite[@name='(resources)']") is not None
        case "github":
            assert (
                "::error title=KG1101 outage-open::deployment 'mongo-backup': " in out
            )
        case _:
            assert "KG1101 outage-open" in out


def test_fail_on_error_ignores_warnings(
    clean_core: CoreEmulator, empty: str, capsys: pytest.CaptureFixture[str]
) -> None:
    clean_core.state.updates.clear()
    code, out, _ = run(capsys, empty, "--komodo", clean_core.url, "--fail-on", "error")
    assert "warning KG1019 database-backup-stale: " in out
    assert code == 0
    assert run(capsys, empty, "--komodo", clean_core.url)[0] == 1


@pytest.mark.usefixtures("quick_retries")
def test_url_from_the_config_then_the_environment(
    clean_core: CoreEmulator,
    make_tree: TreeFactory,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    tree = make_tree({"komodo-guard.toml": f'[komodo]\nurl = "{clean_core.url}"\n'})
    assert run(capsys, str(tree))[0] == 0
    monkeypatch.setenv("KOMODO_URL", "http://127.0.0.1:1")
    assert run(capsys, str(tree))[0] == 0
    (tree / "komodo-guard.toml").unlink()
    code, _, err = run(capsys, str(tree))
    assert code == 2
    assert err.startswith(
        "komodo-guard: error: GetVersion: cannot reach http://127.0.0.1:1: "
    )
    monkeypatch.setenv("KOMODO_URL", clean_core.url)
    assert run(capsys, str(tree))[0] == 0


def test_no_url_anywhere_is_a_usage_error(
    credentials: None, empty: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, empty) == (
        2,
        "",
        "komodo-guard: error: no Komodo Core to read: pass --komodo URL, set url "
        "in the [komodo] table of komodo-guard.toml, or export KOMODO_URL (or try "
        "--demo)\n",
    )


@pytest.mark.parametrize("missing", ["KOMODO_API_KEY", "KOMODO_API_SECRET"])
def test_missing_credentials_are_a_usage_error_before_any_request(
    clean_core: CoreEmulator,
    empty: str,
    missing: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.delenv(missing)
    code, out, err = run(capsys, empty, "--komodo", clean_core.url)
    assert (code, out) == (2, "")
    assert err.startswith(f"komodo-guard: error: {missing} not set: export ")
    assert err.count("\n") == 1
    assert clean_core.requests == []


def test_a_refused_key_names_the_call(
    clean_core: CoreEmulator,
    empty: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("KOMODO_API_SECRET", "not-the-secret-at-all")
    code, out, err = run(capsys, empty, "--komodo", clean_core.url)
    assert (code, out) == (2, "")
    assert err.startswith(
        "komodo-guard: error: GetVersion: Core refused the API key (401): "
    )
    assert err.endswith("check KOMODO_API_KEY and KOMODO_API_SECRET\n")
    assert "not-the-secret-at-all" not in err
    assert KEY not in err


def test_credentials_are_never_options(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["drift", "--api-key", "x"])
    assert "unrecognized arguments: --api-key" in capsys.readouterr().err


def test_demo_and_komodo_exclude_each_other(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["drift", "--demo", "--komodo", "http://127.0.0.1:1"])
    assert exited.value.code == 2
    assert "not allowed with argument" in capsys.readouterr().err


def test_help_shows_the_defaults_and_that_refresh_writes(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit):
        main(["drift", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "--timeout SECONDS per request, default 10 s" in text
    assert "--window-days N days of Core's update log to read, default 30" in text
    assert "these are WRITES, off by default" in text
    assert "$KOMODO_API_KEY and $KOMODO_API_SECRET" in text


def test_help_defaults_match_the_client_and_snapshot() -> None:
    from komodo_guard.live import client, snapshot

    assert cli.TIMEOUT == client.DEFAULT_TIMEOUT
    assert cli.WINDOW_DAYS == snapshot.DEFAULT_WINDOW_DAYS
    assert cli.CONCURRENCY == snapshot.DEFAULT_CONCURRENCY


def test_a_version_other_than_cores_is_said(caplog: pytest.LogCaptureFixture) -> None:
    from komodo_guard.cli.main import main

    main(["drift", "examples/homelab", "--demo", "--komodo-version", "1.17"])
    said = "checking the tree against Komodo 1.17.5, but Komodo Core runs 2.3.2"
    assert said in caplog.text
