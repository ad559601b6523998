"""A misbehaving HTTP server on 127.0.0.1: it drips its answer or never answers.

Unlike the Core emulator's faults, these answers arrive byte by byte, so
httpx's per-read timeout never fires: only an overall deadline ends them.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Literal

Behaviour = Literal["drip", "hang"]

DRIP_HEADERS = (
    b"HTTP/1.1 200 OK\r\n"
    b"Content-Type: application/json\r\n"
    b"Content-Length: 100000\r\n"
    b"\r\n"
)


class Misbehaving:
    """Accepts connections and, for each, ``drip``s one byte every ``interval``
    seconds after the headers, or ``hang``s; both stop after ``give_up``
    seconds (so a client without a deadline ends a test, late) or on close."""

    def __init__(
        self, behaviour: Behaviour, interval: float = 0.05, give_up: float = 20.0
    ) -> None:
        self.behaviour = behaviour
        self.interval = interval
        self.give_up = give_up
        self.connections = 0
        self.connected = threading.Event()
        self._stop = threading.Event()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self._listener.getsockname()[1]}"
        self._threads = [threading.Thread(target=self._accept, daemon=True)]

    def start(self) -> None:
        self._threads[0].start()

    def close(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=5)
        self._listener.close()

    def _accept(self) -> None:
        self._listener.settimeout(0.05)
        while not self._stop.is_set():
            try:
                peer, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            peer.settimeout(None)
            self.connections += 1
            self.connected.set()
            worker = threading.Thread(target=self._serve, args=(peer,), daemon=True)
            self._threads.append(worker)
            worker.start()

    def _serve(self, peer: socket.socket) -> None:
        with peer:
            peer.recv(65536)
            if self.behaviour == "drip":
                peer.sendall(DRIP_HEADERS)
            waited = 0.0
            while waited < self.give_up and not self._stop.wait(self.interval):
                waited += self.interval
                if self.behaviour == "drip":
                    try:
                        peer.sendall(b" ")
                    except OSError:
                        return


@contextmanager
def misbehaving(behaviour: Behaviour, **options: float) -> Iterator[Misbehaving]:
    server = Misbehaving(behaviour, **options)
    server.start()
    try:
        yield server
    finally:
        server.close()
