from komodo_guard.rules.compose.invalid_yaml import RULE
from tests.conftest import TreeFactory
from tests.rules.lintkit import hits


def test_syntax_error_and_duplicate_key(make_tree: TreeFactory) -> None:
    root = make_tree(
        {
            "a/compose.yaml": "services:\n  web:\n    ports: [80\n",
            "b/compose.yaml": "services:\n  web:\n    image: a\n    image: b\n",
        }
    )
    assert hits(root, RULE) == [
        ("a/compose.yaml", 4, 1, "KG801"),
        ("b/compose.yaml", 4, 5, "KG801"),
    ]


def test_valid_file_passes(make_tree: TreeFactory) -> None:
    root = make_tree({"compose.yaml": "services:\n  web:\n    image: nginx:1.27\n"})
    assert hits(root, RULE) == []


def test_disabled(make_tree: TreeFactory) -> None:
    root = make_tree({"compose.yaml": "services: [\n"})
    assert hits(root, RULE, disabled=[RULE.code]) == []
