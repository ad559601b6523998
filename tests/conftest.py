"""Shared fixtures: hermetic trees built from path-to-content dicts, and a guard
that fails any test sending traffic anywhere but loopback."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


def _loopback_only(address: object) -> None:
    if isinstance(address, tuple) and address:
        host = str(address[0])
        if host in ("localhost", ""):
            return
        try:
            if ipaddress.ip_address(host).is_loopback:
                return
        except ValueError:
            pass
        raise RuntimeError(f"test tried to reach {host}: only loopback is allowed")


@pytest.fixture(autouse=True)
def _network_guard(monkeypatch: pytest.MonkeyPatch) -> None:
    """Refuse any socket connection that is not to loopback."""
    original = socket.socket.connect

    def guarded(self: socket.socket, address: object) -> None:
        _loopback_only(address)
        original(self, address)  # type: ignore[arg-type]

    monkeypatch.setattr(socket.socket, "connect", guarded)


@pytest.fixture(autouse=True)
def _no_home(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Point HOME at a temporary folder so no test reads the real one."""
    monkeypatch.setenv("HOME", str(tmp_path_factory.mktemp("home")))
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)


TreeFactory = Callable[[dict[str, str | bytes]], Path]


@pytest.fixture
def make_tree(tmp_path: Path) -> TreeFactory:
    """Build a tree from ``{"relative/path": "content"}`` and return its root."""

    def build(files: dict[str, str | bytes]) -> Path:
        root = tmp_path / "tree"
        root.mkdir(exist_ok=True)
        for relative, content in files.items():
            target = root / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                target.write_bytes(content)
            else:
                target.write_text(content, encoding="utf-8")
        return root

    return build


@pytest.fixture
def shared() -> Path:
    """``../shared``, or a skip that says clearly it is missing."""
    if not SHARED.is_dir():
        pytest.skip(
            f"{SHARED} is missing: the shared corpus and Komodo facts are "
            "needed for this test (clone the steering repo beside this one)"
        )
    return SHARED
