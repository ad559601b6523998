"""The audit's live parts: Komodo Core, recurring incidents, the incident
diagram, the timeline (linked or inline) and what remains."""

from __future__ import annotations

import dataclasses
import re
import xml.etree.ElementTree as ElementTree

from komodo_guard.history.kinds import KIND_TEXT
from komodo_guard.history.model import IncidentKind
from komodo_guard.report.audit import AuditFormat, incidents, render
from komodo_guard.report.audit.model import CORE_GAPS, build
from komodo_guard.report.interface import LintResult
from tests.report.histories import empty_history, live_summary, sample_history
from tests.report.samples import SYNTAX, result


def live_result(**changes: object) -> LintResult:
    return dataclasses.replace(result(SYNTAX), live=live_summary(**changes))


def markdown(timeline_file: str = "", **changes: object) -> str:
    return render(
        live_result(**changes),
        AuditFormat.MARKDOWN,
        name="homelab",
        history=sample_history(),
        timeline_file=timeline_file,
    )


def section(text: str, title: str) -> str:
    return text.split(f"{title}\n", 1)[1].split("\n## ", 1)[0].strip()


def test_core_table_says_what_was_read_and_what_was_not() -> None:
    text = markdown(unread=("ListStacks: Core answered 500: boom",))
    core = section(text, "## Komodo Core")
    assert "| Core | `https://core.test` |" in core
    assert "| Version | 2.3.2 |" in core
    assert "| Read at | 2026-12-01 12:00 UTC |" in core
    assert "| Update log window | the last 30 days, 2026-11-01 to 2026-12-01 |" in core
    assert "| Read from Core | 7 stacks, 1 sync, 40 updates |" in core
    assert "| Could not read | ListStacks: Core answered 500: boom |" in core
    assert "`--refresh` asks Core" in core


def test_the_demo_says_nothing_real_was_contacted() -> None:
    assert "nothing real was contacted" in markdown(demo=True)


def test_byline_and_scope_mention_core() -> None:
    text = markdown()
    assert "Written by komodo-guard" in text
    assert (
        "and from what Komodo Core 2.3.2 (https://core.test) reported, with "
        "its update log of the last 30 days." in text
    )
    assert "live checks of Komodo Core against them" in text


def test_taxonomy_table_one_row_per_kind() -> None:
    text = section(markdown(), "## Recurring incidents")
    assert text.startswith(
        "40 updates from 2026-11-01 to 2026-12-01: 6 failed, in 4 outages"
    )
    assert (
        "| `git-pull-blocked` | `Stack mealie` | 3 | 1 | 5 d (still open, "
        "`Stack mealie`) | 0 | 2026-11-26 12:00 UTC | 2026-11-30 12:00 UTC |" in text
    )
    assert (
        "| `database-auth` | `Deployment mongo-backup` | 2 | 2 | 2 d (still open, "
        "`Deployment mongo-backup`) | 1 | 2026-11-21 12:00 UTC | "
        "2026-11-29 12:00 UTC |" in text
    )
    assert "| `other` |" in text


def test_kind_rows_aggregate_over_targets() -> None:
    rows = incidents.kind_rows(sample_history())
    assert [row.kind for row in rows] == [
        IncidentKind.GIT_PULL_BLOCKED,
        IncidentKind.DATABASE_AUTH,
        IncidentKind.OTHER,
    ]
    backup = rows[1]
    assert (backup.occurrences, backup.outages, backup.recurrences) == (2, 2, 1)


def test_outages_newest_first_with_the_postmortem_command() -> None:
    text = section(markdown(), "## Recurring incidents")
    idents = re.findall(r"^\| `([a-z-]+-[^`]+-\d{8}T\d{4})` \|", text, re.MULTILINE)
    assert idents == [
        "database-auth-mongo-backup-20261129T1200",
        "git-pull-blocked-mealie-20261126T1200",
        "database-auth-mongo-backup-20261121T1200",
        "other-a<b>&c-20261111T1200",
    ]
    assert "`komodo-guard postmortem INCIDENT`" in text


def test_incident_diagram_goes_kind_cause_fix_for_kinds_seen() -> None:
    source = incidents.incident_mermaid(sample_history())
    lines = source.splitlines()
    assert lines[0] == "flowchart LR"
    assert (
        "    kind_git_pull_blocked --> cause_git_pull_blocked --> "
        "fix_git_pull_blocked" in lines
    )
    fix = KIND_TEXT[IncidentKind.DATABASE_AUTH].fix
    assert any(fix.split(";")[0] in line for line in lines)
    assert "image_pull" not in source
    assert incidents.incident_mermaid(empty_history()) == ""


def test_markdown_links_the_timeline_file_when_one_is_written() -> None:
    text = markdown(timeline_file="AUDIT timeline.svg")
    assert "![Failures per incident kind over the window](AUDIT%20timeline.svg)" in text
    assert "<svg" not in text


def test_markdown_inlines_the_timeline_otherwise() -> None:
    text = markdown()
    svg = text.split("### Failures over time\n\n", 1)[1].split("\n\n", 1)[0]
    ElementTree.fromstring(svg)


def test_examples_of_unclassified_failures_are_code() -> None:
    text = markdown()
    assert "### Failures of no known kind" in text
    assert "- ``odd thing `x` | y``" in text


def test_no_failures_no_tables() -> None:
    text = render(
        live_result(), AuditFormat.MARKDOWN, history=empty_history(), name="t"
    )
    incidents_part = section(text, "## Recurring incidents")
    assert incidents_part.startswith("3 updates from 2026-11-01")
    assert "| Incident kind |" not in incidents_part


def test_an_incomplete_log_says_counts_are_a_lower_bound() -> None:
    history = dataclasses.replace(sample_history(), complete=False)
    assert "lower bound" in incidents.history_intro(history)


def test_live_audit_drops_the_core_gaps() -> None:
    live = build(live_result(), history=sample_history())
    assert not set(CORE_GAPS) & set(live.gaps)
    offline = build(result(SYNTAX))
    assert set(CORE_GAPS) <= set(offline.gaps)
    assert "Komodo Core's API, nothing else" in markdown()


def test_html_embeds_the_svg_and_escapes_everything() -> None:
    page = render(
        live_result(),
        AuditFormat.HTML,
        name="homelab",
        history=sample_history(),
    )
    assert "<h2>Komodo Core</h2>" in page
    assert "<h2>Recurring incidents</h2>" in page
    assert '<pre class="mermaid">flowchart LR' in page
    svg = page.split("<figure>", 1)[1].split("</figure>", 1)[0]
    ElementTree.fromstring(svg)
    assert "a<b>&c" not in page
    assert "odd thing <code>x</code>" not in page
