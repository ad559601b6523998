"""A checkout's ``.git/config`` stores a password or token in a remote URL.

Komodo runs ``git remote set-url origin https://token:<TOKEN>@host/...``
before every pull (FACTS §6.1, §10.3 H10), so the git provider's access
token sits in plain text in ``.git/config`` of every checkout on every
host: anyone who can read ``<root>/stacks`` or ``<root>/repos``, or a backup
of it, holds the token. The finding names the file and the remote; the
token itself is never read into a message.

Failing: ``[remote "origin"] url = https://token:ghp_…@github.com/acme/app``.

Passing: ``url = https://github.com/acme/app`` or an SSH URL; give the token
a read-only scope limited to the repositories Komodo deploys.
"""

from __future__ import annotations

from collections.abc import Iterator

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
    """One finding per remote URL holding credentials."""
    for checkout in facts.host.checkouts or ():
        for remote in checkout.remotes:
            if not remote.credentials:
                continue
            yield rule.finding(
                f"the URL of remote `{remote.name}` ({remote.url}) stores a "
                "password or token in plain text",
                location=at_checkout(checkout, ".git/config"),
                resource=owner(facts, checkout),
                hint="Komodo writes it there on every pull: limit the token to "
                "read access on the deployed repositories, restrict who can "
                "read Periphery's folders, and rotate it if they were copied",
            )


RULE = HostRuleInfo(
    code="KG1206",
    name="remote-url-credentials",
    severity=Severity.WARNING,
    failure_class=FailureClass.EXPOSURE,
    doc=__doc__ or "",
    checker=check,
)
