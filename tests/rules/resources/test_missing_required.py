"""KG106 missing-required: keys Komodo cannot do without."""

from __future__ import annotations

from komodo_guard.rules.resources.missing_required import RULE
from tests.conftest import TreeFactory
from tests.rules.lintkit import findings, hits
from tests.rules.resources.helpers import line_of

FAILING = """\
[[stack]]
description = "no name"
[stack.config]
config_files = [{ requires = "Restart" }]
additional_env_files = [{ track = true }]

[[alerter]]
name = "ops"
[alerter.config]
resources = [{ type = "Stack" }]
maintenance_windows = [{ name = "nightly" }]

[[procedure]]
name = "p"
[[procedure.config.stage]]
enabled = true
executions = [{ execution = { type = "DeployStack" } }]

[[builder]]
name = "b"
config.type = "Url"

[[variable]]
value = "x"
"""

PASSING = """\
[[stack]]
name = "app"
[stack.config]
config_files = ["a", { path = "b" }]

[[alerter]]
name = "ops"
[alerter.config]
resources = [{ type = "Stack", id = "66f0c0ffee0000000000abcd" }]
maintenance_windows = [{ name = "nightly", duration_minutes = 30 }]

[[procedure]]
name = "p"
[[procedure.config.stage]]
name = "s"
executions = [{ execution = { type = "None", params = {} } }]

[[builder]]
name = "b"
config = { type = "Url", params = {} }

[[variable]]
name = "X"
"""


def test_reports_missing_keys(make_tree: TreeFactory) -> None:
    root = make_tree({"r.toml": FAILING})
    assert [(line, column) for _, line, column, _ in hits(root, RULE)] == [
        (1, 1),
        (4, 17),
        (5, 25),
        (10, 14),
        (11, 24),
        (15, 1),
        (17, 17),
        (19, 1),
        (23, 1),
    ]


def test_message_quotes_komodos_error(make_tree: TreeFactory) -> None:
    found = {line_of(f): f for f in findings(make_tree({"r.toml": FAILING}), RULE)}
    assert found[10].message.startswith(
        "an entry of `resources` in [alerter.config] has no `id`, which Komodo "
        'requires; it fails with "missing field `id`"'
    )
    assert "`duration_minutes`" in found[11].message
    assert "`params`" in found[19].message


def test_passes_complete_tables(make_tree: TreeFactory) -> None:
    assert hits(make_tree({"r.toml": PASSING}), RULE) == []


def test_disabled(make_tree: TreeFactory) -> None:
    root = make_tree({"r.toml": FAILING})
    assert hits(root, RULE, disabled=[RULE.code]) == []
