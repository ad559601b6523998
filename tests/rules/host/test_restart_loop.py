from __future__ import annotations

from komodo_guard.rules.host.restart_loop import RULE
from komodo_guard.rules.interface import RuleOptions
from tests.rules.host.hostkit import container, host, run


def test_failing_restarting_now_is_an_error() -> None:
    found = run(
        RULE, host(containers=[container("db", restarting=True, restart_count=2)])
    )

    assert [(f.code, f.severity.label) for f in found] == [("KG1214", "error")]
    assert found[0].message == (
        "container `db` (nginx:1.27) is restarting now: Docker has restarted it 2 times"
    )


def test_failing_count_at_the_limit_is_a_warning() -> None:
    found = run(RULE, host(containers=[container("db", restart_count=5)]))

    assert [f.severity.label for f in found] == ["warning"]


def test_passing_below_the_limit() -> None:
    assert run(RULE, host(containers=[container("db", restart_count=4)])) == []


def test_limit_option() -> None:
    state = host(containers=[container("db", restart_count=4)])
    options = RuleOptions(extra={"host_restart_limit": 3})

    assert len(run(RULE, state, options=options)) == 1


def test_disabled() -> None:
    state = host(containers=[container("db", restarting=True)])

    assert run(RULE, state, disabled=[RULE.code]) == []
