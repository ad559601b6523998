"""``komodo-guard lint``: exit code, stdout and stderr together, in every format."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from komodo_guard import __version__
from komodo_guard.cli.main import main
from tests.cli.tree import (
    EMPTY_HINT,
    EMPTY_MESSAGE,
    SMALL_TREE,
    SUMMARY,
    SYNTAX_MESSAGE,
    UNSYNCED_HINT,
    UNSYNCED_MESSAGE,
)
from tests.conftest import TreeFactory

VERSION = ("--komodo-version", "2.3")


@pytest.fixture
def small_tree(make_tree: TreeFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = make_tree(SMALL_TREE)
    monkeypatch.chdir(root)
    return root


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["lint", *argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.usefixtures("small_tree")
def test_text(capsys: pytest.CaptureFixture[str]) -> None:
    expected = "\n".join(
        [
            f"empty.toml:1:1: warning KG003 empty-file: {EMPTY_MESSAGE}",
            f"    hint: {EMPTY_HINT}",
            f"old/stack.toml:1:1: info KG004 file-not-synced: {UNSYNCED_MESSAGE}",
            f"    hint: {UNSYNCED_HINT}",
            f"stacks.toml:2:12: error KG001 syntax-error: {SYNTAX_MESSAGE}",
            f"sync.toml:1:1: info KG004 file-not-synced: {UNSYNCED_MESSAGE}",
            f"    hint: {UNSYNCED_HINT}",
            "",
            SUMMARY,
            "",
        ]
    )
    assert _run(capsys, ".", *VERSION) == (1, expected, "")


@pytest.mark.usefixtures("small_tree")
def test_github(capsys: pytest.CaptureFixture[str]) -> None:
    notice = "::notice file={},line=1,col=1,title=KG004 file-not-synced::{}%0Ahint: {}"
    expected = "\n".join(
        [
            "::warning file=empty.toml,line=1,col=1,title=KG003 empty-file::"
            f"{EMPTY_MESSAGE}%0Ahint: {EMPTY_HINT}",
            notice.format("old/stack.toml", UNSYNCED_MESSAGE, UNSYNCED_HINT),
            "::error file=stacks.toml,line=2,col=12,title=KG001 syntax-error::"
            f"{SYNTAX_MESSAGE}",
            notice.format("sync.toml", UNSYNCED_MESSAGE, UNSYNCED_HINT),
            f"komodo-guard: {SUMMARY}",
            "",
        ]
    )
    assert _run(capsys, ".", "-f", "github", *VERSION) == (1, expected, "")


def _json_finding(path: str, line: int, column: int, code: str) -> dict[str, Any]:
    name, severity, failure_class, message, hint = {
        "KG001": ("syntax-error", "error", "invalid-config", SYNTAX_MESSAGE, None),
        "KG003": ("empty-file", "warning", "invalid-config", EMPTY_MESSAGE, EMPTY_HINT),
        "KG004": (
            "file-not-synced",
            "info",
            "sync-drift",
            UNSYNCED_MESSAGE,
            UNSYNCED_HINT,
        ),
    }[code]
    return {
        "path": path,
        "line": line,
        "column": column,
        "code": code,
        "name": name,
        "severity": severity,
        "class": failure_class,
        "message": message,
        "hint": hint,
        "resource": None,
        "suppressed": None,
        "since": None,
    }


@pytest.mark.usefixtures("small_tree")
def test_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(capsys, ".", "--format", "json", *VERSION)
    assert (code, err) == (1, "")
    assert json.loads(out) == {
        "tool": {"name": "komodo-guard", "version": __version__},
        "root": ".",
        "komodo_version": "2.3.2",
        "summary": {
            "files": 4,
            "resources": 2,
            "errors": 1,
            "warnings": 1,
            "infos": 2,
            "suppressed": 0,
        },
        "scopes": [{"name": "main", "files": 2, "declared_at": "sync.toml"}],
        "repo": None,
        "notes": [],
        "findings": [
            _json_finding("empty.toml", 1, 1, "KG003"),
            _json_finding("old/stack.toml", 1, 1, "KG004"),
            _json_finding("stacks.toml", 2, 12, "KG001"),
            _json_finding("sync.toml", 1, 1, "KG004"),
        ],
    }


def _sarif_result(path: str, line: int, column: int, code: str, index: int) -> Any:
    level, message, hint = {
        "KG001": ("error", SYNTAX_MESSAGE, ""),
        "KG003": ("warning", EMPTY_MESSAGE, EMPTY_HINT),
        "KG004": ("note", UNSYNCED_MESSAGE, UNSYNCED_HINT),
    }[code]
    return {
        "ruleId": code,
        "ruleIndex": index,
        "level": level,
        "message": {"text": f"{message}\nhint: {hint}" if hint else message},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": path, "uriBaseId": "%SRCROOT%"},
                    "region": {"startLine": line, "startColumn": column},
                }
            }
        ],
    }


@pytest.mark.usefixtures("small_tree")
def test_sarif(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(capsys, ".", "-f", "sarif", *VERSION)
    assert (code, err) == (1, "")
    (run,) = json.loads(out)["runs"]
    rules = run["tool"]["driver"].pop("rules")
    assert [
        (r["id"], r["name"], r["defaultConfiguration"]["level"]) for r in rules
    ] == [
        ("KG001", "syntax-error", "error"),
        ("KG003", "empty-file", "warning"),
        ("KG004", "file-not-synced", "note"),
    ]
    assert run == {
        "tool": {
            "driver": {
                "name": "komodo-guard",
                "version": __version__,
                "semanticVersion": __version__,
            }
        },
        "invocations": [{"executionSuccessful": True}],
        "columnKind": "unicodeCodePoints",
        "results": [
            _sarif_result("empty.toml", 1, 1, "KG003", 1),
            _sarif_result("old/stack.toml", 1, 1, "KG004", 2),
            _sarif_result("stacks.toml", 2, 12, "KG001", 0),
            _sarif_result("sync.toml", 1, 1, "KG004", 2),
        ],
    }


def test_relative_subfolder_paths_in_github_and_sarif(
    make_tree: TreeFactory,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    root = make_tree({f"infra/{path}": text for path, text in SMALL_TREE.items()})
    monkeypatch.chdir(root)
    code, out, _ = _run(capsys, "infra", "-f", "github", *VERSION)
    assert code == 1
    assert "::error file=infra/stacks.toml,line=2,col=12," in out
    _, out, _ = _run(capsys, "infra", "-f", "sarif", *VERSION)
    uris = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in json.loads(out)["runs"][0]["results"]
    }
    assert "infra/old/stack.toml" in uris


@pytest.mark.usefixtures("small_tree")
def test_fail_on_and_output_file(capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(capsys, ".", "--fail-on", "error", "-o", "out.txt", *VERSION) == (
        1,
        "",
        "",
    )
    assert Path("out.txt").read_text(encoding="utf-8").endswith(f"{SUMMARY}\n")


def test_clean_tree_exits_zero(
    make_tree: TreeFactory,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(make_tree({"vars.toml": SMALL_TREE["old/stack.toml"]}))
    assert _run(capsys, ".", *VERSION) == (
        0,
        "1 file, 1 resource checked for Komodo 2.3.2: 0 errors, 0 warnings, 0 infos\n",
        "",
    )


def test_warnings_pass_when_failing_only_on_errors(
    make_tree: TreeFactory,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(make_tree({"empty.toml": "# nothing\n"}))
    code, out, err = _run(capsys, ".", "--fail-on", "error", *VERSION)
    assert (code, err) == (0, "")
    assert out.startswith("empty.toml:1:1: warning KG003 empty-file:")


def test_a_missing_folder_exits_two(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nothere"
    assert _run(capsys, str(missing)) == (
        2,
        "",
        f"komodo-guard: error: {missing}: does not exist; give the root of a "
        "GitOps tree\n",
    )
