"""The Komodo Core API client: read, write and execute calls with an API key.

Credentials come from the environment only: ``KOMODO_API_KEY`` and
``KOMODO_API_SECRET`` (see :meth:`CoreClient.from_env`); they are sent as the
``x-api-key`` / ``x-api-secret`` headers and never appear in an error message.
Every request has a timeout (:data:`DEFAULT_TIMEOUT` seconds unless told)
that bounds the whole answer, not each read of it: an answer still arriving
when the time is up, however slowly it drips, is abandoned. Reads are retried
with exponential backoff and jitter on transport errors, timeouts and HTTP
502/503/504, so a read takes at most about the timeout times its attempts
(plus the backoff); writes and executes are sent exactly once, because
repeating them could repeat their effect.

Whatever Core answers is untrusted text: before any of it enters an error
message it is redacted (:func:`komodo_guard.redact.redact`), and the
API key and secret are masked in the whole message. The answer of each call
is checked for its shape (an array of objects, an object, a page with its
array) so that a wrong answer is an error naming the call, never data.
"""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Callable, Mapping
from typing import Any, NamedTuple, Self

import httpx
import stamina

from komodo_guard.komodo.versions import KomodoVersion, closest_supported
from komodo_guard.live.errors import (
    CoreAuthError,
    CoreError,
    CoreResponseError,
    CoreUnreachable,
    CoreVersionError,
)
from komodo_guard.redact import redact

KEY_VARIABLE = "KOMODO_API_KEY"
SECRET_VARIABLE = "KOMODO_API_SECRET"
DEFAULT_TIMEOUT = 10.0
DEFAULT_RETRIES = 3
DEFAULT_PAGE_SIZE = 50
"""Core's ``default_pagination_limit`` when nobody changed it."""
MAX_PAGES = 200
"""Hard cap on pages followed by one paged call (200 pages of 100 updates)."""
RETRY_TOTAL_CAP = 60.0
"""Seconds after which a read stops being retried, however many attempts are left."""

_UNAVAILABLE = frozenset({502, 503, 504})
_REDACTED = "••••"
"""Stands for the key or secret in messages; not ASCII, so never part of either."""
_PROXY_HINT = (
    "the URL may point at a reverse proxy or a login page rather than Komodo Core's API"
)
_TITLE = re.compile(r"(?is)<title[^>]*>(.*?)</title>")

Params = Mapping[str, Any]
Json = Any
Item = dict[str, Any]


class Pages(NamedTuple):
    """Items gathered by following ``next_page``; ``truncated`` when the cap hit."""

    items: tuple[Item, ...]
    truncated: bool


class Page(NamedTuple):
    """One page of ListUpdates / ListAlerts: its items and the next page's number."""

    items: tuple[Item, ...]
    next_page: int | None


class _Answer(NamedTuple):
    """An HTTP answer read whole: status, media type and body."""

    status: int
    media_type: str
    body: bytes


class CoreClient:
    """A synchronous client for one Komodo Core; safe to share between threads."""

    def __init__(
        self,
        url: str,
        key: str,
        secret: str,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        retries: int = DEFAULT_RETRIES,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        if not url.startswith(("http://", "https://")):
            raise ValueError(f"Core URL {url!r} must start with http:// or https://")
        if httpx.URL(url).userinfo:
            raise ValueError(
                "the Core URL must not hold a user or password; "
                f"put the API key and secret in {KEY_VARIABLE} and {SECRET_VARIABLE}"
            )
        self.url = url.rstrip("/")
        self.timeout = timeout
        self.retries = retries
        self._secrets = tuple(text for text in (key, secret) if text)
        self._http = httpx.Client(
            base_url=self.url,
            headers={"x-api-key": key, "x-api-secret": secret},
            timeout=timeout,
            transport=transport,
        )

    @classmethod
    def from_env(
        cls,
        url: str,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        retries: int = DEFAULT_RETRIES,
        transport: httpx.BaseTransport | None = None,
        environ: Mapping[str, str] | None = None,
    ) -> Self:
        """A client whose key and secret come from ``KOMODO_API_KEY`` and
        ``KOMODO_API_SECRET``; raises ``ValueError`` naming a missing variable."""
        env = os.environ if environ is None else environ
        names = (KEY_VARIABLE, SECRET_VARIABLE)
        missing = [name for name in names if not env.get(name)]
        if missing:
            raise ValueError(
                f"{' and '.join(missing)} not set: export the API key and secret "
                "of a Komodo user (Settings > API Keys) before calling Core"
            )
        return cls(
            url,
            env[KEY_VARIABLE],
            env[SECRET_VARIABLE],
            timeout=timeout,
            retries=retries,
            transport=transport,
        )

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection pool."""
        self._http.close()

    def read(self, request: str, params: Params | None = None) -> Json:
        """``POST /read`` with retries; the decoded JSON answer.

        When every attempt failed, the error says how many were made and over
        how long, e.g. ``no answer within 10 s; 4 attempts over 45 s``.
        """
        started = time.monotonic()
        attempts = 0

        def send() -> Json:
            nonlocal attempts
            attempts += 1
            return self._post("read", request, params)

        try:
            return self._retrying(send)
        except CoreError as error:
            if attempts > 1:
                error.retried(attempts, time.monotonic() - started)
            raise

    def get(self, request: str, params: Params | None = None) -> Item:
        """A read whose answer must be a JSON object (``Get*`` calls)."""
        answer = self.read(request, params)
        if not isinstance(answer, dict):
            raise CoreResponseError(
                request, f"expected an object, got {_kind_of(answer)}"
            )
        return answer

    def write(self, request: str, params: Params | None = None) -> Json:
        """``POST /write`` once, never retried."""
        return self._post("write", request, params)

    def execute(self, request: str, params: Params | None = None) -> Json:
        """``POST /execute`` once, never retried; Core answers with an Update."""
        return self._post("execute", request, params)

    def list_all(self, request: str, params: Params | None = None) -> list[Item]:
        """Every item of a ``List*`` resource call, asked for with ``limit: 0``.

        A Core that ignores ``limit`` answers with one default page of
        :data:`DEFAULT_PAGE_SIZE` items; then the following pages are fetched
        until a short or repeated page, so nothing beyond the first page is lost.
        (A Core that honours ``limit: 0`` and holds exactly that many items
        costs one extra, empty page.) An answer that is not an array of
        objects is a :class:`CoreResponseError`.
        """
        query = {**(params or {}), "limit": 0}
        first = _objects(request, self.read(request, query))
        if len(first) != DEFAULT_PAGE_SIZE:
            return first
        return self._more_pages(request, params, first)

    def page(self, request: str, params: Params | None, key: str, number: int) -> Page:
        """Page ``number`` of ListUpdates / ListAlerts, its items under ``key``.

        An answer that is not an object holding ``key`` as an array of objects,
        or whose ``next_page`` does not follow ``number``, is a
        :class:`CoreResponseError`.
        """
        answer = self.read(request, {**(params or {}), "page": number})
        items = _page_items(request, answer, key)
        return Page(items, _next_page(request, answer, number))

    def pages(self, request: str, params: Params | None, key: str) -> Pages:
        """Follow ``next_page`` of ListUpdates / ListAlerts, collecting ``key``.

        Stops after :data:`MAX_PAGES` pages with ``truncated`` set.
        """
        items: list[Item] = []
        number: int | None = 0
        for _ in range(MAX_PAGES):
            if number is None:
                return Pages(tuple(items), truncated=False)
            page = self.page(request, params, key, number)
            items.extend(page.items)
            number = page.next_page
        return Pages(tuple(items), truncated=number is not None)

    def version(self) -> str:
        """Core's release, e.g. ``2.3.2``, from ``GetVersion``."""
        answer = self.read("GetVersion", {})
        if not isinstance(answer, dict) or not isinstance(answer.get("version"), str):
            raise CoreResponseError("GetVersion", "answer has no `version` string")
        return str(answer["version"])

    def model_version(self) -> KomodoVersion:
        """The supported Komodo release that best describes this Core."""
        return supported_version(self.version())

    def _more_pages(
        self, request: str, params: Params | None, first: list[Item]
    ) -> list[Item]:
        items = list(first)
        for page in range(1, MAX_PAGES):
            query = {**(params or {}), "limit": DEFAULT_PAGE_SIZE, "page": page}
            batch = _objects(request, self.read(request, query))
            if not batch or batch == first:
                break
            items.extend(batch)
            if len(batch) < DEFAULT_PAGE_SIZE:
                break
        return items

    def _retrying(self, send: Callable[[], Json]) -> Json:
        for attempt in stamina.retry_context(
            on=_should_retry,
            attempts=self.retries + 1,
            timeout=RETRY_TOTAL_CAP,
            wait_initial=0.5,
            wait_max=8.0,
        ):
            with attempt:
                return send()
        raise AssertionError("unreachable: stamina re-raises the last error")

    def _post(self, kind: str, request: str, params: Params | None) -> Json:
        body = {"type": request, "params": dict(params or {})}
        try:
            answer = self._exchange(kind, request, body)
        except httpx.TimeoutException as error:
            raise self._error(
                CoreUnreachable, request, f"no answer within {self.timeout:g} s"
            ) from error
        except httpx.RemoteProtocolError as error:
            broken = self._error(
                CoreResponseError, request, f"broken or truncated answer: {error}"
            )
            broken.retryable = True
            raise broken from error
        except httpx.TransportError as error:
            raise self._error(
                CoreUnreachable, request, f"cannot reach {self.url}: {error}"
            ) from error
        return self._decode(kind, request, answer)

    def _exchange(self, kind: str, request: str, body: Item) -> _Answer:
        """Send ``body`` and read the answer whole before :attr:`timeout` runs
        out: httpx's own timeout applies to each read, so an answer dripping
        a byte at a time would otherwise never end."""
        deadline = time.monotonic() + self.timeout
        with self._http.stream("POST", f"/{kind}", json=body) as response:
            chunks: list[bytes] = []
            for chunk in response.iter_bytes():
                chunks.append(chunk)
                if time.monotonic() > deadline:
                    raise self._error(
                        CoreUnreachable, request, self._too_slow(response, chunks)
                    )
            media_type = response.headers.get("content-type", "")
            return _Answer(response.status_code, media_type, b"".join(chunks))

    def _too_slow(self, response: httpx.Response, chunks: list[bytes]) -> str:
        received = sum(len(chunk) for chunk in chunks)
        expected = response.headers.get("content-length", "")
        of = f" of {int(expected):,}" if expected.isdigit() else ""
        return (
            f"answer not complete within {self.timeout:g} s "
            f"({received:,}{of} bytes received)"
        )

    def _decode(self, kind: str, request: str, answer: _Answer) -> Json:
        status = answer.status
        if status == 401 or (status == 403 and kind == "read"):
            raise self._error(
                CoreAuthError,
                request,
                f"Core refused the API key ({status}): {self._quoted(answer)}; "
                f"check {KEY_VARIABLE} and {SECRET_VARIABLE}",
                status,
            )
        if status == 403:
            raise self._error(
                CoreAuthError,
                request,
                f"Core refused ({status}): {self._quoted(answer)}; "
                f"the API key needs {kind} permission for {request}",
                status,
            )
        if status >= 400:
            error = CoreUnreachable if status in _UNAVAILABLE else CoreResponseError
            detail = f"Core answered {status}: {self._quoted(answer)}"
            raise self._error(error, request, detail, status)
        try:
            return json.loads(answer.body)
        except ValueError as error:
            raise self._error(
                CoreResponseError, request, self._not_json(answer), status
            ) from error

    def _not_json(self, answer: _Answer) -> str:
        """What a 2xx answer that is not JSON looked like; a page or nothing
        at all suggests the URL does not lead to Core's API."""
        size = f"{len(answer.body):,} bytes, status {answer.status}"
        if not answer.body.strip():
            looks = f"empty (status {answer.status})"
        elif _is_html(answer):
            looks = f"{self._html(answer)} ({size})"
        else:
            return f"answer is not JSON ({size}): {self._quoted(answer)}"
        return f"answer is not JSON but {looks}; {_PROXY_HINT}"

    def _html(self, answer: _Answer) -> str:
        """``an HTML page``, with its title when it has one."""
        found = _TITLE.search(_text(answer.body))
        title = self._masked(found[1]).strip() if found else ""
        return f"an HTML page titled {title[:60]!r}" if title else "an HTML page"

    def _quoted(self, answer: _Answer) -> str:
        """What Core said, redacted: Komodo's ``{"error", "trace"}`` as one
        line, an HTML page by its title, or the body's text."""
        if _is_html(answer):
            return self._html(answer)
        text = _text(answer.body)
        try:
            body = json.loads(text)
        except ValueError:
            return self._masked(text) or "(empty body)"
        if not isinstance(body, dict) or "error" not in body:
            return self._masked(text)
        parts = [str(body["error"])]
        trace = body.get("trace")
        if isinstance(trace, list):
            parts.extend(str(item) for item in trace)
        return self._masked(" | ".join(parts))

    def _masked(self, text: str) -> str:
        """``text`` from Core with the key and secret masked, then any other
        credential redacted (the key first: redaction may cut it in pieces)."""
        for secret in self._secrets:
            # Whole tokens only: a short key must not garble every word it is in.
            text = re.sub(
                rf"(?<![A-Za-z0-9_-]){re.escape(secret)}(?![A-Za-z0-9_-])",
                _REDACTED,
                text,
            )
        return redact(text)

    def _error(
        self,
        kind: type[CoreError],
        request: str,
        detail: str,
        status: int | None = None,
    ) -> CoreError:
        for secret in self._secrets:
            detail = detail.replace(secret, _REDACTED)
        return kind(request, detail, status)


def supported_version(text: str) -> KomodoVersion:
    """The supported release describing Core's ``text`` version, e.g. ``2.3.2``.

    Raises :class:`CoreVersionError` when the text is no version or too old.
    """
    try:
        return closest_supported(KomodoVersion.parse(text))
    except ValueError as error:
        raise CoreVersionError("GetVersion", redact(str(error))) from error


def _should_retry(error: Exception) -> bool:
    return isinstance(error, CoreError) and error.retryable


def _text(body: bytes) -> str:
    return body.decode("utf-8", errors="replace")


def _is_html(answer: _Answer) -> bool:
    if "html" in answer.media_type.lower():
        return True
    start = answer.body.lstrip()[:15].lower()
    return start.startswith((b"<!doctype html", b"<html"))


def _objects(request: str, answer: Json, where: str = "") -> list[Item]:
    """``answer`` when it is an array of JSON objects, else a
    :class:`CoreResponseError` naming the first item that is not."""
    if not isinstance(answer, list):
        raise CoreResponseError(
            request, f"expected an array of objects{where}, got {_kind_of(answer)}"
        )
    for number, item in enumerate(answer, start=1):
        if not isinstance(item, dict):
            raise CoreResponseError(
                request,
                f"expected an array of objects{where}, "
                f"item {number} is {_kind_of(item)}",
            )
    return answer


def _page_items(request: str, answer: Json, key: str) -> tuple[Item, ...]:
    if not isinstance(answer, dict):
        raise CoreResponseError(
            request,
            f"expected an object holding the `{key}` array, got {_kind_of(answer)}",
        )
    if not isinstance(answer.get(key), list):
        raise CoreResponseError(request, f"answer has no `{key}` array")
    return tuple(_objects(request, answer[key], f" in `{key}`"))


def _next_page(request: str, answer: Item, current: int) -> int | None:
    following = answer.get("next_page")
    if following is None:
        return None
    if not isinstance(following, int) or following <= current:
        raise CoreResponseError(request, f"`next_page` does not follow page {current}")
    return following


_JSON_KINDS = {dict: "an object", list: "an array", str: "a string", bool: "a boolean"}


def _kind_of(value: Json) -> str:
    """``value``'s JSON type in JSON's words, with an article (an object...)."""
    if value is None:
        return "null"
    return _JSON_KINDS.get(type(value), "a number")
