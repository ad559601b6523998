"""Tracked files edited in a checkout: Komodo's next pull throws the edits away.

Before pulling, Komodo runs ``git checkout -f <branch>`` (FACTS §6.1), which
discards every local change to tracked files, staged or not. A fix made by
hand on the host therefore lasts until the next deploy, and is never in git.
(A plain ``git pull --rebase`` run by hand refuses to start instead.)

Failing: ``compose.yaml`` in ``/etc/komodo/stacks/app`` differs from HEAD.

Passing: the change is committed to the repository and pulled.
"""

from __future__ import annotations

from collections.abc import Iterator

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
    """One finding per checkout with local changes to tracked files."""
    for checkout in facts.host.checkouts or ():
        paths = checkout.modified
        if not paths:
            continue
        yield rule.finding(
            f"{plural(len(paths), 'tracked file')} changed on the host, which "
            f"Komodo's next pull (`git checkout -f`) discards: {files(paths)}",
            location=at_checkout(checkout),
            resource=owner(facts, checkout),
            hint="commit the change to the repository and push it, or restore "
            "the files with `git checkout -- PATH` in the checkout",
        )


RULE = HostRuleInfo(
    code="KG1203",
    name="checkout-local-edits",
    severity=Severity.WARNING,
    failure_class=FailureClass.STALE_CONFIG,
    doc=__doc__ or "",
    checker=check,
)
