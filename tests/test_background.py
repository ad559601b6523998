"""A computation in a forked child: its result comes back, a failure gives None."""

import os
from collections.abc import Callable

import pytest

from komodo_guard.background import Background, can_fork

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")


def test_the_result_comes_back_from_another_process() -> None:
    parent = os.getpid()
    with Background(lambda: (os.getpid(), [1, {"a": "b"}])) as child:
        pid, value = child.result() or (parent, None)
    assert pid != parent
    assert value == [1, {"a": "b"}]


def test_asking_twice_gives_the_same_result() -> None:
    with Background(lambda: {"x": 1}) as child:
        assert child.result() == {"x": 1}
        assert child.result() == {"x": 1}


def _raises() -> int:
    raise ValueError("boom")


def _exits() -> int:
    raise SystemExit(3)


@pytest.mark.parametrize("work", [_raises, _exits, lambda: lambda: 1])
def test_a_failing_child_gives_none(work: Callable[[], object]) -> None:
    with Background(work) as child:
        assert child.result() is None


def test_leaving_the_block_reaps_the_child() -> None:
    with pytest.raises(KeyError), Background(lambda: 1) as child:
        raise KeyError("the caller failed before asking")
    with pytest.raises(ChildProcessError):  # already reaped: no such child
        os.waitpid(child._child, os.WNOHANG)
    assert child.result() == 1


def test_can_fork_needs_fork_and_two_cores(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "cpu_count", lambda: 1)
    assert not can_fork()
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    assert can_fork()


def test_ctrl_c_in_the_child_stops_the_parent_too() -> None:
    def interrupted() -> int:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt), Background(interrupted) as work:
        work.result()
