"""``komodo-guard trigger`` reaches the command through the parser."""

from __future__ import annotations

import pytest

from komodo_guard.cli.main import main


def test_trigger_follows_a_failing_and_a_good_deploy(
    capsys: pytest.CaptureFixture[str],
) -> None:
    failed = main(["trigger", "stack", "mealie", "--demo"])
    out = capsys.readouterr().out
    assert failed == 1
    assert "failed stage 'Git Pull'" in out
    assert main(["trigger", "stack", "traefik", "--demo", "--wait", "30"]) == 0
    assert "succeeded" in capsys.readouterr().out


def test_trigger_needs_a_name_or_a_pattern(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["trigger", "sync", "--demo"]) == 2
    assert "error" in capsys.readouterr().err


def test_neither_name_nor_pattern_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["trigger", "stack", "--demo"]) == 2
    err = capsys.readouterr().err
    assert "name the stack to run, or give --pattern" in err
    assert "not both" not in err
