"""When the outbox tries again, gives up, and calls a channel failing.

Backoff is exponential: ``first_delay * factor ** (attempt - 1)`` seconds,
capped at ``max_delay``, then spread by ``± jitter`` (a fraction) so that many
alerts queued by one outage do not all retry in the same second, and capped
again. A receiver's ``Retry-After`` replaces the computed delay (still capped).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RetryPolicy:
    """Timing of the outbox; every duration in seconds."""

    first_delay: float = 30.0
    factor: float = 2.0
    max_delay: float = 3600.0
    jitter: float = 0.2
    max_age: float = 24 * 3600.0
    """An alert still undelivered this long after it was queued expires (reported)."""
    failing_after: int = 3
    """Consecutive failed attempts after which a channel is reported as failing."""
    failing_age: float = 15 * 60.0
    """A channel whose oldest undelivered alert is older than this is failing too."""
    retention: float = 7 * 24 * 3600.0
    """Finished rows (delivered, failed, expired) are deleted after this long."""
    batch: int = 100
    """Most deliveries attempted by one ``deliver_due`` call."""

    def __post_init__(self) -> None:
        if (
            self.first_delay <= 0
            or self.factor < 1
            or self.max_delay < self.first_delay
        ):
            raise ValueError("retry delays must be positive and grow")
        if not 0 <= self.jitter < 1:
            raise ValueError("jitter must be a fraction from 0 to below 1")
        if self.failing_after < 1 or self.batch < 1:
            raise ValueError("failing_after and batch must be at least 1")

    def delay(
        self, attempt: int, unit: float, retry_after: float | None = None
    ) -> float:
        """Seconds before attempt ``attempt + 1``; ``unit`` is uniform in [0, 1)."""
        if retry_after is not None:
            return min(max(retry_after, 1.0), self.max_delay)
        steps = min(max(attempt - 1, 0), 64)
        base = min(self.first_delay * self.factor**steps, self.max_delay)
        spread = base * (1 + self.jitter * (2 * unit - 1))
        return min(spread, self.max_delay)
