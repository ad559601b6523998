"""The sender shared by every HTTP channel, and how its answers are classed.

A channel module builds an :class:`HttpRequest` with a pure function; this
module sends it with the shared ``httpx.Client`` under the channel's timeout,
follows no redirect, and classes what happened:

- 2xx: delivered;
- timeout, refused or broken connection, 408, 429, 5xx: retryable, with the
  receiver's ``Retry-After`` (seconds or an HTTP date) when it gave one;
- anything else (other 4xx, 3xx): permanent.

Details name the receiving host only and quote at most a short excerpt of the
answer with every secret the request carried masked. httpx itself logs each
request's full URL at INFO; a filter on its ``httpx`` logger shortens the URLs
of the requests sent here to ``scheme://host:port``, because webhook URLs hold
tokens.
"""

from __future__ import annotations

import email.utils
import json
import logging
import time
from collections.abc import Callable, Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

import httpx

from komodo_guard.notify.interface import (
    DELIVERED,
    Delivery,
    NotifyError,
    Outcome,
    SecretUnavailableError,
    SendContext,
)
from komodo_guard.redact import MASK, redact

_RETRYABLE = frozenset({408, 429})
_EXCERPT = 200
_TOKEN_LENGTH = 8
"""Path segments and query values this long are masked when a URL is secret."""
_SENDING: ContextVar[bool] = ContextVar("komodo_guard_notify_sending", default=False)


class _HideUrls(logging.Filter):
    """Shortens URLs in httpx's log records made while a channel sends."""

    def filter(self, record: logging.LogRecord) -> bool:
        if _SENDING.get() and isinstance(record.args, tuple):
            record.args = tuple(
                target(str(arg)) if isinstance(arg, httpx.URL) else arg
                for arg in record.args
            )
        return True


def _install_filter() -> None:
    httpx_logger = logging.getLogger("httpx")
    if not any(isinstance(item, _HideUrls) for item in httpx_logger.filters):
        httpx_logger.addFilter(_HideUrls())


_install_filter()


@dataclass(frozen=True)
class HttpRequest:
    """One POST, exactly as it goes on the wire.

    ``secrets`` lists the values inside it that must never be shown (tokens,
    a webhook URL); they are masked in every detail of the outcome.
    """

    url: str
    content: bytes
    headers: Mapping[str, str]
    secrets: tuple[str, ...] = field(default=(), repr=False)

    def __repr__(self) -> str:
        return f"HttpRequest(to {target(self.url)}, {len(self.content)} bytes)"


def json_request(
    url: str, payload: Mapping[str, Any], secrets: tuple[str, ...] = ()
) -> HttpRequest:
    """A JSON POST of ``payload`` (compact UTF-8, keys in the given order)."""
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    headers = {"Content-Type": "application/json"}
    return HttpRequest(url, body.encode(), headers, secrets)


def target(url: str) -> str:
    """``scheme://host:port`` of ``url``: what a message may say about it."""
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL:
        return "an invalid URL"
    port = f":{parsed.port}" if parsed.port else ""
    return f"{parsed.scheme}://{parsed.host}{port}"


def url_secrets(url: str) -> tuple[str, ...]:
    """What of a secret URL must be masked: the URL, its path and query, and
    each path segment or query value long enough to be a token."""
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL:
        return (url,)
    query = parsed.query.decode()
    parts = [
        *parsed.path.split("/"),
        *(value for _, value in parsed.params.multi_items()),
    ]
    tokens = [part for part in parts if len(part) >= _TOKEN_LENGTH]
    return (url, parsed.raw_path.decode(), parsed.path, query, *tokens)


def hide(text: str, secrets: tuple[str, ...]) -> str:
    """``text`` with each secret masked and anything credential-like redacted."""
    for secret in sorted(secrets, key=len, reverse=True):
        if secret:
            text = text.replace(secret, MASK)
    return redact(text)


def send_http(
    build: Callable[[], HttpRequest], context: SendContext, timeout: float
) -> Outcome:
    """Build the request and send it. A missing ``env:`` variable is retried
    (exporting it and restarting delivers what waited); any other
    configuration problem is permanent."""
    try:
        request = build()
    except SecretUnavailableError as error:
        return Outcome(Delivery.RETRYABLE, str(error))
    except NotifyError as error:
        return Outcome(Delivery.PERMANENT, str(error))
    return post(request, context.http, timeout)


def post(request: HttpRequest, http: httpx.Client, timeout: float) -> Outcome:
    """POST ``request`` once and class the result; never raises for the network."""
    where = target(request.url)
    token = _SENDING.set(True)
    try:
        response = http.post(
            request.url,
            content=request.content,
            headers=dict(request.headers),
            timeout=timeout,
            follow_redirects=False,
        )
    except (httpx.InvalidURL, httpx.UnsupportedProtocol):
        return Outcome(Delivery.PERMANENT, "the URL is not a usable http(s) URL")
    except httpx.TimeoutException:
        return Outcome(Delivery.RETRYABLE, f"no answer from {where} in {timeout:g} s")
    except httpx.TransportError as error:
        reason = hide(type(error).__name__, request.secrets)
        return Outcome(Delivery.RETRYABLE, f"cannot reach {where} ({reason})")
    finally:
        _SENDING.reset(token)
    return classify(response, where, request.secrets)


def classify(response: httpx.Response, where: str, secrets: tuple[str, ...]) -> Outcome:
    """The outcome an HTTP answer means (see the module docstring)."""
    status = response.status_code
    if 200 <= status < 300:
        return DELIVERED
    detail = f"HTTP {status} from {where}{_excerpt(response, secrets)}"
    if status in _RETRYABLE or status >= 500:
        wait = retry_after(response.headers.get("Retry-After"))
        return Outcome(Delivery.RETRYABLE, detail, wait)
    return Outcome(Delivery.PERMANENT, detail)


def retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds a ``Retry-After`` header asks to wait, or ``None`` if unusable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    current = time.time() if now is None else now
    return max(0.0, moment.timestamp() - current)


def _excerpt(response: httpx.Response, secrets: tuple[str, ...]) -> str:
    try:
        text = response.text
    except (UnicodeDecodeError, LookupError):
        return ""
    flat = " ".join(hide(text, secrets).split())
    if not flat:
        return ""
    if len(flat) > _EXCERPT:
        flat = flat[: _EXCERPT - 1] + "…"
    return f": {flat}"
