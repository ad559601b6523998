"""Building the history of a window: failures, outages, series.

Updates are read oldest first. For each target and family of operations
(:mod:`komodo_guard.history.families`), failed updates accumulate into a
streak that the next successful update of that family ends (its recovery);
a streak still running at the end of the window is an open outage. Each
streak yields one outage per incident kind among its failures.

Core's logs are read for some failures only (the ends of each streak, the
newest streaks first), so a failure without logs takes its kind from the
classified failures of its own streak; when the streak has none, from its
operation; else from the nearest classified failure of the same target and
family, before or after it in the window. All three are marked
``inferred``; a failure with nothing to infer from stays ``other`` and
``unread``. An outage is named by its kind and target alone when no other
outage of the history shares them (:attr:`Outage.sole`). Updates not
finished (``Queued``, ``InProgress``, however long) are counted but are no
failures here: stuck executions are the live rules' business. No log text
reaches the history but each failure's redacted evidence: failures and
recoveries keep their Update without its logs.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
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
_WorkKey = tuple[str, str, str]
"""Target kind, target id, family of operations."""


@dataclass(frozen=True)
class _Streak:
    """Consecutive failures of one target and family, and what ended them."""

    work: _WorkKey
    failures: list[Failure]
    recovery: Update | None


def _target_key(target: Target) -> _TargetKey:
    return (target.kind, target.id)


def _streaks(updates: Sequence[Update]) -> list[_Streak]:
    """Failure streaks per target and family, each with its recovery."""
    running: dict[_WorkKey, list[Failure]] = {}
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
            recovery = replace(update, logs=()) if update.logs else update
            done.append(_Streak(key, streak, recovery))
    done.extend(_Streak(key, streak, None) for key, streak in running.items())
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
            replace(failure, kind=known.kind, unread=False)
            if failure.inferred
            else failure
        )
    return filled


class _Neighbours:
    """The classified failures of each target and family, oldest first, to
    lend their kind to failures whose streak holds none."""

    def __init__(self, streaks: Iterable[_Streak]) -> None:
        found: dict[_WorkKey, list[Failure]] = defaultdict(list)
        for streak in streaks:
            found[streak.work].extend(f for f in streak.failures if not f.inferred)
        self._known = {
            key: sorted(fs, key=attrgetter("at")) for key, fs in found.items()
        }
        self._times = {key: [f.at for f in fs] for key, fs in self._known.items()}

    def nearest(self, work: _WorkKey, at: int) -> Failure | None:
        """The classified failure of ``work`` closest in time to ``at``
        (the earlier one on a tie)."""
        times = self._times.get(work)
        if not times:
            return None
        index = bisect_left(times, at)
        around = self._known[work][max(index - 1, 0) : index + 1]
        return min(around, key=lambda failure: abs(failure.at - at))

    def fill(self, streak: _Streak) -> list[Failure]:
        """``streak``'s failures, the unread ones given their neighbour's kind."""
        filled: list[Failure] = []
        for failure in streak.failures:
            near = self.nearest(streak.work, failure.at) if failure.unread else None
            if near is not None:
                failure = replace(failure, kind=near.kind, unread=False)
            filled.append(failure)
        return filled


def _outages(streaks: list[_Streak], targets: dict[_TargetKey, Target]) -> list[Outage]:
    """One outage per incident kind of each streak."""
    filled = [replace(s, failures=_fill_inferred(s.failures)) for s in streaks]
    neighbours = _Neighbours(filled)
    outages: list[Outage] = []
    for streak in filled:
        by_kind: dict[IncidentKind, list[Failure]] = defaultdict(list)
        for failure in neighbours.fill(streak):
            by_kind[failure.kind].append(failure)
        target = targets[streak.work[:2]]
        outages.extend(
            Outage(kind, target, tuple(failures), streak.recovery)
            for kind, failures in by_kind.items()
        )
    return _named(outages)


def _named(outages: list[Outage]) -> list[Outage]:
    """The outages, those alone with their kind and target name marked sole."""
    stems = Counter(outage.stem for outage in outages)
    return [replace(o, sole=True) if stems[o.stem] == 1 else o for o in outages]


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
