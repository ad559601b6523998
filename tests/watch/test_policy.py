"""The decision, without SQLite: sequences of cycles on an injected clock."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from komodo_guard.rules.interface import Severity
from komodo_guard.watch.maintenance import FixedWindow
from komodo_guard.watch.model import Cycle, Kind
from komodo_guard.watch.policy import CORE, Memory, decide
from komodo_guard.watch.settings import Policy, Reminders
from tests.watch.helpers import (
    T0,
    TAKES,
    Pure,
    kinds,
    pending,
    pure_clock,
    stack_down,
    unread,
)

HOUR = timedelta(hours=1)
ERROR = Severity.ERROR


def test_new_once_then_quiet_while_durations_change() -> None:
    clock = pure_clock()
    [new] = clock.cycle(pending(days=2))
    assert new.kind is Kind.NEW
    assert new.title == "KG1001 sync-pending: resource_sync 'homelab'"
    assert new.severity is Severity.WARNING
    assert new.first_seen == T0
    assert new.at == T0 + TAKES
    assert "has been pending for 2 days 4 hours" in new.body
    assert "Open for less than a minute (since 2026-11-29 04:12 UTC)." in new.body
    assert "Hint: run the sync in Komodo" in new.body
    assert clock.cycle(pending(days=3)) == []
    assert clock.run(5, pending(days=4)) == []


def test_worse_when_severity_rises_only() -> None:
    clock = pure_clock()
    clock.cycle(pending())
    [worse] = clock.cycle(pending(severity=ERROR))
    assert worse.kind is Kind.WORSE
    assert worse.severity is ERROR
    assert worse.body.startswith("Severity rose from warning to error.")
    assert clock.cycle(pending(severity=Severity.WARNING)) == []
    assert kinds(clock.cycle(pending(severity=ERROR))) == [Kind.WORSE]


def test_resolved_after_two_good_cycles_and_one_flaky_cycle_changes_nothing() -> None:
    clock = pure_clock()
    clock.cycle(pending())
    assert clock.cycle() == []
    assert clock.cycle(pending()) == []
    assert clock.cycle() == []
    [resolved] = clock.cycle()
    assert resolved.kind is Kind.RESOLVED
    assert resolved.body.startswith(
        "Resolved: not reported since 2026-11-29 04:22 UTC (2 good cycles in a row); "
        "it was open for 10 minutes."
    )
    assert clock.cycle() == []


def test_resolve_after_is_configurable() -> None:
    clock = pure_clock(Policy(resolve_after=1))
    clock.cycle(pending())
    assert kinds(clock.cycle()) == [Kind.RESOLVED]
    clock = pure_clock(Policy(resolve_after=4))
    clock.cycle(pending())
    assert clock.run(3) == []
    assert kinds(clock.cycle()) == [Kind.RESOLVED]


def test_back_after_resolution_is_new_with_a_new_first_seen() -> None:
    clock = pure_clock(Policy(resolve_after=1))
    clock.cycle(pending())
    clock.cycle()
    back_at = clock.now
    [new] = clock.cycle(pending())
    assert new.kind is Kind.NEW
    assert new.first_seen == back_at


def test_reminders_follow_each_severity() -> None:
    clock = pure_clock(every=HOUR)
    error, warning = stack_down(), pending()
    info = replace(pending("x"), severity=Severity.INFO)
    opened = clock.cycle(error, warning, info)
    assert kinds(opened) == [Kind.NEW] * 3
    reminders = [
        (index, transition.identity.split(":")[0])
        for index in range(1, 49)
        for transition in clock.cycle(error, warning, info)
        if transition.kind is Kind.REMINDER
    ]
    errors = [(4 * n, "KG1009") for n in range(1, 13)]
    assert sorted(reminders) == sorted([*errors, (24, "KG1001"), (48, "KG1001")])


def test_reminder_intervals_are_configurable_and_say_still_open() -> None:
    policy = Policy(reminders=Reminders(error=None, warning=2 * HOUR))
    clock = pure_clock(policy, every=HOUR)
    clock.cycle(stack_down(), pending())
    assert clock.cycle(stack_down(), pending()) == []
    [reminder] = clock.cycle(stack_down(), pending())
    assert reminder.kind is Kind.REMINDER
    assert reminder.body.startswith("Still open, reminder 1.")
    assert "Open for 2 hours" in reminder.body


def test_flapping_is_summarised_then_quiet_then_stable() -> None:
    policy = Policy(resolve_after=1, flap_limit=2, stable_after=HOUR)
    clock = pure_clock(policy)
    assert kinds(clock.cycle(pending())) == [Kind.NEW]
    assert kinds(clock.cycle()) == [Kind.RESOLVED]
    assert kinds(clock.cycle(pending())) == [Kind.NEW]
    assert kinds(clock.cycle()) == [Kind.RESOLVED]
    [flapping] = clock.cycle(pending())
    assert flapping.kind is Kind.FLAPPING
    assert "opened 3 times within 6 hours" in flapping.body
    for _ in range(5):
        assert clock.cycle() == []
        assert clock.cycle(pending(severity=ERROR)) == []
    assert clock.run(11, pending(severity=ERROR)) == []
    [stable] = clock.cycle(pending(severity=ERROR))
    assert stable.kind is Kind.STABLE
    assert stable.body.startswith("Stable again: still open, without change for 1 hour")
    assert clock.cycle(pending()) == []
    assert kinds(clock.cycle()) == [Kind.RESOLVED]


def test_flapping_can_become_stable_while_resolved() -> None:
    clock = pure_clock(Policy(resolve_after=1, flap_limit=1, stable_after=HOUR))
    clock.cycle(pending())
    clock.cycle()
    assert kinds(clock.cycle(pending())) == [Kind.FLAPPING]
    assert clock.run(12) == []
    [stable] = clock.cycle()
    assert stable.body.startswith("Stable again: resolved")
    assert kinds(clock.cycle(pending())) == [Kind.NEW]


def test_openings_outside_the_flap_window_do_not_count() -> None:
    clock = pure_clock(Policy(resolve_after=1, flap_limit=1), every=4 * HOUR)
    for _ in range(4):
        assert kinds(clock.cycle(pending())) == [Kind.NEW]
        assert kinds(clock.cycle()) == [Kind.RESOLVED]


def window_policy(start: int, end: int, **more: object) -> Policy:
    window = FixedWindow(T0 + start * HOUR, T0 + end * HOUR)
    return Policy(maintenance=(window,), **more)  # type: ignore[arg-type]


def test_maintenance_holds_alerts_and_releases_one_summary() -> None:
    clock = pure_clock(window_policy(1, 3, resolve_after=1), every=HOUR)
    clock.cycle(pending())
    assert clock.cycle(stack_down(), pending()) == []
    assert clock.cycle(stack_down(), pending(severity=ERROR)) == []
    [summary] = clock.cycle(stack_down(), pending(severity=ERROR))
    assert summary.kind is Kind.MAINTENANCE_SUMMARY
    assert summary.identity == "maintenance"
    assert summary.severity is ERROR
    assert summary.title == "Maintenance over: 1 new, 1 worse"
    assert summary.body.splitlines() == [
        "Alerts held during the maintenance window:",
        "2026-11-29 05:12 UTC new: KG1009 stack-not-running: stack 'web'",
        "2026-11-29 06:12 UTC worse: KG1001 sync-pending: resource_sync 'homelab'",
    ]
    assert summary.first_seen == T0 + HOUR + TAKES
    [resolved] = clock.cycle(stack_down())
    assert (resolved.kind, resolved.title) == (
        Kind.RESOLVED,
        "KG1001 sync-pending: resource_sync 'homelab'",
    )


def test_reminders_are_skipped_in_a_window_and_resume_after() -> None:
    policy = window_policy(3, 6, reminders=Reminders(error=4 * HOUR))
    clock = pure_clock(policy, every=HOUR)
    clock.cycle(stack_down())
    assert clock.run(5, stack_down()) == []
    assert kinds(clock.cycle(stack_down())) == [Kind.REMINDER]


def test_snoozed_finding_sends_nothing_until_the_snooze_ends() -> None:
    pure = Pure(Policy(reminders=Reminders(error=HOUR)))
    clock = pure_clock(every=HOUR)
    clock.record = pure
    [new] = clock.cycle(stack_down())
    record = pure.memory.findings[new.identity]
    until = clock.now + 3 * HOUR
    pure.memory = replace(
        pure.memory,
        findings={new.identity: replace(record, snoozed_until=until)},
    )
    assert clock.cycle(stack_down(severity=ERROR)) == []
    assert clock.run(2, stack_down()) == []
    assert kinds(clock.cycle(stack_down())) == [Kind.REMINDER]


def test_opened_while_snoozed_is_announced_when_the_snooze_ends() -> None:
    pure = Pure(Policy(resolve_after=1))
    clock = pure_clock()
    clock.record = pure
    [new] = clock.cycle(pending())
    clock.cycle()
    record = pure.memory.findings[new.identity]
    snoozed = replace(record, snoozed_until=clock.now + timedelta(minutes=7))
    pure.memory = replace(pure.memory, findings={new.identity: snoozed})
    assert clock.cycle(pending()) == []
    assert clock.cycle(pending()) == []
    [late] = clock.cycle(pending())
    assert late.kind is Kind.NEW
    assert late.body.startswith("Announced now: it opened while snoozed.")
    assert kinds(clock.cycle()) == [Kind.RESOLVED]


def test_unchecked_cycles_do_not_resolve() -> None:
    clock = pure_clock()
    clock.cycle(pending())
    for _ in range(2):
        assert clock.down() == []
    assert kinds(clock.down()) == [Kind.CANNOT_CHECK]
    assert kinds(clock.cycle(pending())) == [Kind.CAN_CHECK_AGAIN]
    assert clock.cycle() == []
    assert kinds(clock.cycle()) == [Kind.RESOLVED]


def test_cycles_with_a_call_that_could_not_be_read_do_not_resolve() -> None:
    clock = pure_clock(Policy(resolve_after=1))
    clock.cycle(pending())
    assert clock.cycle(unread()) == []
    assert clock.cycle(unread()) == []
    assert kinds(clock.cycle()) == [Kind.RESOLVED]


def test_findings_seen_while_core_is_unreachable_still_count() -> None:
    clock = pure_clock()
    assert kinds(clock.cycle(pending(), checked=False, reason="timeout")) == [Kind.NEW]


def test_cannot_check_after_n_failures_with_reminders_and_recovery() -> None:
    policy = Policy(cannot_check_after=3, reminders=Reminders(error=HOUR))
    clock = pure_clock(policy, every=timedelta(minutes=20))
    assert clock.down("HTTP 401: API key refused") == []
    assert clock.down("HTTP 401: API key refused") == []
    [down] = clock.down("connection refused")
    assert down.kind is Kind.CANNOT_CHECK
    assert down.identity == CORE
    assert down.severity is ERROR
    assert down.title == (
        "Komodo cannot be checked since 2026-11-29 04:12 UTC: connection refused"
    )
    assert down.first_seen == T0
    assert "3 cycles in a row could not check this" in down.body
    assert clock.down() == []
    assert clock.down() == []
    [reminder] = clock.down()
    assert reminder.kind is Kind.REMINDER
    assert reminder.title.startswith("Komodo still cannot be checked since")
    [back] = clock.cycle()
    assert back.kind is Kind.CAN_CHECK_AGAIN
    assert back.identity == CORE
    assert "after 2 hours (6 failed cycles since 2026-11-29 04:12 UTC)" in back.body
    assert clock.cycle() == []


def test_a_short_outage_is_not_announced() -> None:
    clock = pure_clock()
    assert clock.down() == []
    assert clock.down() == []
    assert clock.cycle() == []
    assert clock.down() == []
    assert clock.down() == []
    assert clock.cycle() == []


def test_a_call_that_cannot_be_read_is_its_own_blind_spot() -> None:
    clock = pure_clock()
    assert clock.cycle(unread(reason="HTTP 403")) == []
    assert clock.cycle(unread(reason="timed out")) == []
    [down] = clock.cycle(unread(reason="HTTP 500"), pending())[:1]
    assert down.kind is Kind.CANNOT_CHECK
    assert down.identity.startswith("cannot-check:KG000:-:")
    assert down.title == (
        "Komodo cannot be fully checked since 2026-11-29 04:12 UTC: "
        "could not read alerters from Komodo Core"
    )
    assert "HTTP 500" in down.body
    [back] = clock.cycle(pending())
    assert back.kind is Kind.CAN_CHECK_AGAIN
    assert back.identity == down.identity


def test_incomplete_findings_are_not_tracked_as_findings() -> None:
    pure = Pure()
    decision = decide(Memory(), [unread()], Cycle(T0, T0 + TAKES), pure.policy)
    assert decision.memory.findings == {}
    assert list(decision.memory.blind_spots) != []


def test_a_call_blind_spot_waits_while_core_is_down() -> None:
    clock = pure_clock()
    clock.cycle(unread())
    clock.cycle(unread())
    assert clock.down() == []
    assert kinds(clock.cycle(unread())) == [Kind.CANNOT_CHECK]


def test_cannot_check_in_a_window_is_held_then_sent_if_it_lasts() -> None:
    clock = pure_clock(window_policy(0, 1), every=timedelta(minutes=20))
    assert clock.down() == []
    assert clock.down() == []
    assert clock.down() == []
    summary, down = clock.down()
    assert summary.kind is Kind.MAINTENANCE_SUMMARY
    assert "cannot-check: Komodo cannot be checked since" in summary.body
    assert down.kind is Kind.CANNOT_CHECK
    assert kinds(clock.cycle()) == [Kind.CAN_CHECK_AGAIN]


def test_recovery_inside_a_window_goes_into_the_summary() -> None:
    clock = pure_clock(window_policy(0, 2), every=timedelta(minutes=20))
    for _ in range(3):
        assert clock.down() == []
    assert clock.cycle() == []
    assert clock.run(2) == []
    [summary] = clock.cycle()
    assert summary.title == "Maintenance over: 1 can-check-again, 1 cannot-check"


def test_a_changed_message_continues_the_finding() -> None:
    clock = pure_clock(Policy(resolve_after=1))
    clock.cycle(stack_down("exited (connection refused)"))
    assert clock.cycle(stack_down("exited (connection reset by peer)")) == []
    assert clock.cycle(stack_down("exited (connection refused)")) == []


def test_two_problems_of_one_rule_on_one_resource_stay_apart() -> None:
    clock = pure_clock(Policy(resolve_after=1))
    assert kinds(clock.cycle(stack_down("exited"))) == [Kind.NEW]
    both = clock.cycle(stack_down("exited"), stack_down("unhealthy and restarting"))
    assert kinds(both) == [Kind.NEW]
    [resolved] = clock.cycle(stack_down("unhealthy and restarting"))
    assert resolved.kind is Kind.RESOLVED
    assert "is exited" in resolved.body


def test_an_unlike_message_is_a_new_finding() -> None:
    disabled = replace(
        stack_down(),
        message="stack 'web' is disabled; the stacks and deployments placed on it "
        "do not run",
    )
    unreachable = replace(
        stack_down(),
        message="stack 'web' is unreachable for 3 hours: connection refused; "
        "nothing on it is deployed or monitored",
    )
    clock = pure_clock(Policy(resolve_after=1))
    clock.cycle(disabled)
    assert sorted(kinds(clock.cycle(unreachable))) == [Kind.NEW, Kind.RESOLVED]


def test_suppressed_findings_count_as_not_reported() -> None:
    clock = pure_clock(Policy(resolve_after=1))
    clock.cycle(pending())
    assert kinds(clock.cycle(replace(pending(), suppressed="known, ticket 12"))) == [
        Kind.RESOLVED
    ]
    assert clock.cycle(replace(stack_down(), suppressed="planned")) == []
