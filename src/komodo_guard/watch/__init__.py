"""What ``komodo-guard watch`` remembers between cycles, and what it tells.

Each cycle hands its findings and a :class:`Cycle` (start, end, whether Core
could be checked) to :meth:`WatchState.record`, which returns the
:class:`Transition` values worth an alert: new, worse, resolved, reminder,
flapping, stable, cannot-check, can-check-again and maintenance-summary.
:mod:`.identity` keys findings across cycles, :mod:`.policy` decides (pure),
:mod:`.state` stores (SQLite), :mod:`.settings` and :mod:`.maintenance` hold
the configuration.
"""

from komodo_guard.watch.identity import identity, normalise
from komodo_guard.watch.maintenance import FixedWindow, WeeklyWindow, Window
from komodo_guard.watch.model import (
    BlindSpot,
    Cycle,
    CycleRecord,
    Kind,
    Outcome,
    TrackedFinding,
    Transition,
)
from komodo_guard.watch.settings import Policy, Reminders
from komodo_guard.watch.state import WatchState, WatchStateError

__all__ = [
    "BlindSpot",
    "Cycle",
    "CycleRecord",
    "FixedWindow",
    "Kind",
    "Outcome",
    "Policy",
    "Reminders",
    "TrackedFinding",
    "Transition",
    "WatchState",
    "WatchStateError",
    "WeeklyWindow",
    "Window",
    "identity",
    "normalise",
]
