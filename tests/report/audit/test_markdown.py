"""The Markdown audit: sections in order, escaping, the Mermaid block."""

from __future__ import annotations

import re

from komodo_guard.report.audit import AuditFormat, render
from komodo_guard.report.audit.model import OFFLINE_GAPS
from komodo_guard.rules.interface import FailureClass, Finding, Location, ResourceRef
from tests.report.samples import EMPTY, SYNTAX, UNSYNCED, finding, result

SECTIONS = [
    "# Komodo GitOps audit: homelab",
    "## Scope",
    "## Executive summary",
    "### Fix first",
    "## Findings by failure class",
    "## From failure class to fix",
    "## What remains",
]


def _markdown(*findings: Finding) -> str:
    return render(result(*findings), AuditFormat.MARKDOWN, name="homelab")


def test_sections_in_order() -> None:
    text = _markdown(SYNTAX, EMPTY, UNSYNCED)
    headings = [line for line in text.splitlines() if line.startswith("#")]
    assert [h for h in headings if h in SECTIONS] == SECTIONS
    assert "### P0 · Invalid configuration (`invalid-config`), 2 findings" in headings
    assert "### P1 · Declared but not applied (`sync-drift`), 1 finding" in headings


def test_summary_counts_and_fix_first() -> None:
    text = _markdown(SYNTAX, EMPTY, UNSYNCED)
    assert (
        "3 findings to act on: 1 P0 (breaks deploys, is failing now or leaks "
        "secrets), 2 P1 " in text
    )
    assert "| Invalid configuration (`invalid-config`) | 1 | 1 | 0 | 2 |" in text
    assert "| **Total** | **1** | **2** | **0** | **3** |" in text
    assert "1. **P0: KG001 syntax-error**, 1 finding in `stacks.toml` — " in text


def test_scope_says_how_the_repository_is_unknown() -> None:
    text = _markdown(SYNTAX)
    assert "| Syncs | `main` reads 2 files (declared in `sync.toml`) |" in text
    assert "| Repository | not known: no git remote" in text


def test_finding_lines_keep_code_and_escape_html() -> None:
    hostile = finding(
        location=Location("a.toml", 1, 2),
        message="bad <script>alert(1)</script> in `<key>`",
        hint="remove *it*",
    )
    text = _markdown(hostile)
    assert (
        r"- **P0** `a.toml:1:2` · KG001 `syntax-error`: "
        r"bad \<script\>alert(1)\</script\> in `<key>`" in text
    )
    assert r"  Fix: remove \*it\*" in text
    assert "<script>" not in text.replace("`<key>`", "")


def test_mermaid_block_is_well_formed() -> None:
    text = _markdown(SYNTAX, UNSYNCED)
    block = re.search(r"```mermaid\n(.*?)\n```", text, re.DOTALL)
    assert block is not None
    lines = block.group(1).splitlines()
    assert lines[0] == "flowchart LR"
    allowed = re.compile(
        r'^    (?:[A-Za-z0-9_]+\["[^"\n]*"\]'
        r"|[A-Za-z0-9_]+(?: --> [A-Za-z0-9_]+)+"
        r"|class [A-Za-z0-9_]+ p[012]|classDef p[012] [a-z0-9:#,-]+)$"
    )
    assert [line for line in lines[1:] if not allowed.match(line)] == []
    defined = {m.group(1) for m in map(re.compile(r"^    (\w+)\[").match, lines) if m}
    used = {n for line in lines if "-->" in line for n in line.split() if n != "-->"}
    assert used <= defined


def test_what_remains_lists_every_gap_as_not_passed() -> None:
    text = _markdown()
    for gap in OFFLINE_GAPS:
        assert f"| {gap.area} | {gap.covers} | {gap.status} |" in text
    assert "No findings from the static checks of this tree." in text
    assert "```mermaid" not in text


def test_suppressed_findings_are_listed_with_their_reason() -> None:
    hidden = finding(location=Location("x.toml", 4, 1), suppressed="vendored")
    text = _markdown(SYNTAX, hidden)
    assert "### Suppressed by the operator" in text
    assert (
        "- `x.toml:4:1` · KG001 `syntax-error`: invalid TOML: expected `=` "
        "Reason: vendored" in text
    )
    assert "1 more suppressed by the operator" in text


def failing(
    message: str,
    *,
    code: str = "KG1010",
    resource: ResourceRef | None = None,
    location: Location | None = None,
) -> Finding:
    names = {"KG1010": "execution-failed", "KG1015": "alerts-not-sent"}
    return finding(
        code,
        name=names[code],
        failure_class=FailureClass.SILENT_FAILURE,
        message=message,
        resource=resource,
        location=location,
    )


def test_fix_first_names_files_only_of_findings_that_have_one() -> None:
    backup = failing(
        "deployment 'mongo-backup': its latest Deploy failed",
        resource=ResourceRef("deployment", "mongo-backup"),
    )
    mealie = failing(
        "stack 'mealie': DeployStack has failed 3 times",
        resource=ResourceRef("stack", "mealie"),
        location=Location("komodo/apps.toml", 114, 1),
    )
    text = _markdown(backup, mealie)
    assert (
        "1. **P0: KG1010 execution-failed**, 2 findings in `komodo/apps.toml` "
        "and for deployment 'mongo-backup' — deployment 'mongo-backup': its "
        "latest Deploy failed." in text
    )
    alone = _markdown(backup)
    assert (
        "1. **P0: KG1010 execution-failed**, 1 finding for deployment "
        "'mongo-backup' — " in alone
    )
    assert "in `komodo/apps.toml`" not in alone
    core = failing("no enabled alerter sends ActionFailed", code="KG1015")
    assert "1 finding for Komodo Core — " in _markdown(core)
