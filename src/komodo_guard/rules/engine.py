"""Run rules over a workspace and apply the operator's settings to the results."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from komodo_guard.rules.interface import (
    FailureClass,
    Finding,
    RuleInfo,
    RuleOptions,
    Severity,
)
from komodo_guard.workspace.model import Workspace

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RuleSettings:
    """Which rules run and at what severity."""

    disabled: frozenset[str] = frozenset()
    severities: Mapping[str, Severity] | None = None

    def enabled(self, rule: RuleInfo) -> bool:
        """False when the rule's code or name is disabled."""
        return not ({rule.code, rule.name} & self.disabled)

    def severity_for(self, rule: RuleInfo) -> Severity | None:
        """The configured severity override, if any."""
        table = self.severities or {}
        return table.get(rule.code) or table.get(rule.name)


def run_rules(
    workspace: Workspace,
    rules: Iterable[RuleInfo],
    options: RuleOptions,
    settings: RuleSettings | None = None,
) -> list[Finding]:
    """Run every enabled rule; a rule that crashes becomes an ``incomplete``
    finding naming it, never a silent pass."""
    settings = settings or RuleSettings()
    findings: list[Finding] = []
    for rule in rules:
        if not settings.enabled(rule):
            continue
        override = settings.severity_for(rule)
        try:
            produced = list(rule.check(workspace, options))
        except Exception as error:  # a bug in one rule must not hide the others
            log.exception("rule %s failed", rule.code)
            findings.append(_crashed(rule, error))
            continue
        if override is not None:
            produced = [replace(finding, severity=override) for finding in produced]
        findings.extend(produced)
    return sorted(findings, key=lambda finding: finding.sort_key)


def _crashed(rule: RuleInfo, error: Exception) -> Finding:
    return Finding(
        code="KG000",
        name="check-incomplete",
        severity=Severity.ERROR,
        failure_class=FailureClass.INCOMPLETE,
        message=(
            f"rule {rule.code} ({rule.name}) could not run: "
            f"{type(error).__name__}; its checks did not happen"
        ),
        hint="run with -v to see the trace and report it as a komodo-guard bug",
    )


def demote_unsynced(findings: Iterable[Finding], workspace: Workspace) -> list[Finding]:
    """Lower findings in files no sync reads to info, saying why.

    Komodo never applies those files, so a missing compose file there breaks no
    deploy. Exposed secrets stay as they are: they leak from git either way.
    """
    unsynced = set(workspace.unsynced)
    if not unsynced:
        return list(findings)
    return [
        replace(
            finding,
            severity=Severity.INFO,
            message=f"{finding.message} (in a file no sync reads)",
        )
        if finding.location is not None
        and finding.location.path in unsynced
        and finding.failure_class is not FailureClass.EXPOSURE
        and finding.name != "file-not-synced"
        and finding.severity > Severity.INFO
        else finding
        for finding in findings
    ]
