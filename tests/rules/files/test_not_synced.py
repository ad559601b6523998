from komodo_guard.rules.files.not_synced import RULE
from tests.conftest import TreeFactory
from tests.rules.lintkit import findings, hits

SYNC = (
    '[[resource_sync]]\nname = "infra"\n[resource_sync.config]\n'
    'repo = "owner/ops"\nresource_path = ["komodo"]\n'
)
TREE = {
    "komodo/sync.toml": SYNC,
    "komodo/stacks/app.toml": '[[stack]]\nname = "app"\n',
    "old/stack.toml": '[[stack]]\nname = "legacy"\n',
    "pyproject.toml": '[project]\nname = "x"\n',
}


def test_failing(make_tree: TreeFactory) -> None:
    assert hits(make_tree(TREE), RULE) == [("old/stack.toml", 1, 1, "KG004")]


def test_passing_when_every_file_is_read(make_tree: TreeFactory) -> None:
    tree = dict(TREE)
    tree["komodo/sync.toml"] = SYNC.replace('["komodo"]', '["komodo", "old"]')
    assert hits(make_tree(tree), RULE) == []


def test_without_declared_syncs_every_file_is_one_scope(make_tree: TreeFactory) -> None:
    tree = {k: v for k, v in TREE.items() if k != "komodo/sync.toml"}
    assert hits(make_tree(tree), RULE) == []


def test_disabled(make_tree: TreeFactory) -> None:
    assert hits(make_tree(TREE), RULE, disabled=["file-not-synced"]) == []


def test_message_names_the_syncs(make_tree: TreeFactory) -> None:
    (finding,) = findings(make_tree(TREE), RULE)
    assert "'infra'" in finding.message
