"""Errors of the Core API client, each naming the call that failed.

Every failure of a call to Komodo Core (refused connection, timeout, HTTP error,
malformed body) becomes a :class:`CoreError` at the client's boundary, chained
with ``from`` to the library error. Messages never hold request headers, the
API key or the API secret: the client masks both in anything Core echoes, and
redacts any other credential from Core's text (a database URL with its
password in an error, a login page) before it becomes a message.
"""

from __future__ import annotations

_DETAIL_LIMIT = 300


class CoreError(Exception):
    """A call to Komodo Core failed; ``call`` is the request type, e.g. ListStacks."""

    retryable = False
    """Whether repeating the same read may succeed (reads only; never writes)."""

    def __init__(self, call: str, detail: str, status: int | None = None) -> None:
        self.call = call
        self.detail = trim(detail)
        self.status = status
        super().__init__(f"{call}: {self.detail}")

    def retried(self, attempts: int, seconds: float) -> None:
        """Add to the message that this was the last of ``attempts`` made over
        ``seconds``, e.g. ``no answer within 10 s; 4 attempts over 45 s``."""
        shown = f"{seconds:.0f}" if seconds >= 10 else f"{seconds:.1f}"
        note = f"; {attempts} attempts over {shown} s"
        self.detail = trim(self.detail, _DETAIL_LIMIT - len(note)) + note
        self.args = (f"{self.call}: {self.detail}",)


class CoreUnreachable(CoreError):  # noqa: N818  public name chosen in issue 4
    """Core could not be reached, did not answer in time or is unavailable."""

    retryable = True


class CoreAuthError(CoreError):
    """Core refused the API key and secret (HTTP 401 or 403)."""


class CoreResponseError(CoreError):
    """Core answered with an error, or with a body that is not what the call returns."""


class CoreVersionError(CoreError):
    """Core runs a Komodo release komodo-guard cannot describe."""


def trim(text: str, limit: int = _DETAIL_LIMIT) -> str:
    """``text`` on one line, cut to ``limit`` characters with an ellipsis."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    return flat[: limit - 1] + "…"
