"""The dead man's switch against a local HTTP recorder: which URL each ping
hits and with what body, failures and hangs kept within the timeout, and
the check's secret id never in a log line."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from komodo_guard.config import Config
from komodo_guard.notify.interface import Secret
from komodo_guard.watch.heartbeat import Pinger
from komodo_guard.watch.logs import QUIET, LogFormat, use_format
from komodo_guard.watch.loop import Observation, Watcher
from komodo_guard.watch.settings import Policy
from komodo_guard.watch.settings_file import WatchSettings
from tests.watch.helpers import EVERY, T0, pending

CHECK_ID = "5f1c9a1e-secret-check-id"


@dataclass
class Recorder:
    """Records ``(method, path, body)``; answers ``status`` after ``delay``."""

    status: int = 200
    delay: float = 0.0
    seen: list[tuple[str, str, str]] = field(default_factory=list)
    url: str = ""
    release: threading.Event = field(default_factory=threading.Event)


@pytest.fixture
def recorder() -> Iterator[Recorder]:
    made = Recorder()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            made.seen.append(("POST", self.path, body.decode()))
            made.release.wait(made.delay)
            self.send_response(made.status)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"OK")

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            """Quiet."""

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    made.url = f"http://127.0.0.1:{server.server_address[1]}/ping/{CHECK_ID}"
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    yield made
    made.release.set()
    server.shutdown()
    server.server_close()


def pinger(url: str, timeout: float = 2.0, **kwargs: Any) -> Pinger:
    return Pinger(Secret(url), timeout, clock=lambda: T0, **kwargs)


def test_start_success_and_fail_hit_the_healthchecks_urls(recorder: Recorder) -> None:
    with pinger(recorder.url) as beat:
        assert beat.start()
        assert beat.success("komodo-guard cycle ok: 1 error")
        assert beat.fail("could not check Komodo Core: GetVersion refused")
    base = f"/ping/{CHECK_ID}"
    assert recorder.seen == [
        ("POST", f"{base}/start", ""),
        ("POST", base, "komodo-guard cycle ok: 1 error"),
        ("POST", f"{base}/fail", "could not check Komodo Core: GetVersion refused"),
    ]
    assert beat.status.last_success == T0
    assert beat.status.last_failure is None


def test_an_env_reference_is_read_at_each_ping(recorder: Recorder) -> None:
    environ: dict[str, str] = {}
    with Pinger(Secret("", "HB_URL"), 2.0, environ=environ, clock=lambda: T0) as beat:
        assert not beat.start()
        assert "HB_URL is not set" in beat.status.last_error
        environ["HB_URL"] = recorder.url
        assert beat.start()
    assert len(recorder.seen) == 1


def test_a_refusing_server_is_a_failure_naming_only_the_host(
    recorder: Recorder, caplog: pytest.LogCaptureFixture
) -> None:
    recorder.status = 404
    with pinger(recorder.url) as beat:
        assert not beat.success("ok")
    assert beat.status.last_failure == T0
    assert beat.status.last_error == "127.0.0.1 answered 404"
    assert "heartbeat success ping to 127.0.0.1 failed: 127.0.0.1 answered 404" in (
        caplog.text
    )
    assert CHECK_ID not in caplog.text


def test_nothing_listening_is_a_failure(
    free_port: int, caplog: pytest.LogCaptureFixture
) -> None:
    url = f"http://127.0.0.1:{free_port}/{CHECK_ID}"
    with pinger(url) as beat:
        assert not beat.start()
    assert beat.status.last_error == "cannot reach 127.0.0.1 (ConnectError)"
    assert CHECK_ID not in caplog.text


def test_a_hanging_server_holds_a_ping_no_longer_than_the_timeout(
    recorder: Recorder,
) -> None:
    recorder.delay = 30
    with pinger(recorder.url, timeout=0.5) as beat:
        began = time.monotonic()
        assert not beat.fail("summary")
        took = time.monotonic() - began
    assert took < 1.5
    assert beat.status.last_error == "no answer within 0.5 s"


def test_the_loop_pings_start_and_success_or_fail(
    recorder: Recorder, tmp_path: Path
) -> None:
    answers = [
        Observation((pending(),)),
        Observation(checked=False, reason="GetVersion: cannot reach Core"),
    ]
    settings = WatchSettings(
        config=Config(),
        interval=EVERY,
        cycle_timeout=timedelta(seconds=5),
        state_path=tmp_path / "watch.sqlite",
        outbox_path=tmp_path / "outbox.sqlite",
        policy=Policy(),
    )
    watcher = Watcher(
        settings,
        lambda: answers.pop(0),
        lambda channel, alert: pytest.fail("no channel is configured"),
        pinger=pinger(recorder.url),
        clock=lambda: T0,
    )
    try:
        watcher.cycle()
        watcher.cycle()
        status = watcher.status()
    finally:
        watcher.close()
    paths = [path.rsplit(CHECK_ID, 1)[1] for _, path, _ in recorder.seen]
    assert paths == ["/start", "", "/start", "/fail"]
    assert recorder.seen[1][2] == (
        "komodo-guard cycle ok: 0 errors, 1 warning, 0 infos, 1 alert"
    )
    assert recorder.seen[3][2].startswith(
        "komodo-guard could not check Komodo Core in the cycle started "
    )
    assert recorder.seen[3][2].endswith(": GetVersion: cannot reach Core")
    assert status.heartbeat is not None
    assert status.heartbeat.last_success == T0


@pytest.fixture
def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_log_lines_never_hold_the_url_even_at_debug(
    recorder: Recorder, caplog: pytest.LogCaptureFixture
) -> None:
    """``watch`` keeps the HTTP libraries, which quote URLs, at warning level."""
    levels = {name: logging.getLogger(name).level for name in QUIET}
    try:
        use_format(LogFormat.TEXT)
        caplog.set_level(logging.DEBUG)
        recorder.status = 500
        with pinger(recorder.url) as beat:
            beat.start()
    finally:
        for name, level in levels.items():
            logging.getLogger(name).setLevel(level)
    assert "heartbeat start ping to 127.0.0.1 failed" in caplog.text
    assert CHECK_ID not in caplog.text


def test_an_unset_channel_secret_stops_the_start() -> None:
    from komodo_guard.config import Config
    from komodo_guard.notify.channels import parse_channel
    from komodo_guard.watch.settings_file import WatchSettingsError, watch_settings

    channel = parse_channel(
        0, {"type": "ntfy", "url": "http://127.0.0.1:9/t", "token": "env:NOPE_UNSET"}
    )
    config = Config(channels=(channel,))
    with pytest.raises(WatchSettingsError, match="NOPE_UNSET, which is not set"):
        watch_settings(config, {})
    assert watch_settings(config, {"NOPE_UNSET": "x"}).channels == (channel,)
