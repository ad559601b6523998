"""KG104 invalid-enum: enum values and tagged-enum types Komodo refuses."""

from __future__ import annotations

from komodo_guard.rules.resources.invalid_enum import RULE
from tests.conftest import TreeFactory
from tests.rules.lintkit import findings, hits
from tests.rules.resources.helpers import line_of

FAILING = """\
[[stack]]
name = "app"
[stack.config]
config_files = [{ path = "Caddyfile", requires = "Reload" }]

[[procedure]]
name = "p"
[procedure.config]
schedule_format = "cron"

[[alerter]]
name = "a"
[alerter.config]
endpoint = { type = "Teams", params = { url = "https://x" } }
alert_types = ["ServerCpu", "StackStateChanged"]
resources = [{ type = "Stacks", id = "x" }]

[[builder]]
name = "b"
[builder.config]
type = "Local"
params = {}

[[user_group]]
name = "ops"
all.Stacks = "Read"
all.Build = "execute"
permissions = [{ target = { type = "Stak", id = "x" }, level = "Write" }]
"""

PASSING = """\
[[stack]]
name = "app"
[stack.config]
config_files = [
  { path = "a", requires = "restart" },
  { path = "b", requires = "redeploy" },
  { path = "c", requires = "None" },
]

[[procedure]]
name = "p"
config.schedule_format = "Cron"

[[deployment]]
name = "d"
[deployment.config]
restart = "unless-stopped"
termination_signal = "15"
"""


def test_reports_refused_values(make_tree: TreeFactory) -> None:
    root = make_tree({"r.toml": FAILING})
    assert [(line, column) for _, line, column, _ in hits(root, RULE)] == [
        (4, 50),
        (9, 19),
        (14, 21),
        (15, 29),
        (16, 23),
        (21, 8),
        (26, 5),
        (27, 13),
        (28, 36),
    ]


def test_messages_list_values_and_suggest(make_tree: TreeFactory) -> None:
    found = {line_of(f): f for f in findings(make_tree({"r.toml": FAILING}), RULE)}
    assert found[4].message.startswith(
        '`requires` in an entry of `config_files` in [stack.config] is "Reload", '
        "which Komodo does not accept; expected one of `Redeploy`, `Restart`, `None`"
    )
    assert "did you mean `Cron`?" in found[9].message
    assert found[9].hint == "write `Cron`"
    assert "did you mean `StackStateChange`?" in found[15].message
    assert (
        "`Stacks` is not a key Komodo accepts in [user_group.all]" in found[26].message
    )
    assert "did you mean `Execute`?" in found[27].message


def test_version_history_in_message(make_tree: TreeFactory) -> None:
    text = '[[alerter]]\nname = "a"\nconfig.endpoint = { type = "Ntfy", params = {} }\n'
    (finding,) = findings(make_tree({"r.toml": text}), RULE, version="1.16.12")
    assert "needs Komodo >= 1.17.1 (target 1.16.12)" in finding.message


def test_accepted_aliases_pass(make_tree: TreeFactory) -> None:
    assert hits(make_tree({"r.toml": PASSING}), RULE) == []


def test_disabled(make_tree: TreeFactory) -> None:
    root = make_tree({"r.toml": FAILING})
    assert hits(root, RULE, disabled=[RULE.code]) == []
