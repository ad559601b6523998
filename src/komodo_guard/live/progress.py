"""Progress of a snapshot collection on a terminal, as one rewritten line."""

from __future__ import annotations

from typing import TextIO

from komodo_guard.live.snapshot import Progress, Step


def terminal_progress(stream: TextIO) -> Progress | None:
    """A progress callback drawing ``[done/total] Call`` on ``stream``.

    None when ``stream`` is not a terminal, so logs and CI output stay clean.
    """
    if not stream.isatty():
        return None

    def show(step: Step) -> None:
        line = f"[{step.done}/{step.total}] {step.call}"
        end = "\n" if step.done == step.total else ""
        stream.write(f"\r\x1b[2K{line}{end}")
        stream.flush()

    return show
