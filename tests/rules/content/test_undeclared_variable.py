"""KG302 undeclared-variable: `[[NAME]]` with no Variable behind it."""

from __future__ import annotations

from pathlib import Path

from komodo_guard.rules.content.undeclared_variable import RULE
from komodo_guard.rules.interface import RuleOptions, Severity
from tests.conftest import TreeFactory
from tests.rules.lintkit import findings, hits

_STACKS = '''[[stack]]
name = "a"
[stack.config]
environment = """
TZ=[[TZ]]
# OLD=[[COMMENTED_OUT]]
PUID=1000 # was [[ALSO_COMMENTED]]
"""
pre_deploy.command = "echo [[TZ]] [[COMPOSE_COMMAND]] && [[ -f x ]]"

[[stack]]
name = "b"
[stack.config]
environment = "TZ=[[TZ]]"
'''


def test_one_warning_per_name_at_first_use_with_count(make_tree: TreeFactory) -> None:
    root = make_tree({"stacks.toml": _STACKS})
    found = findings(root, RULE)
    assert hits(root, RULE) == [("stacks.toml", 5, 4, "KG302")]
    assert found[0].severity is Severity.WARNING
    assert "[[TZ]]" in found[0].message
    assert "3 uses" in found[0].message


def test_declared_variable_passes(make_tree: TreeFactory) -> None:
    root = make_tree(
        {
            "stacks.toml": _STACKS,
            "vars.toml": '[[variable]]\nname = "TZ"\nvalue = "Europe/Berlin"\n',
        }
    )
    assert hits(root, RULE) == []


def test_known_variables_option_passes(make_tree: TreeFactory) -> None:
    root = make_tree({"stacks.toml": _STACKS})
    options = RuleOptions(known_variables=frozenset({"TZ"}))
    assert hits(root, RULE, options=options) == []


def test_disabled(make_tree: TreeFactory) -> None:
    root = make_tree({"stacks.toml": _STACKS})
    assert hits(root, RULE, disabled=[RULE.code]) == []


def test_one_finding_per_scope(make_tree: TreeFactory) -> None:
    sync = (
        '[[resource_sync]]\nname = "{name}"\n[resource_sync.config]\n'
        'resource_path = ["{path}"]\n'
    )
    root = make_tree(
        {
            "syncs.toml": sync.format(name="one", path="one")
            + sync.format(name="two", path="two"),
            "one/s.toml": '[[stack]]\nname = "a"\n[stack.config]\n'
            'environment = "X=[[SHARED]]"\n',
            "two/s.toml": '[[stack]]\nname = "b"\n[stack.config]\n'
            'environment = "X=[[SHARED]]"\n',
        }
    )
    assert [(h[0], h[1]) for h in hits(root, RULE)] == [
        ("one/s.toml", 4),
        ("two/s.toml", 4),
    ]


def test_skip_secret_interp_is_not_reported(make_tree: TreeFactory) -> None:
    text = _STACKS.replace(
        'name = "a"\n[stack.config]\n',
        'name = "a"\n[stack.config]\nskip_secret_interp = true\n',
    )
    found = findings(make_tree({"stacks.toml": text}), RULE)
    assert len(found) == 1
    assert "1 use " in found[0].message


def test_corpus_repo15_warns_for_every_name_and_never_errors(shared: Path) -> None:
    found = findings(shared / "corpus" / "real" / "repo15", RULE)
    names = {f.message.split("]]", 1)[0] for f in found}
    assert len(found) == len(names) == 128
    assert {f.severity for f in found} == {Severity.WARNING}


def test_corpus_op_bridge_names_are_plain_warnings(shared: Path) -> None:
    found = findings(shared / "corpus" / "real" / "repo03", RULE)
    lines = {(f.location.path, f.location.line) for f in found if f.location}
    assert {("deploy.toml", 12), ("deploy.toml", 13)} <= lines
    assert {f.severity for f in found} == {Severity.WARNING}


def test_corpus_compose_command_is_never_a_variable(shared: Path) -> None:
    for repo in ("repo11", "repo36"):
        found = findings(shared / "corpus" / "real" / repo, RULE)
        assert not any("COMPOSE_COMMAND" in f.message for f in found), repo


def test_corpus_declared_variables_of_repo34_are_not_reported(shared: Path) -> None:
    found = findings(shared / "corpus" / "real" / "repo34", RULE)
    assert found
    assert not any(f.message.startswith("[[TZ]]") for f in found)
