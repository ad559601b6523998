"""The audit as GitHub-flavoured Markdown (the Mermaid diagrams render on GitHub).

The incident timeline is an SVG picture: linked as a sibling file when the
command writes one (GitHub shows linked SVG files, but strips SVG written inline
in Markdown), else inline, which other Markdown viewers show.
"""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import quote

from komodo_guard import __version__
from komodo_guard.history.model import History
from komodo_guard.report import timeline
from komodo_guard.report.audit import incidents, inline
from komodo_guard.report.audit.diagram import mermaid
from komodo_guard.report.audit.model import (
    Audit,
    ClassGroup,
    FixFirst,
    Item,
    whole_run_label,
)
from komodo_guard.report.audit.priority import Priority
from komodo_guard.report.audit.scope import (
    byline,
    remaining_intro,
    scope_rows,
    sentence,
    verdict,
    where,
)
from komodo_guard.report.interface import plural
from komodo_guard.rules.interface import Finding


def _table(header: tuple[str, ...], rows: Sequence[tuple[str, ...]]) -> list[str]:
    lines = [
        "| " + " | ".join(header) + " |",
        "|" + "|".join("---" for _ in header) + "|",
    ]
    lines.extend("| " + " | ".join(row) + " |" for row in rows)
    return [*lines, ""]


def _where(finding: Finding) -> str:
    location = finding.location
    if location is not None:
        place = location.path
        if location.line:
            place += f":{location.line}"
            if location.column:
                place += f":{location.column}"
        return inline.code(place)
    if finding.resource is not None:
        return inline.markdown(str(finding.resource))
    return whole_run_label(finding)


def _scope(audit: Audit) -> list[str]:
    rows = [
        (name, inline.markdown(value, cell=True)) for name, value in scope_rows(audit)
    ]
    return ["## Scope", "", *_table(("", ""), rows)]


def _where_text(bundle: FixFirst) -> str:
    place = where(bundle)
    return f" {inline.markdown(place)}" if place else ""


def _fix_first_line(number: int, bundle: FixFirst) -> str:
    line = (
        f"{number}. **{bundle.priority.label}: {bundle.code} {bundle.name}**, "
        f"{plural(bundle.count, 'finding')}"
        f"{_where_text(bundle)} — "
        f"{inline.markdown(sentence(bundle.example.message))}"
    )
    if bundle.example.hint:
        line += f" Fix: {inline.markdown(sentence(bundle.example.hint))}"
    return line


def _summary(audit: Audit) -> list[str]:
    lines = ["## Executive summary", "", inline.markdown(verdict(audit)), ""]
    if not audit.groups:
        return lines
    priorities = tuple(Priority)
    rows = [
        (
            inline.markdown(f"{group.text.title} (`{group.failure_class.value}`)"),
            *(str(audit.cell(group.failure_class, p)) for p in priorities),
            str(len(group.items)),
        )
        for group in audit.groups
    ]
    totals = audit.by_priority()
    rows.append(
        (
            "**Total**",
            *(f"**{totals[p]}**" for p in priorities),
            f"**{sum(totals.values())}**",
        )
    )
    header = ("Failure class", *(p.label for p in priorities), "Total")
    lines.extend(_table(header, rows))
    lines.extend(["### Fix first", ""])
    lines.extend(_fix_first_line(n, b) for n, b in enumerate(audit.fix_first, 1))
    return [*lines, ""]


def _item(item: Item) -> list[str]:
    finding = item.finding
    lines = [
        f"- **{item.priority.label}** {_where(finding)} · {finding.code} "
        f"`{finding.name}`: {inline.markdown(finding.message)}"
    ]
    if finding.hint:
        lines.append(f"  Fix: {inline.markdown(finding.hint)}")
    return lines


def _group(group: ClassGroup) -> list[str]:
    text = group.text
    lines = [
        f"### {group.priority.label} · {text.title} (`{group.failure_class.value}`), "
        f"{plural(len(group.items), 'finding')}",
        "",
        f"Root cause: {inline.markdown(text.cause)}.  ",
        f"Fix: {inline.markdown(text.fix)}.",
        "",
    ]
    for item in group.items:
        lines.extend(_item(item))
    return [*lines, ""]


def _findings(audit: Audit) -> list[str]:
    lines = ["## Findings by failure class", ""]
    if not audit.groups:
        return [*lines, "None from the checks that ran.", ""]
    for group in audit.groups:
        lines.extend(_group(group))
    suppressed = audit.result.suppressed
    if suppressed:
        lines.extend(["### Suppressed by the operator", ""])
        lines.extend(
            f"- {_where(f)} · {f.code} `{f.name}`: {inline.markdown(f.message)} "
            f"Reason: {inline.markdown(f.suppressed)}"
            for f in suppressed
        )
        lines.append("")
    return lines


def _diagram(audit: Audit) -> list[str]:
    source = mermaid(audit)
    if not source:
        return []
    return [
        "## From failure class to fix",
        "",
        "```mermaid",
        source.rstrip("\n"),
        "```",
        "",
    ]


def _remaining(audit: Audit) -> list[str]:
    rows = [
        (
            inline.markdown(g.area, cell=True),
            inline.markdown(g.covers, cell=True),
            inline.markdown(g.status, cell=True),
        )
        for g in audit.gaps
    ]
    return [
        "## What remains",
        "",
        inline.markdown(remaining_intro(audit)),
        "",
        *_table(("Area", "Would show", "Status"), rows),
    ]


def _core(audit: Audit) -> list[str]:
    live = audit.result.live
    if live is None:
        return []
    rows = [
        (name, inline.markdown(value, cell=True))
        for name, value in incidents.core_rows(live)
    ]
    return ["## Komodo Core", "", *_table(("", ""), rows)]


def _incidents(audit: Audit, timeline_file: str) -> list[str]:
    history = audit.history
    if history is None:
        return []
    lines = [
        "## Recurring incidents",
        "",
        inline.markdown(incidents.history_intro(history)),
        "",
    ]
    if not history.failures:
        return lines
    rows = [
        tuple(inline.markdown(cell, cell=True) for cell in row)
        for row in (
            incidents.kind_cells(r, history) for r in incidents.kind_rows(history)
        )
    ]
    lines.extend(_table(incidents.KIND_HEADER, rows))
    lines.extend(_kind_texts(history))
    lines.extend(_outages(history))
    lines.extend(_incident_diagram(history))
    lines.extend(_timeline(history, timeline_file))
    lines.extend(_examples(history))
    return lines


def _kind_texts(history: History) -> list[str]:
    lines = ["### What each kind means", ""]
    for kind, text in incidents.kind_texts(history):
        lines.append(
            f"- `{kind}`, {inline.markdown(text.title)}: "
            f"{inline.markdown(sentence(text.cause))} "
            f"Fix: {inline.markdown(sentence(text.fix))}"
        )
    return [*lines, ""]


def _outages(history: History) -> list[str]:
    rows = [
        tuple(inline.markdown(cell, cell=True) for cell in row)
        for row in incidents.outage_cells(history)
    ]
    return [
        "### Outages, newest first",
        "",
        *_table(incidents.OUTAGE_HEADER, rows),
        inline.markdown(incidents.outage_note(history)),
        "",
    ]


def _incident_diagram(history: History) -> list[str]:
    source = incidents.incident_mermaid(history)
    return [
        "### From incident kind to fix",
        "",
        "```mermaid",
        source.rstrip("\n"),
        "```",
        "",
    ]


def _timeline(history: History, timeline_file: str) -> list[str]:
    lines = ["### Failures over time", ""]
    if timeline_file:
        alt = "Failures per incident kind over the window"
        return [*lines, f"![{alt}]({quote(timeline_file)})", ""]
    return [*lines, timeline.render(history).rstrip("\n"), ""]


def _examples(history: History) -> list[str]:
    examples = incidents.other_examples(history)
    if not examples:
        return []
    lines = [
        "### Failures of no known kind",
        "",
        "Log lines of failures komodo-guard could not classify (redacted), "
        "newest first:",
        "",
    ]
    lines.extend(f"- {inline.code(example)}" for example in examples)
    return [*lines, ""]


def render(audit: Audit, *, timeline_file: str = "") -> str:
    """The whole audit as Markdown; ``timeline_file`` is the relative name of
    the timeline SVG written beside it (empty: the SVG is inlined)."""
    title = f"# Komodo GitOps audit: {inline.markdown(audit.name)}"
    lines = [
        title,
        "",
        inline.markdown(byline(audit, __version__)),
        "",
        *_scope(audit),
        *_core(audit),
        *_summary(audit),
        *_findings(audit),
        *_diagram(audit),
        *_incidents(audit, timeline_file),
        *_remaining(audit),
    ]
    return "\n".join(lines).rstrip("\n") + "\n"
