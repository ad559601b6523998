"""Fixtures of the host tests: a short folder for Unix sockets, a remote with
a Periphery root, and the options that read only that root."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from komodo_guard.host.checkouts import CheckoutOptions, Found
from tests.host.gitrepos import Remote


@pytest.fixture
def short_dir() -> Iterator[Path]:
    """A folder with a short path: Unix socket paths are limited to ~100 bytes."""
    folder = Path(tempfile.mkdtemp(prefix="kg-"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def remote(tmp_path: Path) -> Remote:
    """A bare remote whose ``main`` holds ``compose.yaml``."""
    return Remote(tmp_path)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """Periphery's root directory, with its ``stacks`` folder."""
    folder = tmp_path / "komodo"
    (folder / "stacks").mkdir(parents=True)
    return folder


def stack(root: Path, name: str) -> Found:
    """The checkout of stack ``name`` under ``root``."""
    return Found(root / "stacks" / name, "stack", name)


OFFLINE = CheckoutOptions(offline=True)
ONLINE = CheckoutOptions(offline=False)
