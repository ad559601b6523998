"""The audit as one self-contained HTML page: inline CSS, no script, nothing loaded
from elsewhere (a Content-Security-Policy says so to the browser). Every piece of
text from the tree is escaped."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from komodo_guard import __version__
from komodo_guard.history.model import History
from komodo_guard.report import timeline
from komodo_guard.report.audit import incidents, inline
from komodo_guard.report.audit.diagram import Chain, class_chains, mermaid
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

_CSS = """
body{font:15px/1.5 system-ui,sans-serif;max-width:62rem;margin:2rem auto;
padding:0 1rem;color:#1d2939}
h1{font-size:1.6rem}h2{margin-top:2rem;border-bottom:1px solid #d0d5dd}
table{border-collapse:collapse;margin:.5rem 0 1rem}
th,td{border:1px solid #d0d5dd;padding:.3rem .6rem;text-align:left;vertical-align:top}
code,pre{font-family:ui-monospace,monospace;font-size:.9em;background:#f2f4f7}
pre{padding:.8rem;overflow-x:auto}
.p{font-weight:600;padding:0 .4rem;border-radius:.3rem}
.P0{background:#fde2e1;color:#b42318}.P1{background:#fef0c7;color:#b54708}
.P2{background:#e0f2fe;color:#026aa2}
li{margin:.3rem 0}.hint{color:#475467}
svg{max-width:100%;height:auto}
.flow{list-style:none;padding:0}
.flow li{display:grid;grid-template-columns:1fr auto 1.4fr auto 1.4fr;gap:.5rem;
align-items:stretch;margin:.7rem 0}
.box{border:1px solid #d0d5dd;border-radius:.4rem;padding:.4rem .6rem}
.head{font-weight:600}.to{align-self:center;font-size:1.3rem;color:#667085}
@media (max-width:40rem){.flow li{grid-template-columns:1fr}
.to{transform:rotate(90deg);justify-self:center}}
"""
_POLICY = "default-src 'none'; style-src 'unsafe-inline'"


def _badge(priority: Priority) -> str:
    return f'<span class="p {priority.label}">{priority.label}</span>'


def _table(header: tuple[str, ...], rows: Sequence[tuple[str, ...]]) -> str:
    head = "".join(f"<th>{cell}</th>" for cell in header)
    body = "".join(
        "<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _where(finding: Finding) -> str:
    location = finding.location
    if location is not None:
        parts = [location.path]
        if location.line:
            parts.append(str(location.line))
            if location.column:
                parts.append(str(location.column))
        return f"<code>{escape(':'.join(parts))}</code>"
    if finding.resource is not None:
        return escape(str(finding.resource))
    return whole_run_label(finding)


def _scope(audit: Audit) -> str:
    rows = [
        (escape(label), inline.to_html(value)) for label, value in scope_rows(audit)
    ]
    return "<h2>Scope</h2>" + _table(("", ""), rows)


def _where_text(bundle: FixFirst) -> str:
    place = where(bundle)
    return f" {inline.to_html(place)}" if place else ""


def _fix_first(bundle: FixFirst) -> str:
    hint = bundle.example.hint
    fix = (
        f' <span class="hint">Fix: {inline.to_html(sentence(hint))}</span>'
        if hint
        else ""
    )
    return (
        f"<li>{_badge(bundle.priority)} <strong>{escape(bundle.code)} "
        f"{escape(bundle.name)}</strong>, {plural(bundle.count, 'finding')}"
        f"{_where_text(bundle)} — "
        f"{inline.to_html(sentence(bundle.example.message))}{fix}</li>"
    )


def _summary(audit: Audit) -> str:
    html = f"<h2>Executive summary</h2><p>{inline.to_html(verdict(audit))}</p>"
    if not audit.groups:
        return html
    rows = [
        (
            f"{escape(g.text.title)} (<code>{g.failure_class.value}</code>)",
            *(str(audit.cell(g.failure_class, p)) for p in Priority),
            str(len(g.items)),
        )
        for g in audit.groups
    ]
    totals = audit.by_priority()
    rows.append(
        (
            "<strong>Total</strong>",
            *(str(totals[p]) for p in Priority),
            str(sum(totals.values())),
        )
    )
    html += _table(("Failure class", *(p.label for p in Priority), "Total"), rows)
    items = "".join(_fix_first(bundle) for bundle in audit.fix_first)
    return html + f"<h3>Fix first</h3><ol>{items}</ol>"


def _item(item: Item) -> str:
    finding = item.finding
    hint = (
        f'<br><span class="hint">Fix: {inline.to_html(finding.hint)}</span>'
        if finding.hint
        else ""
    )
    return (
        f"<li>{_badge(item.priority)} {_where(finding)} · {escape(finding.code)} "
        f"<code>{escape(finding.name)}</code>: {inline.to_html(finding.message)}"
        f"{hint}</li>"
    )


def _group(group: ClassGroup) -> str:
    text = group.text
    items = "".join(_item(item) for item in group.items)
    return (
        f"<h3>{_badge(group.priority)} {escape(text.title)} "
        f"(<code>{group.failure_class.value}</code>), "
        f"{plural(len(group.items), 'finding')}</h3>"
        f"<p>Root cause: {escape(text.cause)}.<br>Fix: {escape(text.fix)}.</p>"
        f"<ul>{items}</ul>"
    )


def _suppressed(audit: Audit) -> str:
    items = "".join(
        f"<li>{_where(f)} · {escape(f.code)} <code>{escape(f.name)}</code>: "
        f"{inline.to_html(f.message)} Reason: {inline.to_html(f.suppressed)}</li>"
        for f in audit.result.suppressed
    )
    return f"<h3>Suppressed by the operator</h3><ul>{items}</ul>" if items else ""


def _findings(audit: Audit) -> str:
    html = "<h2>Findings by failure class</h2>"
    if not audit.groups:
        return html + "<p>None from the checks that ran.</p>"
    return html + "".join(_group(g) for g in audit.groups) + _suppressed(audit)


def _flow(chains: Sequence[Chain], source: str) -> str:
    """The chains as boxes and arrows, with their Mermaid source to copy."""
    rows = "".join(_flow_row(chain) for chain in chains)
    return (
        f'<ol class="flow">{rows}</ol>'
        "<details><summary>Mermaid source of this diagram (GitHub draws it in "
        f"the Markdown version of this audit)</summary><pre>{escape(source)}</pre>"
        "</details>"
    )


def _flow_row(chain: Chain) -> str:
    shade = f" {chain.priority.label}" if chain.priority is not None else ""
    arrow = '<span class="to" aria-hidden="true">&rarr;</span>'
    return (
        f'<li><div class="box head{shade}">{escape(chain.head)}</div>{arrow}'
        f'<div class="box"><strong>Cause:</strong> {escape(chain.cause)}</div>'
        f'{arrow}<div class="box"><strong>Fix:</strong> {escape(chain.fix)}</div>'
        "</li>"
    )


def _diagram(audit: Audit) -> str:
    chains = class_chains(audit)
    if not chains:
        return ""
    return "<h2>From failure class to fix</h2>" + _flow(chains, mermaid(audit))


def _remaining(audit: Audit) -> str:
    rows = [
        (escape(g.area), inline.to_html(g.covers), inline.to_html(g.status))
        for g in audit.gaps
    ]
    return (
        f"<h2>What remains</h2><p>{inline.to_html(remaining_intro(audit))}</p>"
        + _table(("Area", "Would show", "Status"), rows)
    )


def _core(audit: Audit) -> str:
    live = audit.result.live
    if live is None:
        return ""
    rows = [
        (escape(name), inline.to_html(value))
        for name, value in incidents.core_rows(live)
    ]
    return "<h2>Komodo Core</h2>" + _table(("", ""), rows)


def _incidents(audit: Audit) -> str:
    history = audit.history
    if history is None:
        return ""
    html = (
        "<h2>Recurring incidents</h2>"
        f"<p>{inline.to_html(incidents.history_intro(history))}</p>"
    )
    if not history.failures:
        return html
    rows = [
        tuple(inline.to_html(cell) for cell in incidents.kind_cells(row, history))
        for row in incidents.kind_rows(history)
    ]
    return "".join(
        (
            html,
            _table(incidents.KIND_HEADER, rows),
            _kind_texts(history),
            _outages(history),
            _incident_diagram(history),
            "<h3>Failures over time</h3>",
            f"<figure>{timeline.render(history)}</figure>",
            _examples(history),
        )
    )


def _kind_texts(history: History) -> str:
    items = "".join(
        f"<li><code>{escape(str(kind))}</code>, {escape(text.title)}: "
        f"{inline.to_html(sentence(text.cause))} "
        f'<span class="hint">Fix: {inline.to_html(sentence(text.fix))}</span></li>'
        for kind, text in incidents.kind_texts(history)
    )
    return f"<h3>What each kind means</h3><ul>{items}</ul>"


def _outages(history: History) -> str:
    rows = [
        tuple(inline.to_html(cell) for cell in row)
        for row in incidents.outage_cells(history)
    ]
    return (
        "<h3>Outages, newest first</h3>"
        + _table(incidents.OUTAGE_HEADER, rows)
        + f"<p>{inline.to_html(incidents.outage_note(history))}</p>"
    )


def _incident_diagram(history: History) -> str:
    chains = incidents.incident_chains(history)
    source = incidents.incident_mermaid(history)
    return "<h3>From incident kind to fix</h3>" + _flow(chains, source)


def _examples(history: History) -> str:
    examples = incidents.other_examples(history)
    if not examples:
        return ""
    items = "".join(f"<li><code>{escape(line)}</code></li>" for line in examples)
    return (
        "<h3>Failures of no known kind</h3><p>Log lines of failures komodo-guard "
        f"could not classify (redacted), newest first:</p><ul>{items}</ul>"
    )


def render(audit: Audit) -> str:
    """The whole audit as an HTML page."""
    name = escape(audit.name)
    body = "".join(
        (
            f"<h1>Komodo GitOps audit: {name}</h1>",
            f"<p>{inline.to_html(byline(audit, __version__))}</p>",
            _scope(audit),
            _core(audit),
            _summary(audit),
            _findings(audit),
            _diagram(audit),
            _incidents(audit),
            _remaining(audit),
        )
    )
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{_POLICY}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Komodo GitOps audit: {name}</title>"
        f"<style>{_CSS}</style></head>\n<body>\n{body}\n</body></html>\n"
    )
