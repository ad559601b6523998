"""The watcher against a Core emulator in trouble, on loopback: down, 5xx,
hanging, malformed and huge answers, one call failing, and a slow channel.
Each ends in the right state within a bound: "cannot check" after N cycles
(and "can check again" after), alerts on the channels that work."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from komodo_guard.cli.livecheck import LiveOptions
from komodo_guard.cli.watch import CoreCheck
from komodo_guard.config import Config
from komodo_guard.live.client import CoreClient
from komodo_guard.notify.channels import parse_channel
from komodo_guard.notify.sender import Sender
from komodo_guard.testing import CoreEmulator, Fault, Scenario
from komodo_guard.watch.loop import Watcher
from komodo_guard.watch.model import Kind
from komodo_guard.watch.settings import Policy
from komodo_guard.watch.settings_file import WatchSettings
from tests.cli.conftest import KEY, SECRET, SECRETS, clean_scenario
from tests.notify.servers import HttpRecorder
from tests.watch.helpers import T0

TIMEOUT = 0.3
CYCLE_BOUND = 6.0
"""Seconds one cycle may take whatever Core does (retries included)."""


@dataclass
class Clock:
    now: Any = T0

    def __call__(self) -> Any:
        return self.now


@dataclass
class SlowHook:
    """A webhook that answers 200 after ``delay`` seconds."""

    delay: float
    bodies: list[dict[str, Any]] = field(default_factory=list)
    url: str = ""


@pytest.fixture
def hook() -> Iterator[HttpRecorder]:
    server = HttpRecorder()
    yield server
    server.close()


@pytest.fixture
def slow_hook() -> Iterator[SlowHook]:
    made = SlowHook(delay=0.6)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            made.bodies.append(json.loads(body))
            time.sleep(made.delay)
            try:
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()
            except OSError:
                pass

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            """Quiet."""

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    made.url = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True).start()
    yield made
    server.shutdown()
    server.server_close()


def watcher_for(
    core: CoreEmulator,
    tmp_path: Path,
    clock: Clock,
    *urls: str,
    timeout: float = TIMEOUT,
) -> tuple[Watcher, Sender, CoreClient]:
    tables = [
        {"type": "webhook", "name": f"hook{i}", "url": url, "timeout": 0.3}
        for i, url in enumerate(urls)
    ]
    settings = WatchSettings(
        config=Config(komodo_url=core.url),
        interval=timedelta(minutes=5),
        cycle_timeout=timedelta(seconds=CYCLE_BOUND),
        state_path=tmp_path / "watch.sqlite",
        outbox_path=tmp_path / "outbox.sqlite",
        policy=Policy(cannot_check_after=3),
        channels=tuple(parse_channel(i, t) for i, t in enumerate(tables)),
    )
    client = CoreClient(core.url, KEY, SECRET, timeout=timeout, retries=1)
    sender = Sender()
    live = LiveOptions(timeout=timeout, quiet=True)
    check = CoreCheck(client, live, settings)
    return Watcher(settings, check, sender.send, clock=clock), sender, client


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def parts(
    clean_core: CoreEmulator, tmp_path: Path, clock: Clock, hook: HttpRecorder
) -> Iterator[tuple[Watcher, CoreEmulator]]:
    watcher, sender, client = watcher_for(clean_core, tmp_path, clock, hook.url)
    yield watcher, clean_core
    watcher.close()
    sender.close()
    client.close()


def cycles(watcher: Watcher, clock: Clock, count: int) -> list[list[Kind]]:
    out = []
    for _ in range(count):
        began = time.monotonic()
        result = watcher.cycle()
        assert time.monotonic() - began < CYCLE_BOUND + 1
        clock.now += timedelta(minutes=5)
        out.append([t.kind for t in result.transitions])
    return out


FAULTS = {
    "status-500": Fault("status", status=500),
    "status-503": Fault("status", status=503),
    "status-401": Fault("status", status=401),
    "hang": Fault("hang"),
    "malformed": Fault("malformed"),
    "truncated": Fault("truncated"),
    "reset": Fault("reset"),
}


@pytest.mark.usefixtures("quick_retries")
@pytest.mark.parametrize("fault", FAULTS)
def test_core_in_trouble_is_cannot_check_after_n_cycles_then_recovers(
    parts: tuple[Watcher, CoreEmulator],
    clock: Clock,
    hook: HttpRecorder,
    fault: str,
) -> None:
    watcher, core = parts
    assert cycles(watcher, clock, 1) == [[]]
    core.inject("*", FAULTS[fault])
    assert cycles(watcher, clock, 4) == [[], [], [Kind.CANNOT_CHECK], []]
    assert [c.outcome.value for c in watcher.state.recent_cycles(4)] == ["failed"] * 4
    core.clear_faults()
    assert cycles(watcher, clock, 1) == [[Kind.CAN_CHECK_AGAIN]]
    bodies = [json.loads(r.body) for r in hook.requests]
    assert [b["transition"] for b in bodies] == ["cannot-check", "can-check-again"]
    assert bodies[0]["title"].startswith("Komodo cannot be checked since ")
    assert bodies[0]["title"].split(": ", 1)[1].startswith("GetVersion: ")
    for secret in SECRETS:
        assert secret not in json.dumps(bodies)


@pytest.mark.usefixtures("quick_retries")
def test_core_down_is_cannot_check(
    parts: tuple[Watcher, CoreEmulator], clock: Clock, hook: HttpRecorder
) -> None:
    watcher, core = parts
    core.stop()
    assert cycles(watcher, clock, 3) == [[], [], [Kind.CANNOT_CHECK]]
    (body,) = [json.loads(r.body) for r in hook.requests]
    assert "GetVersion: cannot reach http://127.0.0.1:" in body["title"]
    assert watcher.exit_code(watcher.cycle()) == 2


@pytest.mark.usefixtures("quick_retries")
def test_one_call_failing_is_a_blind_spot_and_resolves_nothing(
    demo_core: CoreEmulator, tmp_path: Path, clock: Clock, hook: HttpRecorder
) -> None:
    watcher, sender, client = watcher_for(demo_core, tmp_path, clock, hook.url)
    try:
        first = cycles(watcher, clock, 1)[0]
        opened = len(watcher.state.open_findings())
        assert first == [Kind.NEW] * opened
        assert opened >= 5
        demo_core.inject("ListUpdates", Fault("status", status=500))
        assert cycles(watcher, clock, 3) == [[], [], [Kind.CANNOT_CHECK]]
        assert len(watcher.state.open_findings()) == opened
        spot = watcher.state.blind_spots()[0]
        assert spot.subject == "could not read ListUpdates from Komodo Core"
        assert watcher.state.recent_cycles(1)[0].outcome.value == "degraded"
    finally:
        watcher.close()
        sender.close()
        client.close()
    titles = [json.loads(r.body)["title"] for r in hook.requests]
    assert titles[-1].startswith("Komodo cannot be fully checked since ")


def huge_scenario() -> Scenario:
    scenario = clean_scenario()
    scenario.stacks = [
        {
            "name": f"app-{n:05d}",
            "server": "hearth",
            "services": ["web", "worker", "db"],
            "deployed_hash": "a1",
            "latest_hash": "a1",
            "description": "x" * 400,
        }
        for n in range(6000)
    ]
    return scenario


def test_a_huge_answer_is_read_within_the_bound(
    credentials: None, tmp_path: Path, clock: Clock, hook: HttpRecorder
) -> None:
    with CoreEmulator(huge_scenario(), api_key=KEY, api_secret=SECRET) as core:
        watcher, sender, client = watcher_for(
            core, tmp_path, clock, hook.url, timeout=10
        )
        try:
            began = time.monotonic()
            result = watcher.cycle()
            took = time.monotonic() - began
        finally:
            watcher.close()
            sender.close()
            client.close()
    assert result.cycle is not None
    assert result.cycle.checked
    assert result.observation.snapshot is not None
    assert len(result.observation.snapshot.stacks) == 6000
    assert took < 30


def test_a_slow_channel_fails_and_is_reported_on_the_other(
    clean_core: CoreEmulator,
    tmp_path: Path,
    clock: Clock,
    hook: HttpRecorder,
    slow_hook: SlowHook,
) -> None:
    watcher, sender, client = watcher_for(
        clean_core, tmp_path, clock, hook.url, slow_hook.url
    )
    try:
        clean_core.inject("*", Fault("status", status=500))
        began = time.monotonic()
        cycles(watcher, clock, 3)
        for _ in range(4):
            clock.now += timedelta(minutes=30)
            watcher.deliver()
        took = time.monotonic() - began
        health = {h.channel: h for h in watcher.outbox.channel_health()}
    finally:
        watcher.close()
        sender.close()
        client.close()
    assert took < 20
    fast = [json.loads(r.body) for r in hook.requests]
    assert [b["transition"] for b in fast] == ["cannot-check", "channel-failing"]
    assert fast[1]["title"] == "Notification channel hook1 is failing"
    assert health["hook1"].consecutive_failures >= 3
    assert health["hook1"].undelivered == 1
    assert slow_hook.bodies
    assert slow_hook.bodies[0]["transition"] == "cannot-check"
