"""A resource has been failing since its last success, and the history says why.

The history (``audit --komodo``) classifies why each failed Update failed.
Core keeps an Update's log apart from the list of updates, so komodo-guard
reads the logs of some failures only (the first and last of each run of
failures, newest first, up to a cap); a failure whose log was not read takes
the kind of the classified failures of its own outage, else of its
operation, else of the nearest classified failure of the same resource and
work, and one with nothing to infer from counts as ``other`` with its log
unread. The audit says how many failures were classified without their
logs. An *outage* runs from the first failure to the next success of the
same work on the same resource. One that is still open is the "silent
multi-day outage": the stack keeps its old containers while every deploy
fails, and unless an alerter is wired nobody looks. The finding names the
cause, how long it has lasted and how many runs failed; the hint gives the
usual fix and the incident's name for ``postmortem``. With the history,
``execution-failed`` leaves these failures to this rule; without it this
rule says nothing and ``execution-failed`` reports them.

Failing: stack ``mealie``: deploys failing for 5 days on ``git pull``
blocked by untracked files.

Passing: the last deploy of ``mealie`` succeeded.
"""

from __future__ import annotations

from collections.abc import Iterator

from komodo_guard.history.model import Outage
from komodo_guard.rules.interface import (
    FailureClass,
    Finding,
    LiveFacts,
    LiveRuleInfo,
    RuleOptions,
    Severity,
)
from komodo_guard.rules.live.common import (
    ago,
    duration,
    label,
    located,
    moment,
    plural,
)
from komodo_guard.rules.live.incidents import FIXES, cause_of, verb


def check(
    rule: LiveRuleInfo, facts: LiveFacts, options: RuleOptions
) -> Iterator[Finding]:
    """One finding per outage still open."""
    history = facts.history
    if history is None:
        return
    now_ms = int(facts.now.timestamp() * 1000)
    for outage in history.outages:
        if outage.open:
            yield _finding(rule, facts, outage, now_ms)


def _finding(
    rule: LiveRuleInfo, facts: LiveFacts, outage: Outage, now_ms: int
) -> Finding:
    name, resource = label(facts.snapshot, outage.target)
    last = outage.failures[-1]
    return rule.finding(
        f"{name} has failed to {verb(last.update.operation)} for "
        f"{duration(outage.duration(now_ms))}: {cause_of(outage)} "
        f"({plural(len(outage.failures), 'failed run')}, last "
        f"{ago(facts.now, last.at)})",
        resource=resource,
        location=located(facts, resource.kind, resource.name) if resource else None,
        hint=f"{FIXES[outage.kind]}; details: komodo-guard postmortem {outage.ident}",
        since=moment(outage.started),
    )


RULE = LiveRuleInfo(
    code="KG1101",
    name="outage-open",
    severity=Severity.ERROR,
    failure_class=FailureClass.SILENT_FAILURE,
    doc=__doc__ or "",
    checker=check,
)
