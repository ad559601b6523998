from collections.abc import Iterator

from komodo_guard.cli.run import exit_code
from komodo_guard.komodo.model import load
from komodo_guard.report.interface import LintResult
from komodo_guard.rules.engine import RuleSettings, run_rules
from komodo_guard.rules.files.empty_file import RULE as EMPTY
from komodo_guard.rules.interface import (
    FailureClass,
    Finding,
    RuleInfo,
    RuleOptions,
    Severity,
)
from komodo_guard.workspace.collect import collect
from komodo_guard.workspace.model import Workspace
from tests.conftest import TreeFactory

SECRET = "hunter2-do-not-print"


def _explode(
    rule: RuleInfo, workspace: Workspace, options: RuleOptions
) -> Iterator[Finding]:
    raise ValueError(f"value was {SECRET}")


BROKEN = RuleInfo(
    "KG999",
    "always-crashes",
    Severity.ERROR,
    FailureClass.INVALID_CONFIG,
    "Crashes.",
    _explode,
)


def test_a_crashing_rule_becomes_an_incomplete_finding(make_tree: TreeFactory) -> None:
    workspace = collect(make_tree({"e.toml": "\n"}), load())
    findings = run_rules(workspace, [BROKEN, EMPTY], RuleOptions())
    assert [f.code for f in findings] == ["KG000", "KG003"]
    crashed = findings[0]
    assert crashed.failure_class is FailureClass.INCOMPLETE
    assert "KG999" in crashed.message
    assert SECRET not in crashed.message + crashed.hint
    result = LintResult("t", "2.3.2", tuple(findings), 1, 0)
    assert exit_code(result, Severity.ERROR) == 2


def test_severity_override_and_disable(make_tree: TreeFactory) -> None:
    workspace = collect(make_tree({"e.toml": "\n"}), load())
    raised = RuleSettings(severities={"empty-file": Severity.ERROR})
    (finding,) = run_rules(workspace, [EMPTY], RuleOptions(), raised)
    assert finding.severity is Severity.ERROR
    off = RuleSettings(disabled=frozenset({"KG003"}))
    assert run_rules(workspace, [EMPTY], RuleOptions(), off) == []


def test_exit_codes_follow_the_threshold() -> None:
    warning = Finding(
        "KG003", "empty-file", Severity.WARNING, FailureClass.INVALID_CONFIG, "m"
    )
    result = LintResult("t", "2.3.2", (warning,), 1, 0)
    assert exit_code(result, Severity.WARNING) == 1
    assert exit_code(result, Severity.ERROR) == 0
