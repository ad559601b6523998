"""Run the host rules over one host's facts, after one ``incomplete``
finding per read that failed."""

from __future__ import annotations

from collections.abc import Iterable

from komodo_guard.host.model import HostProblem
from komodo_guard.rules.engine import RuleSettings, apply_rules
from komodo_guard.rules.interface import (
    FailureClass,
    Finding,
    HostFacts,
    HostRuleInfo,
    Location,
    RuleOptions,
    Severity,
)


def run_host_rules(
    facts: HostFacts,
    rules: Iterable[HostRuleInfo],
    options: RuleOptions,
    settings: RuleSettings | None = None,
) -> list[Finding]:
    """Every enabled host rule over ``facts``; a read that failed and a rule
    that crashed each become an ``incomplete`` finding, never a silent pass."""
    settings = settings or RuleSettings()
    findings = [unread(problem) for problem in facts.host.problems]
    findings += apply_rules(rules, lambda rule: rule.check(facts, options), settings)
    return sorted(findings, key=lambda finding: finding.sort_key)


def unread(problem: HostProblem) -> Finding:
    """The finding for one failed read: the call, what on, and why."""
    about = f" for {problem.subject}" if problem.subject else ""
    checkout = problem.subject.startswith("/") and problem.call.startswith("git")
    return Finding(
        code="KG000",
        name="check-incomplete",
        severity=Severity.ERROR,
        failure_class=FailureClass.INCOMPLETE,
        message=f"could not run {problem.call}{about}: {problem.reason}; the "
        "checks that need it did not happen",
        location=Location(problem.subject) if checkout else None,
        hint=_hint(problem),
    )


def _hint(problem: HostProblem) -> str:
    if problem.call.startswith("git fetch"):
        return (
            "check the remote's address and credentials from this host; "
            "--offline compares with what was last fetched"
        )
    if problem.call.startswith("git"):
        return "run the same git command in the checkout to see why it fails"
    if problem.call.startswith("Periphery"):
        return "fix the file, or give the root directory with --root"
    return "check that the Docker Engine runs and that this user may use its socket"
