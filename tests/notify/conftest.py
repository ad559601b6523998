"""Fixtures for the notify tests: loopback servers, a sender, a fixed clock."""

from __future__ import annotations

import shutil
import socket
import ssl
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

from komodo_guard.notify.message import Alert, Severity, Transition
from komodo_guard.notify.sender import Sender
from tests.notify.servers import HttpRecorder, SinkOptions, SmtpSink

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)


def make_alert(key: str = "finding:KG101:stack/web:new", **changes: object) -> Alert:
    values: dict[str, object] = {
        "key": key,
        "title": "Stack web is not running what git holds",
        "body": "stack `web` runs commit abc123; git holds def456.",
        "severity": Severity.ERROR,
        "transition": Transition.NEW,
        "url": "https://komodo.example.org/stacks/web",
        "created_at": NOW,
    }
    values.update(changes)
    return Alert(**values)  # type: ignore[arg-type]


@pytest.fixture
def http_server() -> Iterator[HttpRecorder]:
    server = HttpRecorder()
    yield server
    server.close()


SinkFactory = Callable[[SinkOptions], SmtpSink]


@pytest.fixture
def smtp_sink() -> Iterator[SinkFactory]:
    sinks: list[SmtpSink] = []

    def start(options: SinkOptions) -> SmtpSink:
        sinks.append(SmtpSink(options))
        return sinks[-1]

    yield start
    for sink in sinks:
        sink.close()


@dataclass(frozen=True)
class Tls:
    """A self-signed certificate for 127.0.0.1 and the server context using it."""

    ca_file: Path
    server: ssl.SSLContext


@pytest.fixture(scope="session")
def tls(tmp_path_factory: pytest.TempPathFactory) -> Tls:
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("openssl is needed to make a test certificate")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes",
            "-keyout", str(key), "-out", str(cert), "-days", "2",
            "-subj", "/CN=127.0.0.1",
            "-addext", "subjectAltName=IP:127.0.0.1",
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    return Tls(cert, context)


@pytest.fixture
def free_port() -> int:
    """A loopback port nothing listens on (connections to it are refused)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def environ() -> dict[str, str]:
    """The environment the sender reads ``env:`` references from."""
    return {}


@pytest.fixture
def sender(environ: dict[str, str]) -> Iterator[Sender]:
    with Sender(environ) as made:
        yield made
