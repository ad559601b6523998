"""The latest run of some work failed: a deploy, pull, build, sync run or backup.

Komodo records every execution as an Update (FACTS §10.2 L10). When the
newest run of one kind of work on one resource failed, that work is broken
now, whatever happened before: a stack keeps its old containers while each
deploy fails, and nothing tells anyone unless an alerter is wired. Runs that
do the same work count together (``DeployStackIfChanged`` and
``DeployStack``), and the finding counts the failures since the last success
and says how long they have lasted, naming the stage that failed when its
log was read. Procedures and actions are left to ``procedure-failing``.
When the history of Core's update log was read (``audit``, ``drift``) and
holds an open outage for that failure, ``outage-open`` reports it with its
cause and this rule says nothing, so one problem is one finding; without
the history this rule reports every such failure.

Failing: stack ``mealie``: ``DeployStack`` failed 5 days ago, 3 days ago
and 1 day ago at stage ``Git Pull``, after a success 6 days ago.

Passing: the newest ``DeployStack`` of ``mealie`` succeeded.
"""

from __future__ import annotations

from collections.abc import Iterator

from komodo_guard.komodo.updates import Update, is_config_change
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
    failed_stage,
    failing_streak,
    label,
    located,
    moment,
    plural,
    streams,
)

LEFT_TO_OTHERS = frozenset({"RunProcedure", "RunAction"})


def check(
    rule: LiveRuleInfo, facts: LiveFacts, options: RuleOptions
) -> Iterator[Finding]:
    """One finding per resource and kind of work whose latest run failed."""
    snapshot = facts.snapshot
    if snapshot.could_not_read("ListUpdates"):
        return
    told = _in_open_outages(facts)
    for (_, work), stream in streams(snapshot.updates).items():
        if is_config_change(work) or work in LEFT_TO_OTHERS:
            continue
        streak = failing_streak(stream)
        if not streak or streak[0].id in told:
            continue
        name, resource = label(snapshot, stream[0].target)
        since = moment(streak[-1].start_ts)
        yield rule.finding(
            f"{name}: {_failed(facts, work, streak)}"
            f"{_never(work) if len(streak) == len(stream) else ''}",
            resource=resource,
            location=located(facts, resource.kind, resource.name) if resource else None,
            hint="read the failed Update's log in Komodo, fix the cause and run it "
            "again; wire an alerter for failures so the next one is seen",
            since=since,
        )


def _in_open_outages(facts: LiveFacts) -> frozenset[str]:
    """Ids of the failed updates an open outage of the history holds:
    ``outage-open`` reports those, with their cause."""
    history = facts.history
    if history is None:
        return frozenset()
    return frozenset(
        failure.update.id
        for outage in history.outages
        if outage.open
        for failure in outage.failures
    )


def _failed(facts: LiveFacts, work: str, streak: list[Update]) -> str:
    last = f"{ago(facts.now, streak[0].start_ts)}{_stage(streak)}"
    if len(streak) == 1:
        return f"its latest {work} failed {last}"
    span = duration(facts.now - moment(streak[-1].start_ts))
    return (
        f"{work} has failed {plural(len(streak), 'time')} in a row for {span} "
        f"(last {last})"
    )


def _never(work: str) -> str:
    return f"; no successful {work} in the update log read"


def _stage(streak: list[Update]) -> str:
    stage = failed_stage(streak)
    return f", at stage `{stage}`" if stage else ""


RULE = LiveRuleInfo(
    code="KG1010",
    name="execution-failed",
    severity=Severity.ERROR,
    failure_class=FailureClass.SILENT_FAILURE,
    doc=__doc__ or "",
    checker=check,
)
