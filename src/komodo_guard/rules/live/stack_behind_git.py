"""A stack does not run what its repository holds now.

Core keeps what it last deployed and what git holds now (FACTS §10.2 L7).
When a tracked file's contents differ, the change was pushed but never
deployed: nobody ran the deploy, the webhook is off, or the deploys fail
(see ``execution-failed``). That is a warning. When only the commit differs
(``deployed_hash`` against ``latest_hash``) the signal is weak: in a
repository holding many stacks, most commits touch other stacks' files, so
that alone is info.

How long: since the first failed deploy after the last successful one,
when there is one (someone tried to deploy the newer files); otherwise
Core does not know when the newer commit arrived. Core's view of git is only
as fresh as its last poll or webhook refresh; comparing it with the tree's
own git HEAD (FACTS L21) needs the commit of the tree, which the workspace
does not record yet.

Failing: stack ``mealie`` deployed from ``b71e0d3`` while git holds
``4f2a9c1`` and ``compose.yaml`` differs.

Passing: deployed and latest contents are the same.
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


def check(
    rule: LiveRuleInfo, facts: LiveFacts, options: RuleOptions
) -> Iterator[Finding]:
    """One finding per stack whose deployed files or commit lag git."""
    snapshot = facts.snapshot
    if snapshot.names("stack") is None:
        return
    for stack in snapshot.stacks:
        behind = _behind(stack)
        if not behind:
            continue
        since = _since(snapshot, stack)
        yield rule.finding(
            f"stack {stack.name!r} does not run what git holds: {behind}"
            + (
                f"; its deploys have failed{lasting(facts.now, since)}" if since else ""
            ),
            resource=about("stack", stack.name),
            location=located(facts, "stack", stack.name),
            hint="deploy the stack (DeployStackIfChanged), or enable its "
            "webhook or auto-deploy so pushes reach it",
            severity=Severity.WARNING if stack.changed_files else Severity.INFO,
            since=since,
        )


def _behind(stack: Stack) -> str:
    commits = (
        f"deployed commit {stack.deployed_hash}, git has {stack.latest_hash}"
        if stack.deployed_hash
        and stack.latest_hash
        and stack.deployed_hash != stack.latest_hash
        else ""
    )
    if stack.changed_files:
        files = f"{listing(sorted(stack.changed_files))} changed since the last deploy"
        return f"{files} ({commits})" if commits else files
    if commits:
        return f"{commits} (its own files may be unchanged)"
    return ""


def _since(snapshot: LiveSnapshot, stack: Stack) -> datetime | None:
    deploys = [
        update
        for update in of_target(snapshot.updates, stack.id)
        if update.complete and family(update.operation) == "DeployStack"
    ]
    streak = failing_streak(deploys)
    return moment(streak[-1].start_ts) if streak else None


RULE = LiveRuleInfo(
    code="KG1008",
    name="stack-behind-git",
    severity=Severity.WARNING,
    failure_class=FailureClass.SYNC_DRIFT,
    doc=__doc__ or "",
    checker=check,
)
