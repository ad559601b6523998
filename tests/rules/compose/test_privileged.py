from komodo_guard.rules.compose.privileged import RULE
from komodo_guard.rules.interface import Severity
from tests.conftest import TreeFactory
from tests.rules.lintkit import findings

COMPOSE = (
    "services:\n"
    "  agent:\n"
    "    image: x:1\n"
    "    privileged: true\n"
    "    network_mode: host\n"
    "    pid: host\n"
    "    ipc: host\n"
    "    cap_add: [NET_ADMIN, CAP_SYS_ADMIN, CHOWN]\n"
    "    security_opt: [apparmor:unconfined]\n"
)


def test_each_privilege_with_its_severity(make_tree: TreeFactory) -> None:
    root = make_tree({"compose.yaml": COMPOSE})
    found = [
        (f.location.line, f.location.column, f.severity, f.code)
        for f in findings(root, RULE)
        if f.location
    ]
    assert found == [
        (4, 5, Severity.WARNING, "KG805"),
        (5, 5, Severity.INFO, "KG805"),
        (6, 5, Severity.WARNING, "KG805"),
        (7, 5, Severity.INFO, "KG805"),
        (8, 15, Severity.INFO, "KG805"),
        (8, 26, Severity.WARNING, "KG805"),
        (9, 5, Severity.INFO, "KG805"),
    ]


def test_hardened_service_passes(make_tree: TreeFactory) -> None:
    root = make_tree(
        {
            "compose.yaml": "services:\n  agent:\n    image: x:1\n"
            "    privileged: false\n    cap_add: [NET_BIND_SERVICE]\n"
            '    security_opt: ["no-new-privileges:true"]\n'
        }
    )
    assert findings(root, RULE) == []


def test_disabled(make_tree: TreeFactory) -> None:
    root = make_tree({"compose.yaml": COMPOSE})
    assert findings(root, RULE, disabled=[RULE.code]) == []
