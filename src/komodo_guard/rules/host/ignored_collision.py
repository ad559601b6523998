"""Ignored files in a checkout that the next pull overwrites without a word.

git treats ignored files as expendable: when the branch adds a path that
exists in the checkout but is ignored (by ``.gitignore`` or
``.git/info/exclude``), ``git pull`` replaces it silently. A local
``.env``, a database file or a hand-tuned config in such a path is lost at
the next deploy. Found by comparing HEAD with ``origin/<branch>`` after a
fetch (or as already fetched with ``--offline``), with every path listed.

Failing: ``data/settings.json`` is ignored and present in the checkout, and
the branch has just started tracking ``data/settings.json``.

Passing: the local file moved outside the checkout, or the repository keeps
tracking a template under another name.
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
    """One finding per checkout whose next pull overwrites ignored files."""
    for checkout in facts.host.checkouts or ():
        paths = checkout.ignored_collisions
        if not paths:
            continue
        yield rule.finding(
            f"the next pull of {checkout.upstream} overwrites "
            f"{plural(len(paths), 'ignored file')} present in the checkout: "
            f"{files(paths)}",
            location=at_checkout(checkout),
            resource=owner(facts, checkout),
            hint="copy what must survive out of the checkout before the next "
            "deploy, and keep local files in paths the repository never tracks",
        )


RULE = HostRuleInfo(
    code="KG1202",
    name="pull-overwrites-ignored",
    severity=Severity.WARNING,
    failure_class=FailureClass.LIFECYCLE,
    doc=__doc__ or "",
    checker=check,
)
