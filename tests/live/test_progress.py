"""terminal_progress: one rewritten line on a terminal, nothing elsewhere."""

from __future__ import annotations

import io

from komodo_guard.live.progress import terminal_progress
from komodo_guard.live.snapshot import Step


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_draws_on_a_terminal_and_ends_the_line_when_done() -> None:
    screen = Terminal()
    show = terminal_progress(screen)
    assert show is not None
    show(Step("ListStacks", 1, 2))
    show(Step("ListUpdates", 2, 2))
    assert screen.getvalue() == (
        "\r\x1b[2K[1/2] ListStacks" + "\r\x1b[2K[2/2] ListUpdates\n"
    )


def test_silent_when_not_a_terminal() -> None:
    assert terminal_progress(io.StringIO()) is None
