import pytest

from komodo_guard.komodo.versions import KomodoVersion
from komodo_guard.rules.install.poll_interval import RULE, accepted
from komodo_guard.rules.interface import Severity
from tests.conftest import TreeFactory
from tests.rules.lintkit import findings, hits

CORE = "services:\n  core:\n    image: ghcr.io/moghtech/komodo-core:2\n"


def test_invalid_values_are_errors(make_tree: TreeFactory) -> None:
    root = make_tree(
        {
            "compose.env": 'KOMODO_RESOURCE_POLL_INTERVAL="5m"\n',
            "core.config.toml": 'host = "https://k.lan"\n'
            'resource_poll_interval = "5 min"\n',
        }
    )
    assert hits(root, RULE) == [
        ("compose.env", 1, 1, "KG904"),
        ("core.config.toml", 2, 1, "KG904"),
    ]
    assert {f.severity for f in findings(root, RULE)} == {Severity.ERROR}


def test_unset_on_a_core_service_is_info(make_tree: TreeFactory) -> None:
    root = make_tree({"compose.yaml": CORE})
    found = findings(root, RULE)
    assert [(f.location.line, f.severity) for f in found if f.location] == [
        (2, Severity.INFO)
    ]
    assert "up to an hour" in found[0].message


@pytest.mark.parametrize(("value", "version"), [("3-min", "2.3.1"), ("5-min", "1.19")])
def test_accepted_values_pass(make_tree: TreeFactory, value: str, version: str) -> None:
    root = make_tree(
        {
            "compose.yaml": CORE
            + f"    environment:\n      KOMODO_RESOURCE_POLL_INTERVAL: {value}\n"
        }
    )
    assert hits(root, RULE, version=version) == []


def test_values_added_in_2_3_1_fail_in_2_2(make_tree: TreeFactory) -> None:
    root = make_tree({"compose.env": "KOMODO_RESOURCE_POLL_INTERVAL=3-min\n"})
    assert hits(root, RULE, version="2.2") == [("compose.env", 1, 1, "KG904")]
    assert "3-min" in accepted(KomodoVersion(2, 3, 1))


def test_disabled(make_tree: TreeFactory) -> None:
    root = make_tree({"compose.yaml": CORE})
    assert hits(root, RULE, disabled=[RULE.code]) == []
