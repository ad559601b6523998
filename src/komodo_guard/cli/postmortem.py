"""``komodo-guard postmortem``: the postmortem of one incident of Core's log.

An incident is named as the audit and ``--list`` print it: kind and target
(``git-pull-blocked-mealie``) when the window holds one such outage, with its
start minute appended otherwise. Any unique beginning of the full name works
too, and a name of several outages of one kind and target means the newest
(:meth:`History.outage`). ``--list NAME`` lists only the incidents whose name
begins with ``NAME``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from komodo_guard.cli.livecheck import (
    CoreRead,
    LiveOptions,
    core_client,
    live_findings,
    read_core,
    with_inventory,
)
from komodo_guard.cli.main import UsageError
from komodo_guard.cli.run import write
from komodo_guard.config import Config, ConfigError, find_config, load_config
from komodo_guard.report.durations import human, moment
from komodo_guard.report.interface import plural

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
    settings = with_inventory(_settings(config), live)
    with core_client(live, settings) as client:
        read = read_core(client, live)
    history = read.history
    if listing:
        write(_listing(history, incident or ""), output)
        return 0
    write(_render(_chosen(history, incident or "", live), read, settings), output)
    return 0


def _chosen(history: History, incident: str, live: LiveOptions) -> Outage:
    """The outage ``incident`` names; a usage error naming the candidates
    when it names none or several."""
    from komodo_guard.history.model import AmbiguousNameError

    try:
        outage = history.outage(incident)
    except AmbiguousNameError as error:
        raise UsageError(_ambiguous(incident, error.candidates)) from error
    if outage is None:
        raise UsageError(_unknown(incident, history, live.window_days))
    return outage


def _settings(config: Path | None) -> Config:
    try:
        return load_config(config or find_config(Path.cwd()))
    except ConfigError as error:
        raise UsageError(str(error)) from error


def _newest(history: History) -> list[Outage]:
    return sorted(history.outages, key=lambda o: o.started, reverse=True)


def _named(outage: Outage, prefix: str) -> bool:
    names = (outage.ident.lower(), outage.full_ident.lower())
    return any(name.startswith(prefix) for name in names)


def _listing(history: History, prefix: str) -> str:
    """One incident a line, newest first: name, target, start, duration;
    only those whose name begins with ``prefix``."""
    wanted = prefix.strip().lower()
    chosen = [outage for outage in _newest(history) if _named(outage, wanted)]
    if wanted and not chosen and history.outages:
        return (
            f"no incident name begins with {prefix.strip()!r}; "
            f"{plural(len(history.outages), 'incident')} in the window "
            "(`komodo-guard postmortem --list` lists them all)\n"
        )
    lines = []
    for outage in chosen:
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
        f"no incident {incident!r} in the last {plural(days, 'day')} of Core's "
        f"update log; {known} (`komodo-guard postmortem --list` lists them all)"
    )


def _ambiguous(incident: str, candidates: tuple[Outage, ...]) -> str:
    names = [outage.ident for outage in candidates]
    shown = ", ".join(names[:LISTED_IN_ERRORS])
    more = len(names) - LISTED_IN_ERRORS
    return (
        f"{incident!r} names incidents of more than one kind or target; say "
        f"which: {shown}" + (f" and {more} more" if more > 0 else "")
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
