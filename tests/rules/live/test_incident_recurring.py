"""incident-recurring: the same incident fixed and back again."""

from __future__ import annotations

from datetime import timedelta

from komodo_guard.history.model import IncidentKind, Outage
from komodo_guard.rules.interface import LiveFacts, RuleOptions
from komodo_guard.rules.live.incident_recurring import RULE
from tests.rules.live.livekit import history, outage, run, snapshot, target, update

DAY = timedelta(days=1)
MEALIE = target("stack", "mealie")
KIND = IncidentKind.GIT_PULL_BLOCKED


def episode(start: float, length: float, fixed: bool = True) -> Outage:
    fails = [
        update("DeployStack", MEALIE, (start - n) * DAY, success=False)
        for n in range(int(length))
    ]
    recovery = update("DeployStack", MEALIE, (start - length) * DAY) if fixed else None
    return outage(KIND, fails, recovery)


def test_came_back_twice() -> None:
    outages = [episode(20, 2), episode(12, 4), episode(5, 3, fixed=False)]
    (finding,) = run(RULE, LiveFacts(snapshot(), history=history(*outages)))
    assert finding.message == (
        "stack 'mealie': git pull blocked by untracked files came back 2 times "
        "after being fixed (3 outages, 9 failed runs; the longest lasted 5 days)"
    )


def test_once_is_not_a_pattern_unless_configured() -> None:
    facts = LiveFacts(snapshot(), history=history(episode(20, 2), episode(5, 1)))
    assert run(RULE, facts) == []
    assert len(run(RULE, facts, options=RuleOptions(extra={"recurrences": 1}))) == 1


def test_disabled_and_without_history() -> None:
    outages = [episode(20, 2), episode(12, 4), episode(5, 3)]
    facts = LiveFacts(snapshot(), history=history(*outages))
    assert run(RULE, facts, disabled=[RULE.code]) == []
    assert run(RULE, snapshot()) == []
