"""Loopback servers that record what the channels send.

:class:`HttpRecorder` is a threaded ``http.server`` on 127.0.0.1 that records
every request and answers from a script (200 unless told). :class:`SmtpSink`
speaks enough SMTP for ``smtplib`` (EHLO/HELO, optional STARTTLS or implicit
TLS, AUTH PLAIN, MAIL, RCPT, DATA, RSET, NOOP, QUIT) and records each message.
"""

from __future__ import annotations

import base64
import socketserver
import ssl
import threading
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, BinaryIO


@dataclass(frozen=True)
class Recorded:
    """One request as the server saw it."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass(frozen=True)
class Reply:
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    echo: bool = False
    """Answer with the request line, headers and body received, like a chatty
    error page: tests that the sender masks what it sent."""


class HttpRecorder:
    """Records requests on ``url``; ``replies`` are used in order, then 200."""

    def __init__(self) -> None:
        self.requests: list[Recorded] = []
        self.replies: deque[Reply] = deque()
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(length)
                headers = {name.lower(): value for name, value in self.headers.items()}
                recorder.requests.append(Recorded("POST", self.path, headers, body))
                reply = recorder.replies.popleft() if recorder.replies else Reply()
                answer = reply.body
                if reply.echo:
                    answer = f"{self.path} {headers}".encode() + b" " + body
                self.send_response(reply.status)
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                """Keep the test output quiet."""

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.02,), daemon=True
        )
        self._thread.start()

    def reply(self, *replies: Reply) -> None:
        self.replies.extend(replies)

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


@dataclass
class Mail:
    """One message the sink accepted."""

    sender: str
    recipients: list[str]
    data: bytes


@dataclass
class SinkOptions:
    tls: ssl.SSLContext | None = None
    implicit_tls: bool = False
    credentials: tuple[str, str] | None = None
    rcpt_reply: str | None = None
    """Answer every RCPT with this line (e.g. ``"450 mailbox busy"``)."""


class SmtpSink:
    """A tiny SMTP server on 127.0.0.1 recording messages and logins."""

    def __init__(self, options: SinkOptions | None = None) -> None:
        self.options = options or SinkOptions()
        self.messages: list[Mail] = []
        self.logins: list[tuple[str, str]] = []
        self.commands: list[str] = []
        sink = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                _Session(sink, self.request).run()

        self._server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.02,), daemon=True
        )
        self._thread.start()

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


class _Session:
    def __init__(self, sink: SmtpSink, connection: Any) -> None:
        self.sink = sink
        self.options = sink.options
        self.connection = connection
        self.secure = False
        if self.options.implicit_tls and self.options.tls:
            self.connection = self.options.tls.wrap_socket(connection, server_side=True)
            self.secure = True
        self.reader: BinaryIO = self.connection.makefile("rb")
        self.sender = ""
        self.recipients: list[str] = []

    def say(self, line: str) -> None:
        self.connection.sendall(line.encode() + b"\r\n")

    def run(self) -> None:
        self.say("220 sink ESMTP")
        while line := self.reader.readline():
            command = line.decode().rstrip("\r\n")
            verb = command.split(" ", 1)[0].upper()
            self.sink.commands.append(verb)
            if not self.dispatch(verb, command):
                return

    def dispatch(self, verb: str, command: str) -> bool:
        match verb:
            case "EHLO":
                self.ehlo()
            case "HELO" | "NOOP" | "RSET":
                self.say("250 ok")
            case "STARTTLS":
                self.starttls()
            case "AUTH":
                self.auth(command)
            case "MAIL":
                self.sender = command.split(":", 1)[1].strip().split(" ")[0]
                self.say("250 ok")
            case "RCPT":
                self.rcpt(command)
            case "DATA":
                self.data()
            case "QUIT":
                self.say("221 bye")
                return False
            case _:
                self.say("502 not implemented")
        return True

    def ehlo(self) -> None:
        lines = ["sink"]
        if self.options.tls and not self.secure:
            lines.append("STARTTLS")
        if self.options.credentials:
            lines.append("AUTH PLAIN")
        lines.append("8BITMIME")
        for line in lines[:-1]:
            self.say(f"250-{line}")
        self.say(f"250 {lines[-1]}")

    def starttls(self) -> None:
        assert self.options.tls is not None
        self.say("220 go ahead")
        self.connection = self.options.tls.wrap_socket(
            self.connection, server_side=True
        )
        self.reader = self.connection.makefile("rb")
        self.secure = True

    def auth(self, command: str) -> None:
        parts = command.split(" ")
        decoded = base64.b64decode(parts[2]).split(b"\0") if len(parts) > 2 else []
        login = (
            (decoded[1].decode(), decoded[2].decode()) if len(decoded) == 3 else None
        )
        if login is not None:
            self.sink.logins.append(login)
        if login is not None and login == self.options.credentials:
            self.say("235 accepted")
        else:
            self.say("535 authentication failed")

    def rcpt(self, command: str) -> None:
        if self.options.rcpt_reply:
            self.say(self.options.rcpt_reply)
            return
        self.recipients.append(command.split(":", 1)[1].strip())
        self.say("250 ok")

    def data(self) -> None:
        self.say("354 end with <CRLF>.<CRLF>")
        lines = []
        while (line := self.reader.readline()) not in (b".\r\n", b""):
            lines.append(line[1:] if line.startswith(b"..") else line)
        self.sink.messages.append(Mail(self.sender, self.recipients, b"".join(lines)))
        self.recipients = []
        self.say("250 queued")
