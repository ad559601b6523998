"""Crash safety: ``secrets rotate`` killed with SIGKILL around each step, then
``--resume`` finishes (every place holds the new value) or ``--rollback``
undoes it (every place holds the old value again): env files and a MongoDB
user, then also a Komodo Variable on a Core stand-in served on 127.0.0.1."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest

from komodo_guard.cli.rotate import default_journal, secrets_rotate
from komodo_guard.secrets.journal import Journal
from komodo_guard.secrets.rotate import CRASH_ENV
from komodo_guard.secrets.secretmap import load_secret_map
from komodo_guard.testing.mongo import FakeMongo, MongoUser
from tests.secretstores.test_rotate import OLD, make_setup, values
from tests.secretstores.test_rotate_writers import FakeCore

CRASH_POINTS = [
    f"{step}:{status}" for step in (1, 2, 3) for status in ("started", "done")
]
RUN = (
    "import sys\nfrom pathlib import Path\n"
    "from komodo_guard.cli.rotate import secrets_rotate\n"
    "sys.exit(secrets_rotate(sys.argv[1], search=False, map_file=Path(sys.argv[2]), "
    "rollback=sys.argv[3] == 'rollback', timeout=5))\n"
)


def run_killed(map_path: Path, crash: str, mode: str = "rotate") -> None:
    """Run the command in a child that SIGKILLs itself at ``crash``."""
    environ = {**os.environ, CRASH_ENV: crash}
    done = subprocess.run(
        [sys.executable, "-c", RUN, "db", str(map_path), mode],
        env=environ,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == -signal.SIGKILL, done.stderr


def journal_of(map_path: Path) -> Journal:
    return Journal(default_journal(load_secret_map(map_path), "db"), {})


@pytest.mark.parametrize("crash", CRASH_POINTS)
def test_resume_after_a_kill_finishes_the_rotation(tmp_path: Path, crash: str) -> None:
    with FakeMongo([MongoUser("komodo", OLD, "admin")]) as mongo:
        map_path = make_setup(tmp_path, mongo.port)
        run_killed(map_path, crash)
        journal = journal_of(map_path)
        step, status = crash.split(":")
        assert journal.read().statuses[int(step) - 1] == status
        assert secrets_rotate("db", search=False, map_file=map_path, resume=True) == 0
        first, second, accepts = values(tmp_path, mongo.port)
        assert first == second
        assert first != OLD
        assert accepts == "verified"
        assert not journal.exists()


@pytest.mark.parametrize("crash", CRASH_POINTS)
def test_rollback_after_a_kill_restores_the_old_value(
    tmp_path: Path, crash: str
) -> None:
    with FakeMongo([MongoUser("komodo", OLD, "admin")]) as mongo:
        map_path = make_setup(tmp_path, mongo.port)
        run_killed(map_path, crash)
        assert secrets_rotate("db", search=False, map_file=map_path, rollback=True) == 0
        assert values(tmp_path, mongo.port) == (OLD, OLD, "verified")
        assert not journal_of(map_path).exists()


@pytest.mark.parametrize("crash", ["2:undone", "1:undone"])
def test_a_killed_rollback_is_finished_by_resume(tmp_path: Path, crash: str) -> None:
    with FakeMongo([MongoUser("komodo", OLD, "admin")]) as mongo:
        map_path = make_setup(tmp_path, mongo.port)
        run_killed(map_path, "3:done")
        run_killed(map_path, crash, "rollback")
        assert journal_of(map_path).read().mode == "rollback"
        assert secrets_rotate("db", search=False, map_file=map_path, resume=True) == 0
        assert values(tmp_path, mongo.port) == (OLD, OLD, "verified")


VARIABLE_PLACE = """
[[secrets.secret.places]]
kind = "komodo-variable"
variable = "DB_PASSWORD"
"""
RUN_CORE = RUN.replace("timeout=5", "timeout=5, komodo=sys.argv[4]")
KEYS = {"KOMODO_API_KEY": "K-rotate", "KOMODO_API_SECRET": "S-rotate"}


@contextmanager
def core_server(core: FakeCore) -> Iterator[str]:
    """``core`` served over HTTP on 127.0.0.1, for a child process to reach."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            request = httpx.Request("POST", f"http://core{self.path}", content=body)
            answer = core.handle(request)
            answer.read()
            self.send_response(answer.status_code)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer.content)))
            self.end_headers()
            self.wfile.write(answer.content)

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("crash", ["1:started", "3:done", "4:started", "4:done"])
@pytest.mark.parametrize("finish", ["resume", "rollback"])
def test_a_kill_with_a_komodo_variable_is_recovered(
    tmp_path: Path, crash: str, finish: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in KEYS.items():
        monkeypatch.setenv(name, value)
    core = FakeCore({"DB_PASSWORD": OLD})
    with (
        FakeMongo([MongoUser("komodo", OLD, "admin")]) as mongo,
        core_server(core) as url,
    ):
        map_path = make_setup(tmp_path, mongo.port, extra=VARIABLE_PLACE)
        done = subprocess.run(
            [sys.executable, "-c", RUN_CORE, "db", str(map_path), "rotate", url],
            env={**os.environ, CRASH_ENV: crash},
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert done.returncode == -signal.SIGKILL, done.stderr
        code = secrets_rotate(
            "db",
            map_file=map_path,
            komodo=url,
            resume=finish == "resume",
            rollback=finish == "rollback",
        )
        assert code == 0
        first, second, accepts = values(tmp_path, mongo.port)
        assert accepts == "verified"
        assert first == second == core.variables["DB_PASSWORD"]
        assert (first == OLD) is (finish == "rollback")
