from komodo_guard.rules.install.v1_passkey import RULE
from tests.conftest import TreeFactory
from tests.rules.lintkit import hits

STACK = (
    "[[stack]]\n"
    'name = "komodo"\n'
    "[stack.config]\n"
    'server = "local"\n'
    'environment = """\n'
    "KOMODO_DB_PASSWORD=[[KOMODO_DB_PASSWORD]]\n"
    "KOMODO_PASSKEY=[[KOMODO_PASSKEY]]\n"
    '"""\n'
)


def test_passkey_in_a_stack_environment_for_2x(make_tree: TreeFactory) -> None:
    root = make_tree({"komodo/resources.toml": STACK})
    assert hits(root, RULE) == [("komodo/resources.toml", 7, 1, "KG910")]


def test_passkey_in_compose_env(make_tree: TreeFactory) -> None:
    root = make_tree({"compose.env": "KOMODO_PASSKEY=Vb83kq0Tz\n"})
    assert hits(root, RULE) == [("compose.env", 1, 1, "KG910")]


def test_1x_passes(make_tree: TreeFactory) -> None:
    root = make_tree({"komodo/resources.toml": STACK})
    assert hits(root, RULE, version="1.19") == []


def test_disabled(make_tree: TreeFactory) -> None:
    root = make_tree({"komodo/resources.toml": STACK})
    assert hits(root, RULE, disabled=[RULE.code]) == []
