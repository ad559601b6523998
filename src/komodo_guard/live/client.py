"""The Komodo Core API client: read, write and execute calls with an API key.

Credentials come from the environment only: ``KOMODO_API_KEY`` and
``KOMODO_API_SECRET`` (see :meth:`CoreClient.from_env`); they are sent as the
``x-api-key`` / ``x-api-secret`` headers and never appear in an error message.
Every request has a timeout (:data:`DEFAULT_TIMEOUT` seconds unless told).
Reads are retried with exponential backoff and jitter on transport errors,
timeouts and HTTP 502/503/504, within a total time cap; writes and executes are
sent exactly once, because repeating them could repeat their effect.
"""

from __future__ import annotations

import json
import os
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

Params = Mapping[str, Any]
Json = Any


class Pages(NamedTuple):
    """Items gathered by following ``next_page``; ``truncated`` when the cap hit."""

    items: tuple[dict[str, Any], ...]
    truncated: bool


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
        """``POST /read`` with retries; the decoded JSON answer."""
        return self._retrying(request, lambda: self._post("read", request, params))

    def write(self, request: str, params: Params | None = None) -> Json:
        """``POST /write`` once, never retried."""
        return self._post("write", request, params)

    def execute(self, request: str, params: Params | None = None) -> Json:
        """``POST /execute`` once, never retried; Core answers with an Update."""
        return self._post("execute", request, params)

    def list_all(self, request: str, params: Params | None = None) -> list[Json]:
        """Every item of a ``List*`` resource call, asked for with ``limit: 0``.

        A Core that ignores ``limit`` answers with one default page of
        :data:`DEFAULT_PAGE_SIZE` items; then the following pages are fetched
        until a short or repeated page, so nothing beyond the first page is lost.
        (A Core that honours ``limit: 0`` and holds exactly that many items
        costs one extra, empty page.)
        """
        first = _as_list(request, self.read(request, {**(params or {}), "limit": 0}))
        if len(first) != DEFAULT_PAGE_SIZE:
            return first
        return self._more_pages(request, params, first)

    def pages(self, request: str, params: Params | None, key: str) -> Pages:
        """Follow ``next_page`` of ListUpdates / ListAlerts, collecting ``key``.

        Stops after :data:`MAX_PAGES` pages with ``truncated`` set.
        """
        items: list[dict[str, Any]] = []
        page: int | None = 0
        for _ in range(MAX_PAGES):
            if page is None:
                return Pages(tuple(items), truncated=False)
            answer = self.read(request, {**(params or {}), "page": page})
            items.extend(_page_items(request, answer, key))
            page = _next_page(request, answer, page)
        return Pages(tuple(items), truncated=page is not None)

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
        self, request: str, params: Params | None, first: list[Json]
    ) -> list[Json]:
        items = list(first)
        for page in range(1, MAX_PAGES):
            query = {**(params or {}), "limit": DEFAULT_PAGE_SIZE, "page": page}
            batch = _as_list(request, self.read(request, query))
            if not batch or batch == first:
                break
            items.extend(batch)
            if len(batch) < DEFAULT_PAGE_SIZE:
                break
        return items

    def _retrying(self, request: str, send: Callable[[], Json]) -> Json:
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
            response = self._http.post(f"/{kind}", json=body)
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
        return self._decode(request, response)

    def _decode(self, request: str, response: httpx.Response) -> Json:
        status = response.status_code
        if status in (401, 403):
            raise self._error(
                CoreAuthError,
                request,
                f"Core refused the API key ({status}): {_error_text(response)}; "
                f"check {KEY_VARIABLE} and {SECRET_VARIABLE}",
                status,
            )
        if status >= 400:
            kind = CoreUnreachable if status in _UNAVAILABLE else CoreResponseError
            detail = f"Core answered {status}: {_error_text(response)}"
            raise self._error(kind, request, detail, status)
        try:
            return json.loads(response.content)
        except ValueError as error:
            raise self._error(
                CoreResponseError,
                request,
                f"answer is not JSON ({len(response.content)} bytes, "
                f"status {status}): {error}",
                status,
            ) from error

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
        raise CoreVersionError("GetVersion", str(error)) from error


def _should_retry(error: Exception) -> bool:
    return isinstance(error, CoreError) and error.retryable


def _error_text(response: httpx.Response) -> str:
    """Komodo's ``{"error", "trace"}`` as one line, or the raw body text."""
    try:
        body = json.loads(response.content)
    except ValueError:
        return response.text or "(empty body)"
    if not isinstance(body, dict) or "error" not in body:
        return response.text
    trace = body.get("trace")
    parts = [str(body["error"])]
    if isinstance(trace, list):
        parts.extend(str(item) for item in trace)
    return " | ".join(parts)


def _as_list(request: str, answer: Json) -> list[Json]:
    if not isinstance(answer, list):
        raise CoreResponseError(request, f"expected a JSON array, got {_kind(answer)}")
    return answer


def _page_items(request: str, answer: Json, key: str) -> list[dict[str, Any]]:
    items = answer.get(key) if isinstance(answer, dict) else None
    if not isinstance(items, list):
        raise CoreResponseError(request, f"answer has no `{key}` array")
    return [item for item in items if isinstance(item, dict)]


def _next_page(request: str, answer: Json, current: int) -> int | None:
    following = answer.get("next_page")
    if following is None:
        return None
    if not isinstance(following, int) or following <= current:
        raise CoreResponseError(request, f"`next_page` does not follow page {current}")
    return following


_JSON_KINDS = {dict: "object", list: "array", str: "string", bool: "boolean"}


def _kind(value: Json) -> str:
    """``value``'s JSON type in JSON's words (object, array, ...)."""
    if value is None:
        return "null"
    return _JSON_KINDS.get(type(value), "number")
