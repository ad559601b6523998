"""The watcher's HTTP endpoint: ``/metrics``, ``/healthz`` and the status page.

One WSGI application (:func:`make_app`) on the standard library's
``wsgiref``, served by :func:`serve` on a thread per request, at most
:data:`MAX_CONNECTIONS` at once, each socket with a timeout. It binds
127.0.0.1 unless told otherwise.

- ``/`` is the status page (:mod:`.status`), ``/metrics`` the Prometheus
  text format (:mod:`.metrics`). With a token configured both need it, as
  ``Authorization: Bearer <token>`` or ``?token=<token>``, compared in
  constant time; a refusal never repeats what was sent.
- ``/healthz`` needs no token and says, as JSON, how old the last cycle and
  the last good cycle are: 200 while the last good cycle ended within
  :data:`~.status.STALE_INTERVALS` intervals, else 503.

Requests read nothing but the :class:`Board`, which the loop replaces after
each cycle; they never touch the state file. Access logs go to this
module's logger at debug level, with the path only (a query may hold the
token).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import socket
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from http import HTTPStatus
from ipaddress import ip_address
from socketserver import ThreadingMixIn
from typing import Any
from urllib.parse import parse_qs
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer
from wsgiref.types import StartResponse, WSGIApplication, WSGIEnvironment

from prometheus_client.exposition import CONTENT_TYPE_LATEST

from komodo_guard.watch.metrics import Metrics
from komodo_guard.watch.status import CSS_SHA256, Status, health, render

logger = logging.getLogger(__name__)

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 9718
MAX_CONNECTIONS = 16
"""Requests served at once; further connections are closed at once."""
REQUEST_TIMEOUT = 10.0
"""Seconds a client may take to send its request or read the answer."""

_HTML = "text/html; charset=utf-8"
_SECURITY_HEADERS = [
    ("Cache-Control", "no-store"),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "no-referrer"),
    (
        "Content-Security-Policy",
        f"default-src 'none'; style-src 'sha256-{CSS_SHA256}'; "
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    ),
]

Clock = Callable[[], datetime]


def _utc_now() -> datetime:
    return datetime.now(UTC)


class Board:
    """The latest :class:`~.status.Status`: the loop publishes, requests read."""

    def __init__(self, status: Status) -> None:
        self._status = status
        self._lock = threading.Lock()

    def publish(self, status: Status) -> None:
        """Show ``status`` from the next request on."""
        with self._lock:
            self._status = status

    @property
    def status(self) -> Status:
        with self._lock:
            return self._status


@dataclass(frozen=True)
class _Answer:
    status: HTTPStatus
    content_type: str
    body: bytes
    headers: tuple[tuple[str, str], ...] = ()


def make_app(
    board: Board,
    metrics: Metrics,
    *,
    token: str | None = None,
    clock: Clock = _utc_now,
) -> WSGIApplication:
    """The WSGI application; ``token`` (if not empty) guards ``/`` and ``/metrics``."""
    secret = token.encode() if token else None

    def app(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        try:
            answer = _route(environ, board, metrics, secret, clock)
        except Exception:  # one broken page must not take the server down
            logger.exception("status server: %s failed", environ.get("PATH_INFO"))
            answer = _text(HTTPStatus.INTERNAL_SERVER_ERROR, "internal error\n")
        headers = [
            ("Content-Type", answer.content_type),
            ("Content-Length", str(len(answer.body))),
            *_SECURITY_HEADERS,
            *answer.headers,
        ]
        start_response(f"{answer.status.value} {answer.status.phrase}", headers)
        return [b""] if environ.get("REQUEST_METHOD") == "HEAD" else [answer.body]

    return app


def _route(
    environ: WSGIEnvironment,
    board: Board,
    metrics: Metrics,
    secret: bytes | None,
    clock: Clock,
) -> _Answer:
    path = environ.get("PATH_INFO", "")
    if path not in ("/", "/metrics", "/healthz"):
        return _text(HTTPStatus.NOT_FOUND, "not found: try /, /metrics or /healthz\n")
    if environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
        return _text(
            HTTPStatus.METHOD_NOT_ALLOWED,
            "only GET and HEAD\n",
            (("Allow", "GET, HEAD"),),
        )
    if path == "/healthz":
        return _healthz(board.status, clock())
    if secret is not None and not _authorised(environ, secret):
        return _text(
            HTTPStatus.UNAUTHORIZED,
            "a token is required: send Authorization: Bearer <token> or ?token=\n",
            (("WWW-Authenticate", 'Bearer realm="komodo-guard"'),),
        )
    if path == "/metrics":
        return _Answer(HTTPStatus.OK, CONTENT_TYPE_LATEST, metrics.exposition())
    return _Answer(HTTPStatus.OK, _HTML, render(board.status, clock()).encode())


def _authorised(environ: WSGIEnvironment, secret: bytes) -> bool:
    """Whether the request carries ``secret``; digests are compared in constant
    time, so neither the token's characters nor its length leak."""
    given: list[str] = []
    scheme, _, value = environ.get("HTTP_AUTHORIZATION", "").partition(" ")
    if scheme.lower() == "bearer":
        given.append(value.strip())
    query = parse_qs(environ.get("QUERY_STRING", ""), max_num_fields=20)
    given.extend(query.get("token", [])[:1])
    expected = hashlib.sha256(secret).digest()
    matched = False
    for candidate in given:
        digest = hashlib.sha256(candidate.encode()).digest()
        matched |= hmac.compare_digest(digest, expected)
    return matched


def _healthz(status: Status, now: datetime) -> _Answer:
    state = health(status, now)
    last = status.last_cycle
    body = {
        "status": state.state,
        "last_cycle_outcome": None if last is None else last.outcome.value,
        "last_cycle_ended": None if last is None else last.ended.isoformat(),
        "last_cycle_age_seconds": _seconds(state.last_cycle_age),
        "last_good_cycle_age_seconds": _seconds(state.last_good_age),
        "interval_seconds": status.interval.total_seconds(),
    }
    code = HTTPStatus.OK if state.healthy else HTTPStatus.SERVICE_UNAVAILABLE
    text = json.dumps(body, sort_keys=True) + "\n"
    return _Answer(code, "application/json", text.encode())


def _seconds(delta: timedelta | None) -> float | None:
    return None if delta is None else round(delta.total_seconds(), 3)


def _text(
    code: HTTPStatus, text: str, headers: tuple[tuple[str, str], ...] = ()
) -> _Answer:
    return _Answer(code, "text/plain; charset=utf-8", text.encode(), headers)


class _Handler(WSGIRequestHandler):
    """wsgiref's handler with a socket timeout and logs without queries."""

    timeout = REQUEST_TIMEOUT

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        # A request line that could not be parsed leaves no path or command.
        path = getattr(self, "path", "").split("?", 1)[0]
        command = getattr(self, "command", None) or "-"
        logger.debug("status server: %s %s -> %s", command, path or "-", code)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        # Arguments may quote the raw request line, token included.
        logger.debug(
            "status server: could not serve a request from %s", self.address_string()
        )


class _Server(ThreadingMixIn, WSGIServer):
    """A thread per request, at most ``limit`` at once."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int], limit: int) -> None:
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        self._slots = threading.BoundedSemaphore(limit)
        super().__init__(address, _Handler)

    def process_request(self, request: Any, client_address: Any) -> None:
        if not self._slots.acquire(blocking=False):
            logger.warning("status server: too many requests at once; one refused")
            self.shutdown_request(request)
            return
        try:
            super().process_request(request, client_address)
        except BaseException:
            self._slots.release()
            raise

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._slots.release()

    def handle_error(self, request: Any, client_address: Any) -> None:
        # socketserver prints a traceback to stderr; a reset connection is not
        # worth one, and anything else goes to the log.
        logger.debug("status server: a request failed", exc_info=True)


class StatusServer:
    """A running server; :meth:`close` stops it. Create it with :func:`serve`."""

    def __init__(self, server: _Server) -> None:
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": 0.2},
            name="komodo-guard-status",
            daemon=True,
        )
        self._thread.start()

    @property
    def port(self) -> int:
        """The bound port (useful with port 0)."""
        return int(self._server.server_address[1])

    @property
    def url(self) -> str:
        host = str(self._server.server_address[0])
        shown = f"[{host}]" if ":" in host else host
        return f"http://{shown}:{self.port}"

    def close(self) -> None:
        """Stop serving and release the port."""
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=REQUEST_TIMEOUT)


def serve(
    app: WSGIApplication,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    *,
    max_connections: int = MAX_CONNECTIONS,
) -> StatusServer:
    """Serve ``app`` on ``host``:``port`` from a background thread.

    Raises ``OSError`` when the address cannot be bound. Binding anything but
    loopback is the operator's choice; it is logged as a warning.
    """
    if not _loopback(host):
        logger.warning(
            "status server listens on %s, not loopback: protect it with a token "
            "and a firewall",
            host,
        )
    server = _Server((host, port), max_connections)
    server.set_app(app)
    return StatusServer(server)


def _loopback(host: str) -> bool:
    try:
        return ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"
