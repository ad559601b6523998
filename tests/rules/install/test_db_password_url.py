from komodo_guard.rules.install.db_password_url import RULE
from tests.conftest import TreeFactory
from tests.rules.lintkit import findings, hits

FERRET = (
    "services:\n"
    "  postgres:\n"
    "    image: ghcr.io/ferretdb/postgres-documentdb\n"
    "    environment:\n"
    "      POSTGRES_USER: ${KOMODO_DATABASE_USERNAME}\n"
    "      POSTGRES_PASSWORD: ${KOMODO_DATABASE_PASSWORD}\n"
    "  ferretdb:\n"
    "    image: ghcr.io/ferretdb/ferretdb\n"
    "    environment:\n"
    "      FERRETDB_POSTGRESQL_URL: postgres://${KOMODO_DATABASE_USERNAME}:"
    "${KOMODO_DATABASE_PASSWORD}@postgres:5432/postgres\n"
    "  core:\n"
    "    image: ghcr.io/moghtech/komodo-core:2\n"
    "    env_file: ./compose.env\n"
)


def test_reserved_characters_reported_once_where_written(
    make_tree: TreeFactory,
) -> None:
    root = make_tree(
        {
            "ferretdb.compose.yaml": FERRET,
            "compose.env": "KOMODO_DATABASE_USERNAME=komodo\n"
            "KOMODO_DATABASE_PASSWORD=Vb8#3kq@0Tz\n",
        }
    )
    assert hits(root, RULE) == [("compose.env", 2, 1, "KG908")]
    message = findings(root, RULE)[0].message
    assert "Vb8" not in message
    assert "one or more of @ : / ? # [ ] %" in message


def test_url_safe_password_and_uri_pass(make_tree: TreeFactory) -> None:
    root = make_tree(
        {
            "a/compose.env": "KOMODO_DATABASE_PASSWORD=Vb83kq0Tz\n",
            "b/compose.env": "KOMODO_DATABASE_URI=mongodb://u:p%40@db\n"
            "KOMODO_DATABASE_PASSWORD=p@ss\n",
        }
    )
    assert hits(root, RULE) == []


def test_disabled(make_tree: TreeFactory) -> None:
    root = make_tree({"compose.env": "KOMODO_DB_PASSWORD=a/b\n"})
    assert hits(root, RULE) == [("compose.env", 1, 1, "KG908")]
    assert hits(root, RULE, disabled=[RULE.code]) == []
