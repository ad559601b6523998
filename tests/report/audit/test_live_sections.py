"""The audit's live parts: Komodo Core, recurring incidents, the incident
diagram, the timeline (linked or inline) and what remains."""

from __future__ import annotations

import dataclasses
import re
import xml.etree.ElementTree as ElementTree
from datetime import timedelta

from komodo_guard.history.kinds import KIND_TEXT
from komodo_guard.history.model import History, IncidentKind, Outage, Series
from komodo_guard.komodo.updates import Target
from komodo_guard.report.audit import AuditFormat, incidents, render
from komodo_guard.report.audit.model import CORE_GAPS, build
from komodo_guard.report.interface import LintResult
from tests.report.histories import (
    BACKUP,
    DAY,
    END,
    MEALIE,
    START,
    UNTIL,
    empty_history,
    failure,
    live_summary,
    sample_history,
    update,
)
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
    assert 'class="mermaid"' not in page
    incident_flow = page.split("<h3>From incident kind to fix</h3>", 1)[1]
    assert incident_flow.startswith('<ol class="flow"><li><div class="box head">')
    assert "git-pull-blocked: git pull blocked on the host</div>" in incident_flow
    assert "<pre>flowchart LR\n    kind_git_pull_blocked[" in incident_flow
    svg = page.split("<figure>", 1)[1].split("</figure>", 1)[0]
    ElementTree.fromstring(svg)
    assert "a<b>&c" not in page
    assert "odd thing <code>x</code>" not in page


def one_of_each() -> History:
    """One update in the window, failed, one outage still open."""
    broken = failure(MEALIE, END - DAY, IncidentKind.COMPOSE, "compose: bad")
    outage = Outage(IncidentKind.COMPOSE, MEALIE, (broken,), None)
    return History(
        since=END - DAY,
        until=END,
        updates=1,
        failures=(broken,),
        series=(Series(IncidentKind.COMPOSE, MEALIE, (outage,)),),
    )


def test_counts_of_one_are_singular() -> None:
    text = render(
        dataclasses.replace(
            result(SYNTAX), live=live_summary(since=UNTIL - timedelta(days=1))
        ),
        AuditFormat.MARKDOWN,
        name="t",
        history=one_of_each(),
    )
    assert "1 update from 2026-11-30 to 2026-12-01: 1 failed, in 1 outage. " in text
    assert "| Update log window | the last 1 day, 2026-11-30 to 2026-12-01 |" in text
    assert "with its update log of the last 1 day." in text
    assert " 1 updates" not in text
    assert " 1 outages" not in text


def unread_history() -> History:
    """Three failures of one stack read without logs: one inferred from a
    classified neighbour, two with nothing to infer from."""
    read = failure(MEALIE, END - 9 * DAY, IncidentKind.COMPOSE, "compose: bad")
    guessed = failure(MEALIE, END - 8 * DAY, IncidentKind.COMPOSE)
    unknown = [
        dataclasses.replace(
            failure(BACKUP, END - n * DAY, IncidentKind.OTHER), unread=True
        )
        for n in (3, 2)
    ]
    compose = Outage(IncidentKind.COMPOSE, MEALIE, (read, guessed), None)
    other = Outage(IncidentKind.OTHER, BACKUP, tuple(unknown), None)
    return History(
        since=START,
        until=END,
        updates=10,
        failures=(read, guessed, *unknown),
        series=(
            Series(IncidentKind.COMPOSE, MEALIE, (compose,)),
            Series(IncidentKind.OTHER, BACKUP, (other,)),
        ),
    )


def test_failures_classified_without_logs_are_said_to_be() -> None:
    history = unread_history()
    assert (history.without_logs, history.unread) == (3, 2)
    intro = incidents.history_intro(history)
    assert (
        "3 failures were classified without their logs: Core's log of those "
        "updates was not read" in intro
    )
    assert (
        "2 failures had nothing to infer from and are counted as `other` with "
        "no log read: why they failed is unknown, which is not the same as a "
        "log that matched no known pattern." in intro
    )
    text = render(live_result(), AuditFormat.MARKDOWN, name="t", history=history)
    assert "| `other` | `Deployment mongo-backup` | 2 (2 with no log read) |" in text
    page = render(live_result(), AuditFormat.HTML, name="t", history=history)
    assert "3 failures were classified without their logs" in page
    assert "2 (2 with no log read)" in page


def test_a_single_failure_without_its_log_is_singular() -> None:
    history = unread_history()
    lone = dataclasses.replace(
        history, failures=history.failures[:2], series=history.series[:1]
    )
    assert (
        "1 failure was classified without its logs: Core's log of that update "
        "was not read" in incidents.history_intro(lone)
    )
    assert "nothing to infer" not in incidents.history_intro(lone)


def test_the_targets_cell_names_five_and_counts_the_rest() -> None:
    series = []
    for number in range(60):
        target = Target("Stack", f"id-{number:02}", f"app{number:02}")
        broken = failure(target, END - DAY, IncidentKind.COMPOSE, "compose: bad")
        outage = Outage(IncidentKind.COMPOSE, target, (broken,), None)
        series.append(Series(IncidentKind.COMPOSE, target, (outage,)))
    history = History(
        since=START,
        until=END,
        updates=60,
        failures=tuple(s.outages[0].failures[0] for s in series),
        series=tuple(series),
    )
    (row,) = incidents.kind_rows(history)
    cell = incidents.kind_cells(row, history)[1]
    assert cell == (
        "`Stack app00`, `Stack app01`, `Stack app02`, `Stack app03`, "
        "`Stack app04` and 55 more"
    )


def test_an_outage_of_two_kinds_is_counted_once_and_per_kind() -> None:
    fixed = update(MEALIE, END - DAY, success=True)
    compose = Outage(
        IncidentKind.COMPOSE,
        MEALIE,
        (failure(MEALIE, END - 3 * DAY, IncidentKind.COMPOSE, "compose: bad"),),
        fixed,
    )
    missing = Outage(
        IncidentKind.MISSING_FILES,
        MEALIE,
        (failure(MEALIE, END - 2 * DAY, IncidentKind.MISSING_FILES, "no .env"),),
        fixed,
    )
    history = History(
        since=START,
        until=END,
        updates=3,
        failures=(*compose.failures, *missing.failures),
        series=(
            Series(IncidentKind.COMPOSE, MEALIE, (compose,)),
            Series(IncidentKind.MISSING_FILES, MEALIE, (missing,)),
        ),
    )
    assert incidents.history_intro(history).startswith(
        "3 updates from 2026-11-01 to 2026-12-01: 2 failed, in 1 outage (2 when "
        "counted per incident kind, as the tables below do: one outage can show "
        "more than one kind). An outage runs"
    )
