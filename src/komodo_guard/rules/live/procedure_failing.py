"""A procedure or action is failing, or its schedule cannot be read.

Core lists a procedure or action as ``Failed`` when its last run failed
(FACTS §10.2 L18). Scheduled ones are how a homelab backs up, prunes and
redeploys at night, so a failure there goes unseen until something is
missing. A ``schedule_error`` means the schedule expression does not parse:
the procedure never runs on its own at all.

How long: since the first of the failed runs that follow the last success,
when the update log holds them.

Failing: procedure ``nightly-backup`` listed ``Failed``; or action
``rotate-logs`` with schedule error "invalid cron expression".

Passing: state ``Ok`` and no schedule error.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from komodo_guard.live.snapshot import LiveSnapshot
from komodo_guard.live.views import Runnable
from komodo_guard.rules.interface import (
    FailureClass,
    Finding,
    LiveFacts,
    LiveRuleInfo,
    RuleOptions,
    Severity,
)
from komodo_guard.rules.live.common import (
    about,
    failed_stage,
    failing_streak,
    lasting,
    located,
    moment,
    of_target,
    scrub,
)


def check(
    rule: LiveRuleInfo, facts: LiveFacts, options: RuleOptions
) -> Iterator[Finding]:
    """Per procedure and action: one finding for a failure, one for its schedule."""
    snapshot = facts.snapshot
    for kind, items, run in (
        ("procedure", snapshot.procedures, "RunProcedure"),
        ("action", snapshot.actions, "RunAction"),
    ):
        if snapshot.names(kind) is None:
            continue
        for item in items:
            yield from _findings(rule, facts, kind, item, run)


def _findings(
    rule: LiveRuleInfo, facts: LiveFacts, kind: str, item: Runnable, run: str
) -> Iterator[Finding]:
    where = located(facts, kind, item.name)
    if item.state == "Failed":
        since, stage = _streak(facts.snapshot, item, run)
        yield rule.finding(
            f"{kind} {item.name!r} is failing{lasting(facts.now, since)}"
            f"{f' (last failed at stage `{stage}`)' if stage else ''}; "
            "the work it does on schedule or on demand is not happening",
            resource=about(kind, item.name),
            location=where,
            hint=f"read its last {run} Update in Komodo, fix the failing stage, "
            "and run it again",
            since=since,
        )
    if item.schedule_error:
        yield rule.finding(
            f"{kind} {item.name!r} has a schedule Komodo cannot use: "
            f"{scrub(item.schedule_error)}; it never runs on its own",
            resource=about(kind, item.name),
            location=where,
            hint="fix `schedule` (and `schedule_format`) in its config",
            severity=Severity.WARNING,
        )


def _streak(
    snapshot: LiveSnapshot, item: Runnable, run: str
) -> tuple[datetime | None, str]:
    runs = [
        update
        for update in of_target(snapshot.updates, item.id)
        if update.complete and update.operation == run
    ]
    streak = failing_streak(runs)
    if not streak:
        return None, ""
    return moment(streak[-1].start_ts), failed_stage(streak)


RULE = LiveRuleInfo(
    code="KG1012",
    name="procedure-failing",
    severity=Severity.ERROR,
    failure_class=FailureClass.SILENT_FAILURE,
    doc=__doc__ or "",
    checker=check,
)
