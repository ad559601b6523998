"""KG304 env-block: unparsable lines and values cut at ` #`."""

from __future__ import annotations

from komodo_guard.rules.content.env_block import RULE
from komodo_guard.rules.interface import Severity
from tests.conftest import TreeFactory
from tests.rules.lintkit import findings, hits

_BLOCK = '''[[stack]]
name = "app"
[stack.config]
environment = """
  TZ=Europe/Berlin
  PASSWORD=abc #def
  just-a-word
  PUID=1000 # a comment
  QUOTED="a #b"
  # a comment line
"""
'''


def test_cut_values_and_bad_lines_point_at_their_lines(make_tree: TreeFactory) -> None:
    root = make_tree({"s.toml": _BLOCK})
    found = findings(root, RULE)
    assert hits(root, RULE) == [
        ("s.toml", 6, 15, "KG304"),
        ("s.toml", 7, 3, "KG304"),
        ("s.toml", 9, 12, "KG304"),
    ]
    by_line = {f.location.line: f for f in found if f.location}
    assert by_line[6].severity is Severity.WARNING
    assert "`PASSWORD`" in by_line[6].message
    assert by_line[7].severity is Severity.ERROR
    assert "`QUOTED`" in by_line[9].message


def test_messages_never_hold_the_value(make_tree: TreeFactory) -> None:
    found = findings(make_tree({"s.toml": _BLOCK}), RULE)
    for finding in found:
        for secret in ("abc", "def", "just-a-word", "a #b"):
            assert secret not in finding.message + finding.hint


def test_clean_block_passes(make_tree: TreeFactory) -> None:
    root = make_tree(
        {
            "s.toml": '[[stack]]\nname = "app"\n[stack.config]\n'
            'environment = """\nA=1\nB: two # comment\n- C=3\nCOLOR=#fff\n"""\n'
        }
    )
    assert hits(root, RULE) == []


def test_disabled(make_tree: TreeFactory) -> None:
    assert hits(make_tree({"s.toml": _BLOCK}), RULE, disabled=[RULE.code]) == []


def test_deployment_ports_and_build_args_are_env_blocks(make_tree: TreeFactory) -> None:
    root = make_tree(
        {
            "d.toml": '[[deployment]]\nname = "d"\n[deployment.config]\n'
            'ports = "8080"\n'
            '[[build]]\nname = "b"\n[build.config]\n'
            "build_args = '''\nX=1\nY'''\n",
        }
    )
    assert hits(root, RULE) == [("d.toml", 4, 10, "KG304"), ("d.toml", 10, 1, "KG304")]


def test_array_form_values_are_cut_too(make_tree: TreeFactory) -> None:
    root = make_tree(
        {
            "s.toml": '[[stack]]\nname = "app"\n[stack.config]\n'
            'environment = [{ variable = "KEY", value = "a #b" }]\n'
        }
    )
    found = findings(root, RULE)
    assert [h[1] for h in hits(root, RULE)] == [4]
    assert "`KEY`" in found[0].message


def test_array_form_cut_points_at_the_hash(make_tree: TreeFactory) -> None:
    root = make_tree(
        {
            "s.toml": '[[stack]]\nname = "app"\n[stack.config]\n'
            'environment = [{ variable = "KEY", value = "a #b" }]\n'
        }
    )
    assert hits(root, RULE) == [("s.toml", 4, 46, "KG304")]


def test_fields_that_are_not_env_blocks_are_ignored(make_tree: TreeFactory) -> None:
    root = make_tree(
        {"s.toml": '[[stack]]\nname = "app"\n[stack.config]\nfile_contents = "x #y"\n'}
    )
    assert hits(root, RULE) == []
