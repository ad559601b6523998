"""``komodo-guard postmortem``: the postmortem of one incident of Core's log."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from komodo_guard.cli.livecheck import (
    CoreRead,
    LiveOptions,
    core_client,
    live_findings,
    read_core,
)
from komodo_guard.cli.main import UsageError
from komodo_guard.cli.run import write
from komodo_guard.config import Config, ConfigError, find_config, load_config
from komodo_guard.report.durations import human, moment

if TYPE_CHECKING:
    from komodo_guard.history.model import History, Outage

LISTED_IN_ERRORS = 10
"""Most incident names an unknown-incident error lists."""


def postmortem(
    incident: str | None,
    *,
    listing: bool,
    config: Path | None,
    output: Path | None,
    live: LiveOptions,
) -> int:
    """Write the postmortem of ``incident``, or list the incidents; 0 done,
    2 could not (the CLI's error handler)."""
    if not listing and not incident:
        raise UsageError(
            "name the incident to write up; `komodo-guard postmortem --list` lists them"
        )
    settings = _settings(config)
    with core_client(live, settings) as client:
        read = read_core(client, live)
    history = read.history
    if listing:
        write(_listing(history), output)
        return 0
    outage = history.outage(incident or "")
    if outage is None:
        raise UsageError(_unknown(incident or "", history, live.window_days))
    write(_render(outage, read, settings), output)
    return 0


def _settings(config: Path | None) -> Config:
    try:
        return load_config(config or find_config(Path.cwd()))
    except ConfigError as error:
        raise UsageError(str(error)) from error


def _newest(history: History) -> list[Outage]:
    return sorted(history.outages, key=lambda o: o.started, reverse=True)


def _listing(history: History) -> str:
    """One incident a line, newest first: name, target, start, duration."""
    lines = []
    for outage in _newest(history):
        state = ", still open" if outage.open else ""
        lines.append(
            f"{outage.ident}  {outage.target}, from {moment(outage.started)}, "
            f"{human(outage.duration(history.until))}{state}"
        )
    if not lines:
        lines.append("no incidents: no failed update in the window")
    return "\n".join(lines) + "\n"


def _unknown(incident: str, history: History, days: int) -> str:
    names = [outage.ident for outage in _newest(history)]
    if not names:
        known = "there is none: no update failed in that time"
    else:
        shown = ", ".join(names[:LISTED_IN_ERRORS])
        more = len(names) - LISTED_IN_ERRORS
        known = f"newest first: {shown}" + (f" and {more} more" if more > 0 else "")
    return (
        f"no incident {incident!r} in the last {days} days of Core's update log; "
        f"{known} (`komodo-guard postmortem --list` lists them all)"
    )


def _render(outage: Outage, read: CoreRead, settings: Config) -> str:
    from komodo_guard.report import postmortem as report

    found = report.incident(
        outage,
        history=read.history,
        live=read.summary,
        updates=read.snapshot.updates,
        alerts=read.snapshot.alerts,
        findings=live_findings(read, None, settings),
    )
    return report.render(found)
