"""Run rules over a workspace and apply the operator's settings to the results."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, TypeVar

from komodo_guard.background import Background
from komodo_guard.rules.interface import (
    FailureClass,
    Finding,
    LiveFacts,
    LiveRuleInfo,
    RuleBase,
    RuleInfo,
    RuleOptions,
    Severity,
)
from komodo_guard.workspace.model import Workspace

if TYPE_CHECKING:
    from komodo_guard.live.snapshot import Unread

log = logging.getLogger(__name__)
R = TypeVar("R", bound=RuleBase)


@dataclass(frozen=True)
class RuleSettings:
    """Which rules run and at what severity."""

    disabled: frozenset[str] = frozenset()
    severities: Mapping[str, Severity] | None = None

    def enabled(self, rule: RuleBase) -> bool:
        """False when the rule's code or name is disabled."""
        return not ({rule.code, rule.name} & self.disabled)

    def severity_for(self, rule: RuleBase) -> Severity | None:
        """The configured severity override, if any."""
        table = self.severities or {}
        return table.get(rule.code) or table.get(rule.name)


def run_rules(
    workspace: Workspace,
    rules: Iterable[RuleInfo],
    options: RuleOptions,
    settings: RuleSettings | None = None,
    *,
    processes: int = 1,
) -> list[Finding]:
    """Run every enabled rule; a rule that crashes becomes an ``incomplete``
    finding naming it, never a silent pass.

    With ``processes=2`` (large trees, on systems with ``fork``) half of the
    rules run in a forked copy of this process, which already holds the
    collected workspace; if that copy fails in any way, its rules run here.
    """
    settings = settings or RuleSettings()
    enabled = [rule for rule in rules if settings.enabled(rule)]
    if processes > 1 and hasattr(os, "fork") and len(enabled) > 1:
        findings = _forked(enabled, workspace, options, settings)
    else:
        findings = _run(enabled, workspace, options, settings)
    return sorted(findings, key=lambda finding: finding.sort_key)


def _run(
    rules: Iterable[RuleInfo],
    workspace: Workspace,
    options: RuleOptions,
    settings: RuleSettings,
) -> list[Finding]:
    return apply_rules(rules, lambda rule: rule.check(workspace, options), settings)


def apply_rules(
    rules: Iterable[R],
    check: Callable[[R], Iterable[Finding]],
    settings: RuleSettings,
) -> list[Finding]:
    """``check`` each enabled rule, applying severity overrides; a rule that
    crashes becomes an ``incomplete`` finding naming it, never a silent pass.
    Static, live and host rules all run through here."""
    findings: list[Finding] = []
    for rule in rules:
        if not settings.enabled(rule):
            continue
        try:
            produced = list(check(rule))
        except Exception as error:  # a bug in one rule must not hide the others
            log.exception("rule %s failed", rule.code)
            findings.append(crashed(rule, error))
            continue
        override = settings.severity_for(rule)
        if override is not None:
            produced = [replace(finding, severity=override) for finding in produced]
        findings.extend(produced)
    return findings


def _forked(
    rules: list[RuleInfo],
    workspace: Workspace,
    options: RuleOptions,
    settings: RuleSettings,
) -> list[Finding]:
    """Run the rules of some groups in a forked child and the rest here.

    Rules of one group (one package) stay together, so the work they share
    through caches is done once; see :data:`HERE` for which groups run where.
    """
    ours = [rule for rule in rules if _group(rule) in HERE]
    theirs = [rule for rule in rules if _group(rule) not in HERE]
    if not ours or not theirs:
        return _run(rules, workspace, options, settings)
    with Background(lambda: _run(theirs, workspace, options, settings)) as child:
        findings = _run(ours, workspace, options, settings)
        received = child.result()
    if received is None:
        received = _run(theirs, workspace, options, settings)
    return findings + received


# The rule groups run in this process when the rules run in two; the others
# (and any rule from outside the registry) run in the child. Chosen by cold
# times on the benchmark tree so both halves take about as long, keeping
# ``content`` with ``resources``: stray-secret reuses their schema walk.
HERE = frozenset(
    f"komodo_guard.rules.{name}"
    for name in ("compose", "files", "install", "layout", "references")
)


def _group(rule: RuleInfo) -> str:
    """The package a rule lives in, e.g. ``komodo_guard.rules.content``."""
    return getattr(rule.checker, "__module__", "").rpartition(".")[0]


def run_live_rules(
    facts: LiveFacts,
    rules: Iterable[LiveRuleInfo],
    options: RuleOptions,
    settings: RuleSettings | None = None,
) -> list[Finding]:
    """Run every enabled live rule over ``facts``, after one ``incomplete``
    finding per Core call and reason the snapshot could not read: a thousand
    stacks whose cache Core refused to refresh are one finding naming a few.

    Rules whose facts are missing (a list Core did not return) say nothing
    themselves: the call's own finding already tells the operator that those
    checks did not happen. A rule that crashes is reported as incomplete.
    """
    settings = settings or RuleSettings()
    findings = [_unread(group) for group in facts.snapshot.unread]
    findings += apply_rules(rules, lambda rule: rule.check(facts, options), settings)
    return sorted(findings, key=_live_order)


def _live_order(finding: Finding) -> tuple[str, str, str, str]:
    resource = finding.resource
    return (
        finding.code,
        resource.kind if resource else "",
        resource.name if resource else "",
        finding.message,
    )


def _unread(group: Unread) -> Finding:
    return Finding(
        code="KG000",
        name="check-incomplete",
        severity=Severity.ERROR,
        failure_class=FailureClass.INCOMPLETE,
        message=group.message,
        hint=group.hint,
    )


def crashed(rule: RuleBase, error: Exception) -> Finding:
    """The incomplete finding of a rule that raised instead of checking."""
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
