"""A checkout whose HEAD is detached: pinned to a commit by hand.

Komodo keeps its checkouts on the stack's branch (``git checkout -f
<branch>``, then ``git reset --hard <commit>`` when the stack pins one,
which leaves the branch checked out). A detached HEAD means someone checked
out a commit or tag on the host: until the next deploy moves it back, what
runs is not what Komodo shows, and if the commit is not on the branch at all
it exists nowhere else. The finding says whether the commit is on
``origin/HEAD``'s branch and how far behind it is.

Failing: ``git checkout v1.2.0`` run in ``/etc/komodo/stacks/app``.

Passing: ``git checkout main`` in the checkout; pin versions with the
stack's ``commit`` instead.
"""

from __future__ import annotations

from collections.abc import Iterator

from komodo_guard.host.model import Checkout
from komodo_guard.rules.host.common import at_checkout, owner, plural, short
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
    """One finding per checkout with a detached HEAD."""
    for checkout in facts.host.checkouts or ():
        if not checkout.detached:
            continue
        yield rule.finding(
            f"HEAD is detached at {short(checkout.head)}{_where(checkout)}",
            location=at_checkout(checkout),
            resource=owner(facts, checkout),
            hint="check the branch back out (`git checkout BRANCH` in the "
            "checkout); to pin a version, set `commit` on the stack in git",
        )


def _where(checkout: Checkout) -> str:
    if not checkout.upstream:
        return "; origin/HEAD names no branch to compare it with"
    if checkout.ahead:
        return (
            f", a commit not on {checkout.upstream}: it exists only on this host "
            "unless pushed elsewhere"
        )
    if checkout.behind:
        return (
            f", pinned {plural(checkout.behind, 'commit')} behind {checkout.upstream}"
        )
    return f", the tip of {checkout.upstream}"


RULE = HostRuleInfo(
    code="KG1205",
    name="checkout-detached",
    severity=Severity.WARNING,
    failure_class=FailureClass.SYNC_DRIFT,
    doc=__doc__ or "",
    checker=check,
)
