"""node-exporter textfile metrics: format and atomic replacement."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from komodo_guard.host.textfile import (
    FILE_NAME,
    HostMetrics,
    TextfileError,
    render_metrics,
    write_textfile,
)

METRICS = HostMetrics(
    checkouts_blocked=2,
    colliding_files=5,
    unmanaged_containers=3,
    socket_mounts=1,
    success=False,
)
_NAME = r"[a-zA-Z_:][a-zA-Z0-9_:]*"


def parse(text: str) -> dict[str, tuple[str, str, float]]:
    """A small parser of Prometheus' text format: per metric its HELP, TYPE
    and value; raises on any line the format does not allow."""
    helps: dict[str, str] = {}
    types: dict[str, str] = {}
    values: dict[str, float] = {}
    assert text.endswith("\n")
    for line in text.splitlines():
        if match := re.fullmatch(rf"# HELP ({_NAME}) (.+)", line):
            helps[match[1]] = match[2]
        elif match := re.fullmatch(rf"# TYPE ({_NAME}) (gauge|counter|untyped)", line):
            assert match[1] not in values, "TYPE must come before the sample"
            types[match[1]] = match[2]
        elif match := re.fullmatch(rf"({_NAME}) (-?[0-9.]+(?:e-?[0-9]+)?)", line):
            values[match[1]] = float(match[2])
        else:
            raise AssertionError(f"not Prometheus text format: {line!r}")
    return {name: (helps[name], types[name], value) for name, value in values.items()}


def test_render_is_valid_text_format() -> None:
    parsed = parse(render_metrics(METRICS))

    assert {name: value for name, (_, _, value) in parsed.items()} == {
        "komodo_guard_host_checkouts_blocked": 2,
        "komodo_guard_host_colliding_files": 5,
        "komodo_guard_host_unmanaged_containers": 3,
        "komodo_guard_host_socket_mounts": 1,
        "komodo_guard_host_check_success": 0,
    }
    assert {kind for _, kind, _ in parsed.values()} == {"gauge"}


def test_parser_rejects_garbage() -> None:
    with pytest.raises(AssertionError):
        parse("komodo_guard_host_x one\n")


def test_write_replaces_atomically(tmp_path: Path) -> None:
    (tmp_path / FILE_NAME).write_text("old\n")

    written = write_textfile(tmp_path, render_metrics(METRICS))

    assert written == tmp_path / FILE_NAME
    assert parse(written.read_text())["komodo_guard_host_colliding_files"][2] == 5
    assert sorted(p.name for p in tmp_path.iterdir()) == [FILE_NAME]
    assert oct(written.stat().st_mode & 0o777) == "0o644"


def test_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(TextfileError, match="cannot write metrics there"):
        write_textfile(tmp_path / "absent", "x\n")
