"""The bundled example tree: each planted fault is reported where its README says,
with the code it says, and nothing else is reported as an error."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from komodo_guard.cli.main import main

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "homelab"
FAKE_SECRET = "fake-demo-key-9f3c2a7e51b84d06c1e2"


@dataclass(frozen=True)
class Planted:
    """One fault planted in the example tree, where it must be reported."""

    path: str
    line: int
    code: str
    fault: str


PLANTED = (
    Planted("komodo/stacks.toml", 15, "KG104", 'config file requires = "Reload"'),
    Planted("komodo/stacks.toml", 58, "KG102", "typo auto_updte in [stack.config]"),
    Planted("komodo/stacks.toml", 65, "KG201", "uptime-kuma declared twice"),
    Planted("komodo/stacks.toml", 83, "KG102", "auto_update above [stack.config]"),
    Planted("komodo/apps.toml", 29, "KG207", "after names a compose service"),
    Planted("komodo/apps.toml", 42, "KG701", "plain-text PAPERLESS_SECRET_KEY"),
    Planted("komodo/apps.toml", 55, "KG402", "env file in file_paths"),
    Planted("komodo/apps.toml", 71, "KG401", "docker-compose.yml does not exist"),
    Planted("komodo/apps.toml", 88, "KG103", 'poll_for_updates = "true"'),
    Planted("komodo/apps.toml", 90, "KG302", "[[TIME_ZONE]] is not declared"),
    Planted("komodo/apps.toml", 111, "KG404", 'pre_deploy path = "sh", no command'),
    Planted("komodo/apps.toml", 119, "KG203", "server cellar is not declared"),
    Planted("komodo/apps.toml", 127, "KG301", "[[DOMAIN] is not closed"),
    Planted("komodo/procedures.toml", 33, "KG601", "cron schedule, English format"),
    Planted("komodo/sync.toml", 4, "KG505", "the sync declares itself"),
    Planted("komodo/sync.toml", 11, "KG501", "variables without include_variables"),
    Planted("komodo/alerters.toml", 19, "KG602", "alerter without enabled = true"),
)


def lint_example(capsys: pytest.CaptureFixture[str]) -> tuple[int, dict[str, Any]]:
    """Exit code and parsed JSON report of ``komodo-guard lint`` on the example."""
    code = main(["lint", str(EXAMPLE), "--format", "json"])
    captured = capsys.readouterr()
    assert captured.err == ""
    return code, json.loads(captured.out)


def where(finding: dict[str, Any]) -> tuple[str, int, str]:
    """The (path, line, code) of one JSON finding."""
    return finding["path"], finding["line"], finding["code"]


@pytest.mark.parametrize(
    "planted", PLANTED, ids=[f"{p.code}-{p.path}:{p.line}" for p in PLANTED]
)
def test_planted_fault_is_reported(
    planted: Planted, capsys: pytest.CaptureFixture[str]
) -> None:
    _, report = lint_example(capsys)
    found = {where(finding) for finding in report["findings"]}
    assert (planted.path, planted.line, planted.code) in found, planted.fault


def test_nothing_but_planted_faults_is_an_error(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, report = lint_example(capsys)
    expected = {(p.path, p.line, p.code) for p in PLANTED}
    errors = {where(f) for f in report["findings"] if f["severity"] == "error"}
    assert errors <= expected
    assert code == 1


def test_every_warning_is_a_planted_fault(capsys: pytest.CaptureFixture[str]) -> None:
    _, report = lint_example(capsys)
    expected = {(p.path, p.line, p.code) for p in PLANTED}
    warned = {where(f) for f in report["findings"] if f["severity"] != "info"}
    assert warned == expected


def test_the_fake_secret_never_reaches_the_report(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert FAKE_SECRET in (EXAMPLE / "komodo" / "apps.toml").read_text("utf-8")
    for fmt in ("json", "text", "github", "sarif"):
        main(["lint", str(EXAMPLE), "--format", fmt])
        captured = capsys.readouterr()
        assert FAKE_SECRET not in captured.out + captured.err, fmt


def test_readme_documents_every_planted_fault() -> None:
    readme = (EXAMPLE / "README.md").read_text("utf-8")
    rows = re.findall(r"^\| `([^`]+):(\d+)` \| (KG\d{3}) ", readme, re.MULTILINE)
    documented = {(path, int(line), code) for path, line, code in rows}
    assert documented == {(p.path, p.line, p.code) for p in PLANTED}
