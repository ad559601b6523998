"""``komodo-guard secrets rotate`` reaches the rotation through the parser."""

from __future__ import annotations

from pathlib import Path

import pytest

from komodo_guard.cli.main import main

MAP = """[[secrets.secret]]
name = "db"
places = [
  { kind = "env-file", file = "a.env", key = "DB_PASSWORD" },
  { kind = "env-file", file = "b.env", key = "DB_PASSWORD" },
]
"""
OLD = "old-value-7f3a9c"


def test_rotate_then_check_agree(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "komodo-guard.toml").write_text(MAP)
    (tmp_path / "a.env").write_text(f"DB_PASSWORD={OLD}\n")
    (tmp_path / "b.env").write_text(f"X=1\nDB_PASSWORD={OLD}\n")
    assert main(["secrets", "rotate", "db", "--dry-run", "--no-search"]) == 0
    assert main(["secrets", "rotate", "db", "--no-search"]) == 0
    assert main(["secrets", "check", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert OLD not in out
    assert OLD not in (tmp_path / "a.env").read_text()
    left = sorted(path.name for path in (tmp_path / ".komodo-guard").iterdir())
    assert left == [".gitignore"]


def test_two_modes_at_once_are_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["secrets", "rotate", "db", "--resume", "--rollback"])
    assert stopped.value.code == 2
