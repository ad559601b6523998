"""A checkout whose next pull cannot start: an unfinished rebase or merge, or no branch.

A pull that stopped half-way (a conflicting rebase, a merge) leaves its
state in ``.git``: Komodo's next ``git pull --rebase`` refuses to start
("a rebase is already in progress") and so does every deploy after it. A
branch that ``origin`` does not have (renamed or deleted upstream) makes the
pull fail with "couldn't find remote ref".

Failing: ``/etc/komodo/stacks/app/.git/rebase-merge`` exists.

Passing: ``git rebase --abort`` (or ``git merge --abort``) run in the
checkout; the stack's ``branch`` set to one the remote has.
"""

from __future__ import annotations

from collections.abc import Iterator

from komodo_guard.host.model import Checkout
from komodo_guard.rules.host.common import at_checkout, owner
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
    """One finding per stuck operation and per missing remote branch."""
    for checkout in facts.host.checkouts or ():
        if checkout.in_progress:
            yield rule.finding(
                f"an unfinished {checkout.in_progress} is in progress: the next "
                "pull refuses to start",
                location=at_checkout(checkout),
                resource=owner(facts, checkout),
                hint=f"run `git {checkout.in_progress} --abort` in the checkout, "
                "then deploy again",
            )
        if checkout.upstream_missing:
            yield rule.finding(
                _missing(checkout),
                location=at_checkout(checkout),
                resource=owner(facts, checkout),
                hint="set the stack's `branch` to a branch the repository has, "
                "or push the branch",
            )


def _missing(checkout: Checkout) -> str:
    when = "as last fetched" if not checkout.fetched else "after a fetch"
    return (
        f"branch `{checkout.branch}` is checked out but origin has no such "
        f"branch ({when}): the next pull fails"
    )


RULE = HostRuleInfo(
    code="KG1208",
    name="pull-cannot-run",
    severity=Severity.ERROR,
    failure_class=FailureClass.LIFECYCLE,
    doc=__doc__ or "",
    checker=check,
)
