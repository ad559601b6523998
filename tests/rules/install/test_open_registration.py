from komodo_guard.rules.install.open_registration import RULE
from komodo_guard.rules.interface import Severity
from tests.conftest import TreeFactory
from tests.rules.lintkit import findings, hits


def test_open_registration_and_auto_enabled_users(make_tree: TreeFactory) -> None:
    root = make_tree(
        {
            "a/compose.env": "KOMODO_LOCAL_AUTH=true\n"
            "KOMODO_DISABLE_USER_REGISTRATION=false\n",
            "b/compose.env": "KOMODO_ENABLE_NEW_USERS=true\nKOMODO_LOCAL_AUTH=true\n",
        }
    )
    found = findings(root, RULE)
    assert [
        (f.location.path, f.location.line, f.severity) for f in found if f.location
    ] == [
        ("a/compose.env", 1, Severity.WARNING),
        ("b/compose.env", 2, Severity.ERROR),
    ]


def test_local_switch_wins_from_2_2(make_tree: TreeFactory) -> None:
    root = make_tree(
        {
            "compose.env": "KOMODO_LOCAL_AUTH=true\n"
            "KOMODO_DISABLE_USER_REGISTRATION=true\n"
            "KOMODO_DISABLE_LOCAL_USER_REGISTRATION=false\n"
        }
    )
    assert hits(root, RULE) == [("compose.env", 1, 1, "KG906")]
    assert hits(root, RULE, version="2.1") == []


def test_closed_or_unknown_registration_passes(make_tree: TreeFactory) -> None:
    root = make_tree(
        {
            "a/compose.env": "KOMODO_LOCAL_AUTH=true\n"
            "KOMODO_DISABLE_USER_REGISTRATION=true\n",
            "b/compose.env": "KOMODO_LOCAL_AUTH=false\n",
            "c/compose.env": "KOMODO_LOCAL_AUTH=true\n"
            "KOMODO_DISABLE_USER_REGISTRATION=${CLOSED}\n",
        }
    )
    assert hits(root, RULE) == []


def test_disabled(make_tree: TreeFactory) -> None:
    root = make_tree({"compose.env": "KOMODO_LOCAL_AUTH=true\n"})
    assert hits(root, RULE, disabled=[RULE.code]) == []
