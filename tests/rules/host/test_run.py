"""Running host rules: failed reads and crashing rules become incomplete findings."""

from __future__ import annotations

from collections.abc import Iterator

from komodo_guard.host.model import HostProblem
from komodo_guard.rules.host import RULES
from komodo_guard.rules.host.run import run_host_rules
from komodo_guard.rules.interface import (
    FailureClass,
    Finding,
    HostFacts,
    HostRuleInfo,
    Location,
    RuleOptions,
    Severity,
)
from tests.rules.host.hostkit import checkout, host


def test_problems_become_incomplete_findings() -> None:
    state = host(
        [checkout()],
        problems=(
            HostProblem(
                "git fetch", "fatal: could not read from remote", "/etc/komodo/stacks/a"
            ),
            HostProblem(
                "GET /containers/json", "HTTP 500: boom", "unix:///var/run/docker.sock"
            ),
        ),
    )

    found = run_host_rules(HostFacts(state), RULES, RuleOptions())

    assert [(f.code, f.failure_class, f.location) for f in found] == [
        ("KG000", FailureClass.INCOMPLETE, None),
        ("KG000", FailureClass.INCOMPLETE, Location("/etc/komodo/stacks/a")),
    ]
    assert found[0].message == (
        "could not run GET /containers/json for unix:///var/run/docker.sock: "
        "HTTP 500: boom; the checks that need it did not happen"
    )
    assert "--offline" in found[1].hint


def boom(
    rule: HostRuleInfo, facts: HostFacts, options: RuleOptions
) -> Iterator[Finding]:
    raise KeyError("x")


def test_a_crashing_rule_is_incomplete_and_the_others_run() -> None:
    broken = HostRuleInfo(
        "KG1299", "broken-rule", Severity.ERROR, FailureClass.LIFECYCLE, "", boom
    )
    state = host([checkout(modified=("a",))])

    found = run_host_rules(HostFacts(state), [broken, *RULES], RuleOptions())

    assert sorted(f.code for f in found) == ["KG000", "KG1203"]
