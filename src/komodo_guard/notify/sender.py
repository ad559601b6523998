"""Sending one alert on one channel, with one HTTP client shared by all sends.

:class:`Sender` is what the outbox and :func:`~.probe.send_test` call. It
reads ``env:`` references from the environment it was given (``os.environ``
unless told) at the moment of each send, and turns a channel's unexpected
exception into a retryable outcome naming only the exception's type, so one
broken channel cannot stop the delivery of the others.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from typing import Self

import httpx

from komodo_guard.notify.interface import Channel, Delivery, Outcome, SendContext
from komodo_guard.notify.message import Alert

logger = logging.getLogger(__name__)


class Sender:
    """Sends alerts; close it (or use ``with``) to release the HTTP client."""

    def __init__(
        self,
        environ: Mapping[str, str] | None = None,
        http: httpx.Client | None = None,
    ) -> None:
        self._owns_http = http is None
        self._context = SendContext(
            environ=os.environ if environ is None else environ,
            http=httpx.Client(follow_redirects=False) if http is None else http,
        )

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        if self._owns_http:
            self._context.http.close()

    def send(self, channel: Channel, alert: Alert) -> Outcome:
        """Deliver ``alert`` on ``channel`` once and say how it ended."""
        try:
            return channel.send(alert, self._context)
        except Exception as error:  # one bad channel must not stop the rest
            reason = type(error).__name__
            logger.error("channel %s failed unexpectedly (%s)", channel.name, reason)
            return Outcome(Delivery.RETRYABLE, f"unexpected error ({reason})")
