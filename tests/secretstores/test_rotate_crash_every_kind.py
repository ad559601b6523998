"""Crash safety over every kind of place: ``secrets rotate`` SIGKILLed right
before and right after each step (env file, Core's config, a SOPS file, a
Komodo Variable, a GitHub secret, two redeploys found on Core), then
``--resume`` leaves every place on the new value, or ``--rollback`` every
place on the old one, and the journal is gone."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from komodo_guard.secrets.rotate import CRASH_ENV
from tests.secretstores.rotatekit import OLD, EveryKind, every_kind

STEPS = 7
CRASH_POINTS = [
    f"{step}:{status}" for step in range(1, STEPS + 1) for status in ("started", "done")
]
RUN = (
    "import sys\nfrom pathlib import Path\n"
    "from komodo_guard.cli.rotate import secrets_rotate\n"
    "sys.exit(secrets_rotate('api', map_file=Path(sys.argv[1]), komodo=sys.argv[2], "
    "resume=sys.argv[3] == 'resume', rollback=sys.argv[3] == 'rollback', "
    "timeout=5))\n"
)


@pytest.fixture
def kinds(tmp_path: Path) -> Iterator[EveryKind]:
    with every_kind(tmp_path) as setup:
        yield setup


def run(
    kinds: EveryKind, mode: str, crash: str = ""
) -> subprocess.CompletedProcess[str]:
    environ = {**kinds.environ, CRASH_ENV: crash}
    return subprocess.run(
        [sys.executable, "-c", RUN, str(kinds.map_path), kinds.core.url, mode],
        env={**environ, "PYTHONPATH": os.pathsep.join(sys.path)},
        cwd=kinds.folder,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def journals(kinds: EveryKind) -> list[Path]:
    return list(kinds.folder.glob(".komodo-guard/*.journal"))


@pytest.mark.parametrize("crash", CRASH_POINTS)
@pytest.mark.parametrize("mode", ["resume", "rollback"])
def test_a_kill_at_any_step_is_resumed_or_rolled_back(
    kinds: EveryKind, crash: str, mode: str
) -> None:
    killed = run(kinds, "start", crash)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert journals(kinds)
    finished = run(kinds, mode)
    assert finished.returncode == 0, finished.stderr
    values = kinds.values()
    if mode == "resume":
        assert OLD not in values.values()
        assert len(set(values.values())) == 1
    else:
        assert set(values.values()) == {OLD}
    assert not journals(kinds)
    for text in (killed.stdout, killed.stderr, finished.stdout, finished.stderr):
        assert OLD not in text
        assert all(value not in text for value in values.values())
