"""One watcher per state folder: the lock, the watcher holding it, and real
``komodo-guard watch`` processes, one of them killed with SIGKILL."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from komodo_guard.config import Config
from komodo_guard.watch.lock import LOCK_FILE, FolderLockedError, lock_folder
from komodo_guard.watch.loop import Observation, Watcher
from komodo_guard.watch.settings import Policy
from komodo_guard.watch.settings_file import WatchSettings
from komodo_guard.watch.state import WatchStateError

BOUND = 30.0
"""Seconds any wait of these tests may take."""


def settings_in(folder: Path) -> WatchSettings:
    return WatchSettings(
        config=Config(),
        interval=timedelta(minutes=5),
        cycle_timeout=timedelta(seconds=5),
        state_path=folder / "watch.sqlite",
        outbox_path=folder / "outbox.sqlite",
        policy=Policy(),
    )


def watcher_in(folder: Path) -> Watcher:
    return Watcher(
        settings_in(folder),
        Observation,
        lambda channel, alert: pytest.fail("no channel is configured"),
    )


def test_a_second_lock_names_the_folder_and_the_holder(tmp_path: Path) -> None:
    held = lock_folder(tmp_path)
    assert (tmp_path / LOCK_FILE).read_text() == f"{os.getpid()}\n"
    with pytest.raises(FolderLockedError) as refused:
        lock_folder(tmp_path)
    assert refused.value.holder == os.getpid()
    assert str(refused.value) == (
        f"the state folder {tmp_path} is in use by another komodo-guard watch "
        f"(pid {os.getpid()}): stop that one, or give this one another [watch] "
        "state_dir"
    )
    held.release()
    held.release()  # a second release does nothing
    lock_folder(tmp_path).release()


def test_a_holder_that_wrote_no_pid_yet_is_unknown(tmp_path: Path) -> None:
    held = lock_folder(tmp_path)
    (tmp_path / LOCK_FILE).write_text("")
    with pytest.raises(FolderLockedError, match=r"\(pid unknown\)") as refused:
        lock_folder(tmp_path)
    assert refused.value.holder is None
    held.release()


def test_a_stale_pid_in_a_free_lock_file_is_overwritten(tmp_path: Path) -> None:
    (tmp_path / LOCK_FILE).write_text("999999999\n")
    held = lock_folder(tmp_path)
    assert (tmp_path / LOCK_FILE).read_text() == f"{os.getpid()}\n"
    held.release()


def test_an_unwritable_folder_is_a_state_error(tmp_path: Path) -> None:
    with pytest.raises(WatchStateError, match=r"cannot open .*watch\.lock"):
        lock_folder(tmp_path / "missing")


def test_a_second_watcher_on_the_folder_opens_nothing(tmp_path: Path) -> None:
    first = watcher_in(tmp_path)
    try:
        with pytest.raises(FolderLockedError):
            watcher_in(tmp_path)
        other = watcher_in(tmp_path / "elsewhere")  # another folder is fine
        other.close()
    finally:
        first.close()
    watcher_in(tmp_path).close()  # closing freed the folder


def test_a_reload_moves_the_lock_with_the_state_folder(tmp_path: Path) -> None:
    watcher = watcher_in(tmp_path / "a")
    try:
        watcher.apply(settings_in(tmp_path / "b"), Observation, None)
        watcher_in(tmp_path / "a").close()  # the old folder is free
        with pytest.raises(FolderLockedError):
            lock_folder(tmp_path / "b")
    finally:
        watcher.close()
    lock_folder(tmp_path / "b").release()


def test_a_reload_onto_a_locked_folder_changes_nothing(tmp_path: Path) -> None:
    other = lock_folder(tmp_path)
    watcher = watcher_in(tmp_path / "a")
    try:
        with pytest.raises(FolderLockedError):
            watcher.apply(settings_in(tmp_path), Observation, None)
        assert watcher.state.path == tmp_path / "a" / "watch.sqlite"
        with pytest.raises(FolderLockedError):
            lock_folder(tmp_path / "a")
    finally:
        watcher.close()
        other.release()


# -- real processes ----------------------------------------------------------------


def watch(config: Path, *flags: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "komodo_guard",
        "watch",
        "--demo",
        "--no-status",
        "--config",
        str(config),
        *flags,
    ]


@pytest.fixture
def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("KOMODO_URL", raising=False)
    path = tmp_path / "komodo-guard.toml"
    path.write_text('[watch]\nstate_dir = "state"\ninterval = "1h"\n')
    return path


@pytest.fixture
def running(config: Path) -> Iterator[subprocess.Popen[bytes]]:
    """A watcher that runs until killed, once it holds the state folder."""
    process = subprocess.Popen(
        watch(config), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    lock = config.parent / "state" / LOCK_FILE
    deadline = time.monotonic() + BOUND
    try:
        while not (lock.exists() and lock.read_text().strip() == str(process.pid)):
            assert process.poll() is None, "the first watcher ended early"
            assert time.monotonic() < deadline, "the first watcher never locked"
            time.sleep(0.05)
        yield process
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(BOUND)


def test_a_second_watch_exits_2_naming_folder_and_pid_then_one_starts_after_kill_9(
    config: Path, running: subprocess.Popen[bytes]
) -> None:
    folder = config.parent / "state"
    second = subprocess.run(
        watch(config, "--once"), capture_output=True, text=True, timeout=BOUND
    )
    assert second.returncode == 2
    assert second.stdout == ""
    assert second.stderr == (
        "komodo-guard: error: cannot open the watch state: the state folder "
        f"{folder} is in use by another komodo-guard watch (pid {running.pid}): "
        "stop that one, or give this one another [watch] state_dir\n"
    )
    running.send_signal(signal.SIGKILL)
    assert running.wait(BOUND) == -signal.SIGKILL
    third = subprocess.run(
        watch(config, "--once"), capture_output=True, text=True, timeout=BOUND
    )
    assert "in use by another komodo-guard watch" not in third.stderr
    assert third.returncode == 1  # the demo's findings: the cycle ran
    assert (folder / LOCK_FILE).read_text().strip() != str(running.pid)
