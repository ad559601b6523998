"""Reading Core's update log fast: time slices read side by side, logs of failures.

``ListUpdates`` answers pages of 100, newest first, each naming the next page:
followed one by one, 20,000 updates cost 200 round trips in a row. So the
first page is read on its own; if more remain, its oldest timestamp and its
density estimate how many pages the rest of the window holds, and the window
is cut into that many ``start_ts`` slices (at most :data:`MAX_SLICES`), each
followed page by page on the caller's pool. Slices share only their edges;
updates read twice are counted once, by id.

Logs are only in ``GetUpdate``, one call per update. The history needs them
for failures, and consecutive failures of one target and operation almost
always share their cause, so only the first and the last failure of each such
streak are read, up to :data:`MAX_DETAILS` streak ends, newest first.

An update without an id or a start time cannot be placed in the log or read
again: it is left out, and :func:`merged` counts it.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, NamedTuple

from komodo_guard.live.client import CoreClient, Page, Pages

MAX_SLICES = 32
MAX_DETAILS = 1000
"""Most GetUpdate calls one snapshot makes for failure logs (the benchmark's
Core of 20,000 updates needs about 380)."""

Item = dict[str, Any]


@dataclass(frozen=True)
class Slice:
    """Updates with ``start_ts`` in ``[since, until]`` (Unix milliseconds)."""

    since: int
    until: int

    def query(self) -> dict[str, Any]:
        """The ListUpdates filter for this slice."""
        return {"start_ts": {"$gte": self.since, "$lte": self.until}}


class Merged(NamedTuple):
    """The update log as read: items newest first, each once."""

    items: list[Item]
    truncated: bool
    """Whether a slice was cut short by the page cap."""
    ignored: int
    """Updates left out because they had no id or no start time."""


def first_page(client: CoreClient, since: int) -> Page:
    """Page 0 of the window: the newest updates since ``since``."""
    query = {"query": Slice(since, 2**62).query()}
    return client.page("ListUpdates", query, "updates", 0)


def remaining_slices(first: Page, since: int) -> list[Slice]:
    """The slices still to read after ``first``; none when it was the last page.

    The oldest update on the first page bounds the rest from above (inclusive:
    updates sharing its timestamp may continue on the next page).
    """
    stamps = [_start(item) for item in first.items if _placed(item)]
    if first.next_page is None or not stamps:
        return []
    newest, oldest = max(stamps), min(stamps)
    covered = max(newest - oldest, 1)
    estimate = (oldest - since) / covered + 1
    count = max(1, min(MAX_SLICES, round(estimate)))
    step = max((oldest - since) // count, 1)
    edges = [since + step * index for index in range(count)] + [oldest]
    return [Slice(low, high) for low, high in itertools.pairwise(edges) if low <= high]


def read_slice(client: CoreClient, part: Slice) -> Pages:
    """Every update of one slice, following ``next_page``."""
    return client.pages("ListUpdates", {"query": part.query()}, "updates")


def merged(first: Page, slices: Iterable[Pages]) -> Merged:
    """All updates read, newest first, each once; whether any slice was cut
    short by the page cap; and how many had no id or start time."""
    seen: dict[str, Item] = {}
    truncated = False
    ignored = 0
    batches: list[Iterable[Item]] = [first.items]
    for pages in slices:
        batches.append(pages.items)
        truncated = truncated or pages.truncated
    for batch in batches:
        for item in batch:
            if _placed(item):
                seen.setdefault(_identity(item), item)
            else:
                ignored += 1
    ordered = sorted(seen.values(), key=_start, reverse=True)
    return Merged(ordered, truncated, ignored)


def streak_ends(items: Iterable[Item]) -> list[str]:
    """Ids of the first and last failure of each run of consecutive failures of
    one target and operation, newest streaks first, at most :data:`MAX_DETAILS`."""
    chosen: list[str] = []
    for run in _failure_runs(items):
        for ident in dict.fromkeys((run[-1], run[0])):
            if len(chosen) < MAX_DETAILS:
                chosen.append(ident)
    return chosen


def _failure_runs(items: Iterable[Item]) -> Iterator[list[str]]:
    """Runs of failed update ids (oldest first), grouped per target and
    operation: runs still open first, then by when they ended, newest first
    (ties: the newer last failure first)."""
    open_runs: dict[tuple[str, str, str], list[Item]] = {}
    finished: list[tuple[int, int, list[Item]]] = []
    for item in sorted(items, key=_start):
        if item.get("status") not in ("Complete", None):
            continue
        key = _stream(item)
        if item.get("success") is False:
            open_runs.setdefault(key, []).append(item)
            continue
        run = open_runs.pop(key, None)
        if run:
            finished.append((_start(item), _start(run[-1]), run))
    finished.extend((2**62, _start(run[-1]), run) for run in open_runs.values())
    finished.sort(key=lambda entry: entry[:2], reverse=True)
    for _, _, run in finished:
        yield [_identity(item) for item in run]


def details_job(client: CoreClient, ident: str) -> Callable[[], Item]:
    """A job reading one update with its logs."""
    return lambda: client.get("GetUpdate", {"id": ident})


def _stream(item: Item) -> tuple[str, str, str]:
    target = item.get("target")
    if not isinstance(target, dict):
        target = {}
    return (str(target.get("type", "")), str(target.get("id", "")), _operation(item))


def _operation(item: Item) -> str:
    value = item.get("operation")
    return value if isinstance(value, str) else ""


def _start(item: Item) -> int:
    value = item.get("start_ts")
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _placed(item: Item) -> bool:
    """Whether ``item`` has an id and a start time, so it has a place in the log."""
    value = item.get("start_ts")
    has_start = isinstance(value, int) and not isinstance(value, bool)
    return has_start and bool(_identity(item))


def _identity(item: Item) -> str:
    value = item.get("id")
    if isinstance(value, str):
        return value
    oid = item.get("_id")
    return str(oid.get("$oid", "")) if isinstance(oid, dict) else ""
