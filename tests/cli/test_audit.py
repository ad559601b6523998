"""``komodo-guard audit``: formats, output file, exit codes, and no secret values."""

from __future__ import annotations

from pathlib import Path

import pytest

from komodo_guard.cli.main import main
from tests.cli.tree import SMALL_TREE
from tests.conftest import TreeFactory

VERSION = ("--komodo-version", "2.3")
SECRET = "Zq9-secret-Xk2"
SECRET_TREE: dict[str, str | bytes] = {
    "vars.toml": f'[[variable]]\nname = "DB_PASSWORD"\nvalue = "{SECRET}"\n'
    "is_secret = true\n",
    "stack.toml": '[[stack]]\nname = "db"\n[stack.config]\nserver = "local"\n'
    f'environment = """\nPOSTGRES_PASSWORD={SECRET}\n"""\n'
    f'webhook_secret = "{SECRET}"\n',
    "broken-escape.toml": f'[[variable]]\nname = "A"\nvalue = "{SECRET}\\q"\n',
    "broken-bare.toml": f'[[stack]]\nname = "b"\nwebhook_secret = {SECRET}\n',
    "broken-tail.toml": f'[[variable]]\nname = "T"\nvalue = "{SECRET}" junk\n',
    "broken-open.toml": f'[[variable]]\nname = "X"\nvalue = \'{SECRET}\n',
}


@pytest.fixture
def small_tree(make_tree: TreeFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = make_tree(SMALL_TREE)
    monkeypatch.chdir(root)
    return root


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["audit", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_markdown_to_stdout(
    small_tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = _run(capsys, ".", *VERSION)
    assert (code, err) == (1, "")
    assert out.startswith(f"# Komodo GitOps audit: {small_tree.name}\n")
    for section in (
        "## Scope",
        "## Executive summary",
        "## Findings by failure class",
        "```mermaid\nflowchart LR\n",
        "## What remains",
    ):
        assert section in out
    assert (
        "4 findings to act on: 1 P0 (breaks deploys, is failing now or leaks "
        "secrets), "
        "3 P1 (silent drift), 0 P2 (hygiene)." in out
    )
    assert "| Syncs | `main` reads 2 files (declared in `sync.toml`) |" in out


@pytest.mark.usefixtures("small_tree")
def test_html_chosen_by_the_output_suffix(capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(capsys, ".", "-o", "AUDIT.html", *VERSION) == (1, "", "")
    page = Path("AUDIT.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert '<ol class="flow">' in page
    assert "<details><summary>Mermaid source" in page
    assert not list(Path().glob(".AUDIT.html.tmp-*"))


@pytest.mark.usefixtures("small_tree")
def test_format_flag_wins_over_the_suffix(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, _ = _run(capsys, ".", "-o", "audit.txt", "--format", "html", *VERSION)
    assert code == 1
    assert Path("audit.txt").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    _run(capsys, ".", "-o", "AUDIT.md", *VERSION)
    assert Path("AUDIT.md").read_text(encoding="utf-8").startswith("# Komodo GitOps")


@pytest.mark.usefixtures("small_tree")
def test_fail_on_error_still_fails_on_the_syntax_error(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert _run(capsys, ".", "--fail-on", "error", *VERSION)[0] == 1


def test_clean_tree_exits_zero_and_says_what_was_not_checked(
    make_tree: TreeFactory,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(make_tree({"vars.toml": SMALL_TREE["old/stack.toml"]}))
    code, out, err = _run(capsys, ".", *VERSION)
    assert (code, err) == (0, "")
    assert "No findings from the static checks of this tree." in out
    assert "not checked: this audit reads the tree only, not Komodo Core's API" in out


def test_a_missing_folder_exits_two(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nothere"
    code, out, err = _run(capsys, str(missing))
    assert (code, out) == (2, "")
    assert (
        err == f"komodo-guard: error: {missing}: does not exist; give the root of "
        "a GitOps tree\n"
    )


@pytest.mark.parametrize(
    "argv",
    [
        ("lint", "-f", "text"),
        ("lint", "-f", "json"),
        ("lint", "-f", "sarif"),
        ("lint", "-f", "github"),
        ("audit", "-f", "markdown"),
        ("audit", "-f", "html"),
    ],
)
def test_no_secret_value_in_any_output(
    argv: tuple[str, ...],
    make_tree: TreeFactory,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(make_tree(SECRET_TREE))
    code = main([argv[0], ".", *argv[1:], *VERSION])
    out, err = capsys.readouterr()
    assert code == 1
    assert "KG001" in out
    assert SECRET not in out
    assert SECRET not in err
