"""KG102 unknown-key: unknown keys at any depth, with advice."""

from __future__ import annotations

from komodo_guard.rules.resources.unknown_key import RULE
from tests.conftest import TreeFactory
from tests.rules.lintkit import findings, hits
from tests.rules.resources.helpers import line_of

WRONG_LEVEL = """\
[[stack]]
name = "app"
auto_update = true
[stack.config]
server = "local"
compose_file = "compose.yaml"
auto_deploy = true
"""

SWALLOWED = """\
[[stack]]
name = "app"
[stack.config]
file_paths = ["compose.yaml"]
[stack.config.pre_deploy]
command = "./prep.sh"

file_paths = ["compose.yaml", "override.yaml"]
deploy = true
"""


def test_reports_keys_at_the_wrong_level(make_tree: TreeFactory) -> None:
    root = make_tree({"stacks.toml": WRONG_LEVEL})
    assert hits(root, RULE) == [
        ("stacks.toml", 3, 1, "KG102"),
        ("stacks.toml", 6, 1, "KG102"),
        ("stacks.toml", 7, 1, "KG102"),
    ]
    level, rename, other = findings(root, RULE)
    assert level.message == (
        "`auto_update` belongs in [stack.config]; above [stack.config] it is ignored"
    )
    assert level.resource is not None
    assert level.resource.name == "app"
    assert "did you mean `file_paths`?" in rename.message
    assert "did you mean `deploy` in [[stack]]?" in other.message


def test_names_the_header_that_swallowed_a_key(make_tree: TreeFactory) -> None:
    root = make_tree({"stacks.toml": SWALLOWED})
    paths, deploy = findings(root, RULE)
    assert (line_of(paths), line_of(deploy)) == (8, 9)
    assert paths.message == (
        "`file_paths` belongs to [stack.config] but the [stack.config.pre_deploy] "
        "header on line 5 swallowed it; Komodo ignores it there"
    )
    assert paths.hint == "move `file_paths` above line 5"
    assert "belongs to [[stack]]" in deploy.message


def test_suggests_command_for_args(make_tree: TreeFactory) -> None:
    text = '[[stack]]\nname = "a"\n[stack.config.pre_deploy]\nargs = ["-c", "x"]\n'
    (finding,) = findings(make_tree({"stacks.toml": text}), RULE)
    assert "did you mean `command`?" in finding.message


def test_dotted_keys_point_at_the_key(make_tree: TreeFactory) -> None:
    text = '[[stack]]\nname = "a"\nconfig.sever = "x"\nconfig.pre_deploy.comand = "y"\n'
    root = make_tree({"stacks.toml": text})
    assert hits(root, RULE) == [
        ("stacks.toml", 3, 8, "KG102"),
        ("stacks.toml", 4, 19, "KG102"),
    ]
    sever, comand = findings(root, RULE)
    assert "did you mean `server`?" in sever.message
    assert "in [stack.config.pre_deploy]" in comand.message


def test_nested_and_tagged_tables(make_tree: TreeFactory) -> None:
    text = """\
[[alerter]]
name = "a"
[alerter.config]
endpoint.type = "Slack"
endpoint.url = "https://hooks"
maintenance_windows = [{ name = "w", duration_minutes = 5, hour_ = 3 }]

[[procedure]]
name = "p"
[[procedure.config.stage]]
name = "s"
[[procedure.config.stage.execution]]
execution.type = "DeployStack"
execution.params.stack = "a"
execution.params.whatever = 1
execution.prams = {}
"""
    root = make_tree({"r.toml": text})
    url, hour, prams = findings(root, RULE)
    assert "did you mean `params.url`?" in url.message
    assert "did you mean `hour`?" in hour.message
    assert line_of(prams) == 16
    assert "did you mean `params`?" in prams.message


def test_aliases_and_known_keys_pass(make_tree: TreeFactory) -> None:
    text = """\
[[stack]]
name = "a"
[stack.config]
server_id = "local"
pre_deploy.command = "x"
additional_env_files = ["a.env", { path = "b.env", track = false }]

[[builder]]
name = "b"
[builder.config]
type = "Server"
params.server_id = "local"

[[procedure]]
name = "p"
config.schedule_format = "Cron"
[[procedure.config.stage]]
name = "s"
[[procedure.config.stage.execution]]
execution.type = "DeployStack"
execution.params.stack = "a"
"""
    assert hits(make_tree({"r.toml": text}), RULE) == []


def test_disabled(make_tree: TreeFactory) -> None:
    root = make_tree({"stacks.toml": WRONG_LEVEL})
    assert hits(root, RULE, disabled=[RULE.code]) == []
