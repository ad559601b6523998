"""Grouping, ordering, what to fix first and what remains."""

from __future__ import annotations

from komodo_guard.report.audit.model import FIX_FIRST_LIMIT, OFFLINE_GAPS, build
from komodo_guard.report.audit.priority import Priority
from komodo_guard.rules.interface import FailureClass, Location, Severity
from tests.report.samples import EMPTY, SYNTAX, UNSYNCED, finding, result


def test_groups_by_class_most_urgent_first() -> None:
    audit = build(result(UNSYNCED, EMPTY, SYNTAX))
    assert [(g.failure_class, g.priority) for g in audit.groups] == [
        (FailureClass.INVALID_CONFIG, Priority.P0),
        (FailureClass.SYNC_DRIFT, Priority.P1),
    ]
    assert [i.finding.code for i in audit.groups[0].items] == ["KG001", "KG003"]
    assert audit.by_priority() == {Priority.P0: 1, Priority.P1: 2}
    assert audit.cell(FailureClass.INVALID_CONFIG, Priority.P1) == 1
    assert audit.name == "."


def test_suppressed_findings_are_not_grouped() -> None:
    hidden = finding(location=Location("a.toml", 1, 1), suppressed="why")
    assert build(result(hidden)).groups == ()


def test_fix_first_bundles_by_rule_and_keeps_the_limit() -> None:
    many = [
        finding(f"KG1{n:02}", name=f"r{n}", location=Location(f"f{n}.toml", 1, 1))
        for n in range(7)
    ]
    twice = finding(
        "KG003",
        name="empty-file",
        severity=Severity.WARNING,
        location=Location("b.toml", 1, 1),
    )
    audit = build(result(*many, EMPTY, twice))
    assert len(audit.fix_first) == FIX_FIRST_LIMIT
    assert [b.code for b in audit.fix_first] == [
        "KG100",
        "KG101",
        "KG102",
        "KG103",
        "KG104",
    ]
    everything = build(result(EMPTY, twice, SYNTAX))
    first, second = everything.fix_first
    assert (first.code, first.count) == ("KG001", 1)
    assert (second.code, second.count, second.files) == (
        "KG003",
        2,
        ("b.toml", "empty.toml"),
    )


def test_gaps_list_every_unchecked_area_and_incomplete_checks() -> None:
    crashed = finding(
        "KG000",
        name="check-incomplete",
        failure_class=FailureClass.INCOMPLETE,
        message="rule KG201 (duplicate-name) could not run",
    )
    audit = build(result(crashed))
    assert audit.gaps[: len(OFFLINE_GAPS)] == OFFLINE_GAPS
    assert [g.status for g in OFFLINE_GAPS].count(
        "not checked: this audit reads the tree only, not Komodo Core's API "
        "(`--komodo URL` reads it)"
    ) == 2
    (extra,) = audit.gaps[len(OFFLINE_GAPS) :]
    assert extra.covers == "rule KG201 (duplicate-name) could not run"
    assert extra.status.startswith("incomplete")


def test_where_a_finding_without_file_or_resource_applies() -> None:
    from komodo_guard.report.audit.model import whole_run_label
    from tests.report.samples import finding

    assert whole_run_label(finding("KG1015", name="alerts-not-sent")) == "Komodo Core"
    assert whole_run_label(finding("KG000", name="check-incomplete")) == "(whole run)"
