"""Planning and applying: checked results, idempotence, files left alone."""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

import pytest

from komodo_guard.fix import FileFix, FixError, FixPlan, plan_fixes
from komodo_guard.fix import plan as planning
from komodo_guard.komodo.model import load
from komodo_guard.rules.interface import Edit, Location
from komodo_guard.rules.resources.unknown_key import RULE
from komodo_guard.workspace.collect import collect
from tests.conftest import TreeFactory
from tests.fix.fixkit import plan as plan_of

TEXT = '[[stack]]\nname = "a"\nauto_update = true\n[stack.config]\nsever = "x"\n'
FIXED = '[[stack]]\nname = "a"\n[stack.config]\nserver = "x"\nauto_update = true\n'


def test_second_run_finds_nothing(make_tree: TreeFactory) -> None:
    root = make_tree({"stacks.toml": TEXT})
    first = plan_of(root)
    first.apply(root)
    assert first.count == 2
    assert (root / "stacks.toml").read_text(encoding="utf-8") == FIXED
    again = plan_of(root)
    assert (again.count, again.diff(), again.files) == (0, "", ())


def test_files_without_edits_are_not_touched(make_tree: TreeFactory) -> None:
    clean = '[[stack]]\nname = "b"\n[stack.config]\nserver = "x"\n'
    root = make_tree({"stacks.toml": TEXT, "other.toml": clean})
    other = root / "other.toml"
    os.utime(other, (1_000_000, 1_000_000))
    plan_of(root).apply(root)
    assert other.read_text(encoding="utf-8") == clean
    assert other.stat().st_mtime == 1_000_000


def test_refuses_an_edit_whose_result_does_not_parse(
    make_tree: TreeFactory, caplog: pytest.LogCaptureFixture
) -> None:
    # Renaming `sever` to `name` would write the key `name` twice.
    root = make_tree({"stacks.toml": '[[stack]]\nname = "a"\nsever = "x"\n'})
    workspace = collect(root, load(None))
    key = ("stack", 0, "sever")
    edit = Edit(Location("stacks.toml", 3, 1), "sever", "name", key=key)
    caplog.set_level(logging.WARNING)
    found = plan_fixes([RULE.finding("by hand", edit=edit)], workspace)
    assert (found.count, found.diff()) == (0, "")
    assert "stacks.toml:3: not fixing `sever`: the result would not parse" in (
        caplog.text
    )


def test_refuses_an_edit_that_changes_other_values(
    make_tree: TreeFactory,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    def sloppy(file: object, edit: Edit) -> str:
        return '[[stack]]\nname = "b"\n[stack.config]\nserver = "x"\n'

    monkeypatch.setattr(planning, "rename", sloppy)
    root = make_tree(
        {"stacks.toml": '[[stack]]\nname = "a"\n[stack.config]\nsever = "x"\n'}
    )
    caplog.set_level(logging.WARNING)
    found = plan_of(root)
    found.apply(root)
    assert found.count == 0
    assert "the result would change values" in caplog.text
    assert "sever" in (root / "stacks.toml").read_text(encoding="utf-8")


def test_one_refused_edit_does_not_stop_the_others(
    make_tree: TreeFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(planning, "rename", lambda file, edit: None)
    root = make_tree({"stacks.toml": TEXT})
    found = plan_of(root)
    found.apply(root)
    assert found.count == 1
    assert (root / "stacks.toml").read_text(encoding="utf-8") == (
        '[[stack]]\nname = "a"\n[stack.config]\nsever = "x"\nauto_update = true\n'
    )


def test_keeps_byte_order_mark_and_mode(make_tree: TreeFactory) -> None:
    root = make_tree({"stacks.toml": b"\xef\xbb\xbf" + TEXT.encode()})
    target = root / "stacks.toml"
    target.chmod(0o640)
    plan_of(root).apply(root)
    assert target.read_bytes() == b"\xef\xbb\xbf" + FIXED.encode()
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert [p.name for p in root.iterdir()] == ["stacks.toml"]


def test_refuses_a_file_changed_since_it_was_read(make_tree: TreeFactory) -> None:
    root = make_tree({"stacks.toml": TEXT, "b.toml": TEXT})
    found = plan_of(root)
    (root / "stacks.toml").write_text(TEXT + "# edited\n", encoding="utf-8")
    with pytest.raises(FixError, match=r"stacks\.toml: changed since it was read"):
        found.apply(root)
    assert (root / "b.toml").read_text(encoding="utf-8") == TEXT


def test_never_writes_outside_the_tree(tmp_path: Path) -> None:
    root = tmp_path / "tree"
    root.mkdir()
    outside = tmp_path / "outside.toml"
    outside.write_text(TEXT, encoding="utf-8")
    (root / "link.toml").symlink_to(outside)
    for path in ("../outside.toml", "link.toml"):
        escape = FixPlan((FileFix(path, TEXT, FIXED, ()),))
        with pytest.raises(FixError, match="not a file inside"):
            escape.apply(root)
    assert outside.read_text(encoding="utf-8") == TEXT


def test_suppressed_findings_are_not_fixed(make_tree: TreeFactory) -> None:
    text = (
        '[[stack]]\nname = "a"\n'
        "auto_update = true  # komodo-guard: ignore[KG102] set per host\n"
        '[stack.config]\nserver = "x"\n'
    )
    assert plan_of(make_tree({"stacks.toml": text})).count == 0
