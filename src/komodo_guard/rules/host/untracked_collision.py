"""Untracked files in a checkout that the next pull must overwrite: the pull fails.

Komodo pulls with ``git pull --rebase --force origin <branch>`` and never
cleans the checkout (FACTS §6.1). When the branch has since added a file
that already exists in the checkout untracked (often Komodo's own written
``.env``, a file copied in by hand, or a file where the branch now needs a
folder), git refuses: "untracked working tree files would be overwritten".
The deploy stops at that log, the stack keeps running the old version, and
every later deploy fails the same way until someone cleans the folder. The
finding lists every such path; it comes from comparing HEAD with
``origin/<branch>`` after a fetch (or as already fetched with ``--offline``).

Failing: ``/etc/komodo/stacks/app`` has an untracked ``config.yaml`` and the
branch has just added ``config.yaml``.

Passing: the untracked file is deleted or moved away, or the stack is set to
``reclone = true``.
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
    """One finding per checkout whose next pull collides with untracked files."""
    for checkout in facts.host.checkouts or ():
        paths = checkout.untracked_collisions
        if not paths:
            continue
        yield rule.finding(
            f"the next pull of {checkout.upstream} fails: it adds "
            f"{plural(len(paths), 'path')} that already "
            f"{'exists' if len(paths) == 1 else 'exist'} untracked in the "
            f"checkout: {files(paths)}",
            location=at_checkout(checkout),
            resource=owner(facts, checkout),
            hint="move the files out of the checkout (or delete them), or set "
            "`reclone = true` on the stack; keep files Komodo writes in paths "
            "the repository ignores",
        )


RULE = HostRuleInfo(
    code="KG1201",
    name="pull-blocked-by-untracked",
    severity=Severity.ERROR,
    failure_class=FailureClass.LIFECYCLE,
    doc=__doc__ or "",
    checker=check,
)
