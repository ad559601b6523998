"""The postmortem of one outage: what belongs to it, and how it reads."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from komodo_guard.history.kinds import KIND_TEXT
from komodo_guard.history.model import IncidentKind, Outage
from komodo_guard.komodo.updates import Target
from komodo_guard.live.views import Alert
from komodo_guard.report import postmortem
from komodo_guard.rules.interface import FailureClass, ResourceRef, Severity
from tests.report.histories import (
    BACKUP,
    DAY,
    END,
    MEALIE,
    PULL_BLOCKED,
    UNTIL,
    backup_outages,
    failure,
    live_summary,
    mealie_outage,
    sample_history,
    update,
)
from tests.report.samples import finding

OPEN_ON_MEALIE = finding(
    "KG1101",
    name="outage-open",
    severity=Severity.ERROR,
    failure_class=FailureClass.SILENT_FAILURE,
    message="stack 'mealie' has failed to deploy for 5 days",
    resource=ResourceRef("stack", "mealie"),
    hint="remove the untracked files",
)
ELSEWHERE = finding(
    "KG1101",
    name="outage-open",
    failure_class=FailureClass.SILENT_FAILURE,
    message="deployment 'mongo-backup' fails",
    resource=ResourceRef("deployment", "mongo-backup"),
)
UNREAD = finding(
    "KG000",
    name="check-incomplete",
    failure_class=FailureClass.INCOMPLETE,
    message="could not read ListStacks",
    resource=ResourceRef("stack", "mealie"),
)


def alert(target: Target, at: int, kind: str, *, resolved: bool = False) -> Alert:
    return Alert(
        f"a-{at}", at, resolved, "WARNING", kind, Target(target.kind, target.id)
    )


def mealie_incident() -> postmortem.Incident:
    history = sample_history()
    outage = mealie_outage()
    updates = [
        *(f.update for f in history.failures),
        update(MEALIE, END - 12 * 3_600_000, success=True, operation="UpdateStack"),
        update(MEALIE, END - 10 * DAY, success=True, operation="UpdateStack"),
        update(BACKUP, END - DAY, success=True, operation="UpdateDeployment"),
    ]
    alerts = [
        alert(MEALIE, END - 4 * DAY, "StackStateChange", resolved=True),
        alert(MEALIE, END - 6 * DAY, "StackStateChange"),
        alert(BACKUP, END - DAY, "ContainerStateChange"),
    ]
    return postmortem.incident(
        outage,
        history=history,
        live=live_summary(),
        updates=updates,
        alerts=alerts,
        findings=[OPEN_ON_MEALIE, ELSEWHERE, UNREAD],
    )


def test_selects_what_belongs_to_the_outage() -> None:
    found = mealie_incident()
    assert [a.ts for a in found.alerts] == [END - 4 * DAY]
    assert [(u.operation, u.start_ts) for u in found.edits] == [
        ("UpdateStack", END - 12 * 3_600_000)
    ]
    assert [o.target for o in found.concurrent] == [BACKUP]
    assert found.findings == (OPEN_ON_MEALIE,)
    assert found.end == END


def test_users_are_named_from_the_updates_that_carry_names() -> None:
    found = mealie_incident()
    nameless = update(MEALIE, 1, success=False, username="")
    assert found.who(nameless) == "alice"
    stranger = update(MEALIE, 1, success=False, username="", operator="id-zed")
    assert found.who(stranger) == "user id-zed"


def test_markdown_of_an_open_outage() -> None:
    text = postmortem.render(mealie_incident())
    lines = text.splitlines()
    assert lines[0] == (
        "# Postmortem: git-pull-blocked on Stack mealie, 2026-11-26 12:00 UTC"
    )
    assert "Incident `git-pull-blocked-mealie-20261126T1200`." in lines[2]
    assert (
        "- **How long**: 5 d so far: from 2026-11-26 12:00 UTC, still failing when "
        "the log was read at 2026-12-01 12:00 UTC." in lines
    )
    assert (
        "- **Impact**: `Stack mealie`, for 5 d: 3 failed updates (DeployStack, "
        "started by Git Webhook, alice); what they were to apply did not reach it "
        "in that time." in lines
    )
    assert any(
        line.startswith("- **Also failing meanwhile**: `Deployment") for line in lines
    )
    assert (
        "| 2026-11-26 12:00 UTC | DeployStack | Git Webhook | failed: "
        f"`{PULL_BLOCKED}` |" in lines
    )
    assert (
        "| 2026-11-28 12:00 UTC | DeployStack | alice | failed (its log was not "
        "read) |" in lines
    )
    assert (
        "| 2026-11-27 12:00 UTC | alert StackStateChange (WARNING) | Core | "
        "resolved since |" in lines
    )
    assert (
        "| 2026-12-01 00:00 UTC | UpdateStack | alice | configuration edited |" in lines
    )
    assert f"    {PULL_BLOCKED}" in lines
    assert "Nothing yet:" in text
    assert "Configuration edits of the target since the last failure:" in text
    fix = KIND_TEXT[IncidentKind.GIT_PULL_BLOCKED].fix
    assert any(line.startswith("- [ ] ") and fix[:30] in line for line in lines)
    assert (
        "- [ ] KG1101 outage-open: stack 'mealie' has failed to deploy for 5 days. "
        "Fix: remove the untracked files." in lines
    )
    assert "mongo-backup' fails" not in text


def test_markdown_of_an_ended_outage_names_the_recovery_and_its_commit() -> None:
    fixed, _ = backup_outages()
    found = postmortem.incident(
        fixed,
        history=sample_history(),
        live=live_summary(unread=("ListAlerts: Core answered 500",)),
        updates=[],
        alerts=[],
        findings=[],
    )
    text = postmortem.render(found)
    assert (
        "Deploy started by alice at 2026-11-22 12:00 UTC succeeded, at commit "
        "`0a1b2c3d`." in text
    )
    assert (
        "No configuration edit of the target between the last failure and the "
        "recovery is in Core's log." in text
    )
    assert "Not everything could be read, so parts may be missing: ListAlerts" in text
    assert (
        "- **How long**: 1 d: from 2026-11-21 12:00 UTC to 2026-11-22 12:00 UTC."
        in text
    )


def test_commit_hashes_only_from_pull_lines() -> None:
    fixed, back = backup_outages()
    assert fixed.recovery is not None
    assert postmortem.commit_of(fixed.recovery) == "0a1b2c3d"
    assert postmortem.commit_of(back.failures[0].update) == ""


def test_inferred_failures_say_no_log_backs_the_kind() -> None:
    outage = mealie_outage()
    bare = outage.__class__(outage.kind, outage.target, outage.failures[1:2], None)
    found = postmortem.incident(
        bare,
        history=sample_history(),
        live=live_summary(),
        updates=[],
        alerts=[],
        findings=[],
    )
    assert "No log line backs this" in postmortem.render(found)
    assert "inferred from the operation or from the nearest" in postmortem.render(found)


def test_a_failure_of_unknown_cause_is_not_called_unmatched() -> None:
    unknown = replace(
        failure(BACKUP, END - DAY, IncidentKind.OTHER), unread=True, inferred=True
    )
    outage = Outage(IncidentKind.OTHER, BACKUP, (unknown,), None, sole=True)
    found = postmortem.incident(
        outage,
        history=sample_history(),
        live=live_summary(),
        updates=[],
        alerts=[],
        findings=[],
    )
    text = postmortem.render(found)
    assert "why it failed is unknown: komodo-guard did not read" in " ".join(
        text.split()
    )
    assert "Incident `other-mongo-backup`." in text
    assert "| failed (its log was not read) |" in text


def test_the_window_of_one_day_is_singular() -> None:
    found = postmortem.incident(
        mealie_outage(),
        history=sample_history(),
        live=live_summary(since=UNTIL - timedelta(days=1)),
        updates=[],
        alerts=[],
        findings=[],
    )
    assert ", last 1 day, read at " in postmortem.render(found)
