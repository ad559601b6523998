"""Building the history of a window: failures, outages, series.

Updates are read oldest first. For each target and family of operations
(:mod:`komodo_guard.history.families`), failed updates accumulate into a
streak that the next successful update of that family ends (its recovery);
a streak still running at the end of the window is an open outage. Each
streak yields one outage per incident kind among its failures. Updates not
finished (``Queued``, ``InProgress``, however long) are counted but are no
failures here: stuck executions are the live rules' business. No log text
reaches the history but each failure's redacted evidence: failures and
recoveries keep their Update without its logs.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import replace
from operator import attrgetter

from komodo_guard.history.classify import classify
from komodo_guard.history.families import family_of
from komodo_guard.history.model import (
    Failure,
    History,
    IncidentKind,
    Outage,
    Series,
)
from komodo_guard.history.patterns import PRECEDENCE
from komodo_guard.komodo.updates import Target, Update

_TargetKey = tuple[str, str]
_Streak = tuple[list[Failure], Update | None]


def _target_key(target: Target) -> _TargetKey:
    return (target.kind, target.id)


def _streaks(updates: Sequence[Update]) -> list[_Streak]:
    """Failure streaks per target and family, each with its recovery."""
    running: dict[tuple[str, str, str], list[Failure]] = {}
    done: list[_Streak] = []
    for update in updates:
        if update.status != "Complete":  # Update.complete, inlined: 100k calls
            continue
        target = update.target
        key = (target.kind, target.id, family_of(update.operation))
        if not update.success:
            running.setdefault(key, []).append(classify(update))
            continue
        streak = running.pop(key, None)
        if streak:
            done.append((streak, replace(update, logs=()) if update.logs else update))
    done.extend((streak, None) for streak in running.values())
    return done


def _fill_inferred(streak: list[Failure]) -> list[Failure]:
    """Failures read without logs take the kind of the nearest earlier failure
    of the streak whose logs were read (the first such one if none is earlier)."""
    known = next((failure for failure in streak if not failure.inferred), None)
    if known is None:
        return streak
    filled: list[Failure] = []
    for failure in streak:
        if not failure.inferred:
            known = failure
        filled.append(
            replace(failure, kind=known.kind) if failure.inferred else failure
        )
    return filled


def _outages(
    streaks: Iterable[_Streak], targets: dict[_TargetKey, Target]
) -> list[Outage]:
    """One outage per incident kind of each streak."""
    outages: list[Outage] = []
    for streak, recovery in streaks:
        by_kind: dict[IncidentKind, list[Failure]] = defaultdict(list)
        for failure in _fill_inferred(streak):
            by_kind[failure.kind].append(failure)
        target = targets[_target_key(streak[0].update.target)]
        outages.extend(
            Outage(kind, target, tuple(failures), recovery)
            for kind, failures in by_kind.items()
        )
    return outages


def _series(outages: Iterable[Outage], until: int) -> tuple[Series, ...]:
    """Outages grouped per kind and target, worst first: open ones, then the
    longest, then the most recurrent."""
    grouped: dict[tuple[IncidentKind, _TargetKey], list[Outage]] = defaultdict(list)
    for outage in outages:
        grouped[(outage.kind, _target_key(outage.target))].append(outage)
    series = [
        Series(kind, found[0].target, tuple(sorted(found, key=lambda o: o.started)))
        for (kind, _), found in grouped.items()
    ]

    def severity(item: Series) -> tuple[bool, float, int, int, int, str]:
        return (
            not any(outage.open for outage in item.outages),
            -item.longest(until).duration(until).total_seconds(),
            -item.recurrences,
            -item.occurrences,
            PRECEDENCE.index(item.kind),
            str(item.target),
        )

    return tuple(sorted(series, key=severity))


def _named_targets(updates: Iterable[Update]) -> dict[_TargetKey, Target]:
    """One ``Target`` per resource, preferring the latest that has a name."""
    targets: dict[_TargetKey, Target] = {}
    for update in updates:
        key = _target_key(update.target)
        if update.target.name or key not in targets:
            targets[key] = update.target
    return targets


def history_of(
    updates: Iterable[Update], *, since: int, until: int, complete: bool = True
) -> History:
    """The classified history of the updates that started in ``[since, until]``
    (Unix milliseconds), in any order; open outages last until ``until``.

    ``complete`` says whether ``updates`` is Core's whole log for the window
    and is passed through to the result.
    """
    window = sorted(
        (update for update in updates if since <= update.start_ts <= until),
        key=attrgetter("start_ts", "id"),
    )
    outages = _outages(_streaks(window), _named_targets(window))
    failures = sorted(
        (failure for outage in outages for failure in outage.failures),
        key=lambda failure: (failure.at, failure.update.id),
    )
    return History(
        since=since,
        until=until,
        updates=len(window),
        failures=tuple(failures),
        series=_series(outages, until),
        complete=complete,
    )
