"""Core hides editing in its UI (``ui_write_disabled``), which does not stop writes.

``ui_write_disabled`` only changes Komodo's web pages (FACTS §3.5, §10.2
L15): the ``/write`` API does not check it, so API keys, ``km`` and scripts
still change configuration. It is a good nudge towards GitOps, not a lock;
this info finding makes sure nobody counts on it. Edits that still happen are
reported by ``edited-outside-sync``.

Failing: ``KOMODO_UI_WRITE_DISABLED=true`` treated as the guard against
changes outside git.

Passing: it stays on as a nudge, and write permissions are limited through
user groups.
"""

from __future__ import annotations

from collections.abc import Iterator

from komodo_guard.rules.interface import (
    FailureClass,
    Finding,
    LiveFacts,
    LiveRuleInfo,
    RuleOptions,
    Severity,
)


def check(
    rule: LiveRuleInfo, facts: LiveFacts, options: RuleOptions
) -> Iterator[Finding]:
    """One finding when Core reports ui_write_disabled."""
    core = facts.snapshot.core
    if core is not None and core.ui_write_disabled:
        yield rule.finding(
            "Komodo Core has ui_write_disabled on: it only hides editing in the "
            "web UI; API keys and the km CLI can still change any configuration",
            hint="limit Write permissions through user groups and keep API keys "
            "of admins few; watch for edits with `drift`",
        )


RULE = LiveRuleInfo(
    code="KG1018",
    name="ui-write-not-enforced",
    severity=Severity.INFO,
    failure_class=FailureClass.EXPOSURE,
    doc=__doc__ or "",
    checker=check,
)
