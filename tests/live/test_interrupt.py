"""Ctrl-C during a snapshot whose requests are stuck ends it at once.

The collection runs in a child process, as the command does, against a
loopback server that accepts requests and never answers; SIGINT must reach
the caller as KeyboardInterrupt within a second or two, not after the stuck
requests time out (30 s each here).
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest

from tests.live.loopback import Misbehaving, misbehaving

CHILD = """
import os, sys
from komodo_guard.live.client import CoreClient
from komodo_guard.live.snapshot import collect_snapshot

client = CoreClient(sys.argv[1], "key", "secret", timeout=30, retries=3)
try:
    collect_snapshot(client, concurrency=4)
except KeyboardInterrupt:
    print("interrupted", flush=True)
    os._exit(130)  # as the command ends after Ctrl-C
print("returned", flush=True)
os._exit(0)
"""


@pytest.fixture
def stuck() -> Iterator[Misbehaving]:
    with misbehaving("hang", give_up=60) as server:
        yield server


def test_sigint_ends_a_stuck_collection_at_once(stuck: Misbehaving) -> None:
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, stuck.url],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert stuck.connected.wait(timeout=20), "the child never sent a request"
        time.sleep(0.2)
        child.send_signal(signal.SIGINT)
        sent = time.monotonic()
        out, err = child.communicate(timeout=10)
        elapsed = time.monotonic() - sent
    finally:
        child.kill()
        child.wait()
    assert (child.returncode, out) == (130, "interrupted\n"), err
    assert elapsed < 2
