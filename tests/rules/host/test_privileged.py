from __future__ import annotations

from komodo_guard.rules.host.privileged import RULE
from tests.rules.host.hostkit import container, host, run


def test_failing() -> None:
    found = run(RULE, host(containers=[container("ha", privileged=True)]))

    assert [(f.code, f.severity.label) for f in found] == [("KG1213", "warning")]
    assert found[0].message == (
        "container `ha` (nginx:1.27) runs privileged: it has every device and "
        "capability of the host"
    )


def test_passing() -> None:
    assert run(RULE, host(containers=[container("ha")])) == []


def test_disabled() -> None:
    state = host(containers=[container("ha", privileged=True)])

    assert run(RULE, state, disabled=[RULE.code]) == []
