"""What a notification channel is, how a send ends, and the errors of this package.

A channel is a frozen configuration object with a ``send(alert, context)``
method that never raises for a delivery problem: it returns an
:class:`Outcome` classed as delivered, retryable (timeouts, refused
connections, HTTP 408, 429 and 5xx, temporary SMTP errors) or permanent
(other HTTP 4xx, permanent SMTP errors, a configuration that cannot work).
Outcome details name the channel's host, never its URL path or query (webhook
URLs hold tokens), and never a secret value.

Secret-bearing keys (tokens, webhook URLs, passwords) accept either the value
or ``env:VAR_NAME``; a reference is read from the environment at send time
(:class:`Secret`), so the value is never held by the configuration, never
logged and never stored by the outbox.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, ClassVar, Protocol

import httpx

from komodo_guard.notify.message import Alert
from komodo_guard.redact import MASK

ENV_PREFIX = "env:"
DEFAULT_TIMEOUT = 10.0
"""Seconds a channel may take to accept one message unless its table says otherwise."""

TABLE = "[[notify.channel]]"


class NotifyError(Exception):
    """Base class of this package's errors."""


class NotifyConfigError(NotifyError, ValueError):
    """A ``[[notify.channel]]`` table cannot work; names the table index and key.

    ``index`` is the table's 0-based position in the ``notify.channel`` array
    and ``key`` the offending key (``None`` for the table as a whole), so a
    caller holding the parsed file can point at the line. The message counts
    tables from 1, as a reader of the file does: ``[[notify.channel]] #1`` is
    the first.
    """

    def __init__(self, index: int | None, key: str | None, problem: str) -> None:
        self.index = index
        self.key = key
        where = TABLE if index is None else f"{TABLE} {ordinal(index)}"
        if key is not None:
            where = f"{where} key `{key}`"
        super().__init__(f"{where}: {problem}")


def ordinal(index: int) -> str:
    """How messages name the table at 0-based ``index``: ``#1`` for the first."""
    return f"#{index + 1}"


class Delivery(StrEnum):
    """How one send ended."""

    DELIVERED = "delivered"
    RETRYABLE = "retryable"
    PERMANENT = "permanent"


@dataclass(frozen=True)
class Outcome:
    """The end of one send; ``retry_after`` in seconds when the receiver said."""

    status: Delivery
    detail: str = ""
    retry_after: float | None = None


DELIVERED = Outcome(Delivery.DELIVERED, "delivered")


@dataclass(frozen=True)
class Secret:
    """A secret value, or the name of the environment variable holding it.

    ``repr`` shows the variable name or a mask, never a value.
    """

    value: str = field(repr=False)
    variable: str | None = None

    def __repr__(self) -> str:
        shown = f"{ENV_PREFIX}{self.variable}" if self.variable else MASK
        return f"Secret({shown})"

    def reveal(self, environ: Mapping[str, str]) -> str:
        """The value, read from ``environ`` for a reference.

        Raises :class:`SecretUnavailableError` naming the variable if it is unset.
        """
        if self.variable is None:
            return self.value
        found = environ.get(self.variable, "")
        if not found:
            raise SecretUnavailableError(self.variable)
        return found


class SecretUnavailableError(NotifyError):
    """An ``env:`` reference names a variable that is unset or empty."""

    def __init__(self, variable: str) -> None:
        self.variable = variable
        super().__init__(
            f"environment variable {variable} is not set: export it where "
            "komodo-guard runs, or change the channel's `env:` reference"
        )


@dataclass(frozen=True)
class SendContext:
    """What a send needs from outside: the environment and a shared HTTP client."""

    environ: Mapping[str, str]
    http: httpx.Client


class Channel(Protocol):
    """One configured destination; see the modules of :mod:`.channels`."""

    kind: ClassVar[str]

    @property
    def name(self) -> str: ...

    @property
    def timeout(self) -> float: ...

    def send(self, alert: Alert, context: SendContext) -> Outcome:
        """Deliver ``alert`` once; never raises for a delivery problem."""
        ...


SendFunction = Callable[[Channel, Alert], Outcome]
"""Sends one alert on one channel once: :meth:`.sender.Sender.send` or a stand-in."""


class ChannelTable:
    """Reads one ``[[notify.channel]]`` table; each error names index and key."""

    def __init__(self, index: int, data: Mapping[str, Any], allowed: tuple[str, ...]):
        self.index = index
        self.data = data
        self.allowed = ("type", "name", "timeout", *allowed)
        self._check_keys()

    def fail(self, key: str | None, problem: str) -> NotifyConfigError:
        return NotifyConfigError(self.index, key, problem)

    def _check_keys(self) -> None:
        for key in self.data:
            if key not in self.allowed:
                close = difflib.get_close_matches(key, self.allowed, n=1)
                hint = f"; did you mean `{close[0]}`?" if close else ""
                allowed = ", ".join(self.allowed)
                raise self.fail(key, f"unknown key{hint} (allowed: {allowed})")

    def text(self, key: str, default: str | None = None) -> str:
        """A non-empty string; required when ``default`` is ``None``."""
        value = self.data.get(key, default)
        if value is None:
            raise self.fail(key, "is missing")
        if not isinstance(value, str) or not value.strip():
            raise self.fail(key, "must be a non-empty string")
        return value

    def optional_text(self, key: str) -> str | None:
        return self.text(key) if key in self.data else None

    def url(self, key: str, default: str | None = None) -> str:
        """An ``http://`` or ``https://`` URL (not a secret)."""
        value = self.text(key, default)
        if not value.startswith(("http://", "https://")):
            raise self.fail(key, "must start with http:// or https://")
        return value.rstrip("/")

    def secret(self, key: str) -> Secret:
        """A value or an ``env:VAR_NAME`` reference; errors never show the value."""
        if key not in self.data:
            raise self.fail(key, f"is missing (a value or `{ENV_PREFIX}VAR_NAME`)")
        value = self.data[key]
        if not isinstance(value, str) or not value.strip():
            raise self.fail(key, "must be a non-empty string")
        if not value.startswith(ENV_PREFIX):
            return Secret(value)
        variable = value.removeprefix(ENV_PREFIX)
        if not variable.isidentifier():
            raise self.fail(key, f"names no valid variable after `{ENV_PREFIX}`")
        return Secret("", variable)

    def secret_url(self, key: str) -> Secret:
        """A secret URL (webhook URLs hold tokens); a literal one is checked now."""
        secret = self.secret(key)
        if secret.variable is None and not secret.value.startswith(
            ("http://", "https://")
        ):
            raise self.fail(key, "must start with http:// or https://")
        return secret

    def optional_secret(self, key: str) -> Secret | None:
        return self.secret(key) if key in self.data else None

    def number(self, key: str, default: float) -> float:
        """A positive number of seconds or units."""
        value = self.data.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
            raise self.fail(key, "must be a positive number")
        return float(value)

    def integer(self, key: str, default: int, low: int, high: int) -> int:
        value = self.data.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(key, f"must be an integer from {low} to {high}")
        if not low <= value <= high:
            raise self.fail(key, f"must be an integer from {low} to {high}")
        return value

    def choice(self, key: str, options: tuple[str, ...], default: str) -> str:
        value = self.data.get(key, default)
        if value not in options:
            raise self.fail(key, f"must be one of {', '.join(options)}")
        return str(value)

    def texts(self, key: str) -> tuple[str, ...]:
        """A non-empty array of non-empty strings (a single string is accepted)."""
        value = self.data.get(key)
        if isinstance(value, str):
            value = [value]
        if (
            not isinstance(value, list)
            or not value
            or not all(isinstance(item, str) and item.strip() for item in value)
        ):
            raise self.fail(key, "must be a non-empty array of strings")
        return tuple(value)

    def name(self, kind: str) -> str:
        return self.text("name", kind)

    def timeout(self) -> float:
        return self.number("timeout", DEFAULT_TIMEOUT)
