"""Writers rewriting one file at the same time take turns: no change is lost."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from komodo_guard.secrets.value import SecretValue
from komodo_guard.secrets.writers import WriteError, locked, write_env_file

WRITE = (
    "import sys\nfrom pathlib import Path\n"
    "from komodo_guard.secrets.value import SecretValue\n"
    "from komodo_guard.secrets.writers import write_env_file\n"
    "for round in range(5):\n"
    "    write_env_file(Path(sys.argv[1]), sys.argv[2], "
    "SecretValue(f'{sys.argv[2]}-new-{round}'))\n"
)


def test_concurrent_writers_of_one_file_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "big.env"
    keys = [f"K{index}_TOKEN" for index in range(6)]
    padding = "".join(f"PAD{index}=x\n" for index in range(20_000))
    path.write_text("".join(f"{key}=old\n" for key in keys) + padding)
    children = [
        subprocess.Popen([sys.executable, "-c", WRITE, str(path), key]) for key in keys
    ]
    assert [child.wait(timeout=120) for child in children] == [0] * len(keys)
    text = path.read_text()
    for key in keys:
        assert f"{key}={key}-new-4\n" in text
    assert text.count("\n") == len(keys) + 20_000
    assert not list(tmp_path.glob(".big.env.*"))


def test_a_held_lock_makes_another_writer_wait_then_give_up(tmp_path: Path) -> None:
    path = tmp_path / "a.env"
    path.write_text("K=old\n")
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time\nfrom pathlib import Path\n"
            "from komodo_guard.secrets.writers import locked\n"
            "with locked(Path(sys.argv[1])):\n"
            "    print('held', flush=True)\n    time.sleep(5)\n",
            str(path),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline() == "held\n"
        with (
            pytest.raises(WriteError, match="another komodo-guard has been writing"),
            locked(path, wait=0.3),
        ):
            pass
    finally:
        holder.kill()
        holder.wait()
    assert write_env_file(path, "K", SecretValue("new-value-1"))


def test_nested_use_in_one_process_does_not_lock_twice(tmp_path: Path) -> None:
    path = tmp_path / "a.env"
    path.write_text("K=old\n")
    with locked(path, wait=0.3):
        assert write_env_file(path, "K", SecretValue("new-value-1"))
    assert not (tmp_path / ".a.env.lock").exists()
