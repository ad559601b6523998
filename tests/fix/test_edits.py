"""The edits KG102 attaches to its findings (``rules/resources/edits.py``)."""

from __future__ import annotations

from komodo_guard.rules.interface import Edit, Location
from komodo_guard.rules.resources.unknown_key import RULE
from tests.conftest import TreeFactory
from tests.rules.lintkit import findings

TEXT = """\
[[stack]]
name = "app"
auto_update = true
[stack.config]
config.sever = "x"
auto_update_services = true
[stack.config.pre_deploy]
comand = "y"
deploy = true
"""


def test_edits_of_kg102_findings(make_tree: TreeFactory) -> None:
    edits = [f.edit for f in findings(make_tree({"s.toml": TEXT}), RULE)]
    assert edits == [
        Edit(
            Location("s.toml", 3, 1),
            "auto_update",
            "auto_update",
            key=("stack", 0, "auto_update"),
            into=("stack", 0, "config"),
        ),
        None,  # `config.sever` inside [stack.config]: no `config` key there
        None,  # two fields look alike
        Edit(
            Location("s.toml", 8, 1),
            "comand",
            "command",
            key=("stack", 0, "config", "pre_deploy", "comand"),
        ),
        Edit(
            Location("s.toml", 9, 1),
            "deploy",
            "deploy",
            key=("stack", 0, "config", "pre_deploy", "deploy"),
            into=("stack", 0),
        ),
    ]


def test_messages_and_hints_are_unchanged(make_tree: TreeFactory) -> None:
    text = '[[stack]]\nname = "app"\n[stack.config]\ncompose_file = "c.yaml"\n'
    (finding,) = findings(make_tree({"s.toml": text}), RULE)
    assert finding.message == (
        "unknown key `compose_file` in [stack.config] (Komodo ignores it); "
        "did you mean `file_paths`?"
    )
    assert finding.hint == "rename `compose_file` to `file_paths`"
    assert finding.edit is not None
    assert (finding.edit.old, finding.edit.new) == ("compose_file", "file_paths")
