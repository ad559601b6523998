"""Where each character of an interpolated or env-block value sits in the file."""

from __future__ import annotations

from komodo_guard.komodo.model import load
from komodo_guard.rules.content.fields import (
    env_block_texts,
    interpolated_texts,
    interpolation_skipped,
)
from komodo_guard.rules.interface import Location
from komodo_guard.workspace.collect import collect
from tests.conftest import TreeFactory

_TEXT = '''[[stack]]
name = "s"
[stack.config]
environment = """
A=1
  B=2
"""
file_contents = """services:
  app: {}"""
extra_args = ["--one", "--two"]
pre_deploy.command = 'echo hi'
'''


def test_locations_inside_strings(make_tree: TreeFactory) -> None:
    workspace = collect(make_tree({"s.toml": _TEXT}), load(None))
    stack = workspace.resources[0]
    texts = {text.keys: text for text in interpolated_texts(stack)}
    env = texts[("config", "environment")]
    assert env.env_block
    assert env.location(env.text.index("B")) == Location("s.toml", 6, 3)
    contents = texts[("config", "file_contents")]
    assert contents.location(0) == Location("s.toml", 8, 20)
    assert contents.location(contents.text.index("app")) == Location("s.toml", 9, 3)
    second = texts[("config", "extra_args", 1)]
    assert second.field == "extra_args"
    assert not second.env_block
    assert second.location(2) == Location("s.toml", 10, 27)
    command = texts[("config", "pre_deploy", "command")]
    assert command.field == "pre_deploy.command"
    assert command.location(5) == Location("s.toml", 11, 28)
    assert [t.field for t in env_block_texts(stack)] == ["environment"]
    assert not interpolation_skipped(stack)


def test_needles_filter_strings(make_tree: TreeFactory) -> None:
    workspace = collect(make_tree({"s.toml": _TEXT}), load(None))
    stack = workspace.resources[0]
    assert [t.field for t in interpolated_texts(stack, ("--two",))] == ["extra_args"]
