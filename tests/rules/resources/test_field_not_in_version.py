"""KG105 field-not-in-version: keys of other Komodo releases."""

from __future__ import annotations

from komodo_guard.rules.resources import unknown_key
from komodo_guard.rules.resources.field_not_in_version import RULE
from tests.conftest import TreeFactory
from tests.rules.lintkit import findings, hits
from tests.rules.resources.helpers import line_of

STACK = """\
[[stack]]
name = "app"
[stack.config]
clone_path = "apps/app"
pre_deploy.shell_mode = true
"""

BUILDER = """\
[[builder]]
name = "aws"
[builder.config]
type = "Aws"
[builder.config.params]
region = "eu-west-1"
docker_registries = [{ domain = "ghcr.io", accounts = [{ username = "me" }] }]
"""


def test_reports_keys_newer_than_the_target(make_tree: TreeFactory) -> None:
    root = make_tree({"stacks.toml": STACK})
    assert hits(root, RULE, version="1.17.5") == [
        ("stacks.toml", 4, 1, "KG105"),
        ("stacks.toml", 5, 12, "KG105"),
    ]
    clone, shell = findings(root, RULE, version="1.17.5")
    assert clone.message == (
        "`clone_path` in [stack.config] needs Komodo >= 1.18.2 (target 1.17.5); "
        "Komodo 1.17.5 ignores it"
    )
    assert "needs Komodo >= 2.2.0" in shell.message


def test_reports_removed_and_renamed_keys(make_tree: TreeFactory) -> None:
    root = make_tree({"r.toml": BUILDER})
    (finding,) = findings(root, RULE)
    assert line_of(finding) == 7
    assert "removed in Komodo 2.3.0, renamed to `image_registries`" in finding.message
    assert finding.hint == "rename it to `image_registries`"
    assert hits(root, RULE, version="2.2") == []


def test_reports_tables_newer_than_the_target(make_tree: TreeFactory) -> None:
    text = '[[stack]]\nname = "a"\n[[swarm]]\nname = "s"\n'
    root = make_tree({"r.toml": text})
    (finding,) = findings(root, RULE, version="1.19.5")
    assert finding.message.startswith("[[swarm]] needs Komodo >= 2.0.0")


def test_unknown_key_does_not_repeat_them(make_tree: TreeFactory) -> None:
    root = make_tree({"stacks.toml": STACK})
    assert hits(root, unknown_key.RULE, version="1.17.5") == []


def test_passes_on_the_newest_release(make_tree: TreeFactory) -> None:
    assert hits(make_tree({"stacks.toml": STACK}), RULE) == []


def test_disabled(make_tree: TreeFactory) -> None:
    root = make_tree({"stacks.toml": STACK})
    assert hits(root, RULE, version="1.17.5", disabled=[RULE.code]) == []
