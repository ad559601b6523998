from komodo_guard.rules.install.periphery_env_file import RULE
from tests.conftest import TreeFactory
from tests.rules.lintkit import findings, hits

COMPOSE = (
    "services:\n"
    "  core:\n"
    "    image: ghcr.io/moghtech/komodo-core:2\n"
    "    env_file: ./compose.env\n"
    "  periphery:\n"
    "    image: ghcr.io/moghtech/komodo-periphery:2\n"
    "    env_file:\n"
    "      - ./periphery.env\n"
    "      - ./compose.env\n"
)
ENV = (
    "KOMODO_DATABASE_PASSWORD=Vb83kq0Tz\n"
    "KOMODO_JWT_SECRET=4c9f0d2a7e\n"
    "KOMODO_WEBHOOK_SECRET=\n"
    "PERIPHERY_ROOT_DIRECTORY=/etc/komodo\n"
)


def test_periphery_with_compose_env_names_the_secrets(make_tree: TreeFactory) -> None:
    root = make_tree(
        {
            "compose.yaml": COMPOSE,
            "compose.env": ENV,
            "periphery.env": "PERIPHERY_ROOT_DIRECTORY=/etc/komodo\n",
        }
    )
    assert hits(root, RULE) == [("compose.yaml", 9, 9, "KG903")]
    message = findings(root, RULE)[0].message
    assert "`KOMODO_DATABASE_PASSWORD`, `KOMODO_JWT_SECRET`" in message
    assert "KOMODO_WEBHOOK_SECRET" not in message  # empty: nothing to leak
    assert "Vb83kq0Tz" not in message


def test_compose_env_outside_the_tree_is_reported_by_name(
    make_tree: TreeFactory,
) -> None:
    root = make_tree(
        {
            "compose.yaml": "services:\n  periphery:\n"
            "    image: ghcr.io/moghtech/komodo-periphery:2\n"
            "    env_file: ../compose.env\n"
        }
    )
    assert hits(root, RULE) == [("compose.yaml", 4, 15, "KG903")]


def test_own_env_file_passes(make_tree: TreeFactory) -> None:
    root = make_tree(
        {
            "compose.yaml": COMPOSE.replace("      - ./compose.env\n", ""),
            "compose.env": ENV,
            "periphery.env": "PERIPHERY_ROOT_DIRECTORY=/etc/komodo\n",
        }
    )
    assert hits(root, RULE) == []


def test_disabled(make_tree: TreeFactory) -> None:
    root = make_tree({"compose.yaml": COMPOSE, "compose.env": ENV})
    assert hits(root, RULE, disabled=[RULE.code]) == []
