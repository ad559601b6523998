"""``komodo-guard audit --komodo`` and ``audit --demo``: the live sections,
the timeline file, and the demo on examples/homelab."""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest

from komodo_guard.cli.main import main
from komodo_guard.testing import CoreEmulator

ROOT = Path(__file__).resolve().parents[2]
HOMELAB = ROOT / "examples" / "homelab"
SECTIONS = (
    "## Scope",
    "## Komodo Core",
    "## Executive summary",
    "## Findings by failure class",
    "## From failure class to fix",
    "## Recurring incidents",
    "### From incident kind to fix",
    "### Failures over time",
    "## What remains",
)


@pytest.fixture
def homelab(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    tree = tmp_path / "homelab"
    shutil.copytree(HOMELAB, tree)
    monkeypatch.chdir(tmp_path)
    return tree


def audit(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["audit", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def check_demo_report(text: str) -> None:
    positions = [text.index(section) for section in SECTIONS]
    assert positions == sorted(positions)
    assert "```mermaid\nflowchart LR\n    kind_git_pull_blocked[" in text
    # The three incidents of the demo: the silent outage, the pending sync,
    # the credential failure.
    assert "| `git-pull-blocked` | `Stack mealie` | 3 | 1 | 5 d (still open" in text
    assert "| `database-auth` | `Deployment mongo-backup` | 1 | 1 |" in text
    assert "KG1001 `sync-pending`: resource_sync 'homelab' has had pending " in text
    assert "for 3 days" in text
    assert (
        "KG1101 `outage-open`: stack 'mealie' has failed to deploy for 5 days" in text
    )


def test_demo_on_examples_homelab_writes_report_and_timeline(
    homelab: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = audit(capsys, "--demo", str(homelab), "-o", "AUDIT.md")
    assert (code, out, err) == (1, "", "")
    text = Path("AUDIT.md").read_text(encoding="utf-8")
    check_demo_report(text)
    assert "nothing real was contacted" in text
    assert "![Failures per incident kind over the window](AUDIT-timeline.svg)" in text
    svg = ElementTree.parse("AUDIT-timeline.svg").getroot()
    assert svg.tag == "{http://www.w3.org/2000/svg}svg"
    lanes = [t.text for t in svg.iter("{http://www.w3.org/2000/svg}text")]
    assert "git-pull-blocked" in lanes
    assert "database-auth" in lanes


def test_demo_to_standard_output_inlines_the_svg(
    homelab: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = audit(capsys, "--demo", str(homelab))
    assert code == 1
    check_demo_report(out)
    svg = out.split("### Failures over time\n\n", 1)[1].split("\n\n", 1)[0]
    ElementTree.fromstring(svg)
    assert not list(Path().glob("*.svg"))


def test_demo_html_embeds_everything(
    homelab: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert audit(capsys, "--demo", str(homelab), "-o", "AUDIT.html")[0] == 1
    page = Path("AUDIT.html").read_text(encoding="utf-8")
    assert "<h2>Recurring incidents</h2>" in page
    svg = page.split("<figure>", 1)[1].split("</figure>", 1)[0]
    ElementTree.fromstring(svg)
    assert not list(Path().glob("*.svg"))


def test_audit_against_a_core(
    demo_core: CoreEmulator, homelab: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = audit(capsys, str(homelab), "--komodo", demo_core.url)
    assert (code, err) == (1, "")
    check_demo_report(out)
    assert f"| Core | `{demo_core.url}` |" in out
    assert "nothing real was contacted" not in out


def test_audit_without_core_is_unchanged(
    homelab: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = audit(capsys, str(homelab))
    assert code == 1
    assert "## Komodo Core" not in out
    assert "## Recurring incidents" not in out
    assert "not checked: this audit reads the tree only" in out


@pytest.mark.usefixtures("quick_retries")
def test_a_core_that_cannot_be_read_stops_the_audit(
    credentials: None, homelab: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = audit(
        capsys, str(homelab), "--komodo", "http://127.0.0.1:1", "--timeout", "0.2"
    )
    assert (code, out) == (2, "")
    assert err.startswith("komodo-guard: error: GetVersion: cannot reach ")
    assert not Path("AUDIT.md").exists()
