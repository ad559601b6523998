from komodo_guard.rules.files.merge_conflict import RULE
from tests.conftest import TreeFactory
from tests.rules.lintkit import hits

CONFLICT = {
    "stacks.toml": '[[stack]]\nname = "a"\n<<<<<<< HEAD\nx = 1\n=======\nx = 2\n'
    ">>>>>>> feature\n"
}


def test_failing(make_tree: TreeFactory) -> None:
    assert hits(make_tree(CONFLICT), RULE) == [
        ("stacks.toml", 3, 1, "KG002"),
        ("stacks.toml", 5, 1, "KG002"),
        ("stacks.toml", 7, 1, "KG002"),
    ]


def test_passing(make_tree: TreeFactory) -> None:
    assert hits(make_tree({"stacks.toml": '[[stack]]\nname = "a"\n'}), RULE) == []


def test_disabled(make_tree: TreeFactory) -> None:
    assert hits(make_tree(CONFLICT), RULE, disabled=["merge-conflict"]) == []
