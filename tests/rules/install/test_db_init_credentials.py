from komodo_guard.rules.install.db_init_credentials import RULE
from komodo_guard.rules.interface import Severity
from tests.conftest import TreeFactory
from tests.rules.lintkit import findings, hits

MONGO = (
    "services:\n"
    "  mongo:\n"
    "    image: mongo:8\n"
    "    environment:\n"
    "      MONGO_INITDB_ROOT_USERNAME: ${KOMODO_DATABASE_USERNAME}\n"
    "      MONGO_INITDB_ROOT_PASSWORD: {password}\n"
    "  core:\n"
    "    image: ghcr.io/moghtech/komodo-core:2\n"
    "    env_file: ./compose.env\n"
)
ENV = "KOMODO_DATABASE_USERNAME=komodo\nKOMODO_DATABASE_PASSWORD=Vb83kq0Tz\n"


def test_different_passwords_are_an_error(make_tree: TreeFactory) -> None:
    root = make_tree(
        {
            "mongo.compose.yaml": MONGO.replace("{password}", "${OLD_PASSWORD}"),
            "compose.env": ENV + "OLD_PASSWORD=Qw71zzP2r\n",
        }
    )
    found = findings(root, RULE)
    assert hits(root, RULE) == [("mongo.compose.yaml", 6, 7, "KG909")]
    assert found[0].severity is Severity.ERROR
    assert "different database passwords" in found[0].message
    assert "Vb83" not in found[0].message
    assert "Qw71" not in found[0].message


def test_same_source_gets_the_reminder_only(make_tree: TreeFactory) -> None:
    root = make_tree(
        {
            "mongo.compose.yaml": MONGO.replace(
                "{password}", "${KOMODO_DATABASE_PASSWORD}"
            ),
            "compose.env": ENV,
        }
    )
    found = findings(root, RULE)
    assert hits(root, RULE) == [("mongo.compose.yaml", 6, 7, "KG909")]
    assert found[0].severity is Severity.INFO
    assert "first start" in found[0].message


def test_unknown_values_are_not_compared(make_tree: TreeFactory) -> None:
    root = make_tree(
        {"mongo.compose.yaml": MONGO.replace("{password}", "${FROM_THE_HOST}")}
    )
    assert [f.severity for f in findings(root, RULE)] == [Severity.INFO]


def test_no_database_passes(make_tree: TreeFactory) -> None:
    root = make_tree({"compose.env": ENV})
    assert hits(root, RULE) == []


def test_disabled(make_tree: TreeFactory) -> None:
    root = make_tree(
        {
            "mongo.compose.yaml": MONGO.replace("{password}", "other"),
            "compose.env": ENV,
        }
    )
    assert hits(root, RULE, disabled=[RULE.code]) == []
