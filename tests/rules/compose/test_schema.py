from komodo_guard.rules.compose.schema import RULE
from tests.conftest import TreeFactory
from tests.rules.lintkit import findings, hits

BAD = "services:\n  web:\n    image: nginx\n    restrat: always\n    cpus: ${CPUS}\n"


def test_unknown_key_with_did_you_mean(make_tree: TreeFactory) -> None:
    root = make_tree({"compose.yaml": BAD})
    assert hits(root, RULE) == [("compose.yaml", 4, 5, "KG802")]
    (finding,) = findings(root, RULE)
    assert finding.message == "unknown key `restrat` in service `web`"
    assert finding.hint == "did you mean `restart`?"


def test_wrong_value_points_at_the_value(make_tree: TreeFactory) -> None:
    root = make_tree(
        {
            "compose.yaml": "services:\n  web:\n    image: x\n    depends_on:\n"
            "      db:\n        condition: started\n  db:\n    image: y\n"
        }
    )
    assert hits(root, RULE) == [("compose.yaml", 6, 20, "KG802")]


def test_valid_file_passes(make_tree: TreeFactory) -> None:
    root = make_tree(
        {"compose.yaml": "services:\n  web:\n    image: x\n    restart: always\n"}
    )
    assert hits(root, RULE) == []


def test_disabled(make_tree: TreeFactory) -> None:
    root = make_tree({"compose.yaml": BAD})
    assert hits(root, RULE, disabled=[RULE.code]) == []
