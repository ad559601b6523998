"""The watcher's status page: one server-rendered HTML page, no JavaScript.

:class:`Status` is what the page (and :mod:`.metrics`, and ``/healthz``)
shows: the open findings, the last cycles, what cannot be checked, channel
and heartbeat health. The loop builds one with :func:`read_status` after
each cycle, on its own thread (the state's SQLite connection stays there),
and hands it to the server, whose request threads only read frozen values.

:func:`render` turns a status into the page at a given moment ("open for 5
days 3 hours" is measured then); :func:`history_chart` draws findings over
the recent cycles as inline SVG. Every text from outside is escaped. Nothing
shown holds a secret: findings never carry secret values, error texts are
scrubbed of URL credentials and query strings, and the Core URL is shown
without its userinfo, query and fragment.
"""

from __future__ import annotations

import base64
import hashlib
import html
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit, urlunsplit

from komodo_guard.notify.failing import ChannelHealth
from komodo_guard.rules.interface import Severity
from komodo_guard.rules.live.common import duration, plural, scrub
from komodo_guard.watch.model import BlindSpot, CycleRecord, Outcome, TrackedFinding
from komodo_guard.watch.state import WatchState
from komodo_guard.watch.text import when

CHART_CYCLES = 288
"""Cycles :func:`read_status` keeps for the chart (a day at 5 minutes)."""
TABLE_CYCLES = 20
"""Cycles listed in the page's table, newest first."""
MAX_FINDINGS = 200
"""Open findings listed on the page; the rest are counted."""
STALE_INTERVALS = 3
"""A watcher whose last good cycle ended more intervals ago than this is stale."""
REFRESH_SECONDS = 60


@dataclass(frozen=True)
class Heartbeat:
    """What the dead man's switch last managed: times of the last successful
    and failed pings, and the failure's reason (scrubbed before it is shown)."""

    last_success: datetime | None = None
    last_failure: datetime | None = None
    last_error: str = ""


@dataclass(frozen=True)
class Status:
    """Everything the page shows, as of the end of the last cycle.

    ``cycles`` are newest first; ``core_url`` is reduced to scheme, host,
    port and path on construction, so no credential can reach the page.
    ``heartbeat`` is ``None`` when no heartbeat URL is configured.
    """

    interval: timedelta
    findings: tuple[TrackedFinding, ...] = ()
    cycles: tuple[CycleRecord, ...] = ()
    blind_spots: tuple[BlindSpot, ...] = ()
    channels: tuple[ChannelHealth, ...] = ()
    heartbeat: Heartbeat | None = None
    core_url: str = ""

    def __post_init__(self) -> None:
        if self.interval <= timedelta(0):
            raise ValueError("the cycle interval must be positive")
        object.__setattr__(self, "core_url", public_url(self.core_url))

    @property
    def last_cycle(self) -> CycleRecord | None:
        """The newest cycle, if any ran."""
        return self.cycles[0] if self.cycles else None

    @property
    def last_good(self) -> CycleRecord | None:
        """The newest cycle that could check Core (``ok`` or ``degraded``)."""
        return next((c for c in self.cycles if c.outcome is not Outcome.FAILED), None)


@dataclass(frozen=True)
class Health:
    """Whether the watcher is keeping up, as ``/healthz`` and the page say it.

    ``state`` is ``ok``, ``stale`` (the last good cycle ended more than
    :data:`STALE_INTERVALS` intervals ago, or none of the recent cycles was
    good) or ``no-cycle`` (none ran yet).
    """

    state: str
    last_cycle_age: timedelta | None
    last_good_age: timedelta | None

    @property
    def healthy(self) -> bool:
        return self.state == "ok"


def health(status: Status, now: datetime) -> Health:
    """How fresh the last good cycle is at ``now``."""
    last, good = status.last_cycle, status.last_good
    last_age = None if last is None else now - last.ended
    good_age = None if good is None else now - good.ended
    if last is None:
        state = "no-cycle"
    elif good_age is None or good_age > STALE_INTERVALS * status.interval:
        state = "stale"
    else:
        state = "ok"
    return Health(state, last_age, good_age)


def read_status(
    state: WatchState,
    *,
    interval: timedelta,
    channels: Iterable[ChannelHealth] = (),
    heartbeat: Heartbeat | None = None,
    core_url: str = "",
) -> Status:
    """The status from ``state``'s file and the health the caller knows of.

    Call it on the thread that owns ``state``; ``channels`` is what
    :meth:`~komodo_guard.notify.outbox.Outbox.channel_health` returns.
    """
    return Status(
        interval=interval,
        findings=tuple(state.open_findings()),
        cycles=tuple(state.recent_cycles(CHART_CYCLES)),
        blind_spots=tuple(state.blind_spots()),
        channels=tuple(channels),
        heartbeat=heartbeat,
        core_url=core_url,
    )


def public_url(url: str) -> str:
    """``url`` without userinfo, query and fragment; ``""`` if it names no host."""
    try:
        parts = urlsplit(url.strip())
        host, port = parts.hostname, parts.port
    except ValueError:
        return ""
    if not parts.scheme or not host:
        return ""
    shown = f"[{host}]" if ":" in host else host
    if port is not None:
        shown = f"{shown}:{port}"
    return urlunsplit((parts.scheme, shown, parts.path, "", ""))


_CSS = """
*{box-sizing:border-box}
body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;
color:#1b1f24;background:#f4f5f7}
header{background:#1f2a37;color:#fff;padding:12px 16px}
header p{margin:4px 0 0;color:#cfd6df}
h1{font-size:1.2rem;margin:0}
h2{font-size:1.05rem;margin:0 0 8px}
main{max-width:1100px;margin:0 auto;padding:8px 12px 24px}
section{background:#fff;border:1px solid #dde1e6;border-radius:6px;
padding:12px;margin:12px 0}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:6px 8px;border-top:1px solid #eceff3;
vertical-align:top;overflow-wrap:break-word}
th{font-size:.85rem;color:#5b6675;border-top:0;white-space:nowrap}
.muted{color:#5b6675;font-size:.9rem}
.badge{display:inline-block;padding:1px 8px;border-radius:10px;font-size:.8rem;
font-weight:600;color:#fff;background:#5b6675;white-space:nowrap}
.nowrap{white-space:nowrap}
.error,.failed,.failing,.stale,.no-cycle{background:#b42318}
.warning,.degraded{background:#b54708}
.info{background:#175cd3}
.ok{background:#067647}
.mark{display:inline-block;margin:2px 4px 0 0;padding:0 6px;border-radius:4px;
font-size:.8rem;background:#eef1f5;color:#344054}
code{font-size:.85rem}
svg{display:block;max-width:100%;height:auto}
@media (max-width:700px){
table.cards thead{display:none}
table.cards tr{display:block;border-top:1px solid #dde1e6;padding:6px 0}
table.cards td{display:block;border:0;padding:2px 0}
table.cards td[data-label]::before{content:attr(data-label) ": ";
font-weight:600;color:#5b6675}
}
"""
CSS_SHA256 = base64.b64encode(hashlib.sha256(_CSS.encode()).digest()).decode()
"""The stylesheet's digest, for the server's Content-Security-Policy."""


def render(status: Status, now: datetime) -> str:
    """The whole page at ``now``, as HTML text."""
    sections = [
        _blind_section(status.blind_spots),
        _findings_section(status.findings, now),
        _chart_section(status.cycles),
        _cycles_section(status.cycles[:TABLE_CYCLES]),
        _channels_section(status.channels, now),
        _heartbeat_section(status.heartbeat, now),
    ]
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta http-equiv="refresh" content="{REFRESH_SECONDS}">'
        '<meta name="referrer" content="no-referrer">'
        "<title>komodo-guard watch</title>"
        f"<style>{_CSS}</style></head><body>"
        f"{_header(status, now)}<main>{''.join(sections)}</main></body></html>\n"
    )


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _badge(word: str) -> str:
    return f'<span class="badge {_e(word)}">{_e(word)}</span>'


def _ago(now: datetime, moment: datetime | None) -> str:
    if moment is None:
        return "never"
    return f"{when(moment)} ({duration(now - moment)} ago)"


def _header(status: Status, now: datetime) -> str:
    state = health(status, now)
    last = status.last_cycle
    cycle = "no cycle yet"
    if last is not None:
        cycle = f"last cycle {_ago(now, last.ended)}: {last.outcome.value}"
    core = status.core_url or "not configured"
    counts = _severity_counts(status.findings)
    return (
        f"<header><h1>komodo-guard watch {_badge(state.state)}</h1>"
        f"<p>{_e(counts)} · {_e(cycle)}</p>"
        f"<p>Komodo Core: <code>{_e(core)}</code> · every "
        f"{_e(duration(status.interval))} · page of {_e(when(now))}</p></header>"
    )


def _severity_counts(findings: Sequence[TrackedFinding]) -> str:
    if not findings:
        return "no open findings"
    parts = []
    for severity in sorted(Severity, reverse=True):
        count = sum(f.severity is severity for f in findings)
        if count:
            parts.append(f"{count} {severity.label}{'' if count == 1 else 's'}")
    return f"{len(findings)} open: " + ", ".join(parts)


def _blind_section(spots: Sequence[BlindSpot]) -> str:
    if not spots:
        return ""
    items = "".join(
        f"<li><strong>{_e(spot.subject)}</strong> cannot be checked since "
        f"{_e(when(spot.since))} ({spot.failures} failed cycles): "
        f"{_e(scrub(spot.reason))}</li>"
        for spot in spots
    )
    return f'<section id="blind"><h2>Cannot check</h2><ul>{items}</ul></section>'


def _findings_section(findings: Sequence[TrackedFinding], now: datetime) -> str:
    if not findings:
        body = '<p class="muted">Nothing open.</p>'
    else:
        rows = "".join(_finding_row(f, now) for f in findings[:MAX_FINDINGS])
        body = (
            '<table class="cards"><thead><tr><th>Severity</th><th>Finding</th>'
            "<th>Open for</th></tr></thead>"
            f"<tbody>{rows}</tbody></table>"
        )
        hidden = len(findings) - MAX_FINDINGS
        if hidden > 0:
            body += f'<p class="muted">and {hidden} more not shown</p>'
    return f'<section id="findings"><h2>Open findings</h2>{body}</section>'


def _finding_row(finding: TrackedFinding, now: datetime) -> str:
    subject = str(finding.resource) if finding.resource else finding.path
    marks = []
    if finding.snoozed(now) and finding.snoozed_until is not None:
        marks.append(f"snoozed until {when(finding.snoozed_until)}")
    if finding.flapping_since is not None:
        marks.append(f"flapping since {when(finding.flapping_since)}")
    shown = "".join(f'<span class="mark">{_e(mark)}</span>' for mark in marks)
    hint = f'<div class="muted">Hint: {_e(finding.hint)}</div>' if finding.hint else ""
    began = finding.began()
    return (
        f'<tr><td data-label="Severity">{_badge(finding.severity.label)}</td>'
        f'<td data-label="Finding"><strong>{_e(finding.code)} {_e(finding.name)}'
        f"</strong>{': ' + _e(subject) if subject else ''}"
        f"<div>{_e(finding.message)}</div>{hint}{shown}</td>"
        f'<td data-label="Open for" class="nowrap">open for {_e(duration(now - began))}'
        f'<div class="muted">since {_e(when(began))}</div></td></tr>'
    )


def _chart_section(cycles: Sequence[CycleRecord]) -> str:
    return (
        '<section id="history"><h2>Findings over the last cycles</h2>'
        f"{history_chart(cycles)}</section>"
    )


def _cycles_section(cycles: Sequence[CycleRecord]) -> str:
    if not cycles:
        return '<section id="cycles"><h2>Last cycles</h2><p>None yet.</p></section>'
    rows = "".join(
        f'<tr><td data-label="Ended">{_e(when(c.ended))}</td>'
        f'<td data-label="Took" class="nowrap">'
        f"{(c.ended - c.started).total_seconds():.1f} s</td>"
        f'<td data-label="Outcome">{_badge(c.outcome.value)}</td>'
        f'<td data-label="Findings">{plural(c.errors, "error")}, '
        f"{plural(c.warnings, 'warning')}, {plural(c.infos, 'info')}</td>"
        f'<td data-label="Incomplete">{c.incomplete}</td>'
        f'<td data-label="Alerts">{c.transitions}</td>'
        f'<td data-label="Reason">{_e(c.reason)}</td></tr>'
        for c in cycles
    )
    return (
        '<section id="cycles"><h2>Last cycles</h2><div>'
        '<table class="cards"><thead><tr><th>Ended</th><th>Took</th>'
        "<th>Outcome</th><th>Findings</th><th>Incomplete</th><th>Alerts</th>"
        f"<th>Reason</th></tr></thead><tbody>{rows}</tbody></table></div></section>"
    )


def _channels_section(channels: Sequence[ChannelHealth], now: datetime) -> str:
    if not channels:
        body = '<p class="muted">No notification channel is configured.</p>'
    else:
        rows = "".join(_channel_row(channel, now) for channel in channels)
        body = (
            '<table class="cards"><thead><tr><th>Channel</th><th>State</th>'
            "<th>Last delivery</th><th>Failures in a row</th><th>Waiting</th>"
            f"<th>Last error</th></tr></thead><tbody>{rows}</tbody></table>"
        )
    return f'<section id="channels"><h2>Channels</h2>{body}</section>'


def _channel_row(channel: ChannelHealth, now: datetime) -> str:
    if channel.failing_since is not None:
        state_text = f"{_badge('failing')} since {_e(when(channel.failing_since))}"
    else:
        state_text = _badge("ok")
    return (
        f'<tr><td data-label="Channel">{_e(channel.channel)}</td>'
        f'<td data-label="State">{state_text}</td>'
        f'<td data-label="Last delivery">{_e(_ago(now, channel.last_success))}</td>'
        f'<td data-label="Failures in a row">{channel.consecutive_failures}</td>'
        f'<td data-label="Waiting">{channel.undelivered}</td>'
        f'<td data-label="Last error">{_e(scrub(channel.last_error or ""))}</td></tr>'
    )


def _heartbeat_section(heartbeat: Heartbeat | None, now: datetime) -> str:
    if heartbeat is None:
        body = (
            '<p class="muted">No heartbeat URL is configured: nothing outside '
            "this host will notice if the watcher stops.</p>"
        )
    else:
        error = scrub(heartbeat.last_error)
        body = (
            f"<p>{_badge(_beat_state(heartbeat))}</p>"
            f"<p>Last successful ping: {_e(_ago(now, heartbeat.last_success))}</p>"
            f"<p>Last failed ping: {_e(_ago(now, heartbeat.last_failure))}"
            f"{': ' + _e(error) if error and heartbeat.last_failure else ''}</p>"
        )
    return f'<section id="heartbeat"><h2>Heartbeat</h2>{body}</section>'


def _beat_state(heartbeat: Heartbeat) -> str:
    """``failing`` when the newest ping failed, ``waiting`` before any ping."""
    success, failure = heartbeat.last_success, heartbeat.last_failure
    if failure is not None and (success is None or failure > success):
        return "failing"
    return "ok" if success is not None else "waiting"


_Scale = Callable[[int], float]
_WIDTH, _HEIGHT = 720, 220
_LEFT, _RIGHT, _TOP, _BOTTOM = 44, 12, 26, 30
SERIES_COLOURS = {
    Severity.ERROR: "#b42318",
    Severity.WARNING: "#b54708",
    Severity.INFO: "#175cd3",
}


def history_chart(cycles: Sequence[CycleRecord]) -> str:
    """An SVG line chart of the findings each cycle reported, per severity.

    ``cycles`` may come in any order; time runs left to right. A failed
    cycle checked nothing, so it breaks the lines and is marked by a red
    tick on the time axis instead of drawing a false drop to zero.
    """
    ordered = sorted(cycles, key=lambda cycle: cycle.ended)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_WIDTH} {_HEIGHT}" '
        f'width="{_WIDTH}" height="{_HEIGHT}" role="img" '
        'aria-label="Open findings per cycle by severity">',
        "<title>Open findings per cycle by severity</title>",
        f'<rect x="0" y="0" width="{_WIDTH}" height="{_HEIGHT}" fill="#ffffff"/>',
    ]
    if not ordered:
        parts.append(
            f'<text x="{_WIDTH // 2}" y="{_HEIGHT // 2}" text-anchor="middle" '
            'font-size="14" fill="#5b6675">no cycles yet</text>'
        )
    else:
        parts.extend(_plot(ordered))
    parts.append("</svg>")
    return "".join(parts)


def _plot(ordered: Sequence[CycleRecord]) -> list[str]:
    first, last = ordered[0].ended, ordered[-1].ended
    span = max((last - first).total_seconds(), 1.0)
    top = _axis_top(ordered)
    inner_w = _WIDTH - _LEFT - _RIGHT
    inner_h = _HEIGHT - _TOP - _BOTTOM

    def x(cycle: CycleRecord) -> float:
        offset = (cycle.ended - first).total_seconds() / span
        return _LEFT + (offset if len(ordered) > 1 else 0.5) * inner_w

    def y(count: int) -> float:
        return _TOP + inner_h - count / top * inner_h

    out = _axes(top, first, last, y)
    for severity, colour in SERIES_COLOURS.items():
        for run in _runs(ordered):
            points = " ".join(f"{x(c):.1f},{y(_count(c, severity)):.1f}" for c in run)
            out.append(
                f'<polyline class="series-{severity.label}" points="{points}" '
                f'fill="none" stroke="{colour}" stroke-width="2"/>'
            )
            if len(run) == 1:
                px, py = x(run[0]), y(_count(run[0], severity))
                out.append(
                    f'<circle cx="{px:.1f}" cy="{py:.1f}" r="3" fill="{colour}"/>'
                )
    base = _TOP + inner_h
    out.extend(
        f'<rect class="failed-cycle" x="{x(c) - 1.5:.1f}" y="{base - 6:.1f}" '
        'width="3" height="6" fill="#b42318"/>'
        for c in ordered
        if c.outcome is Outcome.FAILED
    )
    out.extend(_legend())
    return out


def _axis_top(cycles: Sequence[CycleRecord]) -> int:
    """The y axis' top: the largest count, rounded up to a tidy number."""
    peak = max((max(c.errors, c.warnings, c.infos) for c in cycles), default=0)
    for step in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000):
        if peak <= step * 4:
            return max(step * -(-peak // step), 1)
    return peak


def _axes(top: int, first: datetime, last: datetime, y: _Scale) -> list[str]:
    left, right = _LEFT, _WIDTH - _RIGHT
    out = []
    for value in (0, top // 2, top) if top > 1 else (0, top):
        level = y(value)
        out.append(
            f'<line x1="{left}" y1="{level:.1f}" x2="{right}" y2="{level:.1f}" '
            'stroke="#dde1e6" stroke-width="1"/>'
            f'<text x="{left - 6}" y="{level + 4:.1f}" text-anchor="end" '
            f'font-size="11" fill="#5b6675">{value}</text>'
        )
    bottom = _HEIGHT - 10
    out.append(
        f'<text x="{left}" y="{bottom}" font-size="11" fill="#5b6675">'
        f"{_e(when(first))}</text>"
        f'<text x="{right}" y="{bottom}" text-anchor="end" font-size="11" '
        f'fill="#5b6675">{_e(when(last))}</text>'
    )
    return out


def _legend() -> list[str]:
    out = []
    for index, (severity, colour) in enumerate(SERIES_COLOURS.items()):
        left = _LEFT + index * 110
        out.append(
            f'<rect x="{left}" y="8" width="12" height="12" fill="{colour}"/>'
            f'<text x="{left + 18}" y="18" font-size="12" fill="#1b1f24">'
            f"{severity.label}s</text>"
        )
    out.append(
        f'<rect x="{_LEFT + 330}" y="10" width="3" height="8" fill="#b42318"/>'
        f'<text x="{_LEFT + 339}" y="18" font-size="12" fill="#1b1f24">'
        "failed cycle (Core not checked)</text>"
    )
    return out


def _runs(ordered: Sequence[CycleRecord]) -> list[list[CycleRecord]]:
    """Consecutive cycles that checked Core, split at each failed one."""
    runs: list[list[CycleRecord]] = [[]]
    for cycle in ordered:
        if cycle.outcome is Outcome.FAILED:
            runs.append([])
        else:
            runs[-1].append(cycle)
    return [run for run in runs if run]


def _count(cycle: CycleRecord, severity: Severity) -> int:
    match severity:
        case Severity.ERROR:
            return cycle.errors
        case Severity.WARNING:
            return cycle.warnings
        case Severity.INFO:
            return cycle.infos
