"""How the watcher decides what to tell: the policy and its defaults."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from komodo_guard.rules.interface import Severity
from komodo_guard.watch.maintenance import Window


@dataclass(frozen=True)
class Reminders:
    """How often a finding still open is mentioned again, per severity;
    ``None`` never."""

    error: timedelta | None = timedelta(hours=4)
    warning: timedelta | None = timedelta(hours=24)
    info: timedelta | None = None

    def __post_init__(self) -> None:
        for interval in (self.error, self.warning, self.info):
            if interval is not None and interval <= timedelta(0):
                raise ValueError("a reminder interval must be positive")

    def interval(self, severity: Severity) -> timedelta | None:
        """The interval for ``severity``."""
        match severity:
            case Severity.ERROR:
                return self.error
            case Severity.WARNING:
                return self.warning
            case Severity.INFO:
                return self.info


@dataclass(frozen=True)
class Policy:
    """Which changes become alerts.

    - ``resolve_after``: good cycles in a row without a finding before it is
      resolved, so one flaky cycle does not resolve and reopen it.
    - ``reminders``: per severity; blind spots use the error interval.
    - ``flap_limit`` / ``flap_window``: a finding opened more than
      ``flap_limit`` times within ``flap_window`` is flapping: one alert, then
      quiet until it has not changed for ``stable_after``.
    - ``cannot_check_after``: failed cycles in a row before "cannot be
      checked" is announced (the N-th failure announces it).
    - ``maintenance``: windows in which alerts are held for one summary.
    """

    resolve_after: int = 2
    reminders: Reminders = field(default_factory=Reminders)
    flap_limit: int = 3
    flap_window: timedelta = timedelta(hours=6)
    stable_after: timedelta = timedelta(hours=1)
    cannot_check_after: int = 3
    maintenance: tuple[Window, ...] = ()

    def __post_init__(self) -> None:
        for name in ("resolve_after", "flap_limit", "cannot_check_after"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be at least 1")
        if self.flap_window <= timedelta(0) or self.stable_after <= timedelta(0):
            raise ValueError("flap_window and stable_after must be positive")
