"""Renames: only the key token changes, at its column, with its quoting."""

from __future__ import annotations

import pytest

from komodo_guard.rules.resources.unknown_key import RULE
from tests.conftest import TreeFactory
from tests.fix.fixkit import fixed, plan, unchanged
from tests.rules.lintkit import findings

HEAD = '[[stack]]\nname = "app"\n[stack.config]\n'


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("auto_updte = true\n", "auto_update = true\n"),
        (
            "auto_updte   =   true   # pull new images\n",
            "auto_update   =   true   # pull new images\n",
        ),
        ('"auto_updte" = true\n', '"auto_update" = true\n'),
        ("'auto_updte' = true\n", "'auto_update' = true\n"),
        ("  Auto_Pull = false\n", "  auto_pull = false\n"),
        ('compose_file = "compose.yaml"\n', 'file_paths = "compose.yaml"\n'),
        ('env = """\nA=1\n"""\n', 'environment = """\nA=1\n"""\n'),
    ],
)
def test_renames_the_key_token_only(
    make_tree: TreeFactory, before: str, after: str
) -> None:
    text = HEAD + before + 'server = "local"\n'
    assert fixed(make_tree, text) == HEAD + after + 'server = "local"\n'


def test_dotted_keys(make_tree: TreeFactory) -> None:
    text = (
        '[[stack]]\nname = "app"\n'
        'config.sever = "local"  # the host\n'
        'config.pre_deploy.comand = "./prep.sh"\n'
    )
    assert fixed(make_tree, text) == (
        '[[stack]]\nname = "app"\n'
        'config.server = "local"  # the host\n'
        'config.pre_deploy.command = "./prep.sh"\n'
    )


def test_key_inside_an_inline_table(make_tree: TreeFactory) -> None:
    text = (
        '[[alerter]]\nname = "a"\n[alerter.config]\n'
        'maintenance_windows = [{ name = "w", duration_minutes = 5, hour_ = 3 }]\n'
    )
    assert fixed(make_tree, text) == text.replace("hour_ =", "hour =")


TOP = '[[stack]]\nname = "app"\n'


@pytest.mark.parametrize(
    "text",
    [
        # two fields are equally likely
        HEAD + "auto_update_services = true\n",
        # the value is not one the suggested key accepts
        TOP + 'tag = "infra"\n',
        HEAD + 'pre_deploy.args = ["-c", "echo"]\n',
        HEAD + 'auto_updte = "yes"\n',
        # the suggested key (or another spelling of its field) is already set
        HEAD + 'sever = "a"\nserver = "b"\n',
        HEAD + 'sever = "a"\nserver_id = "b"\n',
        # the advice is a key of another table: a rename and a move
        HEAD + "auto_deploy = true\n",
        # no suggestion at all
        HEAD + "whatever = 1\n",
    ],
)
def test_unsafe_renames_are_left_alone(make_tree: TreeFactory, text: str) -> None:
    root = make_tree({"stacks.toml": text})
    assert [finding.edit for finding in findings(root, RULE)] == [None]
    assert unchanged(make_tree, text)


def test_a_key_in_a_table_header_is_left_alone(make_tree: TreeFactory) -> None:
    text = '[[stack]]\nname = "app"\n[stack.config.pre_deply]\ncommand = "x"\n'
    assert unchanged(make_tree, text)


def test_two_typos_of_one_key_are_both_left(make_tree: TreeFactory) -> None:
    text = HEAD + 'sever = "a"\nservr = "b"\n'
    assert unchanged(make_tree, text)


def test_counts_each_rename(make_tree: TreeFactory) -> None:
    root = make_tree({"stacks.toml": HEAD + "auto_updte = true\nauto_pul = true\n"})
    assert plan(root).count == 2
