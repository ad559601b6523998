"""A stack is not running: down, unhealthy, dead, restarting, or its files are gone.

Core computes a stack's state from its containers (FACTS §3.4): ``down``
when none exist, ``unhealthy`` when some are missing or states are mixed,
``dead``/``restarting`` when they crash. ``project_missing`` says Docker no
longer knows the compose project; ``missing_files`` lists files the stack
needs that are not on the host. Stopped or paused stacks are usually
stopped on purpose and reported as info, but note that a sync with
``deploy = true`` starts them again (§2.5). States in motion (``deploying``,
``removing``) and ``unknown`` (the server is unreachable, see
``server-unreachable``) are not judged.

How long: since the first failure of the deploys failing right now, else
since the stop, pause or destroy that left it so, when the update log holds
it.

Failing: stack ``mealie`` ``down``, its last three deploys failed, the
first 5 days ago.

Passing: ``running``, no missing files.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from komodo_guard.live.snapshot import LiveSnapshot
from komodo_guard.live.views import Stack
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
    failing_streak,
    family,
    lasting,
    listing,
    located,
    moment,
    of_target,
)

SEVERITY = {
    "down": Severity.ERROR,
    "dead": Severity.ERROR,
    "restarting": Severity.ERROR,
    "unhealthy": Severity.WARNING,
    "created": Severity.WARNING,
    "stopped": Severity.INFO,
    "paused": Severity.INFO,
}
_STOPS = frozenset({"StopStack", "PauseStack", "DestroyStack"})


def check(
    rule: LiveRuleInfo, facts: LiveFacts, options: RuleOptions
) -> Iterator[Finding]:
    """One finding per stack that is not running as it should."""
    snapshot = facts.snapshot
    if snapshot.names("stack") is None:
        return
    for stack in snapshot.stacks:
        problems = _problems(stack)
        if not problems:
            continue
        since = _since(snapshot, stack)
        yield rule.finding(
            f"stack {stack.name!r} on server {stack.server_name or '?'!r} is "
            f"{' and '.join(problems)}{lasting(facts.now, since)}",
            resource=about("stack", stack.name),
            location=located(facts, "stack", stack.name),
            hint=_hint(stack),
            severity=_severity(stack),
            since=since,
        )


def _problems(stack: Stack) -> list[str]:
    found = []
    if stack.state in SEVERITY:
        found.append(stack.state)
    if stack.project_missing:
        found.append("missing its compose project on the host")
    if stack.missing_files:
        found.append(f"missing files {listing(stack.missing_files)}")
    return found


def _severity(stack: Stack) -> Severity:
    if stack.missing_files or stack.project_missing:
        return Severity.ERROR
    return SEVERITY[stack.state]


def _hint(stack: Stack) -> str:
    if stack.state in ("stopped", "paused") and not stack.missing_files:
        return (
            "if it was stopped on purpose, destroy it or remove `deploy = true` "
            "(a sync restarts it); otherwise deploy it"
        )
    return (
        "read the last deploy's log in Komodo (Updates), fix the cause, then "
        "deploy the stack again"
    )


def _since(snapshot: LiveSnapshot, stack: Stack) -> datetime | None:
    updates = [u for u in of_target(snapshot.updates, stack.id) if u.complete]
    deploys = [u for u in updates if family(u.operation) == "DeployStack"]
    streak = failing_streak(deploys)
    if streak:
        return moment(streak[-1].start_ts)
    stops = [u for u in updates if u.operation in _STOPS and u.success]
    if stops and (not deploys or stops[0].start_ts > deploys[0].start_ts):
        return moment(stops[0].start_ts)
    return None


RULE = LiveRuleInfo(
    code="KG1006",
    name="stack-not-running",
    severity=Severity.ERROR,
    failure_class=FailureClass.SILENT_FAILURE,
    doc=__doc__ or "",
    checker=check,
)
