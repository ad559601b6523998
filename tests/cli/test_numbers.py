"""Numeric options refuse zero, negatives, nan, inf and absurd sizes."""

from __future__ import annotations

import pytest

from komodo_guard.cli.main import main


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("--timeout", "0"),
        ("--timeout", "-1"),
        ("--timeout", "nan"),
        ("--timeout", "inf"),
        ("--timeout", "1e400"),
        ("--window-days", "1000000000"),
        ("--window-days", "3651"),
        ("--concurrency", "0"),
        ("--concurrency", "x"),
    ],
)
def test_bad_numbers_are_usage_errors(
    option: str, value: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["drift", "--demo", option, value])
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert f"argument {option}: {value!r} is not a number above 0" in err
    assert "Traceback" not in err


def test_library_connection_chatter_stays_out_of_verbose_logs(
    capsys: pytest.CaptureFixture[str], tmp_path: object
) -> None:
    code = main(["-vv", "drift", "--demo", "examples/homelab", "-f", "json"])
    err = capsys.readouterr().err
    assert code == 1
    assert "connect_tcp" not in err
    assert "send_request_headers" not in err
