"""Progress of a snapshot collection on a terminal, as one rewritten line."""

from __future__ import annotations

from typing import TextIO

from komodo_guard.live.snapshot import Progress, Step

_REDRAW = "\r\x1b[K"
"""Back to the start of the line, and clear it."""


def terminal_progress(stream: TextIO) -> Progress | None:
    """A progress callback drawing ``[done/total] phase: Call`` on one line of
    ``stream``, one counter over the whole collection, and clearing that line
    when the collection ends, so the report starts on a clean terminal.

    None when ``stream`` is not a terminal, so logs and CI output stay clean.
    """
    if not stream.isatty():
        return None

    def show(step: Step) -> None:
        if step.finished:
            stream.write(_REDRAW)
        else:
            phase = f"{step.phase}: " if step.phase else ""
            stream.write(f"{_REDRAW}[{step.done}/{step.total}] {phase}{step.call}")
        stream.flush()

    return show
