"""``lint --fix`` and ``--diff`` through the command line: exit code, stdout
and stderr together."""

from __future__ import annotations

from pathlib import Path

import pytest

from komodo_guard.cli.main import main
from komodo_guard.rules.registry import ALL_RULES
from tests.conftest import TreeFactory

# Only KG102 runs, so the exit codes depend on this task's cases alone.
CONFIG = "[rules]\ndisable = [{}]\n".format(
    ", ".join(f'"{rule.code}"' for rule in ALL_RULES if rule.code != "KG102")
)
FIXABLE = '[[stack]]\nname = "a"\nauto_update = true\n[stack.config]\nsever = "x"\n'
FIXED = '[[stack]]\nname = "a"\n[stack.config]\nserver = "x"\nauto_update = true\n'
DIFF = """\
--- a/stacks.toml
+++ b/stacks.toml
@@ -1,5 +1,5 @@
 [[stack]]
 name = "a"
+[stack.config]
+server = "x"
 auto_update = true
-[stack.config]
-sever = "x"
"""


def _tree(make_tree: TreeFactory, text: str) -> Path:
    return make_tree({"stacks.toml": text, "komodo-guard.toml": CONFIG})


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["lint", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_diff_prints_and_writes_nothing(
    make_tree: TreeFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _tree(make_tree, FIXABLE)
    expected = (1, DIFF, "komodo-guard: 2 fixes available\n")
    assert _run(capsys, str(root), "--diff") == expected
    assert (root / "stacks.toml").read_text(encoding="utf-8") == FIXABLE


def test_fix_applies_and_exits_clean_when_nothing_remains(
    make_tree: TreeFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _tree(make_tree, FIXABLE)
    assert _run(capsys, str(root), "--fix") == (
        0,
        DIFF,
        "komodo-guard: applied 2 fixes\n",
    )
    assert (root / "stacks.toml").read_text(encoding="utf-8") == FIXED
    assert _run(capsys, str(root), "--fix") == (
        0,
        "",
        "komodo-guard: applied 0 fixes\n",
    )


def test_fix_exit_code_reflects_what_remains(
    make_tree: TreeFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _tree(make_tree, FIXABLE + "whatever = 1\n")
    code, _, err = _run(capsys, str(root), "--fix")
    assert (code, err) == (1, "komodo-guard: applied 2 fixes\n")
    assert (root / "stacks.toml").read_text(encoding="utf-8") == (
        '[[stack]]\nname = "a"\n[stack.config]\nserver = "x"\nwhatever = 1\n'
        "auto_update = true\n"
    )
    assert _run(capsys, str(root))[0] == 1


def test_diff_with_nothing_to_fix(
    make_tree: TreeFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _tree(make_tree, FIXED)
    assert _run(capsys, str(root), "--diff") == (
        0,
        "",
        "komodo-guard: 0 fixes available\n",
    )
