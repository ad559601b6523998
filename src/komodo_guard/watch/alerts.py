"""A watch :class:`~.model.Transition` as the notify package's
:class:`~komodo_guard.notify.message.Alert`.

Every transition kind has its own alert transition (the mapping is
exhaustive, and a test loops over every kind). The alert's key is the
transition's: one key per occurrence of one event, so the outbox queues a
burst of the same event once and a receiver can drop a repeated delivery.
What is over (resolved, checkable again) is sent with the ``resolved``
severity; everything else keeps the finding's severity.
"""

from __future__ import annotations

from komodo_guard.notify.message import Alert
from komodo_guard.notify.message import Severity as AlertSeverity
from komodo_guard.notify.message import Transition as AlertTransition
from komodo_guard.watch.model import Kind, Transition


def alert_transition(kind: Kind) -> AlertTransition:
    """The notify transition that stands for ``kind``."""
    match kind:
        case Kind.NEW:
            return AlertTransition.NEW
        case Kind.WORSE:
            return AlertTransition.WORSE
        case Kind.RESOLVED:
            return AlertTransition.RESOLVED
        case Kind.REMINDER:
            return AlertTransition.REMINDER
        case Kind.FLAPPING:
            return AlertTransition.FLAPPING
        case Kind.STABLE:
            return AlertTransition.STABLE
        case Kind.CANNOT_CHECK:
            return AlertTransition.CANNOT_CHECK
        case Kind.CAN_CHECK_AGAIN:
            return AlertTransition.CAN_CHECK_AGAIN
        case Kind.MAINTENANCE_SUMMARY:
            return AlertTransition.MAINTENANCE_SUMMARY


def alert_of(transition: Transition) -> Alert:
    """The alert that tells ``transition``."""
    over = transition.kind in (Kind.RESOLVED, Kind.CAN_CHECK_AGAIN)
    severity = (
        AlertSeverity.RESOLVED if over else AlertSeverity(transition.severity.label)
    )
    return Alert(
        key=transition.key,
        title=transition.title,
        body=transition.body,
        severity=severity,
        transition=alert_transition(transition.kind),
        created_at=transition.at,
    )
