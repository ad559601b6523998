"""``watch`` with ``[watch] host = true`` reads this host where ``[hosts]``
says: Periphery's root and the Docker socket, over the environment."""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from komodo_guard.cli.main import main
from komodo_guard.testing import CoreEmulator
from tests.host.fakedocker import FakeEngine


@pytest.fixture
def engine() -> Iterator[FakeEngine]:
    """A Docker Engine with no container, on a socket with a short path."""
    folder = Path(tempfile.mkdtemp(prefix="kg-"))
    try:
        with FakeEngine(folder, []) as served:
            yield served
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def once(
    tmp_path: Path, core: CoreEmulator, hosts: str
) -> tuple[int, list[tuple[str, ...]]]:
    config = tmp_path / "komodo-guard.toml"
    config.write_text(
        f'[komodo]\nurl = "{core.url}"\n[watch]\nlisten = false\nhost = true\n'
        f"[hosts]\n{hosts}"
    )
    code = main(["watch", "--once", "--config", str(config), "--timeout", "1"])
    db = sqlite3.connect(tmp_path / "watch.sqlite")
    spots = db.execute("SELECT subject FROM blind_spots").fetchall()
    db.close()
    return code, spots


@pytest.fixture
def nowhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An environment that points the host checks at nothing."""
    monkeypatch.setenv("DOCKER_HOST", f"unix://{tmp_path}/no-docker.sock")
    monkeypatch.setenv("PERIPHERY_ROOT_DIRECTORY", str(tmp_path / "no-periphery"))


def test_the_config_names_the_root_and_the_socket(
    clean_core: CoreEmulator, engine: FakeEngine, tmp_path: Path, nowhere: None
) -> None:
    (tmp_path / "komodo" / "stacks").mkdir(parents=True)
    hosts = f'periphery_root = "komodo"\ndocker_socket = "{engine.socket}"\n'
    assert once(tmp_path, clean_core, hosts) == (0, [])


def test_each_key_is_used(
    clean_core: CoreEmulator, engine: FakeEngine, tmp_path: Path, nowhere: None
) -> None:
    (tmp_path / "komodo" / "stacks").mkdir(parents=True)
    code, spots = once(tmp_path, clean_core, 'periphery_root = "komodo"\n')
    assert code == 2
    assert spots, "the socket of the environment could not be read"
    (tmp_path / "watch.sqlite").unlink()
    code, spots = once(tmp_path, clean_core, f'docker_socket = "{engine.socket}"\n')
    assert code == 2
    assert spots, "the root of the environment could not be read"
