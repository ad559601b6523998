"""The watcher's loop: check, remember, alert, publish, ping; again and again.

One :meth:`Watcher.cycle`:

1. pings the heartbeat's ``/start``;
2. runs the checks (a :data:`Check`: Core's live findings, the host's, a
   checkout's lint) on a worker thread, waiting at most ``cycle_timeout``;
   checks that could not reach Core, or did not end in time, make a cycle
   that could not check (the state counts those towards "cannot check");
3. records the findings in the :class:`~.state.WatchState`, which decides
   the transitions and keeps them in its file until they are queued;
4. queues each transition's alert in the persistent
   :class:`~komodo_guard.notify.outbox.Outbox` and delivers what is due;
5. publishes the new :class:`~.status.Status` to the status board and the
   metrics, and pings the heartbeat (success, or ``/fail`` with a summary).

One watcher at a time uses a state folder: :class:`Watcher` locks it
(:mod:`.lock`) before opening anything in it, and :meth:`Watcher.close`
frees it. Only the loop's thread touches SQLite: the checks' worker reads
Core and the host, and the status server reads the board. Cycles never overlap: a
worker still running when the next cycle starts makes that cycle one that
could not check. A cycle that fails unexpectedly is logged with the
exception's type (never its message, which could quote a URL with a token)
and the loop goes on.

:func:`run_forever` repeats cycles every ``interval`` and retries delivery
in between, until :class:`Control` says stop (SIGTERM, SIGINT): the current
cycle is finished, bounded by ``stop_grace``, then the files are closed.
SIGHUP asks for a reload, done between cycles by the caller's function.
"""

from __future__ import annotations

import logging
import math
import signal
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from types import FrameType

from komodo_guard.live.snapshot import LiveSnapshot
from komodo_guard.notify.interface import SendFunction
from komodo_guard.notify.outbox import DeliveryReport, Outbox
from komodo_guard.rules.interface import Finding, Severity
from komodo_guard.rules.live.common import duration, plural, scrub
from komodo_guard.watch.alerts import alert_of
from komodo_guard.watch.heartbeat import Pinger
from komodo_guard.watch.identity import could_not_check
from komodo_guard.watch.lock import FolderLock, lock_folder
from komodo_guard.watch.metrics import Metrics, update
from komodo_guard.watch.model import Cycle, Outcome, Transition
from komodo_guard.watch.server import Board
from komodo_guard.watch.settings_file import WatchSettings
from komodo_guard.watch.state import WatchState
from komodo_guard.watch.status import Status, read_status

logger = logging.getLogger(__name__)

HISTORY = timedelta(days=14)
"""Cycles, and findings resolved, older than this are forgotten."""
STOP_GRACE = 20.0
"""Seconds a stop request waits for the current cycle's checks to end."""
DELIVERY_EVERY = 10.0
"""Seconds between delivery passes while waiting for the next cycle."""
_POLL = 0.2
"""Seconds between looks at a running check for a stop request."""

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Observation:
    """What one cycle's checks saw.

    ``checked`` is false when Core could not be checked at all; ``reason``
    then says why in one line. ``snapshot`` is Core's, for the metrics.
    """

    findings: tuple[Finding, ...] = ()
    checked: bool = True
    reason: str = ""
    snapshot: LiveSnapshot | None = None


Check = Callable[[], Observation]
"""Runs one cycle's checks; called on a worker thread, never touches SQLite."""


@dataclass(frozen=True)
class CycleResult:
    """How one cycle ended. ``cycle`` is ``None`` when a stop request ended
    it before its checks did (nothing was recorded); ``error`` names the
    exception type of a cycle that failed unexpectedly."""

    cycle: Cycle | None
    observation: Observation
    transitions: tuple[Transition, ...] = ()
    error: str = ""


class Control:
    """What signals asked for: stop (SIGTERM, SIGINT) or reload (SIGHUP).

    Handlers only set flags and wake :meth:`wait`; the loop acts on them
    between steps.
    """

    def __init__(self) -> None:
        self._wake = threading.Event()
        self.stopping = False
        self._reload = False

    def stop(self) -> None:
        self.stopping = True
        self._wake.set()

    def reload(self) -> None:
        self._reload = True
        self._wake.set()

    def take_reload(self) -> bool:
        """Whether a reload was asked for since the last call."""
        asked, self._reload = self._reload, False
        return asked

    def wait(self, seconds: float) -> None:
        """Sleep up to ``seconds``, less when a signal arrives."""
        self._wake.wait(max(seconds, 0.0))
        self._wake.clear()

    def install(self) -> Callable[[], None]:
        """Handle SIGTERM, SIGINT and SIGHUP; returns what restores the
        previous handlers. Call it from the main thread."""

        def stop(number: int, frame: FrameType | None) -> None:
            logger.info("%s received: stopping after this cycle", _name(number))
            self.stop()

        def reload(number: int, frame: FrameType | None) -> None:
            logger.info("SIGHUP received: reloading the configuration")
            self.reload()

        handlers = {signal.SIGTERM: stop, signal.SIGINT: stop, signal.SIGHUP: reload}
        previous = {number: signal.signal(number, h) for number, h in handlers.items()}

        def restore() -> None:
            for number, handler in previous.items():
                signal.signal(number, handler)

        return restore


def _name(number: int) -> str:
    return signal.Signals(number).name


class Watcher:
    """The state, the outbox and the checks of one watcher; see the module."""

    def __init__(
        self,
        settings: WatchSettings,
        check: Check,
        send: SendFunction,
        *,
        pinger: Pinger | None = None,
        board: Board | None = None,
        metrics: Metrics | None = None,
        control: Control | None = None,
        clock: Clock = utc_now,
        core_url: str = "",
        stop_grace: float = STOP_GRACE,
    ) -> None:
        self.settings = settings
        self._check = check
        self._send = send
        self.pinger = pinger
        self.board = board
        self.metrics = metrics
        self._control = control or Control()
        self._clock = clock
        self._core_url = core_url
        self._stop_grace = stop_grace
        self._worker: threading.Thread | None = None
        self._lock, self.state = _open_state(settings)
        try:
            self.outbox = Outbox(settings.outbox_path, settings.channels, send)
            self._hand_over(clock())
        except BaseException:
            self.state.close()
            self._lock.release()
            raise

    def close(self) -> None:
        """Close the files (everything is already committed) and the pinger,
        then free the state folder for the next watcher."""
        self.outbox.close()
        self.state.close()
        if self.pinger is not None:
            self.pinger.close()
        self._lock.release()

    def apply(
        self, settings: WatchSettings, check: Check, pinger: Pinger | None
    ) -> None:
        """Run with new settings from the next step on (a reload).

        A new state file is opened before the old one is let go: when its
        folder is locked by another watcher, or the file cannot be opened,
        :class:`~.state.WatchStateError` is raised and nothing changes.
        """
        if settings.state_path != self.settings.state_path:
            moved = settings.state_path.parent != self._lock.folder
            lock, state = _open_state(settings, None if moved else self._lock)
            self.state.close()
            if moved:
                self._lock.release()
            self._lock, self.state = lock, state
        self.state.policy = settings.policy
        self.outbox.close()
        self.outbox = Outbox(settings.outbox_path, settings.channels, self._send)
        if self.pinger is not None and self.pinger is not pinger:
            self.pinger.close()
        self.settings, self._check, self.pinger = settings, check, pinger
        self._hand_over(self._clock())

    def cycle(self) -> CycleResult:
        """One whole cycle; never raises for a failure of its own."""
        started = self._clock()
        if self.pinger is not None:
            self.pinger.start()
        try:
            result = self._cycle(started)
        except Exception as error:  # a failed cycle must not end the loop
            name = type(error).__name__
            logger.error(
                "cycle failed unexpectedly (%s); the next one runs as planned",
                name,
                extra={"fields": {"event": "cycle", "outcome": "error"}},
            )
            logger.debug("cycle failure", exc_info=True)
            result = CycleResult(None, Observation(checked=False), error=name)
            self._ping_fail(f"komodo-guard cycle failed unexpectedly ({name})")
        return result

    def _cycle(self, started: datetime) -> CycleResult:
        observation = self._observe()
        if observation is None:
            logger.warning(
                "stopped before this cycle's checks ended; the cycle is not recorded"
            )
            return CycleResult(None, Observation(checked=False))
        ended = max(self._clock(), started)
        reason = scrub(observation.reason) or "Komodo Core could not be checked"
        cycle = Cycle(
            started, ended, observation.checked, "" if observation.checked else reason
        )
        transitions = self.state.record(observation.findings, cycle)
        self._hand_over(ended)
        self.outbox.deliver_due(self._clock())
        self.state.prune(ended - HISTORY)
        self._publish(observation.snapshot)
        self._log_cycle(cycle, observation, transitions)
        if cycle.checked:
            self._ping_success(observation, transitions)
        else:
            self._ping_fail(
                f"komodo-guard could not check Komodo Core in the cycle started "
                f"{started.isoformat()}: {reason}"
            )
        return CycleResult(cycle, observation, tuple(transitions))

    def deliver(self) -> DeliveryReport:
        """Send the alerts that are due; publish channel health if it changed."""
        report = self.outbox.deliver_due(self._clock())
        if report.delivered or report.retrying or report.failed or report.expired:
            self._publish(None)
        return report

    def exit_code(self, result: CycleResult) -> int:
        """As ``drift``: 2 when Core could not be (fully) checked, 1 for open
        findings at or above ``fail_on`` (snoozed ones aside), else 0."""
        observation = result.observation
        if result.cycle is None or result.error or not observation.checked:
            return 2
        if any(could_not_check(f) for f in observation.findings):
            return 2
        threshold, now = self.settings.fail_on, self._clock()
        failing = [
            f
            for f in self.state.open_findings()
            if f.severity >= threshold and not f.snoozed(now)
        ]
        return 1 if failing else 0

    def status(self) -> Status:
        """What the status page shows now; call it on the loop's thread."""
        return read_status(
            self.state,
            interval=self.settings.interval,
            channels=self.outbox.channel_health(),
            heartbeat=self.pinger.status if self.pinger is not None else None,
            core_url=self._core_url,
        )

    def _observe(self) -> Observation | None:
        """Run the checks on a worker thread within the cycle's deadline;
        ``None`` when a stop request ran out of patience first."""
        if self._worker is not None and self._worker.is_alive():
            return Observation(
                checked=False,
                reason="the previous cycle's checks are still running; "
                "Core or the host may be hanging",
            )
        holder: list[Observation] = []
        worker = threading.Thread(
            target=_observe_into,
            args=(self._check, holder),
            name="komodo-guard-checks",
            daemon=True,
        )
        worker.start()
        self._worker = worker
        deadline = time.monotonic() + self.settings.cycle_timeout.total_seconds()
        stop_by = math.inf
        while worker.is_alive():
            now = time.monotonic()
            if self._control.stopping and stop_by == math.inf:
                stop_by = now + self._stop_grace
            if now >= min(deadline, stop_by):
                break
            worker.join(min(min(deadline, stop_by) - now, _POLL))
        if holder:
            return holder[0]
        if stop_by <= time.monotonic():
            return None
        return Observation(
            checked=False,
            reason=f"the checks did not end within the cycle timeout "
            f"({duration(self.settings.cycle_timeout)})",
        )

    def _hand_over(self, now: datetime) -> None:
        """Queue the alert of every transition the state still holds."""
        pending = self.state.outgoing()
        if not pending:
            return
        for transition in pending:
            queued = 0
            if self.settings.channels:
                queued = self.outbox.enqueue(alert_of(transition), now=now)
            logger.info(
                "%s: %s",
                transition.kind.value,
                transition.title,
                extra={
                    "fields": {
                        "event": "alert",
                        "kind": transition.kind.value,
                        "key": transition.key,
                        "severity": transition.severity.label,
                        "queued": queued,
                    }
                },
            )
        if not self.settings.channels:
            logger.warning(
                "%s not sent: no [[notify.channel]] is configured",
                plural(len(pending), "alert"),
            )
        self.state.handed_over(pending)

    def _publish(self, snapshot: LiveSnapshot | None) -> None:
        if self.board is None and self.metrics is None:
            return
        status = self.status()
        if self.board is not None:
            self.board.publish(status)
        if self.metrics is not None:
            update(self.metrics, status, snapshot, self._clock())

    def _log_cycle(
        self, cycle: Cycle, observation: Observation, transitions: Sequence[Transition]
    ) -> None:
        incomplete = sum(could_not_check(f) for f in observation.findings)
        if not cycle.checked:
            outcome = Outcome.FAILED
        else:
            outcome = Outcome.DEGRADED if incomplete else Outcome.OK
        took = (cycle.ended - cycle.started).total_seconds()
        counts = _counts(observation.findings)
        level = logging.INFO if outcome is Outcome.OK else logging.WARNING
        logger.log(
            level,
            "cycle %s in %.1f s: %s, %s%s",
            outcome.value,
            took,
            counts,
            plural(len(transitions), "alert"),
            "" if cycle.checked else f"; {cycle.reason}",
            extra={
                "fields": {
                    "event": "cycle",
                    "outcome": outcome.value,
                    "duration_seconds": round(took, 3),
                    "findings": len(observation.findings) - incomplete,
                    "incomplete": incomplete,
                    "alerts": len(transitions),
                }
            },
        )

    def _ping_success(
        self, observation: Observation, transitions: Sequence[Transition]
    ) -> None:
        if self.pinger is not None:
            summary = (
                f"komodo-guard cycle ok: {_counts(observation.findings)}, "
                f"{plural(len(transitions), 'alert')}"
            )
            self.pinger.success(summary)

    def _ping_fail(self, summary: str) -> None:
        if self.pinger is not None:
            self.pinger.fail(summary)


def _open_state(
    settings: WatchSettings, held: FolderLock | None = None
) -> tuple[FolderLock, WatchState]:
    """Lock the state folder (creating it) unless ``held`` is its lock
    already, then open the state file in it."""
    folder = settings.state_path.parent
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    lock = held or lock_folder(folder)
    try:
        return lock, WatchState.open(settings.state_path, settings.policy)
    except BaseException:
        if held is None:
            lock.release()
        raise


def _observe_into(check: Check, holder: list[Observation]) -> None:
    try:
        holder.append(check())
    except Exception as error:  # reported as a cycle that could not check
        name = type(error).__name__
        logger.error("the checks failed unexpectedly (%s)", name)
        logger.debug("check failure", exc_info=True)
        holder.append(
            Observation(
                checked=False, reason=f"the checks failed unexpectedly ({name})"
            )
        )


def _counts(findings: Sequence[Finding]) -> str:
    ordinary = [f for f in findings if not could_not_check(f)]
    parts = [
        plural(sum(f.severity is severity for f in ordinary), severity.label)
        for severity in (Severity.ERROR, Severity.WARNING, Severity.INFO)
    ]
    incomplete = len(findings) - len(ordinary)
    if incomplete:
        parts.append(f"{incomplete} not checked")
    return ", ".join(parts)


def run_forever(
    watcher: Watcher,
    control: Control,
    reload: Callable[[], None] | None = None,
    *,
    delivery_every: float = DELIVERY_EVERY,
) -> None:
    """Cycles every ``interval`` (the next starts at once when one ran
    late), delivery in between, a reload when asked for, until stopped."""
    next_cycle = time.monotonic()
    while not control.stopping:
        if control.take_reload() and reload is not None:
            reload()
        now = time.monotonic()
        if now >= next_cycle:
            watcher.cycle()
            interval = watcher.settings.interval.total_seconds()
            next_cycle = max(next_cycle + interval, time.monotonic())
            continue
        _deliver_quietly(watcher)
        control.wait(min(next_cycle - time.monotonic(), delivery_every))
    logger.info("stopped; state and outbox are on disk")


def _deliver_quietly(watcher: Watcher) -> None:
    try:
        watcher.deliver()
    except Exception as error:  # delivery is retried at the next pass
        logger.error("delivery pass failed unexpectedly (%s)", type(error).__name__)
        logger.debug("delivery failure", exc_info=True)
