"""Run one computation in a forked copy of this process while this one goes on.

The copy starts with everything this process holds, so the computation needs no
arguments sent to it; its result comes back pickled through a pipe. Anything
that goes wrong in the copy (an exception, an exit, a result that cannot be
pickled) makes :meth:`Background.result` give None, and the caller does the
work itself: a failed copy can cost time, never a result.
"""

from __future__ import annotations

import logging
import os
import pickle
from collections.abc import Callable
from types import TracebackType
from typing import Generic, TypeVar

log = logging.getLogger(__name__)

T = TypeVar("T")

# The child's exit code when Ctrl-C stopped it (the shell's 128 + SIGINT).
_INTERRUPTED = 130


def can_fork() -> bool:
    """True on systems with ``fork`` and more than one core."""
    return hasattr(os, "fork") and (os.cpu_count() or 1) > 1


class Background(Generic[T]):
    """``work()`` running in a forked child; :meth:`result` waits for it.

    Use it as a context manager: leaving the block reaps the child even when
    the caller never asked for the result (an exception on the way).
    """

    def __init__(self, work: Callable[[], T]) -> None:
        reader, writer = os.pipe()
        self._child = os.fork()
        if self._child == 0:  # the child: run, send, leave without cleanup
            os.close(reader)
            code = 0
            try:
                payload = pickle.dumps(work(), pickle.HIGHEST_PROTOCOL)
                with os.fdopen(writer, "wb") as stream:
                    stream.write(payload)
            except KeyboardInterrupt:
                code = _INTERRUPTED
            except BaseException:
                code = 1
            os._exit(code)
        os.close(writer)
        self._reader = reader
        self._outcome: tuple[T | None] | None = None

    def __enter__(self) -> Background[T]:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.result()

    def result(self) -> T | None:
        """The child's result, or None (logged) when it failed in any way."""
        if self._outcome is None:
            self._outcome = (self._receive(),)
        return self._outcome[0]

    def _receive(self) -> T | None:
        with os.fdopen(self._reader, "rb") as stream:
            payload = stream.read()
        _, status = os.waitpid(self._child, 0)
        if os.waitstatus_to_exitcode(status) == _INTERRUPTED:
            # Ctrl-C reached the whole process group: stop here too, quietly.
            self._outcome = (None,)
            raise KeyboardInterrupt
        try:
            if status != 0:
                raise ValueError(f"exit status {status}")
            found: T = pickle.loads(payload)
        except Exception as error:  # never trust a failed child
            log.warning("work in a second process failed (%s); doing it here", error)
            return None
        return found
