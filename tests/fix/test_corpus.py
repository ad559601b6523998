"""``--diff`` and ``--fix`` on real trees: ../shared/corpus/real.

The corpus is read-only: ``--diff`` runs on it in place (and must write
nothing); ``--fix`` only ever runs on copies under ``tmp_path``.
"""

from __future__ import annotations

import shutil
import subprocess
from functools import reduce
from pathlib import Path

import pytest

from komodo_guard.cli.main import main
from komodo_guard.fix import plan_fixes
from komodo_guard.fix.expect import expected
from komodo_guard.rules.interface import Finding
from komodo_guard.workspace.model import Workspace
from komodo_guard.workspace.toml_file import parse_toml
from tests.conftest import SHARED
from tests.fix.fixkit import plan

REAL = SHARED / "corpus" / "real"
REPOS = sorted(p.name for p in REAL.iterdir() if p.is_dir()) if REAL.is_dir() else []
# Fixes each repository must get (the defects corpus/EXPECTED.md lists).
KNOWN = {"repo29": 1, "repo31": 25, "repo32": 4}


def _snapshot(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }


@pytest.mark.usefixtures("shared")
@pytest.mark.parametrize("repo", REPOS)
def test_diff_proposes_only_edits_that_parse(
    repo: str, capsys: pytest.CaptureFixture[str]
) -> None:
    root = REAL / repo
    before = _snapshot(root)
    code = main(["lint", str(root), "--diff"])
    out, _ = capsys.readouterr()
    assert _snapshot(root) == before
    found = plan(root)
    assert (code, out) == (1 if found.count else 0, found.diff())
    for fix in found.files:
        original = parse_toml(fix.path, fix.before.encode(), "1.1").data
        result = parse_toml(fix.path, fix.after.encode(), "1.1").data
        assert original is not None
        assert result == reduce(expected, fix.edits, original)
    if repo in KNOWN:
        assert found.count == KNOWN[repo]


@pytest.mark.usefixtures("shared")
@pytest.mark.parametrize("repo", sorted(KNOWN))
def test_fix_on_a_copy_matches_the_diff(
    repo: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fixed, patched = tmp_path / "fixed", tmp_path / "patched"
    shutil.copytree(REAL / repo, fixed, symlinks=True)
    shutil.copytree(REAL / repo, patched, symlinks=True)
    plan = plan_fixes(*_findings_and_workspace(REAL / repo))
    main(["lint", str(fixed), "--fix"])
    printed, _ = capsys.readouterr()
    assert printed == plan.diff()
    diff = plan.diff(hide_secrets=False)
    if shutil.which("git"):
        subprocess.run(
            ["git", "apply", "-p1", "-"], cwd=patched, input=diff, text=True, check=True
        )
        assert _snapshot(patched) == _snapshot(fixed)
    assert main(["lint", str(fixed), "--diff"]) == 0
    assert capsys.readouterr()[0] == ""


@pytest.mark.usefixtures("shared")
def test_the_printed_diff_hides_secret_values(
    capsys: pytest.CaptureFixture[str],
) -> None:
    main(["lint", str(REAL / "repo29"), "--diff"])
    printed = capsys.readouterr()[0]
    assert "POSTGRES_PASSWORD=********" in printed
    secret = (
        (REAL / "repo29" / "stacks.toml").read_text().split("POSTGRES_PASSWORD=")[1]
    )
    assert secret.split()[0] not in printed


def _findings_and_workspace(root: Path) -> tuple[list[Finding], Workspace]:
    from komodo_guard.cli.run import lint_tree, load_settings

    checked = lint_tree(root, load_settings(root, None), None)
    return list(checked.result.active), checked.workspace
