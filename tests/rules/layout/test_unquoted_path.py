from komodo_guard.rules.layout.unquoted_path import RULE
from tests.conftest import TreeFactory
from tests.rules.lintkit import findings, hits

STACK = '[[stack]]\nname = "app"\n[stack.config]\n'


def test_failing(make_tree: TreeFactory) -> None:
    root = make_tree(
        {
            "s.toml": STACK + 'file_paths = ["ok.yaml", "my app/compose.yaml"]\n'
            'additional_env_files = ["a;b.env"]\nenv_file_path = "$HOME/.env"\n'
        }
    )
    assert hits(root, RULE) == [
        ("s.toml", 4, 26, "KG405"),
        ("s.toml", 5, 25, "KG405"),
        ("s.toml", 6, 17, "KG405"),
    ]


def test_passing(make_tree: TreeFactory) -> None:
    root = make_tree(
        {
            "s.toml": STACK + 'file_paths = "compose.yaml, stacks/web/override.yml"\n'
            'additional_env_files = [{ path = "not tracked.env", track = false }]\n'
        }
    )
    assert hits(root, RULE) == []


def test_disabled(make_tree: TreeFactory) -> None:
    root = make_tree({"s.toml": STACK + 'file_paths = ["a b.yaml"]\n'})
    assert hits(root, RULE, disabled=["unquoted-path"]) == []


def test_message_names_the_entry(make_tree: TreeFactory) -> None:
    root = make_tree({"s.toml": STACK + 'file_paths = ["a b.yaml"]\n'})
    (finding,) = findings(root, RULE)
    assert "`a b.yaml`" in finding.message
