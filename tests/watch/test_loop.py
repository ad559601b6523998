"""The watcher's loop with stand-in checks and channels on an injected clock:
alerts for every transition, delivery and retries, cannot-check, failures
that do not end the loop, deadlines, stop and reload, status and metrics."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from komodo_guard.config import Config
from komodo_guard.notify.channels import parse_channel
from komodo_guard.notify.interface import Channel, Delivery, Outcome
from komodo_guard.notify.message import Alert
from komodo_guard.notify.message import Transition as AlertTransition
from komodo_guard.rules.interface import Finding, Severity
from komodo_guard.watch.alerts import alert_of, alert_transition
from komodo_guard.watch.loop import (
    Control,
    Observation,
    Watcher,
    run_forever,
)
from komodo_guard.watch.metrics import Metrics
from komodo_guard.watch.model import Kind, Transition
from komodo_guard.watch.server import Board
from komodo_guard.watch.settings import Policy
from komodo_guard.watch.settings_file import WatchSettings
from komodo_guard.watch.state import WatchState
from komodo_guard.watch.status import Status
from tests.watch.helpers import EVERY, T0, pending, stack_down, unread

OK = Outcome(Delivery.DELIVERED, "delivered")
DOWN = Outcome(Delivery.RETRYABLE, "HTTP 503 from 127.0.0.1")


def channels(*names: str) -> tuple[Channel, ...]:
    return tuple(
        parse_channel(
            i, {"type": "webhook", "name": n, "url": f"http://127.0.0.1:9/{n}"}
        )
        for i, n in enumerate(names)
    )


@dataclass
class FakeClock:
    now: datetime = T0

    def __call__(self) -> datetime:
        return self.now


@dataclass
class Inbox:
    """A send function: records what each channel got; ``down`` channels fail."""

    got: list[tuple[str, Alert]] = field(default_factory=list)
    down: set[str] = field(default_factory=set)

    def __call__(self, channel: Channel, alert: Alert) -> Outcome:
        if channel.name in self.down:
            return DOWN
        self.got.append((channel.name, alert))
        return OK

    def keys(self, channel: str) -> list[str]:
        return [alert.key for name, alert in self.got if name == channel]


@dataclass
class Checks:
    """A check that answers from ``answers`` in order (then the last again)."""

    answers: list[Observation]
    calls: int = 0

    def __call__(self) -> Observation:
        self.calls += 1
        return self.answers[min(self.calls, len(self.answers)) - 1]


def seen(*findings: Finding) -> Observation:
    return Observation(tuple(findings))


DOWN_CORE = Observation(checked=False, reason="GetVersion: cannot reach Core")


def settings_for(tmp_path: Path, **changes: object) -> WatchSettings:
    values: dict[str, object] = {
        "config": Config(),
        "interval": EVERY,
        "cycle_timeout": timedelta(seconds=5),
        "state_path": tmp_path / "state" / "watch.sqlite",
        "outbox_path": tmp_path / "state" / "outbox.sqlite",
        "policy": Policy(),
        "channels": channels("a", "b"),
    }
    values.update(changes)
    return WatchSettings(**values)  # type: ignore[arg-type]


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def inbox() -> Inbox:
    return Inbox()


Make = Callable[..., Watcher]


@pytest.fixture
def make(tmp_path: Path, clock: FakeClock, inbox: Inbox) -> Iterator[Make]:
    made: list[Watcher] = []

    def build(check: Callable[[], Observation], **changes: Any) -> Watcher:
        extra = {k: changes.pop(k) for k in list(changes) if k in _WATCHER_KEYS}
        watcher = Watcher(
            settings_for(tmp_path, **changes), check, inbox, clock=clock, **extra
        )
        made.append(watcher)
        return watcher

    yield build
    for watcher in made:
        watcher.close()


_WATCHER_KEYS = ("board", "metrics", "control", "stop_grace", "pinger")


def step(watcher: Watcher, clock: FakeClock) -> list[Transition]:
    result = watcher.cycle()
    clock.now += EVERY
    return list(result.transitions)


def test_every_transition_kind_has_its_own_alert_transition() -> None:
    mapped = {alert_transition(kind) for kind in Kind}
    assert len(mapped) == len(Kind)
    assert {m.value for m in mapped} == {k.value for k in Kind}
    assert AlertTransition.CHANNEL_FAILING not in mapped


def test_an_alert_keeps_the_transition_s_words_and_key() -> None:
    transition = Transition(
        Kind.RESOLVED, "KG1:x", Severity.ERROR, "KG1 x: stack 'a'", "over", T0, T0
    )
    alert = alert_of(transition)
    assert (alert.key, alert.title, alert.body) == (
        transition.key,
        "KG1 x: stack 'a'",
        "over",
    )
    assert (alert.severity.value, alert.transition.value) == ("resolved", "resolved")
    assert alert.created_at == T0
    worse = alert_of(replace(transition, kind=Kind.WORSE))
    assert (worse.severity.value, worse.transition.value) == ("error", "worse")


def test_new_and_resolved_findings_reach_every_channel_once(
    make: Make, clock: FakeClock, inbox: Inbox
) -> None:
    watcher = make(Checks([seen(pending()), seen(), seen(), seen()]))
    kinds = [t.kind for _ in range(4) for t in step(watcher, clock)]
    assert kinds == [Kind.NEW, Kind.RESOLVED]
    for name in ("a", "b"):
        got = inbox.keys(name)
        assert len(got) == 2
        assert len(set(got)) == 2
        assert got[0].startswith("new:KG1001:resource_sync/homelab:")
        assert got[1].startswith("resolved:KG1001:")
    assert watcher.state.outgoing() == []


def test_core_down_for_n_cycles_is_one_cannot_check_alert_then_recovery(
    make: Make, clock: FakeClock, inbox: Inbox
) -> None:
    watcher = make(
        Checks([seen(stack_down()), *[DOWN_CORE] * 4, seen(stack_down())]),
        policy=Policy(cannot_check_after=3),
    )
    kinds = [[t.kind for t in step(watcher, clock)] for _ in range(6)]
    assert kinds == [
        [Kind.NEW],
        [],
        [],
        [Kind.CANNOT_CHECK],
        [],
        [Kind.CAN_CHECK_AGAIN],
    ]
    titles = [alert.title for name, alert in inbox.got if name == "a"]
    assert titles[1].startswith("Komodo cannot be checked since ")
    assert titles[1].endswith("GetVersion: cannot reach Core")
    assert watcher.state.open_findings()[0].code == "KG1009"


def test_a_failed_cycle_is_recorded_and_pinged_as_failed(
    make: Make, clock: FakeClock
) -> None:
    watcher = make(Checks([DOWN_CORE]))
    result = watcher.cycle()
    assert result.cycle is not None
    assert not result.cycle.checked
    assert watcher.state.recent_cycles(1)[0].reason == "GetVersion: cannot reach Core"
    assert watcher.exit_code(result) == 2


def test_a_check_that_raises_does_not_end_the_loop_and_leaks_nothing(
    make: Make, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    answers = [seen(pending())]

    def check() -> Observation:
        if not answers:
            raise RuntimeError("https://admin:hunter2@core.invalid/?token=abc")
        return answers.pop()

    watcher = make(check)
    caplog.set_level(logging.INFO)
    assert watcher.exit_code(watcher.cycle()) == 1
    clock.now += EVERY
    result = watcher.cycle()
    assert result.cycle is not None
    assert not result.cycle.checked
    assert "RuntimeError" in result.cycle.reason
    assert "the checks failed unexpectedly (RuntimeError)" in caplog.text
    assert "hunter2" not in caplog.text
    assert "abc" not in caplog.text
    assert watcher.state.recent_cycles(2)[0].reason == (
        "the checks failed unexpectedly (RuntimeError)"
    )


def test_a_cycle_that_fails_itself_is_logged_by_type_and_the_next_runs(
    make: Make,
    clock: FakeClock,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    watcher = make(Checks([seen(pending())]))
    original = watcher.state.record

    def broken(*_: object) -> list[Transition]:
        raise OSError("disk full at /secret/path token=abc")

    monkeypatch.setattr(watcher.state, "record", broken)
    result = watcher.cycle()
    assert (result.cycle, result.error) == (None, "OSError")
    assert watcher.exit_code(result) == 2
    assert "cycle failed unexpectedly (OSError)" in caplog.text
    assert "token=abc" not in caplog.text
    monkeypatch.setattr(watcher.state, "record", original)
    clock.now += EVERY
    assert [t.kind for t in watcher.cycle().transitions] == [Kind.NEW]


def test_a_hanging_check_ends_the_cycle_at_its_deadline_and_never_overlaps(
    make: Make, clock: FakeClock
) -> None:
    release = threading.Event()
    running = {"now": 0, "most": 0}

    def hang() -> Observation:
        running["now"] += 1
        running["most"] = max(running["most"], running["now"])
        release.wait(10)
        running["now"] -= 1
        return seen()

    watcher = make(hang, cycle_timeout=timedelta(seconds=0.3))
    began = time.monotonic()
    first = watcher.cycle()
    assert time.monotonic() - began < 2
    assert first.cycle is not None
    assert not first.cycle.checked
    assert "did not end within the cycle timeout" in first.cycle.reason
    second = watcher.cycle()
    assert second.cycle is not None
    assert "previous cycle's checks are still running" in second.cycle.reason
    assert running["most"] == 1
    release.set()
    time.sleep(0.1)
    assert watcher.cycle().cycle.checked  # type: ignore[union-attr]


def test_a_stop_request_ends_a_hanging_cycle_after_the_grace(
    make: Make, clock: FakeClock
) -> None:
    control = Control()
    release = threading.Event()

    def hang() -> Observation:
        release.wait(10)
        return seen()

    watcher = make(hang, control=control, stop_grace=0.3)
    threading.Timer(0.2, control.stop).start()
    began = time.monotonic()
    result = watcher.cycle()
    assert 0.4 < time.monotonic() - began < 2
    assert result.cycle is None
    assert watcher.state.recent_cycles(5) == []
    release.set()


def test_a_stop_request_lets_a_short_cycle_finish(make: Make, clock: FakeClock) -> None:
    control = Control()

    def slow() -> Observation:
        time.sleep(0.3)
        return seen(pending())

    watcher = make(slow, control=control, stop_grace=5)
    threading.Timer(0.05, control.stop).start()
    result = watcher.cycle()
    assert result.cycle is not None
    assert result.cycle.checked
    assert [t.kind for t in result.transitions] == [Kind.NEW]


def test_alerts_recorded_but_not_queued_are_queued_by_the_next_watcher(
    tmp_path: Path, make: Make, clock: FakeClock, inbox: Inbox
) -> None:
    settings = settings_for(tmp_path)
    settings.state_path.parent.mkdir(parents=True)
    with WatchState.open(settings.state_path) as state:  # a watcher killed here
        from komodo_guard.watch.model import Cycle

        state.record([pending()], Cycle(T0, T0 + timedelta(seconds=1)))
        assert [t.kind for t in state.outgoing()] == [Kind.NEW]
    watcher = make(Checks([seen(pending())]))
    assert watcher.state.outgoing() == []
    watcher.deliver()
    assert [a.title for _, a in inbox.got] == [
        "KG1001 sync-pending: resource_sync 'homelab'"
    ] * 2


def test_a_down_channel_is_retried_and_reported_on_the_other(
    make: Make, clock: FakeClock, inbox: Inbox
) -> None:
    inbox.down.add("b")
    watcher = make(Checks([seen(pending())]))
    watcher.cycle()
    assert len(inbox.keys("a")) == 1
    assert inbox.keys("b") == []
    for _ in range(6):
        clock.now += timedelta(minutes=20)
        watcher.deliver()
    failing = [
        a for n, a in inbox.got if a.transition is AlertTransition.CHANNEL_FAILING
    ]
    assert [a.title for a in failing] == ["Notification channel b is failing"]
    inbox.down.clear()
    clock.now += timedelta(hours=2)
    watcher.deliver()
    assert len(inbox.keys("b")) == 1
    health = {h.channel: h for h in watcher.outbox.channel_health()}
    assert health["b"].undelivered == 0


def test_exit_codes_of_once(make: Make, clock: FakeClock) -> None:
    clean = make(Checks([seen()]))
    assert clean.exit_code(clean.cycle()) == 0


@pytest.mark.parametrize(
    ("observation", "code"),
    [
        (seen(pending(severity=Severity.INFO)), 0),
        (seen(pending(severity=Severity.WARNING)), 1),
        (seen(pending(), unread()), 2),
        (DOWN_CORE, 2),
    ],
)
def test_exit_code_follows_fail_on(
    make: Make, observation: Observation, code: int
) -> None:
    watcher = make(Checks([observation]))
    assert watcher.exit_code(watcher.cycle()) == code


def test_board_and_metrics_are_published_after_each_cycle(
    make: Make, clock: FakeClock
) -> None:
    board = Board(Status(interval=EVERY))
    metrics = Metrics()
    watcher = make(Checks([seen(stack_down())]), board=board, metrics=metrics)
    watcher.cycle()
    status = board.status
    assert [f.code for f in status.findings] == ["KG1009"]
    assert [c.channel for c in status.channels] == ["a", "b"]
    text = metrics.exposition().decode()
    opened = [
        line
        for line in text.splitlines()
        if line.startswith("komodo_guard_findings_open{") and line.endswith(" 1.0")
    ]
    assert len(opened) == 1
    assert 'severity="error"' in opened[0]
    assert 'komodo_guard_last_cycle_outcome{outcome="ok"} 1.0' in text


def test_reload_applies_the_new_policy_and_channels(
    tmp_path: Path, make: Make, clock: FakeClock, inbox: Inbox
) -> None:
    checks = Checks([seen(pending()), seen(), seen()])
    watcher = make(checks, policy=Policy(resolve_after=5))
    step(watcher, clock)
    new = settings_for(tmp_path, policy=Policy(resolve_after=1), channels=channels("c"))
    watcher.apply(new, checks, None)
    assert [t.kind for t in step(watcher, clock)] == [Kind.RESOLVED]
    assert [n for n, a in inbox.got if a.transition is AlertTransition.RESOLVED] == [
        "c"
    ]


def test_run_forever_cycles_delivers_in_between_and_stops(
    make: Make, clock: FakeClock, inbox: Inbox
) -> None:
    control = Control()
    checks = Checks([seen(pending())])
    watcher = make(checks, control=control, interval=timedelta(seconds=0.3))
    reloads: list[int] = []
    threading.Timer(0.1, control.reload).start()
    threading.Timer(1.0, control.stop).start()
    began = time.monotonic()
    run_forever(watcher, control, lambda: reloads.append(1), delivery_every=0.05)
    assert time.monotonic() - began < 3
    assert 3 <= checks.calls <= 5
    assert reloads == [1]
    assert len(inbox.keys("a")) == 1
