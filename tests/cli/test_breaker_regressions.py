"""Regressions found by breaking the CLI as a new user would."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from komodo_guard.cli.main import main
from tests.conftest import TreeFactory

STACK = '[[stack]]\nname = "a"\n[stack.config]\npolll = 1\n'


def test_output_through_a_symlink_writes_the_target(
    make_tree: TreeFactory, tmp_path: Path
) -> None:
    root = make_tree({"s.toml": STACK})
    real = tmp_path / "real.txt"
    real.write_text("old")
    link = tmp_path / "link.txt"
    link.symlink_to(real)
    assert main(["lint", str(root), "-o", str(link)]) == 1
    assert link.is_symlink()
    assert "KG102" in real.read_text()


def test_output_to_a_fifo_is_written_not_replaced(
    make_tree: TreeFactory, tmp_path: Path
) -> None:
    root = make_tree({"s.toml": STACK})
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    try:
        assert main(["lint", str(root), "-o", str(fifo), "-f", "json"]) == 1
        assert b'"KG102"' in os.read(reader, 1 << 20)
    finally:
        os.close(reader)
    assert fifo.is_fifo()


def test_versions_newer_than_the_model_are_refused(
    make_tree: TreeFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_tree({"s.toml": STACK})
    assert main(["lint", str(root), "--komodo-version", "3.0"]) == 2
    assert "newer than every release komodo-guard models" in capsys.readouterr().err


def test_backslash_rule_follows_the_target_version(make_tree: TreeFactory) -> None:
    text = '[[stack]]\nname = "a"\n[stack.config]\nenvironment = """\nP=C:\\pics\n"""\n'
    root = make_tree({"s.toml": text})
    # Komodo 1.17+ doubles the backslash, so `\p` is no escape at all;
    # Komodo 1.16 parsed the text as written, where `\p` is an invalid escape.
    assert main(["lint", str(root), "--komodo-version", "1.17", "-f", "json"]) != 2
    codes_116 = _codes(root, "1.16")
    assert "KG001" in codes_116
    assert "KG001" not in _codes(root, "1.17")


def _codes(root: Path, version: str) -> set[str]:
    from komodo_guard.cli.run import lint_tree, load_settings

    result = lint_tree(root, load_settings(root, None), version).result
    return {finding.code for finding in result.findings}


def test_verbosity_flags_work_after_the_command(make_tree: TreeFactory) -> None:
    root = make_tree({"s.toml": STACK})
    assert main(["lint", str(root), "-q"]) == 1
    assert main(["-v", "lint", str(root)]) == 1


def test_unknown_audit_suffix_is_an_error(
    make_tree: TreeFactory, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_tree({"s.toml": STACK})
    assert main(["audit", str(root), "-o", str(tmp_path / "r.pdf")]) == 2
    assert "name it .md or .html" in capsys.readouterr().err
    assert not (tmp_path / "r.pdf").exists()


def test_findings_in_files_no_sync_reads_are_infos(
    make_tree: TreeFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_tree(
        {
            "sync.toml": '[[resource_sync]]\nname = "s"\n[resource_sync.config]\n'
            'resource_path = ["sync.toml"]\n',
            "old/stack.toml": STACK + 'environment = "DB_PASSWORD=hunter22x"\n',
        }
    )
    main(["lint", str(root), "-f", "json"])
    out = capsys.readouterr().out
    assert '"KG102"' in out
    assert "(in a file no sync reads)" in out
    assert "hunter22x" not in out
