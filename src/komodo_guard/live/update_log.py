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
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from komodo_guard.live.client import CoreClient, Pages

MAX_SLICES = 32
MAX_DETAILS = 400
"""Most GetUpdate calls one snapshot makes for failure logs."""

Item = dict[str, Any]


@dataclass(frozen=True)
class Slice:
    """Updates with ``start_ts`` in ``[since, until]`` (Unix milliseconds)."""

    since: int
    until: int

    def query(self) -> dict[str, Any]:
        """The ListUpdates filter for this slice."""
        return {"start_ts": {"$gte": self.since, "$lte": self.until}}


def first_page(client: CoreClient, since: int) -> Item:
    """Page 0 of the window: the newest updates since ``since``."""
    params = {"query": Slice(since, 2**62).query(), "page": 0}
    answer = client.read("ListUpdates", params)
    return answer if isinstance(answer, dict) else {}


def remaining_slices(first: Item, since: int) -> list[Slice]:
    """The slices still to read after ``first``; none when it was the last page.

    The oldest update on the first page bounds the rest from above (inclusive:
    updates sharing its timestamp may continue on the next page).
    """
    items = [item for item in first.get("updates") or [] if isinstance(item, dict)]
    if first.get("next_page") is None or not items:
        return []
    stamps = [_start(item) for item in items]
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


def merged(first: Item, slices: Iterable[Pages]) -> tuple[list[Item], bool]:
    """All updates read, newest first, each once; and whether any slice was cut
    short by the page cap."""
    seen: dict[str, Item] = {}
    truncated = False
    batches: list[Iterable[Any]] = [first.get("updates") or []]
    for pages in slices:
        batches.append(pages.items)
        truncated = truncated or pages.truncated
    for batch in batches:
        for item in batch:
            if isinstance(item, dict):
                seen.setdefault(_identity(item), item)
    ordered = sorted(seen.values(), key=_start, reverse=True)
    return ordered, truncated


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


def details_job(client: CoreClient, ident: str) -> Callable[[], Any]:
    """A job reading one update with its logs."""
    return lambda: client.read("GetUpdate", {"id": ident})


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
    return value if isinstance(value, int) else 0


def _identity(item: Item) -> str:
    value = item.get("id")
    if isinstance(value, str):
        return value
    oid = item.get("_id")
    return str(oid.get("$oid", "")) if isinstance(oid, dict) else ""
