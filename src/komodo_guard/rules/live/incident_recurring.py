"""The same failure on the same resource was fixed and came back, again and again.

The history groups outages per incident kind and resource. One that ended
with a success and then returned at least twice was patched, not fixed: a
checkout that collects untracked files after each deploy, credentials that
drift back, a registry token that keeps expiring. The finding counts the
returns and outages, names the longest, and points at the usual root-cause
fix. Failures whose log komodo-guard did not read count with the kind
inferred for them (see ``outage-open``); the audit says how many. Without
the history this rule says nothing.

Failing: stack ``mealie``: git pull blocked by untracked files in 3 outages
over the window, each ended by a manual fix.

Passing: one outage, fixed, not back since.

Options (``options.extra``): ``recurrences`` (default 2), how many returns
make a pattern.
"""

from __future__ import annotations

from collections.abc import Iterator

from komodo_guard.history.model import Series
from komodo_guard.rules.interface import (
    FailureClass,
    Finding,
    LiveFacts,
    LiveRuleInfo,
    RuleOptions,
    Severity,
)
from komodo_guard.rules.live.common import (
    duration,
    label,
    located,
    moment,
    option_number,
    plural,
)
from komodo_guard.rules.live.incidents import CAUSES, FIXES


def check(
    rule: LiveRuleInfo, facts: LiveFacts, options: RuleOptions
) -> Iterator[Finding]:
    """One finding per incident kind and resource that keeps coming back."""
    history = facts.history
    if history is None:
        return
    least = option_number(options, "recurrences", 2)
    now_ms = int(facts.now.timestamp() * 1000)
    for series in history.series:
        if series.recurrences >= least:
            yield _finding(rule, facts, series, now_ms)


def _finding(
    rule: LiveRuleInfo, facts: LiveFacts, series: Series, now_ms: int
) -> Finding:
    name, resource = label(facts.snapshot, series.target)
    longest = series.longest(now_ms)
    return rule.finding(
        f"{name}: {CAUSES[series.kind]} came back "
        f"{plural(series.recurrences, 'time')} after being fixed "
        f"({plural(len(series.outages), 'outage')}, "
        f"{plural(series.occurrences, 'failed run')}; the longest lasted "
        f"{duration(longest.duration(now_ms))})",
        resource=resource,
        location=located(facts, resource.kind, resource.name) if resource else None,
        hint=f"fix the cause, not the symptom: {FIXES[series.kind]}; "
        f"komodo-guard postmortem {longest.ident}",
        since=moment(series.first_seen),
    )


RULE = LiveRuleInfo(
    code="KG1102",
    name="incident-recurring",
    severity=Severity.WARNING,
    failure_class=FailureClass.SILENT_FAILURE,
    doc=__doc__ or "",
    checker=check,
)
