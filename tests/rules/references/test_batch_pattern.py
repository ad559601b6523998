"""KG206 batch-pattern: Batch* patterns that do not select what they seem to."""

from __future__ import annotations

import pytest

from komodo_guard.rules.interface import Severity
from komodo_guard.rules.references.batch_pattern import RULE
from tests.conftest import TreeFactory
from tests.rules.lintkit import findings, hits

STACKS = '[[stack]]\nname = "media-sonarr"\n[[stack]]\nname = "media-radarr"\n'


def _batch(pattern: str, execution: str = "BatchDeployStack") -> str:
    """A procedure with one execution; ``pattern`` is written as TOML (quoted)."""
    return (
        '[[procedure]]\nname = "p"\n[[procedure.config.stage]]\nname = "s"\n'
        "[[procedure.config.stage.executions]]\n"
        f'execution.type = "{execution}"\n'
        f"execution.params.pattern = {pattern}\n"
    )


def _severities(make_tree: TreeFactory, text: str) -> list[Severity]:
    return [f.severity for f in findings(make_tree({"a.toml": text}), RULE)]


def test_unwrapped_regex_is_a_wildcard(make_tree: TreeFactory) -> None:
    root = make_tree({"a.toml": STACKS + _batch('"^media-.*"')})
    found = findings(root, RULE)
    assert hits(root, RULE) == [
        ("a.toml", 11, 28, "KG206"),
        ("a.toml", 11, 28, "KG206"),
    ]
    assert [f.severity for f in found] == [Severity.INFO, Severity.WARNING]
    warning = found[1]
    assert "looks like a regex" in warning.message
    assert warning.hint.endswith("pattern = '\\^media-.*\\'")


@pytest.mark.parametrize(
    "pattern",
    [r"'\^media-(?!radarr).*\'", r"'\(media)-\1\'", r"'\^media-(\'"],
)
def test_regex_rust_cannot_run_is_an_error(
    make_tree: TreeFactory, pattern: str
) -> None:
    assert _severities(make_tree, STACKS + _batch(pattern)) == [Severity.ERROR]


def test_bad_wildcard_escape_is_an_error(make_tree: TreeFactory) -> None:
    assert _severities(make_tree, STACKS + _batch(r"'media-\d'")) == [Severity.ERROR]


def test_pattern_matching_nothing_declared_is_info(make_tree: TreeFactory) -> None:
    found = findings(make_tree({"a.toml": STACKS + _batch('"web-*"')}), RULE)
    assert [f.severity for f in found] == [Severity.INFO]
    assert "matches none of the 2 stack(s)" in found[0].message


def test_no_declarations_of_the_kind_skips_the_match_check(
    make_tree: TreeFactory,
) -> None:
    assert _severities(make_tree, _batch('"web-*"')) == []


@pytest.mark.parametrize(
    "pattern", ['"*"', '"media-*"', r"'\^media-.*$\'", '"media-sonarr, web"']
)
def test_good_patterns_pass(make_tree: TreeFactory, pattern: str) -> None:
    assert _severities(make_tree, STACKS + _batch(pattern)) == []


def test_pattern_matches_its_own_kind(make_tree: TreeFactory) -> None:
    text = STACKS + '[[build]]\nname = "api"\n' + _batch('"media-*"', "BatchRunBuild")
    assert _severities(make_tree, text) == [Severity.INFO]


def test_run_sync_is_not_a_batch_execution(make_tree: TreeFactory) -> None:
    text = (
        '[[procedure]]\nname = "p"\n[[procedure.config.stage]]\nname = "s"\n'
        "[[procedure.config.stage.executions]]\n"
        'execution.type = "RunSync"\n'
        'execution.params = { sync = "main", pattern = "^x" }\n'
    )
    assert _severities(make_tree, text) == []


def test_disabled(make_tree: TreeFactory) -> None:
    root = make_tree({"a.toml": STACKS + _batch('"^media-.*"')})
    assert hits(root, RULE, disabled=[RULE.code]) == []
