"""Prometheus metrics of the watcher, in a registry of its own.

:class:`Metrics` holds a ``CollectorRegistry`` (never the process-wide
default, so nothing else in the process leaks into the scrape) and its
gauges; :func:`update` sets them from one cycle's results and reads no clock
and no file. Every series is labelled by names only (failure class,
severity, sync, stack, operation, channel, outcome), never by message text,
so cardinality is bounded by what Core and the configuration hold.

Where each value comes from:

- ``komodo_guard_findings_open``: the watch state's open findings (snoozed
  ones included), by failure class (from the rule registry; ``unknown`` for
  a code it does not know) and severity. Every class and severity pair is
  present, zero when nothing is open.
- ``komodo_guard_sync_pending_seconds`` and
  ``komodo_guard_stack_behind_git_seconds``: from the open findings of the
  ``sync-pending`` and ``stack-behind-git`` rules, measured from the start
  the watcher knows of (:meth:`TrackedFinding.began`: Core's record of when
  it began, else the first cycle that saw it). Stacks whose commit differs
  while their files do not (an ``info`` finding, common in a repository
  holding many stacks) are left out. No series means nothing pending.
- ``komodo_guard_stack_last_deploy_age_seconds``: the newest successful
  deploy of each stack (``DeployStack`` and its variants) in the snapshot's
  update log. A stack without one in Core's window has no series. When a
  cycle brings no snapshot, or the snapshot could not read the stacks or the
  update log, the deploy times of the last readable snapshot are kept and
  their ages keep growing.
- ``komodo_guard_failed_executions``: failed executions (configuration
  changes excluded) in the snapshot's update window, by operation; an
  operation seen once stays, at zero, so its series does not vanish. Kept
  as they were when the update log could not be read.
- The last cycle (duration, end time, outcome as one gauge per outcome),
  the end of the last good cycle, the cycle interval, blind spots, channel
  health and the heartbeat's last successful ping: from :class:`.Status`.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from datetime import datetime

from prometheus_client import CollectorRegistry, Gauge, generate_latest

from komodo_guard.komodo.updates import is_config_change
from komodo_guard.live.snapshot import LiveSnapshot
from komodo_guard.rules import registry
from komodo_guard.rules.interface import FailureClass, Severity
from komodo_guard.rules.live import stack_behind_git, sync_pending
from komodo_guard.rules.live.common import family, moment
from komodo_guard.watch.model import Outcome, TrackedFinding
from komodo_guard.watch.status import Status

PREFIX = "komodo_guard_"
UNKNOWN_CLASS = "unknown"
TRACKED_CLASSES = tuple(
    c.value for c in FailureClass if c is not FailureClass.INCOMPLETE
)
"""Classes of open findings; ``incomplete`` ones are blind spots, counted apart."""


class Metrics:
    """The watcher's registry and gauges; set them with :func:`update`.

    ``lock`` keeps a scrape from seeing half an update; use
    :meth:`exposition` to read the registry under it.
    """

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.lock = threading.Lock()
        self.findings_open = self._gauge(
            "findings_open",
            "Open findings by failure class and severity.",
            ("failure_class", "severity"),
        )
        self.blind_spots = self._gauge(
            "blind_spots", "Things the watcher currently cannot check."
        )
        self.sync_pending = self._gauge(
            "sync_pending_seconds",
            "Seconds each ResourceSync has had pending changes.",
            ("sync",),
        )
        self.stack_behind = self._gauge(
            "stack_behind_git_seconds",
            "Seconds each stack has not run the files git holds.",
            ("stack",),
        )
        self.deploy_age = self._gauge(
            "stack_last_deploy_age_seconds",
            "Seconds since each stack's last successful deploy.",
            ("stack",),
        )
        self.failed_executions = self._gauge(
            "failed_executions",
            "Failed executions in Core's update log window, by operation.",
            ("operation",),
        )
        self.cycle_duration = self._gauge(
            "last_cycle_duration_seconds", "How long the last cycle took."
        )
        self.cycle_end = self._gauge(
            "last_cycle_end_timestamp_seconds", "When the last cycle ended."
        )
        self.good_cycle_end = self._gauge(
            "last_good_cycle_end_timestamp_seconds",
            "When the last cycle that could check Core ended.",
        )
        self.cycle_outcome = self._gauge(
            "last_cycle_outcome",
            "1 for the outcome of the last cycle (ok, degraded, failed), else 0.",
            ("outcome",),
        )
        self.interval = self._gauge(
            "cycle_interval_seconds", "Configured seconds between cycles."
        )
        self.channel_failures = self._gauge(
            "channel_consecutive_failures",
            "Failed delivery attempts in a row, per notification channel.",
            ("channel",),
        )
        self.channel_undelivered = self._gauge(
            "channel_undelivered",
            "Alerts waiting to be delivered, per notification channel.",
            ("channel",),
        )
        self.heartbeat_success = self._gauge(
            "heartbeat_last_success_timestamp_seconds",
            "When the heartbeat URL last accepted a ping (0: never).",
        )
        self._deploys: dict[str, datetime] = {}
        self._operations: set[str] = set()

    def exposition(self) -> bytes:
        """The registry in Prometheus' text format."""
        with self.lock:
            return generate_latest(self.registry)

    def _gauge(self, name: str, doc: str, labels: Sequence[str] = ()) -> Gauge:
        return Gauge(PREFIX + name, doc, labels, registry=self.registry)


def update(
    metrics: Metrics, status: Status, snapshot: LiveSnapshot | None, now: datetime
) -> None:
    """Set every gauge from ``status`` and, when Core was read, ``snapshot``;
    ages are measured at ``now``."""
    with metrics.lock:
        _findings(metrics, status.findings, now)
        metrics.blind_spots.set(len(status.blind_spots))
        _cycles(metrics, status)
        if snapshot is not None:
            _read_snapshot(metrics, snapshot)
        _deploy_ages(metrics, now)
        _channels(metrics, status)


def _findings(
    metrics: Metrics, findings: Sequence[TrackedFinding], now: datetime
) -> None:
    metrics.findings_open.clear()
    for failure_class in TRACKED_CLASSES:
        for severity in Severity:
            metrics.findings_open.labels(failure_class, severity.label).set(0)
    for finding in findings:
        metrics.findings_open.labels(
            _class_of(finding.code), finding.severity.label
        ).inc()
    _ages(metrics.sync_pending, _of_rule(findings, sync_pending.RULE.name), now)
    behind = [
        (name, f)
        for name, f in _of_rule(findings, stack_behind_git.RULE.name)
        if f.severity >= Severity.WARNING
    ]
    _ages(metrics.stack_behind, behind, now)


def _class_of(code: str) -> str:
    rule = registry.find(code)
    return UNKNOWN_CLASS if rule is None else rule.failure_class.value


def _of_rule(
    findings: Iterable[TrackedFinding], name: str
) -> list[tuple[str, TrackedFinding]]:
    """The open findings of the rule ``name``, with their resource's name."""
    return [(f.resource.name, f) for f in findings if f.name == name and f.resource]


def _ages(
    gauge: Gauge, findings: Iterable[tuple[str, TrackedFinding]], now: datetime
) -> None:
    """One series per resource name: the oldest open finding's age."""
    ages: dict[str, float] = {}
    for name, finding in findings:
        age = max((now - finding.began()).total_seconds(), 0.0)
        ages[name] = max(age, ages.get(name, 0.0))
    gauge.clear()
    for name, age in ages.items():
        gauge.labels(name).set(age)


def _cycles(metrics: Metrics, status: Status) -> None:
    metrics.interval.set(status.interval.total_seconds())
    last = status.last_cycle
    for outcome in Outcome:
        metrics.cycle_outcome.labels(outcome.value).set(
            1 if last is not None and last.outcome is outcome else 0
        )
    if last is not None:
        metrics.cycle_duration.set((last.ended - last.started).total_seconds())
        metrics.cycle_end.set(last.ended.timestamp())
    good = status.last_good
    if good is not None:
        metrics.good_cycle_end.set(good.ended.timestamp())


def _read_snapshot(metrics: Metrics, snapshot: LiveSnapshot) -> None:
    if snapshot.could_not_read("ListUpdates"):
        return
    failed: dict[str, int] = dict.fromkeys(metrics._operations, 0)
    for entry in snapshot.updates:
        if entry.failed and not is_config_change(entry.operation):
            failed[entry.operation] = failed.get(entry.operation, 0) + 1
    metrics._operations = set(failed)
    for operation, count in failed.items():
        metrics.failed_executions.labels(operation).set(count)
    if not snapshot.could_not_read("ListStacks"):
        metrics._deploys = _last_deploys(snapshot)


def _last_deploys(snapshot: LiveSnapshot) -> dict[str, datetime]:
    """Each stack's newest successful deploy in the update log, by name."""
    names = {stack.id: stack.name for stack in snapshot.stacks}
    newest: dict[str, datetime] = {}
    for entry in snapshot.updates:
        name = names.get(entry.target.id)
        if (
            name is None
            or entry.target.kind != "Stack"
            or family(entry.operation) != "DeployStack"
            or not (entry.complete and entry.success)
        ):
            continue
        at = moment(entry.end_ts or entry.start_ts)
        if name not in newest or at > newest[name]:
            newest[name] = at
    return newest


def _deploy_ages(metrics: Metrics, now: datetime) -> None:
    metrics.deploy_age.clear()
    for name, at in metrics._deploys.items():
        metrics.deploy_age.labels(name).set(max((now - at).total_seconds(), 0.0))


def _channels(metrics: Metrics, status: Status) -> None:
    metrics.channel_failures.clear()
    metrics.channel_undelivered.clear()
    for channel in status.channels:
        metrics.channel_failures.labels(channel.channel).set(
            channel.consecutive_failures
        )
        metrics.channel_undelivered.labels(channel.channel).set(channel.undelivered)
    beat = status.heartbeat
    last = beat.last_success if beat is not None else None
    metrics.heartbeat_success.set(last.timestamp() if last is not None else 0)
