"""KG103 wrong-type: values Komodo refuses, fields given twice."""

from __future__ import annotations

from komodo_guard.rules.resources.wrong_type import RULE
from tests.conftest import TreeFactory
from tests.rules.lintkit import findings, hits
from tests.rules.resources.helpers import line_of

FAILING = """\
[[stack]]
name = "app"
[stack.config]
auto_pull = "yes"
server = "a"
server_id = "b"
[[stack.config.pre_deploy]]
command = "./prepare.sh"
"""

# Every shape Komodo accepts for these fields.
PASSING = """\
[[stack]]
name = "app"
[stack.config]
file_paths = "compose.yaml, override.yaml"
extra_args = "--build"
environment = [{ variable = "A", value = "1" }]
additional_env_files = ["a.env", { path = "b.env", track = false }]
config_files = ["Caddyfile", { path = "x.conf", requires = "restart" }]
[stack.config.pre_deploy]
command = "./prepare.sh"

[[build]]
name = "b"
[build.config]
version = "1.2.3"
image_registry = { domain = "ghcr.io", account = "me" }

[[build]]
name = "c"
[build.config]
version = { major = 1, minor = 0, patch = 2 }
image_registry = [{ domain = "ghcr.io" }]

[[deployment]]
name = "d"
[deployment.config]
image = { type = "Build", params = { build = "b", version = "0.0.0" } }
ports = [{ local = "80", container = "8080" }]

[[server]]
name = "s"
[server.config]
cpu_warning = 80
disk_warning = 75.5

[[user_group]]
name = "ops"
all.Stack = "Execute"
all.Server = { level = "Read", specific = ["Logs"] }
"""


def test_reports_refused_values(make_tree: TreeFactory) -> None:
    root = make_tree({"stacks.toml": FAILING})
    assert hits(root, RULE) == [
        ("stacks.toml", 4, 1, "KG103"),
        ("stacks.toml", 6, 1, "KG103"),
        ("stacks.toml", 7, 16, "KG103"),
    ]
    auto_pull, duplicate, pre_deploy = findings(root, RULE)
    assert auto_pull.message.startswith(
        "`auto_pull` in [stack.config] is a string, but Komodo expects true or false"
    )
    assert "both `server` and `server_id`" in duplicate.message
    assert "array of tables" in pre_deploy.message
    assert "the whole file is rejected" in pre_deploy.message
    assert (
        pre_deploy.hint
        == "write the header with single brackets: [stack.config.pre_deploy]"
    )


def test_accepts_every_form_komodo_accepts(make_tree: TreeFactory) -> None:
    assert hits(make_tree({"r.toml": PASSING}), RULE) == []


def test_array_items_and_top_level_shape(make_tree: TreeFactory) -> None:
    text = '[stack]\nname = "a"\n\n[[server]]\nname = "s"\nconfig.links = ["a", 1]\n'
    root = make_tree({"r.toml": text})
    stack, links = findings(root, RULE)
    assert "[[stack]]" in stack.message
    assert line_of(links) == 6
    assert "an array" in links.message


def test_both_spellings_of_a_kind_in_one_file(make_tree: TreeFactory) -> None:
    text = '[[stack]]\nname = "a"\n[[stacks]]\nname = "b"\n[[server]]\nconfig = 3\n'
    root = make_tree({"r.toml": text})
    stacks, config = findings(root, RULE)
    assert line_of(stacks) == 3
    assert "both `stack` and `stacks`" in stacks.message
    assert "is an integer, but Komodo expects a table;" in config.message


def test_secret_values_never_appear(make_tree: TreeFactory) -> None:
    text = """\
[[variable]]
name = "TOKEN"
value = ["s3cr3t-value-xyz"]
is_secret = true
[[stack]]
name = "a"
config.webhook_secret = { hidden = "s3cr3t-value-xyz" }
"""
    found = findings(make_tree({"r.toml": text}), RULE)
    assert len(found) == 2
    for finding in found:
        assert "s3cr3t" not in finding.message + finding.hint


def test_disabled(make_tree: TreeFactory) -> None:
    root = make_tree({"stacks.toml": FAILING})
    assert hits(root, RULE, disabled=[RULE.code]) == []
