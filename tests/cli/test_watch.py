"""``komodo-guard watch``: --once as drift, alerts on a local webhook, config
errors, JSON logs, and a real process that reloads on SIGHUP and stops with
exit 0 on SIGTERM."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from komodo_guard.cli.main import main
from komodo_guard.testing import CoreEmulator
from tests.cli.conftest import KEY, SECRET, SECRETS
from tests.notify.servers import HttpRecorder


@pytest.fixture
def hook() -> Iterator[HttpRecorder]:
    server = HttpRecorder()
    yield server
    server.close()


def write_config(
    folder: Path, core: str, hook: str | None = None, **watch: str
) -> Path:
    lines = [f'[komodo]\nurl = "{core}"\n', "[watch]\n", "listen = false\n"]
    lines += [f"{key} = {value}\n" for key, value in watch.items()]
    if hook is not None:
        lines.append(f'[[notify.channel]]\ntype = "webhook"\nurl = "{hook}/hook"\n')
    path = folder / "komodo-guard.toml"
    path.write_text("".join(lines))
    return path


def once(config: Path, *extra: str) -> int:
    return main(["watch", "--once", "--config", str(config), "--timeout", "1", *extra])


def test_once_on_a_clean_core_exits_0_and_remembers(
    clean_core: CoreEmulator, tmp_path: Path
) -> None:
    config = write_config(tmp_path, clean_core.url)
    assert once(config) == 0
    assert (tmp_path / "watch.sqlite").is_file()
    assert (tmp_path / "outbox.sqlite").is_file()
    db = sqlite3.connect(tmp_path / "watch.sqlite")
    assert db.execute("SELECT outcome FROM cycles").fetchall() == [("ok",)]


def test_once_with_findings_exits_1_and_alerts_once(
    demo_core: CoreEmulator, tmp_path: Path, hook: HttpRecorder
) -> None:
    config = write_config(tmp_path, demo_core.url, hook.url)
    assert once(config) == 1
    first = [json.loads(r.body) for r in hook.requests]
    assert len(first) >= 5
    assert {a["transition"] for a in first} == {"new"}
    assert len({a["key"] for a in first}) == len(first)
    assert once(config) == 1
    assert len(hook.requests) == len(first), "a second cycle sends no repeat"
    text = b"".join(r.body for r in hook.requests).decode()
    for secret in SECRETS:
        assert secret not in text


def test_once_when_core_is_down_exits_2(
    credentials: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = write_config(tmp_path, f"http://127.0.0.1:{port}")
    assert once(config) == 2
    db = sqlite3.connect(tmp_path / "watch.sqlite")
    ((outcome, reason),) = db.execute("SELECT outcome, reason FROM cycles").fetchall()
    assert outcome == "failed"
    assert reason.startswith("GetVersion: cannot reach http://127.0.0.1:")


def test_once_with_the_demo_needs_no_config(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["watch", "--once", "--demo"]) == 1
    assert (tmp_path / "watch.sqlite").is_file()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            '[watch]\ninterval = "5 minutes"\n',
            ':2:1: `watch.interval` must be a duration such as "30s", "5m"',
        ),
        (
            '[[notify.channel]]\ntype = "slack"\nurl = "env:SLACK"\n'
            '[[notify.channel]]\ntype = "ntfy"\nurll = "x"\n',
            ":6:1: [[notify.channel]] #2 key `urll`: unknown key; did you mean `url`?",
        ),
        (
            '[watch]\nstatus_token = "env:KG_UNSET_TOKEN"\n',
            "status_token names the environment variable KG_UNSET_TOKEN, which is "
            "not set",
        ),
    ],
)
def test_a_bad_config_exits_2_naming_file_line_and_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, expected: str
) -> None:
    config = tmp_path / "komodo-guard.toml"
    config.write_text(text)
    assert main(["watch", "--once", "--demo", "--config", str(config)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("komodo-guard: error: ")
    assert expected in err


@pytest.mark.parametrize(
    ("flags", "expected"),
    [
        (["--interval", "soon"], "'soon' is not a duration such as 30s, 5m"),
        (["--status", "nowhere"], "'nowhere' is not ADDRESS:PORT"),
    ],
)
def test_bad_flags_exit_2(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    flags: list[str],
    expected: str,
) -> None:
    assert main(["watch", "--demo", *flags]) == 2
    assert expected in capsys.readouterr().err


def _start(config: Path, *extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "komodo_guard", "watch", "--config", str(config),
         "--timeout", "1", *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={"KOMODO_API_KEY": KEY, "KOMODO_API_SECRET": SECRET, "PATH": "",
             "HOME": str(config.parent)},
    )  # fmt: skip


def _wait_for(predicate: object, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():  # type: ignore[operator]
            return
        time.sleep(0.05)
    raise AssertionError("timed out")


def _cycles(path: Path) -> int:
    try:
        db = sqlite3.connect(path)
        try:
            return int(db.execute("SELECT count(*) FROM cycles").fetchone()[0])
        finally:
            db.close()
    except sqlite3.Error:
        return 0


def test_a_real_process_reloads_on_sighup_and_stops_with_0_on_sigterm(
    demo_core: CoreEmulator, tmp_path: Path
) -> None:
    config = write_config(tmp_path, demo_core.url, interval='"0.5s"')
    process = _start(config, "--log-format", "json", "-v")
    try:
        state = tmp_path / "watch.sqlite"
        _wait_for(lambda: _cycles(state) >= 2)
        config.write_text(config.read_text() + "resolve_after = 0\n")  # bad
        process.send_signal(signal.SIGHUP)
        count = _cycles(state)
        _wait_for(lambda: _cycles(state) >= count + 2)
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=20)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, err
    records = [json.loads(line) for line in err.splitlines()]
    assert {"time", "level", "logger", "message"} <= set(records[0])
    messages = [r["message"] for r in records]
    assert any(
        m.startswith("configuration not reloaded, the old one stays: ")
        for m in messages
    )
    assert any("`watch.resolve_after` must be a whole number" in m for m in messages)
    cycles = [r for r in records if r.get("event") == "cycle"]
    assert len(cycles) >= 4
    assert all(r["outcome"] == "ok" for r in cycles)
    assert messages[-1] == "stopped; state and outbox are on disk"
    for secret in SECRETS:
        assert secret not in err + out


def test_sigterm_during_a_slow_cycle_finishes_it_first(
    demo_core: CoreEmulator, tmp_path: Path
) -> None:
    from komodo_guard.testing import Fault

    config = write_config(tmp_path, demo_core.url, interval='"1h"')
    demo_core.inject("ListUpdates", Fault("latency", seconds=0.6))
    process = _start(config, "-v")
    try:
        _wait_for(lambda: ("/read", "ListUpdates") in demo_core.requests)
        process.send_signal(signal.SIGTERM)
        _, err = process.communicate(timeout=20)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, err
    assert _cycles(tmp_path / "watch.sqlite") == 1
    assert "SIGTERM received: stopping after this cycle" in err
    assert "cycle ok in " in err


def test_the_status_server_answers_healthz(
    demo_core: CoreEmulator, tmp_path: Path
) -> None:
    import httpx

    config = write_config(tmp_path, demo_core.url, interval='"1h"')
    config.write_text(
        config.read_text().replace("listen = false", 'listen = "127.0.0.1:0"')
    )
    process = _start(config, "-v")
    try:
        assert process.stderr is not None
        url = ""
        while not url:
            line = process.stderr.readline()
            assert line, "the watcher ended early"
            if "status page, /metrics and /healthz on " in line:
                url = line.rsplit(" ", 1)[1].strip()
        _wait_for(lambda: _cycles(tmp_path / "watch.sqlite") >= 1)
        _wait_for(lambda: httpx.get(f"{url}/healthz").status_code == 200)
        assert "komodo_guard_findings_open" in httpx.get(f"{url}/metrics").text
        os.kill(process.pid, signal.SIGINT)
        process.communicate(timeout=20)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0


def test_the_lint_of_a_checkout_is_watched_and_compared_with_core(
    clean_core: CoreEmulator, tmp_path: Path, hook: HttpRecorder
) -> None:
    tree = tmp_path / "tree"
    tree.mkdir()
    (tree / "servers.toml").write_text(
        '[[server]]\nname = "hearth"\n[server.config]\nadress = "x"\n'
    )
    config = write_config(tmp_path, clean_core.url, hook.url, lint='"tree"')
    assert once(config) == 1
    titles = [json.loads(r.body)["title"] for r in hook.requests]
    assert any(t.startswith("KG102 unknown-key: ") for t in titles), titles


def test_a_missing_checkout_is_a_check_that_could_not_run(
    clean_core: CoreEmulator, tmp_path: Path
) -> None:
    config = write_config(tmp_path, clean_core.url, lint='"nowhere"')
    assert once(config) == 2
    db = sqlite3.connect(tmp_path / "watch.sqlite")
    ((outcome, incomplete),) = db.execute("SELECT outcome, incomplete FROM cycles")
    assert (outcome, incomplete) == ("degraded", 1)


def test_host_checks_that_cannot_read_the_host_are_blind_spots(
    clean_core: CoreEmulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DOCKER_HOST", f"unix://{tmp_path}/no-docker.sock")
    monkeypatch.setenv("PERIPHERY_ROOT_DIRECTORY", str(tmp_path / "no-periphery"))
    config = write_config(tmp_path, clean_core.url, host="true")
    assert once(config) == 2
    db = sqlite3.connect(tmp_path / "watch.sqlite")
    assert db.execute("SELECT outcome FROM cycles").fetchall() == [("degraded",)]
    subjects = [row[0] for row in db.execute("SELECT subject FROM blind_spots")]
    assert subjects, "the unreadable host is remembered as a blind spot"


def test_a_corrupt_outbox_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from komodo_guard.cli.main import main

    (tmp_path / "komodo-guard.toml").write_text("[watch]\n")
    (tmp_path / "outbox.sqlite").write_text("x" * 200)
    code = main(
        ["watch", "--config", str(tmp_path / "komodo-guard.toml"), "--demo", "--once"]
    )
    err = capsys.readouterr().err
    assert code == 2
    assert "cannot open the outbox" in err
    assert "internal error" not in err


def test_a_reload_onto_a_folder_another_watcher_holds_keeps_running(
    demo_core: CoreEmulator, tmp_path: Path
) -> None:
    from komodo_guard.watch.lock import lock_folder

    held = tmp_path / "held"
    held.mkdir()
    other = lock_folder(held)
    config = write_config(tmp_path, demo_core.url, interval='"0.5s"')
    process = _start(config, "--log-format", "json")
    try:
        state = tmp_path / "watch.sqlite"
        _wait_for(lambda: _cycles(state) >= 1)
        config.write_text(config.read_text() + f'state_dir = "{held}"\n')
        process.send_signal(signal.SIGHUP)
        count = _cycles(state)
        _wait_for(lambda: _cycles(state) >= count + 2)
        process.send_signal(signal.SIGTERM)
        _, err = process.communicate(timeout=20)
    finally:
        other.release()
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, err
    messages = [json.loads(line)["message"] for line in err.splitlines()]
    assert any(
        m.startswith("configuration not reloaded, the old one stays: ")
        and "in use by another komodo-guard watch" in m
        for m in messages
    )


def test_a_state_folder_it_creates_is_owner_only(
    clean_core: CoreEmulator, tmp_path: Path
) -> None:
    config = write_config(tmp_path, clean_core.url, state_dir='"state/watch"')
    assert once(config) == 0
    assert (tmp_path / "state" / "watch").stat().st_mode & 0o777 == 0o700
