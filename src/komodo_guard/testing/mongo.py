"""`FakeMongo`: a MongoDB stand-in on 127.0.0.1 that logs users in with real SCRAM.

No MongoDB server can be installed where the tests run, so this speaks just
enough of the wire protocol for pymongo's genuine handshake and login: legacy
``OP_QUERY`` and ``OP_MSG`` framing, ``hello``/``isMaster`` (with
``saslSupportedMechs`` and ``speculativeAuthenticate``), ``saslStart`` and
``saslContinue`` running SCRAM-SHA-256 (RFC 5802 and 7677: SASLprep'd password,
PBKDF2-HMAC-SHA256, stored and server keys, proofs checked both ways), ``ping``,
``buildInfo``, ``endSessions``, ``usersInfo`` and ``updateUser`` for the logged-in
user's own password. Any other command answers ``CommandNotFound`` (59), a failed
login ``AuthenticationFailed`` (18) and a command that needs a login without one
``Unauthorized`` (13), as MongoDB does. Like MongoDB it keeps only the SCRAM
credentials of each user, never the password.

Faults, set on `FakeMongo.fault` at any time: ``"drop"`` closes the connection
instead of running a command (and every new connection at once); ``"hang"``
runs each command but never answers, until the server stops;
``"ignore_updates"`` answers ``updateUser`` with success but keeps the old
password (a server that lies). `FakeMongo.fault_commands`, when not empty,
limits ``drop`` and ``hang`` to the commands it names.
"""

from __future__ import annotations

import base64
import contextlib
import datetime
import hashlib
import hmac
import os
import socket
import stringprep
import struct
import threading
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, Literal

import bson

Document = dict[str, Any]
MongoFault = Literal["drop", "hang", "ignore_updates"]

MAX_WIRE_VERSION = 21
"""The wire version of MongoDB 7.0, which the stand-in claims to be."""
ITERATIONS = 15000
"""MongoDB's default SCRAM-SHA-256 iteration count."""

_HEADER = struct.Struct("<iiii")
_OP_REPLY, _OP_QUERY, _OP_MSG = 1, 2004, 2013
_MORE_TO_COME, _CHECKSUM = 0b10, 0b1
_MAX_MESSAGE = 48_000_000
_POLL_SECONDS = 0.05
_AUTH_FAILED = (18, "AuthenticationFailed", "Authentication failed.")


@dataclass(frozen=True)
class MongoUser:
    """A user created when the server starts: name, password, database."""

    name: str
    password: str
    db: str = "admin"


class CommandError(Exception):
    """A command's error answer: MongoDB's code, code name and message."""

    def __init__(self, code: int, code_name: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.code_name = code_name

    def answer(self) -> Document:
        """The ``{ok: 0, ...}`` document MongoDB sends for this error."""
        return {
            "ok": 0.0,
            "errmsg": str(self),
            "code": self.code,
            "codeName": self.code_name,
        }


def saslprep(text: str) -> str:
    """RFC 4013 SASLprep of a stored string, as MongoDB applies to passwords.

    Stringprep (RFC 3454) is defined on Unicode 3.2, hence its NFKC tables.

    Raises ValueError (naming no character) when the text cannot be prepared.
    """
    mapped = "".join(
        " " if stringprep.in_table_c12(char) else char
        for char in text
        if not stringprep.in_table_b1(char)
    )
    prepared = unicodedata.ucd_3_2_0.normalize("NFKC", mapped)
    prohibited = (
        stringprep.in_table_a1,
        stringprep.in_table_c12,
        stringprep.in_table_c21_c22,
        stringprep.in_table_c3,
        stringprep.in_table_c4,
        stringprep.in_table_c5,
        stringprep.in_table_c6,
        stringprep.in_table_c7,
        stringprep.in_table_c8,
        stringprep.in_table_c9,
    )
    if any(test(char) for char in prepared for test in prohibited):
        raise ValueError("SASLprep: the text holds a prohibited character")
    if any(stringprep.in_table_d1(char) for char in prepared) and (
        any(stringprep.in_table_d2(char) for char in prepared)
        or not stringprep.in_table_d1(prepared[0])
        or not stringprep.in_table_d1(prepared[-1])
    ):
        raise ValueError("SASLprep: the text fails the bidirectional check")
    return prepared


def _hmac(key: bytes, message: bytes) -> bytes:
    return hmac.new(key, message, hashlib.sha256).digest()


@dataclass(frozen=True)
class Credential:
    """SCRAM-SHA-256 credentials as MongoDB stores them (no password)."""

    salt: bytes
    iterations: int
    stored_key: bytes
    server_key: bytes

    @classmethod
    def derive(cls, password: str, iterations: int = ITERATIONS) -> Credential:
        """Fresh credentials for `password` with a random salt."""
        salt = os.urandom(28)
        salted = hashlib.pbkdf2_hmac(
            "sha256", saslprep(password).encode(), salt, iterations
        )
        client_key = _hmac(salted, b"Client Key")
        return cls(
            salt,
            iterations,
            hashlib.sha256(client_key).digest(),
            _hmac(salted, b"Server Key"),
        )

    def accepts(self, password: str) -> bool:
        """Whether `password` derives these credentials (for test assertions)."""
        try:
            prepared = saslprep(password)
        except ValueError:
            return False
        salted = hashlib.pbkdf2_hmac(
            "sha256", prepared.encode(), self.salt, self.iterations
        )
        stored = hashlib.sha256(_hmac(salted, b"Client Key")).digest()
        return hmac.compare_digest(stored, self.stored_key)


def _scram_fields(payload: bytes) -> dict[str, str]:
    text = payload.decode("utf-8")
    return {part[0]: part[2:] for part in text.split(",") if part[1:2] == "="}


def _sasl_name(text: str) -> str:
    return text.replace("=2C", ",").replace("=3D", "=")


@dataclass
class _Conversation:
    """One SCRAM exchange in progress on a connection."""

    user: tuple[str, str]
    credential: Credential
    client_first_bare: bytes
    server_first: bytes
    nonce: str
    skip_empty_exchange: bool
    proved: bool = False


@dataclass
class _Session:
    """What one client connection has done: login conversation and user."""

    conversation: _Conversation | None = None
    user: tuple[str, str] | None = None
    """The logged-in user as (database, name)."""


@dataclass
class _Users:
    """The user store, shared by every connection."""

    credentials: dict[tuple[str, str], Credential] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def get(self, db: str, name: str) -> Credential | None:
        with self.lock:
            return self.credentials.get((db, name))

    def set(self, db: str, name: str, credential: Credential) -> None:
        with self.lock:
            self.credentials[(db, name)] = credential


class _Commands:
    """Answers to each command for one connection's `_Session`."""

    def __init__(self, server: FakeMongo, connection_id: int) -> None:
        self.server = server
        self.session = _Session()
        self.connection_id = connection_id

    def run(self, command: Document) -> Document:
        name = next(iter(command), "")
        self.server.commands.append(name)
        handler = {
            "hello": self.hello,
            "ismaster": self.hello,
            "saslstart": self.sasl_start,
            "saslcontinue": self.sasl_continue,
            "ping": self.ok,
            "endsessions": self.ok,
            "buildinfo": self.build_info,
            "updateuser": self.update_user,
            "usersinfo": self.users_info,
        }.get(name.lower())
        if handler is None:
            error = CommandError(59, "CommandNotFound", f"no such command: '{name}'")
            return error.answer()
        try:
            return {**handler(command), "ok": 1.0}
        except CommandError as error:
            return error.answer()

    def ok(self, command: Document) -> Document:
        return {}

    def build_info(self, command: Document) -> Document:
        return {"version": "7.0.0", "versionArray": [7, 0, 0, 0], "bits": 64}

    def hello(self, command: Document) -> Document:
        legacy = next(iter(command)).lower() == "ismaster"
        answer: Document = {
            "ismaster" if legacy else "isWritablePrimary": True,
            "maxBsonObjectSize": 16 * 1024 * 1024,
            "maxMessageSizeBytes": _MAX_MESSAGE,
            "maxWriteBatchSize": 100_000,
            "localTime": datetime.datetime.now(datetime.UTC),
            "logicalSessionTimeoutMinutes": 30,
            "connectionId": self.connection_id,
            "minWireVersion": 0,
            "maxWireVersion": MAX_WIRE_VERSION,
            "readOnly": False,
        }
        if command.get("helloOk"):
            answer["helloOk"] = True
        mechanisms = self._mechanisms(command.get("saslSupportedMechs"))
        if mechanisms:
            answer["saslSupportedMechs"] = mechanisms
        speculative = command.get("speculativeAuthenticate")
        if isinstance(speculative, Mapping):
            start = {**speculative, "$db": speculative.get("db", "admin")}
            # On failure MongoDB leaves the field out and the client logs in again.
            with contextlib.suppress(CommandError):
                answer["speculativeAuthenticate"] = self.sasl_start(start)
        return answer

    def _mechanisms(self, asked: object) -> list[str]:
        if not isinstance(asked, str) or "." not in asked:
            return []
        db, name = asked.split(".", 1)
        return ["SCRAM-SHA-256"] if self.server.users.get(db, name) else []

    def sasl_start(self, command: Document) -> Document:
        payload = bytes(command.get("payload", b""))
        if not payload.startswith(b"n,,"):
            raise CommandError(*_AUTH_FAILED)
        bare = payload[3:]
        fields = _scram_fields(bare)
        user = (str(command.get("$db", "admin")), _sasl_name(fields.get("n", "")))
        credential = self.server.users.get(*user)
        if credential is None or "r" not in fields:
            raise CommandError(*_AUTH_FAILED)
        if command.get("mechanism") != "SCRAM-SHA-256":
            raise CommandError(
                334, "MechanismUnavailable", "the user has SCRAM-SHA-256 only"
            )
        nonce = fields["r"] + base64.b64encode(os.urandom(24)).decode()
        salt = base64.b64encode(credential.salt).decode()
        server_first = f"r={nonce},s={salt},i={credential.iterations}".encode()
        options = command.get("options") or {}
        self.session.conversation = _Conversation(
            user,
            credential,
            bare,
            server_first,
            nonce,
            bool(options.get("skipEmptyExchange")),
        )
        return {"conversationId": 1, "done": False, "payload": server_first}

    def sasl_continue(self, command: Document) -> Document:
        talk = self.session.conversation
        if talk is None or command.get("conversationId") != 1:
            raise CommandError(17, "ProtocolError", "no SASL session state found")
        if talk.proved:
            self._finish(talk)
            return {"conversationId": 1, "done": True, "payload": b""}
        signature = self._prove(talk, bytes(command.get("payload", b"")))
        talk.proved = True
        final = b"v=" + base64.b64encode(signature)
        if talk.skip_empty_exchange:
            self._finish(talk)
        done = self.session.user is not None
        return {"conversationId": 1, "done": done, "payload": final}

    def _prove(self, talk: _Conversation, client_final: bytes) -> bytes:
        """Check the client's proof; the server signature to send back."""
        self.session.conversation = None
        fields = _scram_fields(client_final)
        without_proof = client_final.rsplit(b",p=", 1)[0]
        message = b",".join((talk.client_first_bare, talk.server_first, without_proof))
        try:
            proof = base64.b64decode(fields["p"], validate=True)
        except (KeyError, ValueError):
            raise CommandError(*_AUTH_FAILED) from None
        signature = _hmac(talk.credential.stored_key, message)
        client_key = bytes(a ^ b for a, b in zip(proof, signature, strict=False))
        stored = hashlib.sha256(client_key).digest()
        if (
            fields.get("c") != "biws"
            or fields.get("r") != talk.nonce
            or len(proof) != len(signature)
            or not hmac.compare_digest(stored, talk.credential.stored_key)
        ):
            raise CommandError(*_AUTH_FAILED)
        self.session.conversation = talk
        return _hmac(talk.credential.server_key, message)

    def _finish(self, talk: _Conversation) -> None:
        self.session.conversation = None
        self.session.user = talk.user

    def _require_login(self, command: Document) -> tuple[str, str]:
        if self.session.user is None:
            name = next(iter(command))
            raise CommandError(
                13, "Unauthorized", f"command {name} requires authentication"
            )
        return self.session.user

    def update_user(self, command: Document) -> Document:
        db, name = self._require_login(command)
        if (command.get("$db"), command.get("updateUser")) != (db, name):
            raise CommandError(
                13,
                "Unauthorized",
                f"not authorized on {command.get('$db')} to execute command updateUser",
            )
        password = command.get("pwd")
        if not password:
            raise CommandError(2, "BadValue", "Password cannot be empty")
        if not isinstance(password, str) or not command.get("digestPassword", True):
            raise CommandError(2, "BadValue", "SCRAM-SHA-256 needs an undigested pwd")
        if command.get("mechanisms", ["SCRAM-SHA-256"]) != ["SCRAM-SHA-256"]:
            raise CommandError(2, "BadValue", "only SCRAM-SHA-256 is supported")
        try:
            credential = Credential.derive(password, self.server.iterations)
        except ValueError:
            raise CommandError(
                2, "BadValue", "Error preflighting normalization"
            ) from None
        if self.server.fault != "ignore_updates":
            self.server.users.set(db, name, credential)
        return {}

    def users_info(self, command: Document) -> Document:
        db, name = self._require_login(command)
        asked = command.get("usersInfo")
        if asked not in (name, 1, {"user": name, "db": db}) or command.get("$db") != db:
            raise CommandError(
                13,
                "Unauthorized",
                f"not authorized on {db} to execute command usersInfo",
            )
        entry = {
            "_id": f"{db}.{name}",
            "user": name,
            "db": db,
            "roles": [],
            "mechanisms": ["SCRAM-SHA-256"],
        }
        return {"users": [entry]}


def _read_exactly(sock: socket.socket, size: int) -> bytes | None:
    chunks = bytearray()
    while len(chunks) < size:
        chunk = sock.recv(size - len(chunks))
        if not chunk:
            return None
        chunks += chunk
    return bytes(chunks)


def _read_message(sock: socket.socket) -> tuple[int, int, bytes] | None:
    """The next request as (request id, op code, body), None at end of stream."""
    header = _read_exactly(sock, _HEADER.size)
    if header is None:
        return None
    length, request_id, _, op_code = _HEADER.unpack(header)
    if not _HEADER.size <= length <= _MAX_MESSAGE:
        return None
    body = _read_exactly(sock, length - _HEADER.size)
    return None if body is None else (request_id, op_code, body)


def _frame(request_id: int, op_code: int, body: bytes) -> bytes:
    header = _HEADER.pack(_HEADER.size + len(body), 0, request_id, op_code)
    return header + body


def _parse_op_msg(body: bytes) -> tuple[Document, bool]:
    """The command of an ``OP_MSG`` and whether the client wants no answer."""
    (flags,) = struct.unpack_from("<I", body)
    end = len(body) - (4 if flags & _CHECKSUM else 0)
    position, command = 4, {}
    while position < end:
        kind = body[position]
        position += 1
        (size,) = struct.unpack_from("<i", body, position)
        if kind == 0:
            command.update(bson.decode(body[position : position + size]))
        else:
            identifier_end = body.index(b"\0", position + 4)
            identifier = body[position + 4 : identifier_end].decode()
            command[identifier] = bson.decode_all(
                body[identifier_end + 1 : position + size]
            )
        position += size
    return command, bool(flags & _MORE_TO_COME)


def _parse_op_query(body: bytes) -> Document:
    """The command of a legacy ``OP_QUERY`` on ``<db>.$cmd``."""
    name_end = body.index(b"\0", 4)
    collection = body[4:name_end].decode()
    (size,) = struct.unpack_from("<i", body, name_end + 9)
    query = bson.decode(body[name_end + 9 : name_end + 9 + size])
    command = dict(query.get("$query", query))
    command.setdefault("$db", collection.split(".", 1)[0])
    return command


def _reply_op_msg(request_id: int, answer: Document) -> bytes:
    return _frame(request_id, _OP_MSG, struct.pack("<IB", 0, 0) + bson.encode(answer))


def _reply_op_query(request_id: int, answer: Document) -> bytes:
    header = struct.pack("<iqii", 0, 0, 0, 1)
    return _frame(request_id, _OP_REPLY, header + bson.encode(answer))


class FakeMongo:
    """A MongoDB stand-in on 127.0.0.1 and an ephemeral port; a context manager.

    `users` are created at start. `iterations` is the SCRAM iteration count
    given to every credential (pymongo accepts 4096 and more). `commands`
    lists the name of every command received, in order.
    """

    host = "127.0.0.1"

    def __init__(
        self, users: Iterable[MongoUser] = (), *, iterations: int = ITERATIONS
    ) -> None:
        self.iterations = iterations
        self.users = _Users()
        for user in users:
            self.add_user(user)
        self.fault: MongoFault | None = None
        self.fault_commands: frozenset[str] = frozenset()
        self.port = 0
        self.commands: list[str] = []
        self._stopping = threading.Event()
        self._listener: socket.socket | None = None
        self._clients: set[socket.socket] = set()
        self._lock = threading.Lock()
        self._threads: list[threading.Thread] = []

    def add_user(self, user: MongoUser) -> None:
        """Create `user`, or give it a new password if it exists."""
        credential = Credential.derive(user.password, self.iterations)
        self.users.set(user.db, user.name, credential)

    def accepts(self, name: str, password: str, db: str = "admin") -> bool:
        """Whether `password` is the stored password of user `name` in `db`."""
        credential = self.users.get(db, name)
        return credential is not None and credential.accepts(password)

    def __enter__(self) -> FakeMongo:
        self._listener = socket.create_server((self.host, 0))
        self._listener.settimeout(_POLL_SECONDS)
        self.port = self._listener.getsockname()[1]
        self._spawn(self._accept_loop)
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._stopping.set()
        with self._lock:
            for client in self._clients:
                _shut(client)
        for thread in self._threads:
            thread.join(timeout=5)
        if self._listener is not None:
            self._listener.close()

    def _spawn(self, target: Any, *args: object) -> None:
        thread = threading.Thread(target=target, args=args, daemon=True)
        self._threads.append(thread)
        thread.start()

    def _accept_loop(self) -> None:
        assert self._listener is not None
        connection_id = 0
        while not self._stopping.is_set():
            try:
                client, _ = self._listener.accept()
            except TimeoutError:
                continue
            if self.fault == "drop" and not self.fault_commands:
                _shut(client)
                continue
            connection_id += 1
            with self._lock:
                self._clients.add(client)
            self._spawn(self._serve, client, connection_id)

    def _serve(self, client: socket.socket, connection_id: int) -> None:
        commands = _Commands(self, connection_id)
        try:
            while (message := _read_message(client)) is not None:
                reply = self._answer(commands, *message)
                if reply is None:
                    break
                client.sendall(reply)
        except (OSError, ValueError, bson.errors.BSONError):
            pass  # a client that went away or sent garbage: drop it.
        finally:
            with self._lock:
                self._clients.discard(client)
            _shut(client)

    def _answer(
        self, commands: _Commands, request_id: int, op_code: int, body: bytes
    ) -> bytes | None:
        """The reply to send: empty for none, None to drop the connection."""
        if op_code == _OP_QUERY:
            command, quiet, reply = _parse_op_query(body), False, _reply_op_query
        elif op_code == _OP_MSG:
            (command, quiet), reply = _parse_op_msg(body), _reply_op_msg
        else:
            raise ValueError(f"unsupported op code {op_code}")
        fault = self._fault_for(command)
        if fault == "drop":
            return None
        answer = commands.run(command)
        return b"" if quiet or fault == "hang" else reply(request_id, answer)

    def _fault_for(self, command: Document) -> MongoFault | None:
        name = next(iter(command), "")
        if self.fault_commands and name not in self.fault_commands:
            return None
        return self.fault


def _shut(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
    sock.close()
