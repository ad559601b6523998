"""`CoreEmulator`: a loopback HTTP server that answers like Komodo Core 2.3.

Serves ``GET /version``, ``POST /read|/write|/execute`` (body ``{"type", "params"}``)
and ``POST /read/<Request>`` etc. (body = params), authenticated with
``x-api-key``/``x-api-secret``, plus the webhook listener. Errors are Komodo's
``{"error", "trace"}`` JSON. Emulator choices where Core's exact status is not
pinned: an unknown resource is 404, an unknown request type 422, a body that is
not JSON 400; an unknown Variable is Core's own 500. The caller is an admin
unless ``admin=False`` (then secret Variables are masked, and changing one is
refused as Core refuses non-admins). Faults (`Fault`) are injected per request
type, ``"*"`` for every call, ``"listener"`` for webhooks and ``"version"`` for
``GET /version``.

Requests are served concurrently, one thread each; ``latency`` seconds are
waited before every answer (outside any lock), so a benchmark sees the round
trips of a remote Core while the emulator's own work stays small: answers are
built and encoded under the state lock, without copying the big lists.
"""

from __future__ import annotations

import json
import socket
import struct
import sys
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Literal

from komodo_guard.testing import calls, listener
from komodo_guard.testing.scenario import Scenario
from komodo_guard.testing.state import CoreError, CoreState

FaultKind = Literal[
    "latency", "status", "malformed", "truncated", "hang", "reset", "close"
]
_POLL_SECONDS = 0.05
"""How often the server checks for `CoreEmulator.stop` (the default is 0.5 s)."""
_GROUPS = {"read": calls.READ, "write": calls.WRITE, "execute": calls.EXECUTE}


@dataclass(frozen=True)
class Fault:
    """Trouble to inject: ``latency`` sleeps `seconds` then answers; ``status``
    answers `status` with an error body; ``malformed`` answers 200 with invalid
    JSON; ``truncated`` promises more bytes than it sends and closes; ``hang``
    never answers until `CoreEmulator.stop`; ``reset`` aborts the connection
    (TCP RST) after reading the request; ``close`` closes it without answering.
    `times` = how many requests it affects (None = all)."""

    kind: FaultKind
    seconds: float = 0
    status: int = 500
    times: int | None = None


class CoreEmulator:
    """A Komodo Core on 127.0.0.1 serving a `Scenario`; use as a context manager."""

    def __init__(
        self,
        scenario: Scenario,
        *,
        api_key: str = "key",
        api_secret: str = "secret",
        update_seconds: float = 0.2,
        admin: bool = True,
        latency: float = 0.0,
    ) -> None:
        self.state = CoreState(scenario, update_seconds=update_seconds, admin=admin)
        self.latency = latency
        """Seconds waited before answering every request."""
        self.api_key = api_key
        self.api_secret = api_secret
        self.url = ""
        self.requests: list[tuple[str, str]] = []
        self._faults: dict[str, list[Any]] = {}
        self._faults_lock = threading.Lock()
        self._stopping = threading.Event()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Listen on an ephemeral loopback port and serve in a background thread."""
        server = _Server(("127.0.0.1", 0), _handler_for(self))
        server.block_on_close = False
        self._server = server
        self.url = f"http://127.0.0.1:{server.server_address[1]}"
        self._stopping.clear()
        self._thread = threading.Thread(
            target=server.serve_forever, args=(_POLL_SECONDS,), daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        """Stop serving; requests held by a ``hang`` fault are released and closed."""
        self._stopping.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=1)
            self._thread = None

    def __enter__(self) -> CoreEmulator:
        self.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.stop()

    def inject(self, call: str, fault: Fault) -> None:
        """Apply `fault` to requests of type `call` (or ``"*"``, ``"listener"``)."""
        with self._faults_lock:
            self._faults[call] = [fault, fault.times]

    def clear_faults(self) -> None:
        with self._faults_lock:
            self._faults.clear()

    def take_fault(self, call: str) -> Fault | None:
        """The fault for `call`, counting down its remaining `times`."""
        with self._faults_lock:
            entry = self._faults.get(call) or self._faults.get("*")
            if entry is None:
                return None
            fault, remaining = entry
            if remaining is not None:
                if remaining <= 0:
                    return None
                entry[1] = remaining - 1
            return fault  # type: ignore[no-any-return]

    def hold(self, seconds: float | None) -> None:
        """Wait `seconds` (None = until stop), ending early when stopping."""
        self._stopping.wait(seconds)

    def dispatch(self, group: str, call: str, params: Any) -> bytes:
        """The JSON answer to one request.

        Handlers run under the state lock; the encoding does not, which is
        safe because answers share only what no request changes (configs,
        targets) and copy the rest.
        """
        handler = _GROUPS[group].get(call)
        if handler is None:
            raise CoreError(422, f"unknown variant `{call}` for /{group}")
        if not isinstance(params, dict):
            raise CoreError(422, f"params of {call} must be a JSON object")
        with self.state.lock:
            self.state.settle()
            answer = handler(self.state, params)
        return json.dumps(answer).encode()

    def webhook(self, path: str, headers: dict[str, str], body: bytes) -> None:
        with self.state.lock:
            self.state.settle()
            listener.handle(self.state, path, headers, body)


class _Server(ThreadingHTTPServer):
    request_queue_size = 128
    """Room for many clients connecting at once (the default backlog is 5)."""

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Stay quiet when a client gave up (a timeout, a fault it provoked)."""
        if isinstance(sys.exc_info()[1], ConnectionError | TimeoutError):
            return
        super().handle_error(request, client_address)


def _handler_for(emulator: CoreEmulator) -> type[BaseHTTPRequestHandler]:
    class Handler(_CoreHandler):
        core = emulator

    return Handler


class _CoreHandler(BaseHTTPRequestHandler):
    core: CoreEmulator
    timeout = 5
    server_version = "komodo-guard-emulator"
    protocol_version = "HTTP/1.1"
    """Keep-alive, as Core's server does: no new connection per request."""
    disable_nagle_algorithm = True
    """Headers and body leave at once instead of waiting for a delayed ACK."""

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        """Silence the per-request stderr line of `BaseHTTPRequestHandler`."""

    def do_GET(self) -> None:
        self.core.hold(self.core.latency)
        if self.path != "/version":
            self._error(404, f"no route GET {self.path}")
            return
        self.core.requests.append((self.path, "version"))
        if self._faulted("version"):
            return
        self._send(200, self.core.state.version.encode(), "text/plain")

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.core.hold(self.core.latency)
        if self.path.startswith("/listener/"):
            self._listener(body)
            return
        try:
            group, call, params = self._request(body)
        except CoreError as error:
            self.core.requests.append((self.path, ""))
            self._error(error.status, error.message)
            return
        self.core.requests.append((self.path, call))
        if self._faulted(call):
            return
        if not self._authorised():
            self._error(401, "request is not authenticated: invalid api key or secret")
            return
        try:
            result = self.core.dispatch(group, call, params)
        except CoreError as error:
            self._error(error.status, error.message)
            return
        self._send(200, result, "application/json")

    def _listener(self, body: bytes) -> None:
        self.core.requests.append((self.path, "listener"))
        if self._faulted("listener"):
            return
        headers = {k.lower(): v for k, v in self.headers.items()}
        try:
            self.core.webhook(self.path, headers, body)
        except CoreError as error:
            self._error(error.status, error.message)
            return
        self._send(200, b"", "text/plain")

    def _request(self, body: bytes) -> tuple[str, str, Any]:
        parts = self.path.strip("/").split("/")
        if parts[0] not in _GROUPS or len(parts) > 2:
            raise CoreError(404, f"no route POST {self.path}")
        try:
            payload = json.loads(body or b"{}")
        except (json.JSONDecodeError, UnicodeDecodeError) as error:
            raise CoreError(400, f"request body is not JSON: {error}") from error
        if len(parts) == 2:
            return parts[0], parts[1], payload
        if not isinstance(payload, dict) or not isinstance(payload.get("type"), str):
            raise CoreError(422, "missing field `type`")
        return parts[0], payload["type"], payload.get("params", {})

    def _authorised(self) -> bool:
        key = self.headers.get("x-api-key", "")
        secret = self.headers.get("x-api-secret", "")
        return key == self.core.api_key and secret == self.core.api_secret

    def _faulted(self, call: str) -> bool:
        """Apply an injected fault; True when it replaced the answer."""
        fault = self.core.take_fault(call)
        if fault is None:
            return False
        if fault.kind == "latency":
            self.core.hold(fault.seconds)
            return False
        if fault.kind == "status":
            self._error(fault.status, f"injected fault: status {fault.status}")
        elif fault.kind == "malformed":
            self._send(200, b'{"error": "this is not json', "application/json")
        elif fault.kind == "truncated":
            self._truncated()
        elif fault.kind == "reset":
            linger = struct.pack("ii", 1, 0)
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, linger)
            self.connection.close()
            self.close_connection = True
        elif fault.kind == "close":
            self.close_connection = True
        else:
            self.core.hold(None)
            self.close_connection = True
        return True

    def _truncated(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", "4096")
        self.end_headers()
        self.wfile.write(b'{"updates": [{"id": "')
        self.wfile.flush()
        self.close_connection = True

    def _error(self, status: int, message: str) -> None:
        body = json.dumps({"error": message, "trace": []}).encode()
        self._send(status, body, "application/json")

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
