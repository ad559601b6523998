from komodo_guard.rules.compose.healthcheck_missing import RULE
from tests.conftest import TreeFactory
from tests.rules.lintkit import findings, hits

COMPOSE = (
    "services:\n"
    "  app:\n"
    "    image: app:1\n"
    "    depends_on:\n"
    "      db: {condition: service_healthy}\n"
    "      cache: {condition: service_healthy}\n"
    "      queue: {condition: service_started}\n"
    "      elsewhere: {condition: service_healthy}\n"
    "  db:\n"
    "    image: postgres:16\n"
    "  cache:\n"
    "    image: redis:7\n"
    "    healthcheck: {disable: true}\n"
    "  queue:\n"
    "    image: rabbitmq:4\n"
)


def test_awaited_services_without_healthcheck(make_tree: TreeFactory) -> None:
    root = make_tree({"compose.yaml": COMPOSE})
    assert hits(root, RULE) == [
        ("compose.yaml", 9, 3, "KG809"),
        ("compose.yaml", 11, 3, "KG809"),
    ]
    messages = [f.message for f in findings(root, RULE)]
    assert "defines no healthcheck, but `app` waits" in messages[0]
    assert "disables its healthcheck" in messages[1]


def test_healthcheck_present_passes(make_tree: TreeFactory) -> None:
    root = make_tree(
        {
            "compose.yaml": "services:\n  app:\n    image: a:1\n    depends_on:\n"
            "      db: {condition: service_healthy}\n  db:\n    image: p:16\n"
            "    healthcheck:\n      test: [CMD, pg_isready]\n"
        }
    )
    assert hits(root, RULE) == []


def test_disabled(make_tree: TreeFactory) -> None:
    root = make_tree({"compose.yaml": COMPOSE})
    assert hits(root, RULE, disabled=[RULE.code]) == []
