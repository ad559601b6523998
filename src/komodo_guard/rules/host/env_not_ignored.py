"""Komodo's written env file sits in a checkout, untracked and not gitignored.

Komodo writes a stack's ``environment`` to ``<run_directory>/<env_file_path>``
(default ``.env``) inside the git checkout at every deploy (FACTS §6.1).
While the repository neither tracks nor ignores that path, the file shows up
in ``git status`` (one ``git add .`` on the host and the secrets are in a
commit), and the day the repository starts tracking the path every pull
fails on it. Looked at: ``.env`` at the checkout's root, and the paths the
tree's stacks declare when a tree is given.

Failing: ``/etc/komodo/stacks/app/.env`` exists, and neither ``.gitignore``
nor ``.git/info/exclude`` mentions it.

Passing: ``.env`` in the repository's ``.gitignore``.
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
    """One finding per unignored env file."""
    for checkout in facts.host.checkouts or ():
        for path in checkout.unignored_env_files:
            yield rule.finding(
                f"Komodo's env file `{path}` is untracked and not ignored: once "
                "the repository tracks that path every pull fails, and "
                "`git add .` would commit its secrets",
                location=at_checkout(checkout, path),
                resource=owner(facts, checkout),
                hint=f"add `{path}` to the repository's .gitignore, or point the "
                "stack's `env_file_path` at a path outside the checkout",
            )


RULE = HostRuleInfo(
    code="KG1207",
    name="env-file-not-ignored",
    severity=Severity.WARNING,
    failure_class=FailureClass.LIFECYCLE,
    doc=__doc__ or "",
    checker=check,
)
