"""KG404 deploy-command: lifecycle commands that run nothing or run elsewhere."""

from __future__ import annotations

from pathlib import Path

import pytest

from komodo_guard.rules.interface import Severity
from komodo_guard.rules.layout.deploy_command import RULE, looks_like_program
from tests.conftest import TreeFactory
from tests.rules.lintkit import findings, hits


def stack(body: str) -> str:
    return f'[[stack]]\nname = "web"\n[stack.config]\nrepo = "a/b"\n{body}\n'


def test_program_in_path_without_command(make_tree: TreeFactory) -> None:
    body = '[stack.config.pre_deploy]\npath = "bash"\nargs = ["-c", "echo hi"]'
    root = make_tree({"k.toml": stack(body)})
    (found,) = findings(root, RULE)
    assert hits(root, RULE) == [("k.toml", 6, 8, "KG404")]
    assert found.severity is Severity.WARNING
    assert "nothing runs" in found.message
    assert "`args` is not a pre_deploy key" in found.hint


def test_program_in_path_with_command(make_tree: TreeFactory) -> None:
    body = 'post_deploy = { path = "/bin/sh", command = "echo done" }'
    (found,) = findings(make_tree({"k.toml": stack(body)}), RULE)
    assert "Komodo runs `cd /bin/sh`" in found.message


def test_table_without_command_points_at_the_table(make_tree: TreeFactory) -> None:
    body = '[stack.config.pre_deploy]\npath = "scripts"'
    assert hits(make_tree({"k.toml": stack(body)}), RULE) == [("k.toml", 5, 1, "KG404")]


def test_dotted_keys_without_command_point_at_the_first_key(
    make_tree: TreeFactory,
) -> None:
    body = 'pre_deploy.path = "scripts"\npre_deploy.shell_mode = true'
    assert hits(make_tree({"k.toml": stack(body)}), RULE) == [
        ("k.toml", 5, 12, "KG404")
    ]


def test_commands_pass(make_tree: TreeFactory) -> None:
    body = (
        'pre_deploy.command = """\nsops -d a.env > b.env\n"""\n'
        'post_deploy = { path = "scripts", command = "./notify.sh" }'
    )
    assert hits(make_tree({"k.toml": stack(body)}), RULE) == []


def test_disabled(make_tree: TreeFactory) -> None:
    root = make_tree({"k.toml": stack('pre_deploy = { path = "sh" }')})
    assert hits(root, RULE, disabled=[RULE.code]) == []


def test_build_and_repo_commands(make_tree: TreeFactory) -> None:
    text = (
        '[[build]]\nname = "b"\n[build.config]\n'
        'pre_build = { path = "python3", command = "x" }\n'
        '[[repo]]\nname = "r"\n[repo.config]\non_clone = { path = "." }\n'
        'on_pull = { command = "make" }\n'
    )
    assert hits(make_tree({"k.toml": text}), RULE) == [
        ("k.toml", 4, 22, "KG404"),
        ("k.toml", 8, 1, "KG404"),
    ]


@pytest.mark.parametrize(
    ("path", "program"),
    [
        ("sh", True),
        ("/usr/bin/env", True),
        (" python ", True),
        ("scripts/sh", False),
        ("deploy", False),
        (".", False),
    ],
)
def test_looks_like_program(path: str, program: bool) -> None:
    assert looks_like_program(path) is program


def test_corpus_repo29(shared: Path) -> None:
    assert hits(shared / "corpus" / "real" / "repo29", RULE) == [
        ("stacks.toml", 14, 8, "KG404")
    ]


def test_corpus_repo32_array_of_pre_deploy_tables(shared: Path) -> None:
    found = hits(shared / "corpus" / "real" / "repo32", RULE)
    assert found == [
        ("komodo/resources.toml", line, 8, "KG404") for line in (49, 64, 79, 94)
    ]


def test_corpus_dotted_pre_deploy_command_passes(shared: Path) -> None:
    assert hits(shared / "corpus" / "real" / "repo28", RULE) == []


def test_command_text_never_reaches_the_finding(make_tree: TreeFactory) -> None:
    token = "ghp_s3cretTokenValue0123456789"
    body = f'pre_deploy = {{ path = "sh", command = "curl -H {token} x" }}'
    (found,) = findings(make_tree({"k.toml": stack(body)}), RULE)
    assert token not in found.message + found.hint
