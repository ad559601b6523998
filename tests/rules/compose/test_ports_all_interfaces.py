from komodo_guard.rules.compose.ports_all_interfaces import RULE
from tests.conftest import TreeFactory
from tests.rules.lintkit import hits

COMPOSE = (
    "services:\n"
    "  web:\n"
    "    image: x:1\n"
    "    ports:\n"
    '      - "8080:80"\n'
    "      - 9000\n"
    '      - "${PORT:-81}:81/udp"\n'
    "      - target: 82\n        published: 82\n"
    '      - "127.0.0.1:83:83"\n'
    '      - "[::1]:84:84"\n'
    '      - "${BIND_IP}:85:85"\n'
    "      - target: 86\n        host_ip: 127.0.0.1\n"
    '      - "0.0.0.0:87:87"\n'
    "    expose: [88]\n"
    "  hostnet:\n    image: x:1\n    network_mode: host\n    ports: ['89:89']\n"
)


def test_ports_without_host_ip(make_tree: TreeFactory) -> None:
    root = make_tree({"compose.yaml": COMPOSE})
    assert hits(root, RULE) == [
        ("compose.yaml", 5, 9, "KG807"),
        ("compose.yaml", 6, 9, "KG807"),
        ("compose.yaml", 7, 9, "KG807"),
        ("compose.yaml", 8, 9, "KG807"),
    ]


def test_bound_ports_pass(make_tree: TreeFactory) -> None:
    root = make_tree(
        {
            "compose.yaml": "services:\n  web:\n    image: x:1\n"
            "    ports: ['127.0.0.1:80:80']\n"
        }
    )
    assert hits(root, RULE) == []


def test_disabled(make_tree: TreeFactory) -> None:
    root = make_tree({"compose.yaml": COMPOSE})
    assert hits(root, RULE, disabled=[RULE.code]) == []
