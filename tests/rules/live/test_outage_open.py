"""outage-open: outages of the history still open."""

from __future__ import annotations

from datetime import timedelta

from komodo_guard.history.model import IncidentKind
from komodo_guard.komodo.updates import Update
from komodo_guard.rules.interface import LiveFacts
from komodo_guard.rules.live.common import moment
from komodo_guard.rules.live.outage_open import RULE
from tests.rules.live.livekit import (
    history,
    ms,
    outage,
    run,
    snapshot,
    target,
    update,
)

DAY = timedelta(days=1)
MEALIE = target("stack", "mealie")


def failed(days: float) -> Update:
    return update("DeployStack", MEALIE, days * DAY, success=False)


def test_open_outage_names_cause_and_duration() -> None:
    still = outage(IncidentKind.GIT_PULL_BLOCKED, [failed(5), failed(3), failed(1)])
    ended = outage(
        IncidentKind.COMPOSE, [failed(20)], update("DeployStack", MEALIE, 19 * DAY)
    )
    (finding,) = run(RULE, LiveFacts(snapshot(), history=history(still, ended)))
    assert finding.message == (
        "stack 'mealie' has failed to deploy for 5 days: git pull blocked by "
        "untracked files (3 failed runs, last 1 day ago)"
    )
    assert finding.since == moment(ms(5 * DAY))
    assert finding.hint.endswith(f"komodo-guard postmortem {still.ident}")


def test_passing_disabled_and_without_history() -> None:
    still = outage(IncidentKind.DATABASE_AUTH, [failed(2)])
    facts = LiveFacts(snapshot(), history=history(still))
    assert len(run(RULE, facts)) == 1
    assert run(RULE, facts, disabled=[RULE.code]) == []
    assert run(RULE, snapshot()) == []
    fixed = outage(
        IncidentKind.DATABASE_AUTH, [failed(2)], update("DeployStack", MEALIE, DAY)
    )
    assert run(RULE, LiveFacts(snapshot(), history=history(fixed))) == []


def test_an_outage_whose_logs_were_not_read_has_no_invented_cause() -> None:
    from komodo_guard.history.model import Failure, Outage

    failures = tuple(
        Failure(upd, IncidentKind.OTHER, inferred=True, unread=True)
        for upd in (failed(4), failed(2))
    )
    blind = Outage(IncidentKind.OTHER, MEALIE, failures, None)
    (finding,) = run(RULE, LiveFacts(snapshot(), history=history(blind)))
    assert "cause unknown: Core's log of these failures was not read" in (
        finding.message
    )
    assert "unclassified" not in finding.message
