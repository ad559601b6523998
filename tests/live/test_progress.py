"""terminal_progress: one rewritten line on a terminal, nothing elsewhere."""

from __future__ import annotations

import io

from komodo_guard.live.progress import terminal_progress
from komodo_guard.live.snapshot import Step


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_draws_one_line_and_clears_it_at_the_end() -> None:
    screen = Terminal()
    show = terminal_progress(screen)
    assert show is not None
    show(Step("GetVersion", 1, 1, "version"))
    show(Step("ListStacks", 2, 17, "resources"))
    show(Step("GetUpdate", 18, 20, "failure logs"))
    show(Step("", 20, 20, "failure logs", finished=True))
    assert screen.getvalue() == (
        "\r\x1b[K[1/1] version: GetVersion"
        "\r\x1b[K[2/17] resources: ListStacks"
        "\r\x1b[K[18/20] failure logs: GetUpdate"
        "\r\x1b[K"
    )
    assert "\n" not in screen.getvalue()


def test_a_phase_that_ends_does_not_end_the_line() -> None:
    screen = Terminal()
    show = terminal_progress(screen)
    assert show is not None
    show(Step("GetVersion", 1, 1, "version"))
    assert screen.getvalue() == "\r\x1b[K[1/1] version: GetVersion"


def test_silent_when_not_a_terminal() -> None:
    assert terminal_progress(io.StringIO()) is None
