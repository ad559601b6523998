from komodo_guard.rules.files.empty_file import RULE
from tests.conftest import TreeFactory
from tests.rules.lintkit import hits

EMPTY = {"komodo/empty.toml": "# nothing here any more\n\n"}


def test_failing(make_tree: TreeFactory) -> None:
    assert hits(make_tree(EMPTY), RULE) == [("komodo/empty.toml", 1, 1, "KG003")]


def test_passing(make_tree: TreeFactory) -> None:
    root = make_tree({"komodo/s.toml": '[[server]]\nname = "a"\n'})
    assert hits(root, RULE) == []


def test_disabled(make_tree: TreeFactory) -> None:
    assert hits(make_tree(EMPTY), RULE, disabled=["KG003"]) == []
