"""A checkout with local commits the branch does not have; error when they conflict.

Komodo's ``git pull --rebase`` replays commits made on the host on top of
the branch (FACTS §6.1). While they apply cleanly, the stack runs code that
is in no repository; once they conflict with the branch, the rebase stops
half-way, the pull fails and so does every later deploy. Conflicts are
predicted with ``git merge-tree`` against ``origin/<branch>``, naming the
files; a checkout only ahead (the branch has nothing new) is reported as a
warning too, since the host runs unpublished commits.

Failing: the host's checkout has a local commit changing ``compose.yaml``
and the branch has changed the same lines.

Passing: the local commits are pushed (or dropped with
``git reset --hard origin/<branch>``).
"""

from __future__ import annotations

from collections.abc import Iterator

from komodo_guard.host.model import Checkout
from komodo_guard.rules.host.common import at_checkout, files, owner, plural
from komodo_guard.rules.interface import (
    FailureClass,
    Finding,
    HostFacts,
    HostRuleInfo,
    RuleOptions,
    Severity,
)


def check(
    rule: HostRuleInfo, facts: HostFacts, options: RuleOptions
) -> Iterator[Finding]:
    """One finding per branch checkout with commits not on its upstream."""
    for checkout in facts.host.checkouts or ():
        if checkout.detached or not checkout.upstream or not checkout.ahead:
            continue
        conflicts = checkout.rebase_conflicts
        yield rule.finding(
            _message(checkout),
            location=at_checkout(checkout),
            resource=owner(facts, checkout),
            severity=Severity.ERROR if conflicts else None,
            hint="push the host's commits to the repository, or drop them with "
            f"`git reset --hard {checkout.upstream}` in the checkout",
        )


def _message(checkout: Checkout) -> str:
    local = f"{plural(checkout.ahead, 'local commit')} not on {checkout.upstream}"
    if checkout.rebase_conflicts:
        return (
            f"{local}, which {checkout.upstream} ({plural(checkout.behind, 'commit')} "
            "ahead) conflicts with: the next pull's rebase stops in "
            f"{files(checkout.rebase_conflicts)}"
        )
    if checkout.behind:
        return (
            f"{local} and {plural(checkout.behind, 'commit')} on it not here: the "
            "next pull replays the host's commits, so the stack runs code that "
            "is in no repository"
        )
    return f"{local}: the stack runs code that is in no repository"


RULE = HostRuleInfo(
    code="KG1204",
    name="checkout-diverged",
    severity=Severity.WARNING,
    failure_class=FailureClass.SYNC_DRIFT,
    doc=__doc__ or "",
    checker=check,
)
