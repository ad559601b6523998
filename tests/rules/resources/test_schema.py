"""The shared schema walk: one walk per workspace, and the KG10x rules on the
real corpus (``corpus/EXPECTED.md``)."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest

from komodo_guard.komodo.model import load
from komodo_guard.rules.engine import run_rules
from komodo_guard.rules.interface import Finding, RuleOptions
from komodo_guard.rules.resources import RULES, schema, walk
from komodo_guard.workspace.collect import collect
from tests.conftest import TreeFactory
from tests.rules.resources.helpers import line_of
from tests.test_corpus import REPO31_AUTO_UPDATE

# Everything KG101-KG106 may report on the corpus for Komodo 2.3.2:
# (repo, file, line, code).
EXPECTED: set[tuple[str, str, int, str]] = {
    ("repo32", "komodo/resources.toml", 14, "KG101"),
    ("repo32", "komodo/resources.toml", 20, "KG101"),
    *{("repo32", "komodo/resources.toml", n, "KG102") for n in (47, 62, 77, 92)},
    *{("repo32", "komodo/resources.toml", n, "KG103") for n in (48, 63, 78, 93)},
    *{("repo32", "komodo/resources.toml", n, "KG102") for n in (50, 65, 80, 95)},
    ("repo29", "stacks.toml", 15, "KG102"),
    ("repo29", "stacks.toml", 21, "KG102"),
    ("repo29", "stacks.toml", 23, "KG102"),
    *{("repo31", "komodo/stacks.toml", n, "KG102") for n in REPO31_AUTO_UPDATE},
    ("repo26", "komodo/stacks/edge/stack.toml", 7, "KG102"),
}

# From the "must not report" list of EXPECTED.md.
MUST_NOT: list[tuple[str, str, int]] = [
    *[("repo36", "komodo/procedures.toml", n) for n in (9, 10, 11)],
    ("repo06", "komodo/resources.toml", 45),
    ("repo06", "komodo/resources.toml", 94),
    ("repo28", "stacks/caddy/komodo.toml", 17),
    ("repo28", "stacks/caddy/komodo.toml", 20),
    ("repo28", "stacks/recyclarr/komodo.toml", 18),
    ("repo31", "komodo/stacks.toml", 14),
    ("repo23", "komodo/config.toml", 22),
    ("repo13", "komodo/komodo.toml", 70),
    ("repo39", "komodo.toml", 148),
    *[("repo37", "komodo/sync.toml", n) for n in (477, 544, 640)],
    *[("repo32", "komodo/resources.toml", n) for n in (110, 113, 119, 122)],
    *[("repo22", "komodo.toml", n) for n in range(17, 24)],
]


def _lint(tree: Path, version: str | None = None) -> list[Finding]:
    return run_rules(collect(tree, load(version)), RULES, RuleOptions())


@pytest.fixture
def corpus_hits(shared: Path) -> frozenset[tuple[str, str, int, str]]:
    return _corpus_hits(shared)


@functools.cache
def _corpus_hits(shared: Path) -> frozenset[tuple[str, str, int, str]]:
    found = set()
    for tree in sorted((shared / "corpus" / "real").iterdir()):
        if tree.is_dir():
            for finding in _lint(tree):
                assert finding.location is not None
                location = finding.location
                found.add((tree.name, location.path, location.line, finding.code))
    return frozenset(found)


def test_corpus_reports_exactly_the_expected_lines(
    corpus_hits: frozenset[tuple[str, str, int, str]],
) -> None:
    assert corpus_hits == EXPECTED


def test_corpus_must_not_report_lines(
    corpus_hits: frozenset[tuple[str, str, int, str]],
) -> None:
    lines = {(repo, path, line) for repo, path, line, _ in corpus_hits}
    assert lines.isdisjoint(MUST_NOT)


def test_corpus_messages(shared: Path) -> None:
    found = _lint(shared / "corpus" / "real" / "repo29")
    by_line = {line_of(f): f for f in found if f.location}
    assert by_line[21].message == (
        "`file_paths` belongs to [stack.config] but the [stack.config.pre_deploy] "
        "header on line 13 swallowed it; Komodo ignores it there"
    )
    assert by_line[21].hint == "move `file_paths` above line 13"
    found = _lint(shared / "corpus" / "real" / "repo32")
    by_line = {line_of(f): f for f in found if f.location}
    assert "did you mean `file_paths`?" in by_line[47].message
    assert "the whole file is rejected" in by_line[48].message


def test_walks_once_per_workspace(
    make_tree: TreeFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_tree({"r.toml": '[[stack]]\nname = "a"\nconfig.sever = "x"\n'})
    workspace = collect(root, load())
    calls: list[str] = []
    original = walk.walk_file

    def counting(*args: object) -> object:
        calls.append("walk")
        return original(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(schema, "walk_file", counting)
    found = run_rules(workspace, RULES, RuleOptions())
    assert [f.code for f in found] == ["KG102"]
    assert calls == ["walk"]


def test_no_secret_value_in_any_finding(make_tree: TreeFactory) -> None:
    secret = "hunter2-very-secret"
    text = f"""\
[[variable]]
value = "{secret}"
is_secret = true
[[stack]]
name = "a"
[stack.config]
environment = [{{ variable = "TOKEN", vale = "{secret}" }}]
webhook_secret = ["{secret}"]
"""
    found = _lint(make_tree({"r.toml": text}))
    assert len(found) >= 3
    for finding in found:
        assert secret not in finding.message + finding.hint
