"""A realistic month of Core's update log, read as a history."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from komodo_guard.history.build import history_of
from komodo_guard.history.model import AmbiguousNameError, History, IncidentKind
from komodo_guard.komodo.updates import Log, Target, Update
from tests.history.logs import CASES, PRECEDENCE_CASES, SECRETS

SINCE = datetime(2026, 11, 1, tzinfo=UTC)
UNTIL = datetime(2026, 12, 1, tzinfo=UTC)

MEALIE = Target("Stack", "66a1f0c2e4b5a6c7d8e9f101", "mealie")
PAPERLESS = Target("Stack", "66a1f0c2e4b5a6c7d8e9f102", "paperless")
IMMICH = Target("Stack", "66a1f0c2e4b5a6c7d8e9f103", "immich")
JELLYFIN = Target("Stack", "66a1f0c2e4b5a6c7d8e9f104", "jellyfin")
UNIFI = Target("Deployment", "66a1f0c2e4b5a6c7d8e9f105", "unifi")
HOMELAB = Target("ResourceSync", "66a1f0c2e4b5a6c7d8e9f106", "homelab")


def ms(day: int, hour: int = 0, minute: int = 0) -> int:
    return int(datetime(2026, 11, day, hour, minute, tzinfo=UTC).timestamp() * 1000)


def ok(target: Target, operation: str, at: int) -> Update:
    return Update(f"ok-{target.name}-{at}", operation, at, True, "Complete",
                  "admin", "66a0000000000000000000aa", target)  # fmt: skip


def failed(target: Target, case: str | None, at: int, operation: str = "") -> Update:
    """A failure at ``at`` with the logs of golden ``case`` (None: no logs read)."""
    if case is None:
        base = Update("", operation, 0, False, "Complete", "", "", target)
    else:
        base = {**CASES, **PRECEDENCE_CASES}[case].update
    return replace(
        base,
        id=f"fail-{target.name}-{at}",
        operation=operation or base.operation,
        start_ts=at,
        target=target,
        username="Resource Sync",
        operator="000000000000000000000005",
    )


BLOCKED = "git-pull-blocked/untracked"


def month() -> list[Update]:
    return [
        # mealie: blocked 5 days (3rd-8th), fixed, blocked again from the 20th.
        ok(MEALIE, "DeployStack", ms(2, 4)),
        failed(MEALIE, BLOCKED, ms(3, 4)),
        failed(MEALIE, None, ms(4, 4), "DeployStack"),
        ok(MEALIE, "StopStack", ms(5, 9)),  # not a deploy: the outage goes on
        failed(MEALIE, None, ms(5, 4), "DeployStack"),
        failed(MEALIE, None, ms(6, 4), "PullStack"),
        failed(MEALIE, BLOCKED, ms(7, 4)),
        ok(MEALIE, "DeployStack", ms(8, 4)),
        failed(MEALIE, BLOCKED, ms(20, 4)),
        failed(MEALIE, None, ms(21, 4), "DeployStack"),
        replace(ok(MEALIE, "DeployStack", ms(25)), status="InProgress", success=False),
        # paperless: the database password changed, fixed two hours later.
        failed(PAPERLESS, "database-auth/postgres-in-post-deploy", ms(10, 10)),
        failed(PAPERLESS, None, ms(10, 10, 30), "DeployStack"),
        ok(PAPERLESS, "DeployStack", ms(10, 12)),
        # immich: unhealthy, then a missing file, then fixed.
        failed(IMMICH, "compose/unhealthy", ms(12, 8)),
        failed(IMMICH, "missing-files/env-file", ms(12, 9)),
        ok(IMMICH, "DeployStack", ms(12, 9, 30)),
        # homelab sync: the first failure's logs were not read; the next one
        # shows the git host unreachable.
        failed(HOMELAB, None, ms(15, 9), "RunSync"),
        failed(HOMELAB, "git token in a sync's repo beats the sync", ms(15, 10)),
        ok(HOMELAB, "RunSync", ms(16, 9)),
        # jellyfin: its server was briefly not connected.
        failed(JELLYFIN, "other/server-not-connected", ms(18, 20)),
        ok(JELLYFIN, "DeployStack", ms(18, 20, 10)),
        # unifi: Mongo refuses the password since the 28th; still failing.
        failed(UNIFI, "database-auth/mongo", ms(28)),
        failed(UNIFI, None, ms(29), "Deploy"),
        # before the window: ignored.
        failed(MEALIE, BLOCKED, ms(1) - 3_600_000),
    ]


def history(updates: list[Update] | None = None) -> History:
    return history_of(
        month() if updates is None else updates,
        since=ms(1),
        until=int(UNTIL.timestamp() * 1000),
    )


def test_series_worst_first() -> None:
    found = [(s.kind, s.target.name, s.occurrences) for s in history().series]
    assert found == [
        (IncidentKind.GIT_PULL_BLOCKED, "mealie", 7),
        (IncidentKind.DATABASE_AUTH, "unifi", 2),
        (IncidentKind.GIT, "homelab", 2),
        (IncidentKind.DATABASE_AUTH, "paperless", 2),
        (IncidentKind.COMPOSE, "immich", 1),
        (IncidentKind.MISSING_FILES, "immich", 1),
        (IncidentKind.OTHER, "jellyfin", 1),
    ]


def test_a_stack_fixed_and_failing_again_recurs_once() -> None:
    mealie = history().series[0]
    until = int(UNTIL.timestamp() * 1000)
    first, second = mealie.outages
    assert mealie.recurrences == 1
    assert (first.started, first.ended) == (ms(3, 4), ms(8, 4))
    assert first.duration(until) == timedelta(days=5)
    assert len(first.failures) == 5
    assert second.open
    assert second.ended is None
    assert second.duration(until) == timedelta(days=10, hours=20)
    assert mealie.longest(until) is second
    assert (mealie.first_seen, mealie.last_seen) == (ms(3, 4), ms(21, 4))
    assert first.ident == "git-pull-blocked-mealie-20261103T0400"


def test_failures_without_logs_take_their_streak_kind() -> None:
    failures = {f.update.id: f for f in history().failures}
    inferred = failures[f"fail-mealie-{ms(4, 4)}"]
    assert (inferred.kind, inferred.inferred, inferred.evidence) == (
        IncidentKind.GIT_PULL_BLOCKED,
        True,
        "",
    )
    # The sync's first failure had no logs; the next one in its streak did.
    sync = failures[f"fail-homelab-{ms(15, 9)}"]
    assert (sync.kind, sync.inferred) == (IncidentKind.GIT, True)
    # unifi's second failure, no logs, follows a classified one.
    assert failures[f"fail-unifi-{ms(29)}"].kind is IncidentKind.DATABASE_AUTH


def test_one_streak_with_two_causes_gives_two_outages_ending_together() -> None:
    immich = [s for s in history().series if s.target.name == "immich"]
    compose, missing = (s.outages[0] for s in immich)
    assert compose.recovery is not None
    assert compose.recovery is missing.recovery
    assert compose.duration(0) == timedelta(hours=1, minutes=30)
    assert missing.duration(0) == timedelta(minutes=30)


def test_counts_window_and_stuck_updates() -> None:
    result = history()
    assert result.updates == len(month()) - 1  # the one before the window
    assert len(result.failures) == 16  # the stuck InProgress update is not one
    assert [f.at for f in result.failures] == sorted(f.at for f in result.failures)
    assert result.complete
    assert (result.since, result.until) == (
        ms(1),
        int(UNTIL.timestamp() * 1000),
    )


def test_examples_and_lookup() -> None:
    result = history()
    assert result.examples(IncidentKind.OTHER) == (
        "Task Error: ERROR: Server 66b1e0c5f1a2b3c4d5e6f708 is not connected",
    )
    outage = result.outage("database-auth-unifi-20261128T0000")
    assert outage is not None
    assert outage.open
    assert outage.duration(result.until) == timedelta(days=3)


def test_order_of_input_does_not_matter() -> None:
    shuffled = month()
    random.Random(4).shuffle(shuffled)
    assert history(shuffled) == history()


def test_no_secret_and_no_log_text_in_the_history() -> None:
    result = history()
    text = repr(result)
    assert all(secret not in text for secret in SECRETS)
    assert all(f.update.logs == () for f in result.failures)


def test_equal_outages_rank_the_more_recurrent_first() -> None:
    steady = Target("Stack", "66a1f0c2e4b5a6c7d8e9f201", "steady")
    flappy = Target("Stack", "66a1f0c2e4b5a6c7d8e9f202", "flappy")
    updates = [
        failed(steady, "compose/yaml", ms(2)),
        ok(steady, "DeployStack", ms(2, 1)),
        failed(flappy, "compose/yaml", ms(3)),
        ok(flappy, "DeployStack", ms(3, 1)),
        failed(flappy, "compose/yaml", ms(4)),
        ok(flappy, "DeployStack", ms(4, 1)),
    ]
    result = history(updates)
    assert [(s.target.name, s.recurrences) for s in result.series] == [
        ("flappy", 1),
        ("steady", 0),
    ]


def test_a_recovery_keeps_no_log_text() -> None:
    leaky = replace(
        ok(PAPERLESS, "DeployStack", ms(3)),
        logs=(Log("Compose Up", f"DB_PASSWORD={SECRETS[1]} up", "", "", True),),
    )
    result = history_of(
        [failed(PAPERLESS, "compose/yaml", ms(2)), leaky],
        since=ms(1),
        until=ms(4),
        complete=False,
    )
    (outage,) = result.outages
    assert outage.recovery == replace(leaky, logs=())
    assert SECRETS[1] not in repr(result)
    assert not result.complete


def large_log() -> list[Update]:
    """A month of deploys of twelve stacks, each failing for four hours every
    other day, with logs read as the snapshot reads them (both ends of a
    streak, newest streaks first, up to a cap): for the newest eight streaks
    only, so four stacks have no log read at all."""
    cases = {0: BLOCKED, 1: "database-auth/mongo", 2: "compose/unhealthy"}
    updates: list[Update] = []
    streaks: list[list[Update]] = []
    for number in range(12):
        stack = Target("Stack", f"66a1f0c2e4b5a6c7d8e9{number:04d}", f"app{number}")
        for day in range(2 + number % 2, 30, 2):
            start = ms(day, number)
            streak = [failed(stack, None, start + h * 3_600_000, "DeployStack")
                      for h in range(4)]  # fmt: skip
            streaks.append(streak)
            updates.extend(streak)
            updates.append(ok(stack, "DeployStack", start + 4 * 3_600_000))
    newest = sorted(streaks, key=lambda s: s[-1].start_ts)[-8:]
    read = {
        u.id: replace(u, logs=CASES[cases[int(u.target.name[3:]) % 3]].update.logs)
        for streak in newest
        for u in (streak[0], streak[-1])
    }
    return [read.get(u.id, u) for u in updates]


def test_a_large_log_read_in_part_infers_from_the_same_target() -> None:
    result = history(large_log())
    assert len(result.failures) == 12 * 14 * 4
    assert result.without_logs == len(result.failures) - 16
    inferred = {f.update.target.name: f for f in result.failures if f.inferred}
    # The newest streak of each of these lends its kind to every older one.
    assert [
        (inferred[name].kind, inferred[name].unread) for name in ("app9", "app8")
    ] == [(IncidentKind.GIT_PULL_BLOCKED, False), (IncidentKind.COMPOSE, False)]
    # app0, 2, 4 and 6 had no log read and nothing of their own tells why.
    unread = {f.update.target.name for f in result.failures if f.unread}
    assert unread == {"app0", "app2", "app4", "app6"}
    assert {
        (f.kind, f.inferred) for f in result.failures if f.update.target.name == "app0"
    } == {(IncidentKind.OTHER, True)}
    assert result.unread == 4 * 14 * 4
    assert result.examples(IncidentKind.OTHER) == ()
    (series,) = [s for s in result.series if s.target.name == "app0"]
    assert all(outage.unread for outage in series.outages)


def test_the_nearest_classified_failure_lends_its_kind_before_or_after() -> None:
    updates = [
        failed(MEALIE, None, ms(2), "DeployStack"),
        ok(MEALIE, "DeployStack", ms(2, 1)),
        failed(MEALIE, "compose/yaml", ms(4)),
        ok(MEALIE, "DeployStack", ms(4, 1)),
        failed(MEALIE, None, ms(9), "PullStack"),
        ok(MEALIE, "DeployStack", ms(9, 1)),
        failed(MEALIE, BLOCKED, ms(12)),
        ok(MEALIE, "DeployStack", ms(12, 1)),
        # Another family of work on the same stack lends nothing.
        failed(MEALIE, None, ms(13), "StopStack"),
        # Nor does another stack.
        failed(PAPERLESS, None, ms(4), "DeployStack"),
    ]
    found = {(f.update.target.name, f.at): f for f in history(updates).failures}
    assert [
        (found[key].kind, found[key].inferred, found[key].unread)
        for key in (("mealie", ms(2)), ("mealie", ms(9)), ("mealie", ms(13)))
    ] == [
        (IncidentKind.COMPOSE, True, False),  # after it, the nearest
        (IncidentKind.GIT_PULL_BLOCKED, True, False),  # 3 days after, not 5 before
        (IncidentKind.OTHER, True, True),
    ]
    assert found[("paperless", ms(4))].unread


def test_a_sole_outage_is_named_by_kind_and_target() -> None:
    result = history()
    names = {o.ident for o in result.outages}
    assert "database-auth-unifi" in names
    assert "git-pull-blocked-mealie-20261120T0400" in names  # mealie had two
    unifi = result.outage("database-auth-unifi")
    assert unifi is not None
    assert unifi.full_ident == "database-auth-unifi-20261128T0000"
    assert result.outage("database-auth-unifi-20261128T0000") is unifi


@pytest.mark.parametrize(
    ("name", "started"),
    [
        ("git-pull-blocked-mealie", ms(20, 4)),  # the newest of the two
        ("GIT-PULL-BLOCKED-MEALIE-20261103", ms(3, 4)),
        ("git-pull-blocked-mealie-20261103T0400", ms(3, 4)),
        ("git-pull-blocked-me", ms(20, 4)),  # a prefix of one target's names
        ("database-auth-p", ms(10, 10)),
        (" missing-files-immich ", ms(12, 9)),
    ],
)
def test_lookup_by_stem_time_prefix_or_prefix(name: str, started: int) -> None:
    found = history().outage(name)
    assert found is not None
    assert found.started == started


def test_lookup_of_nothing_or_of_several_targets() -> None:
    result = history()
    assert result.outage("compose-mealie") is None
    assert result.outage("  ") is None
    with pytest.raises(AmbiguousNameError) as raised:
        result.outage("database-auth")
    assert [o.ident for o in raised.value.candidates] == [
        "database-auth-unifi",
        "database-auth-paperless",
    ]


def test_lookup_prefers_the_target_the_whole_stem_names() -> None:
    other = Target("Stack", "66a1f0c2e4b5a6c7d8e9f1ff", "mealie-db")
    result = history([*month(), failed(other, BLOCKED, ms(22))])
    found = result.outage("git-pull-blocked-mealie")
    assert found is not None
    assert found.target.name == "mealie"
    assert result.outage("git-pull-blocked-mealie-db") is not None


def test_outages_of_two_kinds_in_one_streak_are_one_period() -> None:
    result = history()
    # immich's one streak showed two kinds; every other streak one.
    assert len(result.outages) == 8
    assert result.periods == 7
