"""The dead man's switch: pings that let a service outside this host notice
a watcher that stopped.

The protocol is healthchecks.io's (also spoken by Uptime Kuma's push monitors
and others): ``POST <url>/start`` when a cycle starts, ``POST <url>`` after a
good cycle and ``POST <url>/fail`` after a failed one, each with a short
plain-text summary as its body. A service that hears nothing for longer than
its grace period raises the alarm itself.

A ping never holds the loop longer than its timeout: it runs on a
short-lived daemon thread that the loop waits for at most that long, and one
still running afterwards is abandoned (its late answer is ignored). Failures
are logged and kept in :attr:`Pinger.status` for the status page and the
metrics. The URL holds the check's secret id, so logs and errors name only
its host; the summary is built from scrubbed, secret-free text.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from enum import StrEnum
from urllib.parse import urlsplit

import httpx

from komodo_guard.notify.interface import Secret, SecretUnavailableError
from komodo_guard.watch.status import Heartbeat

logger = logging.getLogger(__name__)

SUMMARY_LIMIT = 10_000
"""Bytes of summary sent with a ping (healthchecks.io keeps the first 10 kB)."""


class Signal(StrEnum):
    """Which ping: the suffix added to the URL."""

    START = "start"
    SUCCESS = ""
    FAIL = "fail"


@dataclass(frozen=True)
class _Answer:
    ok: bool
    error: str = ""


def _utc_now() -> datetime:
    return datetime.now(UTC)


class Pinger:
    """Pings one heartbeat URL; close it (or use ``with``) when done."""

    def __init__(
        self,
        url: Secret,
        timeout: float,
        *,
        environ: Mapping[str, str] | None = None,
        clock: Callable[[], datetime] = _utc_now,
    ) -> None:
        self._url = url
        self._timeout = timeout
        self._environ = os.environ if environ is None else environ
        self._clock = clock
        self._http = httpx.Client(timeout=timeout, follow_redirects=False)
        self.status = Heartbeat()

    def __enter__(self) -> Pinger:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    def start(self) -> bool:
        """Say a cycle starts."""
        return self.ping(Signal.START)

    def success(self, summary: str) -> bool:
        """Say the cycle went well."""
        return self.ping(Signal.SUCCESS, summary)

    def fail(self, summary: str) -> bool:
        """Say the cycle failed, and why (``summary`` must hold no secret)."""
        return self.ping(Signal.FAIL, summary)

    def ping(self, signal: Signal, summary: str = "") -> bool:
        """Send one ping within the timeout; True when it was accepted."""
        answer = self._bounded(signal, summary.encode()[:SUMMARY_LIMIT])
        now = self._clock()
        if answer.ok:
            self.status = replace(self.status, last_success=now)
            return True
        self.status = replace(self.status, last_failure=now, last_error=answer.error)
        logger.warning(
            "heartbeat %s ping to %s failed: %s",
            signal.name.lower(),
            self._host(),
            answer.error,
        )
        return False

    def _bounded(self, signal: Signal, body: bytes) -> _Answer:
        holder: list[_Answer] = []
        worker = threading.Thread(
            target=lambda: holder.append(self._send(signal, body)),
            name="komodo-guard-heartbeat",
            daemon=True,
        )
        worker.start()
        worker.join(self._timeout)
        if not holder:
            return _Answer(False, f"no answer within {self._timeout:g} s")
        return holder[0]

    def _send(self, signal: Signal, body: bytes) -> _Answer:
        try:
            base = self._url.reveal(self._environ).rstrip("/")
        except SecretUnavailableError as error:
            return _Answer(False, str(error))
        url = f"{base}/{signal.value}" if signal.value else base
        try:
            response = self._http.post(
                url, content=body, headers={"Content-Type": "text/plain"}
            )
        except httpx.TimeoutException:
            return _Answer(False, f"no answer within {self._timeout:g} s")
        except httpx.HTTPError as error:
            # httpx's messages may quote the URL, which holds the check's id.
            return _Answer(
                False, f"cannot reach {self._host()} ({type(error).__name__})"
            )
        if response.is_success:
            return _Answer(True)
        return _Answer(False, f"{self._host()} answered {response.status_code}")

    def _host(self) -> str:
        try:
            value = self._url.reveal(self._environ)
        except SecretUnavailableError:
            return "the heartbeat URL"
        return urlsplit(value).hostname or "the heartbeat URL"
