"""The one priority mapping: table entries, defaults, and their precedence."""

from __future__ import annotations

import pytest

from komodo_guard.report.audit import priority
from komodo_guard.report.audit.priority import Priority, default_priority, priority_of
from komodo_guard.rules.interface import FailureClass, Severity
from komodo_guard.rules.registry import find
from tests.report.samples import EMPTY, SYNTAX, UNSYNCED, finding

C = FailureClass


@pytest.mark.parametrize("key", sorted(priority.RULE_PRIORITIES))
def test_every_table_entry_names_a_registered_rule(key: str) -> None:
    assert find(key) is not None, f"{key} is in RULE_PRIORITIES but not registered"


@pytest.mark.parametrize(
    ("severity", "failure_class", "expected"),
    [
        (Severity.ERROR, C.INVALID_CONFIG, Priority.P0),
        (Severity.ERROR, C.LIFECYCLE, Priority.P0),
        (Severity.WARNING, C.EXPOSURE, Priority.P0),
        (Severity.ERROR, C.SECRET_DRIFT, Priority.P0),
        (Severity.ERROR, C.SYNC_DRIFT, Priority.P1),
        (Severity.ERROR, C.INCOMPLETE, Priority.P1),
        (Severity.WARNING, C.INVALID_CONFIG, Priority.P1),
        (Severity.WARNING, C.SILENT_FAILURE, Priority.P1),
        (Severity.INFO, C.EXPOSURE, Priority.P2),
        (Severity.INFO, C.STALE_CONFIG, Priority.P2),
    ],
)
def test_default_by_severity_and_class(
    severity: Severity, failure_class: FailureClass, expected: Priority
) -> None:
    assert default_priority(severity, failure_class) is expected


def test_findings_of_the_file_rules() -> None:
    assert [priority_of(f) for f in (SYNTAX, EMPTY, UNSYNCED)] == [
        Priority.P0,
        Priority.P1,
        Priority.P1,
    ]


def test_the_table_wins_over_the_default_even_for_p0(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(priority, "RULE_PRIORITIES", {"KG999": Priority.P0})
    listed = finding("KG999", name="x", severity=Severity.INFO)
    assert priority_of(listed) is Priority.P0


def test_labels_and_meanings() -> None:
    assert [(p.label, p.meaning) for p in Priority] == [
        ("P0", "breaks deploys, is failing now or leaks secrets"),
        ("P1", "silent drift"),
        ("P2", "hygiene"),
    ]


@pytest.mark.parametrize("name", sorted(priority.FAILING_NOW))
def test_failing_now_names_registered_rules(name: str) -> None:
    assert find(name) is not None, f"{name} is in FAILING_NOW but not registered"


def test_production_failing_now_is_p0_only_as_an_error() -> None:
    outage = finding("KG1101", name="outage-open", failure_class=C.SILENT_FAILURE)
    stopped = finding(
        "KG1006",
        name="stack-not-running",
        severity=Severity.INFO,
        failure_class=C.SILENT_FAILURE,
    )
    assert priority_of(outage) is Priority.P0
    assert priority_of(stopped) is Priority.P2
