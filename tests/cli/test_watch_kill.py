"""``kill -9`` of a real ``komodo-guard watch`` in the middle of a cycle and
of a delivery, then a restart: no alert lost (every transition delivered at
least once), none sent twice but the one killed in flight (same key), and
both files intact."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from komodo_guard.testing import CoreEmulator, Fault
from komodo_guard.watch.state import WatchState
from tests.cli.conftest import KEY, SECRET

BOUND = 30.0
"""Seconds any wait of these tests may take."""

_RUN = textwrap.dedent(
    """
    import os, signal, sqlite3, sys

    target = sys.argv[1]
    connect = sqlite3.connect

    def traced(*args, **kwargs):
        db = connect(*args, **kwargs)

        def kill_at(statement):
            if statement.startswith(target):
                os.kill(os.getpid(), signal.SIGKILL)

        db.set_trace_callback(kill_at)
        return db

    sqlite3.connect = traced
    from komodo_guard.cli.main import main

    sys.exit(main(sys.argv[2:]))
    """
)


@dataclass
class Hook:
    """A webhook recording alert keys; with ``hold`` set, the first request
    is held unanswered until ``release``."""

    keys: list[str] = field(default_factory=list)
    hold: bool = False
    held: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)
    url: str = ""


@pytest.fixture
def hook() -> Iterator[Hook]:
    made = Hook()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            made.keys.append(json.loads(body)["key"])
            if made.hold and not made.held.is_set():
                made.held.set()
                made.release.wait(BOUND)
                return  # the client is gone; answer nothing
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
    made.release.set()
    server.shutdown()
    server.server_close()


def configure(folder: Path, core: str, hook: str) -> Path:
    path = folder / "komodo-guard.toml"
    path.write_text(
        f'[komodo]\nurl = "{core}"\n'
        '[watch]\ninterval = "0.5s"\nlisten = false\n'
        f'[[notify.channel]]\ntype = "webhook"\nurl = "{hook}/hook"\ntimeout = 2\n'
    )
    return path


def start(config: Path, kill_before: str = "never") -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", _RUN, kill_before,
         "watch", "--config", str(config), "--timeout", "2"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env={"KOMODO_API_KEY": KEY, "KOMODO_API_SECRET": SECRET, "PATH": "",
             "HOME": str(config.parent)},
    )  # fmt: skip


def wait_for(predicate: Callable[[], bool]) -> None:
    deadline = time.monotonic() + BOUND
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError("timed out")


def query(path: Path, sql: str) -> list[tuple[Any, ...]]:
    if not path.exists():
        return []
    db = sqlite3.connect(path)
    try:
        return db.execute(sql).fetchall()
    except sqlite3.Error:
        return []
    finally:
        db.close()


def settled(folder: Path) -> bool:
    """Every alert recorded is queued and every queued one delivered."""
    waiting = query(
        folder / "outbox.sqlite",
        "SELECT count(*) FROM delivery WHERE state != 'delivered'",
    )
    queued = query(folder / "outbox.sqlite", "SELECT count(*) FROM delivery")
    outgoing = query(folder / "watch.sqlite", "SELECT count(*) FROM outgoing")
    return bool(queued and queued[0][0]) and waiting == [(0,)] and outgoing == [(0,)]


def kill(process: subprocess.Popen[str]) -> None:
    process.send_signal(signal.SIGKILL)
    process.wait(BOUND)
    assert process.returncode == -signal.SIGKILL


def restart_until_settled(config: Path) -> str:
    process = start(config)
    try:
        wait_for(lambda: settled(config.parent))
        process.send_signal(signal.SIGTERM)
        _, err = process.communicate(timeout=BOUND)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, err
    return err


def check_nothing_lost(folder: Path, received: list[str], in_flight: int) -> None:
    for name in ("watch.sqlite", "outbox.sqlite"):
        assert query(folder / name, "PRAGMA integrity_check") == [("ok",)]
    with WatchState.open(folder / "watch.sqlite") as state:
        assert state.outgoing() == []
        transitions = sum(c.transitions for c in state.recent_cycles(10_000))
        assert len(state.open_findings()) >= 5
    queued = [
        key
        for (key,) in query(folder / "outbox.sqlite", "SELECT alert_key FROM delivery")
    ]
    assert len(queued) == len(set(queued)) == transitions
    counts = Counter(received)
    assert set(counts) == set(queued), "every transition delivered at least once"
    twice = [key for key, count in counts.items() if count > 1]
    assert len(twice) == in_flight
    assert all(counts[k] == 2 for k in twice)


def test_kill_9_while_reading_core(
    demo_core: CoreEmulator, tmp_path: Path, hook: Hook
) -> None:
    config = configure(tmp_path, demo_core.url, hook.url)
    demo_core.inject("ListUpdates", Fault("latency", seconds=BOUND, times=1))
    process = start(config)
    wait_for(lambda: ("/read", "ListUpdates") in demo_core.requests)
    kill(process)
    assert query(tmp_path / "watch.sqlite", "SELECT count(*) FROM cycles") == [(0,)]
    restart_until_settled(config)
    check_nothing_lost(tmp_path, hook.keys, in_flight=0)


def test_kill_9_between_recording_a_cycle_and_queueing_its_alerts(
    demo_core: CoreEmulator, tmp_path: Path, hook: Hook
) -> None:
    config = configure(tmp_path, demo_core.url, hook.url)
    process = start(config, kill_before="INSERT INTO delivery")
    process.wait(BOUND)
    assert process.returncode == -signal.SIGKILL
    assert query(tmp_path / "watch.sqlite", "SELECT count(*) FROM cycles") == [(1,)]
    journal = query(tmp_path / "watch.sqlite", "SELECT count(*) FROM outgoing")
    assert journal[0][0] >= 5, "the recorded cycle's alerts wait in the journal"
    assert hook.keys == []
    err = restart_until_settled(config)
    check_nothing_lost(tmp_path, hook.keys, in_flight=0)
    assert "Traceback" not in err


def test_kill_9_in_the_middle_of_a_delivery(
    demo_core: CoreEmulator, tmp_path: Path, hook: Hook
) -> None:
    config = configure(tmp_path, demo_core.url, hook.url)
    hook.hold = True
    process = start(config)
    assert hook.held.wait(BOUND), "no delivery started"
    kill(process)
    hook.release.set()
    held = hook.keys[0]
    assert query(
        tmp_path / "outbox.sqlite",
        f"SELECT state FROM delivery WHERE alert_key = '{held}'",
    ) == [("sending",)]
    restart_until_settled(config)
    check_nothing_lost(tmp_path, hook.keys, in_flight=1)
    assert Counter(hook.keys)[held] == 2
