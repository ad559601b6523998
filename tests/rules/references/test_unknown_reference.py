"""KG203 unknown-reference: names of resources declared nowhere."""

from __future__ import annotations

from pathlib import Path

import pytest

from komodo_guard.rules.interface import RuleOptions, Severity
from komodo_guard.rules.references.unknown_reference import RULE
from tests.conftest import TreeFactory
from tests.rules.lintkit import findings, hits

STACK_ON_NAS = '[[stack]]\nname = "app"\n[stack.config]\nserver = "nas"\n'


def test_undeclared_server_is_a_warning_at_the_value(make_tree: TreeFactory) -> None:
    root = make_tree({"a.toml": STACK_ON_NAS})
    found = findings(root, RULE)
    assert hits(root, RULE) == [("a.toml", 4, 10, "KG203")]
    assert found[0].severity is Severity.WARNING
    assert "server 'nas'" in found[0].message
    assert "list it under [known] servers in komodo-guard.toml" in found[0].hint


@pytest.mark.parametrize(
    ("line", "key"),
    [
        ('swarm = "prod"', "swarms"),
        ('linked_repo = "homelab"', "repos"),
    ],
)
def test_hint_names_the_known_key_of_the_kind(
    make_tree: TreeFactory, line: str, key: str
) -> None:
    text = f'[[stack]]\nname = "app"\n[stack.config]\n{line}\n'
    (found,) = findings(make_tree({"a.toml": text}), RULE)
    assert f"list it under [known] {key} in komodo-guard.toml" in found.hint


def test_hint_for_an_execution_target_names_its_known_key(
    make_tree: TreeFactory,
) -> None:
    text = (
        '[[procedure]]\nname = "p"\n[[procedure.config.stage]]\nname = "s"\n'
        'executions = [{ execution.type = "RunSync", '
        'execution.params.sync = "infra" }]\n'
    )
    (found,) = findings(make_tree({"a.toml": text}), RULE)
    assert "resource_sync 'infra'" in found.message
    assert "list it under [known] syncs in komodo-guard.toml" in found.hint
    assert "[rules] severity" not in found.hint


def test_declared_server_passes(make_tree: TreeFactory) -> None:
    root = make_tree({"a.toml": STACK_ON_NAS + '[[server]]\nname = "nas"\n'})
    assert hits(root, RULE) == []


def test_declared_in_another_file_passes(make_tree: TreeFactory) -> None:
    root = make_tree({"a.toml": STACK_ON_NAS, "b.toml": '[[server]]\nname = "nas"\n'})
    assert hits(root, RULE) == []


def test_known_names_from_options_pass(make_tree: TreeFactory) -> None:
    text = STACK_ON_NAS + 'linked_repo = "homelab"\nswarm = "prod"\n'
    root = make_tree({"a.toml": text})
    options = RuleOptions(
        known_servers=frozenset({"nas"}),
        known_repos=frozenset({"homelab"}),
        known_names=frozenset({("swarm", "prod")}),
    )
    assert hits(root, RULE) == [
        ("a.toml", 4, 10, "KG203"),
        ("a.toml", 5, 15, "KG203"),
        ("a.toml", 6, 9, "KG203"),
    ]
    assert hits(root, RULE, options=options) == []


@pytest.mark.parametrize("value", ["", "65f1c3d2a9b8e7f6a5b4c3d2"])
def test_empty_and_object_ids_pass(make_tree: TreeFactory, value: str) -> None:
    text = f'[[stack]]\nname = "app"\n[stack.config]\nserver = "{value}"\n'
    assert hits(make_tree({"a.toml": text}), RULE) == []


def test_alias_spelling_is_resolved(make_tree: TreeFactory) -> None:
    text = '[[stack]]\nname = "app"\n[stack.config]\nserver_id = "nas"\n'
    assert hits(make_tree({"a.toml": text}), RULE) == [("a.toml", 4, 13, "KG203")]


def test_nested_and_tagged_references(make_tree: TreeFactory) -> None:
    text = (
        '[[deployment]]\nname = "web"\n[deployment.config]\n'
        'image = { type = "Build", params = { build = "web-image" } }\n'
        '[[builder]]\nname = "b"\n[builder.config]\ntype = "Server"\n'
        'params = { servers = ["builder-host"] }\n'
        '[[swarm]]\nname = "s"\n[swarm.config]\nservers = ["m1"]\n'
    )
    root = make_tree({"a.toml": text})
    names = sorted(
        f.message.split(" names ")[1].split(" in ")[0] for f in findings(root, RULE)
    )
    assert names == ["build 'web-image'", "server 'builder-host'", "server 'm1'"]


def test_procedure_execution_targets(make_tree: TreeFactory) -> None:
    text = (
        '[[procedure]]\nname = "p"\n[[procedure.config.stage]]\nname = "s"\n'
        "executions = [\n"
        '  { execution.type = "DeployStack", execution.params.stack = "ghost" },\n'
        '  { execution.type = "RunSync", execution.params.sync = "main" },\n'
        '  { execution.type = "BatchDeployStack", execution.params.pattern = "x" },\n'
        "]\n"
        '[[resource_sync]]\nname = "main"\n'
    )
    assert hits(make_tree({"a.toml": text}), RULE) == [("a.toml", 6, 62, "KG203")]


def test_git_path_in_linked_repo_gets_its_own_hint(make_tree: TreeFactory) -> None:
    text = '[[stack]]\nname = "app"\n[stack.config]\nlinked_repo = "owner/repo"\n'
    found = findings(make_tree({"a.toml": text}), RULE)
    assert len(found) == 1
    assert found[0].hint.startswith("linked_repo names a [[repo]] resource")


def test_tags_are_never_reported(make_tree: TreeFactory) -> None:
    text = '[[stack]]\nname = "app"\ntags = ["new-tag"]\n'
    assert hits(make_tree({"a.toml": text}), RULE) == []


def test_one_finding_per_name_per_file(make_tree: TreeFactory) -> None:
    text = STACK_ON_NAS + '[[stack]]\nname = "b"\n[stack.config]\nserver = "nas"\n'
    root = make_tree({"a.toml": text, "b.toml": STACK_ON_NAS})
    assert hits(root, RULE) == [("a.toml", 4, 10, "KG203"), ("b.toml", 4, 10, "KG203")]


def test_disabled(make_tree: TreeFactory) -> None:
    root = make_tree({"a.toml": STACK_ON_NAS})
    assert hits(root, RULE, disabled=[RULE.code]) == []


def test_corpus_never_reports_an_error(shared: Path) -> None:
    real = shared / "corpus/real"
    for repo in sorted(path for path in real.iterdir() if path.is_dir()):
        assert all(f.severity < Severity.ERROR for f in findings(repo, RULE)), repo.name


@pytest.mark.parametrize(
    ("repo", "path", "line"),
    [
        ("repo22", "komodo.toml", 30),
        ("repo31", "komodo/stacks.toml", 14),
        ("repo28", "stacks/caddy/komodo.toml", 5),
    ],
)
def test_corpus_undeclared_servers_warn_at_most(
    shared: Path, repo: str, path: str, line: int
) -> None:
    found = findings(shared / "corpus/real" / repo, RULE)
    at_line = [
        f
        for f in found
        if f.location and (f.location.path, f.location.line) == (path, line)
    ]
    assert at_line
    assert all(f.severity is Severity.WARNING for f in at_line)
