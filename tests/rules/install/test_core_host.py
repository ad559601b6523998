import pytest

from komodo_guard.rules.install.core_host import RULE
from komodo_guard.rules.interface import Severity
from tests.conftest import TreeFactory
from tests.rules.lintkit import findings, hits

CORE = "services:\n  core:\n    image: ghcr.io/moghtech/komodo-core:2\n"


def test_example_and_schemeless_hosts(make_tree: TreeFactory) -> None:
    root = make_tree(
        {
            "a/compose.env": "KOMODO_HOST=https://example.komodo.com\n",
            "b/compose.env": "KOMODO_HOST=komodo.home.lan:9120\n",
            "c/compose.yaml": CORE
            + "    environment:\n      KOMODO_HOST: komodo.${DOMAIN}\n",
        }
    )
    found = findings(root, RULE)
    assert [
        (f.location.path, f.location.line, f.location.column, f.severity)
        for f in found
        if f.location
    ] == [
        ("a/compose.env", 1, 1, Severity.WARNING),
        ("b/compose.env", 1, 1, Severity.ERROR),
        ("c/compose.yaml", 5, 7, Severity.ERROR),
    ]
    assert "panics" in found[1].message


def test_schemeless_host_is_a_warning_for_1x(make_tree: TreeFactory) -> None:
    root = make_tree({"compose.env": "KOMODO_HOST=komodo.home.lan\n"})
    assert [f.severity for f in findings(root, RULE, version="1.19")] == [
        Severity.WARNING
    ]


def test_unset_on_a_core_service_uses_the_bundled_example(
    make_tree: TreeFactory,
) -> None:
    root = make_tree({"compose.yaml": CORE})
    assert hits(root, RULE) == [("compose.yaml", 2, 3, "KG905")]


@pytest.mark.parametrize(
    "host", ["https://komodo.home.lan", "http://192.0.2.18:9120", "https://${DOMAIN}"]
)
def test_real_hosts_pass(make_tree: TreeFactory, host: str) -> None:
    root = make_tree(
        {"compose.yaml": CORE + f"    environment:\n      KOMODO_HOST: {host}\n"}
    )
    assert hits(root, RULE) == []


def test_disabled(make_tree: TreeFactory) -> None:
    root = make_tree({"compose.env": "KOMODO_HOST=komodo.home.lan\n"})
    assert hits(root, RULE, disabled=[RULE.code]) == []
