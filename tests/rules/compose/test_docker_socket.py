from komodo_guard.rules.compose.docker_socket import RULE
from komodo_guard.rules.interface import Severity
from tests.conftest import TreeFactory
from tests.rules.lintkit import findings, hits

COMPOSE = (
    "services:\n"
    "  dashboard:\n"
    "    image: ghcr.io/example/dashboard:2\n"
    "    volumes:\n"
    "      - /var/run/docker.sock:/var/run/docker.sock\n"
    "  reader:\n"
    "    image: ghcr.io/example/reader:2\n"
    "    volumes:\n"
    "      - type: bind\n"
    "        source: /run/docker.sock\n"
    "        target: /var/run/docker.sock\n"
    "        read_only: true\n"
)


def test_socket_mounts_are_reported_read_only_as_warning(
    make_tree: TreeFactory,
) -> None:
    root = make_tree({"compose.yaml": COMPOSE})
    assert hits(root, RULE) == [
        ("compose.yaml", 5, 9, "KG804"),
        ("compose.yaml", 9, 9, "KG804"),
    ]
    severities = [f.severity for f in findings(root, RULE)]
    assert severities == [Severity.ERROR, Severity.WARNING]


def test_periphery_and_socket_proxies_pass(make_tree: TreeFactory) -> None:
    root = make_tree(
        {
            "compose.yaml": "services:\n"
            "  periphery:\n"
            "    image: ghcr.io/moghtech/komodo-periphery:2\n"
            "    volumes: [/var/run/docker.sock:/var/run/docker.sock]\n"
            "  proxy:\n"
            "    image: ghcr.io/tecnativa/docker-socket-proxy:v0.5.0@sha256:abc\n"
            "    volumes: [/var/run/docker.sock:/var/run/docker.sock:ro]\n"
            "  lsio:\n"
            "    image: lscr.io/linuxserver/socket-proxy:latest\n"
            "    volumes: [/var/run/docker.sock:/var/run/docker.sock:ro]\n"
            "  app:\n"
            "    image: nginx:1.27\n"
            "    volumes: [./html:/usr/share/nginx/html, data:/data]\n"
        }
    )
    assert hits(root, RULE) == []


def test_disabled(make_tree: TreeFactory) -> None:
    root = make_tree({"compose.yaml": COMPOSE})
    assert hits(root, RULE, disabled=[RULE.code]) == []
