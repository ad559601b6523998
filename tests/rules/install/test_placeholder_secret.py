from komodo_guard.rules.install.placeholder_secret import RULE
from komodo_guard.rules.interface import Severity
from tests.conftest import TreeFactory
from tests.rules.lintkit import findings, hits

COMPOSE = (
    "services:\n"
    "  mongo:\n"
    "    image: mongo:8\n"
    "    environment:\n"
    "      MONGO_INITDB_ROOT_USERNAME: ${KOMODO_DATABASE_USERNAME}\n"
    "      MONGO_INITDB_ROOT_PASSWORD: ${KOMODO_DATABASE_PASSWORD}\n"
    "  core:\n"
    "    image: ghcr.io/moghtech/komodo-core:2\n"
    "    env_file: ./compose.env\n"
)
SHIPPED = (
    "KOMODO_DATABASE_USERNAME=admin\n"
    "KOMODO_DATABASE_PASSWORD=admin\n"
    "KOMODO_INIT_ADMIN_PASSWORD=changeme\n"
    "KOMODO_WEBHOOK_SECRET=a_random_secret\n"
    "KOMODO_JWT_SECRET=a_random_jwt_secret\n"
)
CHANGED = (
    "KOMODO_DATABASE_USERNAME=komodo\n"
    "KOMODO_DATABASE_PASSWORD=Vb83kq0Tz\n"
    "KOMODO_INIT_ADMIN_PASSWORD=Zq81mmT0x\n"
    "KOMODO_WEBHOOK_SECRET_FILE=/run/secrets/webhook\n"
    "KOMODO_JWT_SECRET=4c9f0d2a7e\n"
)


def test_shipped_placeholders_are_errors_where_written(make_tree: TreeFactory) -> None:
    root = make_tree(
        {"komodo/compose.env": SHIPPED, "komodo/mongo.compose.yaml": COMPOSE}
    )
    assert hits(root, RULE) == [
        ("komodo/compose.env", 2, 1, "KG901"),
        ("komodo/compose.env", 3, 1, "KG901"),
        ("komodo/compose.env", 4, 1, "KG901"),
        ("komodo/compose.env", 5, 1, "KG901"),
    ]
    found = findings(root, RULE)
    assert {f.severity for f in found} == {Severity.ERROR}
    assert "shipped placeholder for the database password" in found[0].message


def test_placeholder_in_core_config_file(make_tree: TreeFactory) -> None:
    root = make_tree(
        {
            "core.config.toml": 'host = "https://k.lan"\n'
            'webhook_secret = "a_random_webhook_secret"\n'
        }
    )
    assert hits(root, RULE) == [("core.config.toml", 2, 1, "KG901")]


def test_unset_and_empty_secrets_of_a_core_service(make_tree: TreeFactory) -> None:
    root = make_tree(
        {
            "compose.yaml": "services:\n"
            "  core:\n"
            "    image: ghcr.io/moghtech/komodo-core:2\n"
            "    environment:\n"
            "      KOMODO_JWT_SECRET: ''\n"
        }
    )
    found = findings(root, RULE)
    assert [(f.location.line, f.severity) for f in found if f.location] == [
        (2, Severity.WARNING),
        (5, Severity.INFO),
    ]
    assert "sets no webhook secret" in found[0].message


def test_changed_secrets_pass(make_tree: TreeFactory) -> None:
    root = make_tree(
        {"komodo/compose.env": CHANGED, "komodo/mongo.compose.yaml": COMPOSE}
    )
    assert hits(root, RULE) == []


def test_disabled(make_tree: TreeFactory) -> None:
    root = make_tree(
        {"komodo/compose.env": SHIPPED, "komodo/mongo.compose.yaml": COMPOSE}
    )
    assert hits(root, RULE, disabled=[RULE.code]) == []
