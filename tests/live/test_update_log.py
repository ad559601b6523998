"""The update log read in time slices, and the failure streaks whose logs are read."""

from __future__ import annotations

import itertools
from collections import Counter
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from komodo_guard.live import update_log
from komodo_guard.live.client import CoreClient, Page, Pages
from komodo_guard.live.update_log import Slice
from tests.live.fakecore import KEY, SECRET, URL, FakeCore

PAGE = 100
Item = dict[str, Any]


def log_of(stamps: list[int]) -> list[Item]:
    """One update per timestamp (duplicates allowed), ids in input order."""
    return [
        {"id": f"u{index:05}", "operation": "DeployStack", "start_ts": stamp}
        for index, stamp in enumerate(stamps)
    ]


def list_updates(items: list[Item]) -> Any:
    """ListUpdates as Core answers it: a Mongo range on start_ts, newest first,
    pages of 100 with `next_page`."""
    ordered = sorted(items, key=lambda item: item["start_ts"], reverse=True)

    def answer(params: dict[str, Any]) -> dict[str, Any]:
        bounds = params["query"]["start_ts"]
        low, high = bounds.get("$gte", -(2**63)), bounds.get("$lte", 2**63)
        chosen = [item for item in ordered if low <= item["start_ts"] <= high]
        page = params.get("page", 0)
        more = len(chosen) > (page + 1) * PAGE
        return {
            "updates": chosen[page * PAGE : (page + 1) * PAGE],
            "next_page": page + 1 if more else None,
        }

    return answer


def page_of(answer: dict[str, Any]) -> Page:
    return Page(tuple(answer["updates"]), answer["next_page"])


def read_window(items: list[Item], since: int) -> tuple[list[Item], FakeCore]:
    """What the snapshot does: the first page, then every slice, merged."""
    core = FakeCore({"ListUpdates": list_updates(items)})
    client = CoreClient(URL, KEY, SECRET, retries=0, transport=core.transport())
    first = update_log.first_page(client, since)
    slices = [
        update_log.read_slice(client, part)
        for part in update_log.remaining_slices(first, since)
    ]
    merged, truncated, ignored = update_log.merged(first, slices)
    assert (truncated, ignored) == (False, 0)
    return merged, core


def in_window(items: list[Item], since: int) -> list[str]:
    return [item["id"] for item in items if item["start_ts"] >= since]


# Timestamps from a wide range, and a few instants shared by many updates (a
# batch deploy, a sync applying many resources).
stamps_strategy = st.lists(
    st.one_of(
        st.integers(min_value=0, max_value=50_000), st.sampled_from([900, 2000, 2500])
    ),
    max_size=700,
)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(stamps=stamps_strategy, since=st.integers(min_value=0, max_value=40_000))
def test_slices_cover_the_window_exactly_once(stamps: list[int], since: int) -> None:
    items = log_of(stamps)
    merged, _ = read_window(items, since)
    ids = [item["id"] for item in merged]
    assert sorted(ids) == sorted(in_window(items, since))
    assert len(ids) == len(set(ids))
    starts = [item["start_ts"] for item in merged]
    assert starts == sorted(starts, reverse=True)


def test_ties_at_the_first_page_end_are_read() -> None:
    # 350 updates at the newest instant: the first page holds 100 of them and
    # the slices must still reach the other 250.
    items = log_of([30_000] * 350 + list(range(0, 30_000, 40)))
    merged, _ = read_window(items, 0)
    assert Counter(item["id"] for item in merged) == Counter(in_window(items, 0))


def test_ties_at_a_slice_edge_are_read_once() -> None:
    spread = log_of(list(range(0, 40_000, 40)))
    first = page_of(list_updates(spread)({"query": Slice(0, 2**62).query()}))
    edge = update_log.remaining_slices(first, 0)[1].since
    items = log_of(list(range(0, 40_000, 40)) + [edge] * 250)
    merged, _ = read_window(items, 0)
    assert Counter(item["id"] for item in merged) == Counter(in_window(items, 0))
    assert sum(1 for item in merged if item["start_ts"] == edge) == 251


def test_slice_edges_touch_and_end_at_the_first_page() -> None:
    items = log_of(list(range(0, 100_000, 10)))
    first = page_of(list_updates(items)({"query": Slice(20_000, 2**62).query()}))
    parts = update_log.remaining_slices(first, 20_000)
    assert parts[0].since == 20_000
    assert parts[-1].until == min(item["start_ts"] for item in first.items)
    for older, newer in itertools.pairwise(parts):
        assert older.until == newer.since
    assert len(parts) <= update_log.MAX_SLICES


def test_a_core_whose_first_page_is_the_last_costs_one_call() -> None:
    items = log_of(list(range(0, 5_000, 100)))
    merged, core = read_window(items, 0)
    assert len(merged) == 50
    assert core.count("ListUpdates") == 1


def test_an_empty_log() -> None:
    merged, core = read_window([], 0)
    assert merged == []
    assert core.count("ListUpdates") == 1


def test_slice_queries_are_closed_ranges() -> None:
    assert Slice(5, 9).query() == {"start_ts": {"$gte": 5, "$lte": 9}}


def test_truncated_slices_are_reported() -> None:
    first = Page(({"id": "a", "start_ts": 3},), next_page=1)
    cut = Pages(({"id": "b", "start_ts": 2},), truncated=True)
    merged, truncated, _ = update_log.merged(first, [cut])
    assert [item["id"] for item in merged] == ["a", "b"]
    assert truncated


def test_updates_without_id_or_start_time_are_left_out_and_counted() -> None:
    first = Page(
        (
            {"id": "a", "start_ts": 3},
            {"start_ts": 2},
            {"id": "c", "start_ts": "yesterday"},
            {"id": "", "start_ts": 1},
        ),
        next_page=1,
    )
    more = Pages(({"_id": {"$oid": "e"}, "start_ts": 1}, {"id": "f"}), False)
    log = update_log.merged(first, [more])
    assert [item.get("id", "e") for item in log.items] == ["a", "e"]
    assert log.ignored == 4


def test_slices_are_estimated_from_placed_updates_only() -> None:
    first = Page((*log_of(list(range(9_000, 10_000, 10))), {"id": "x"}), next_page=1)
    parts = update_log.remaining_slices(first, 0)
    assert parts[-1].until == 9_000
    assert parts[0].since == 0


# -- streak ends -----------------------------------------------------------------


def event(
    ident: str,
    start: int,
    success: bool,
    target: str = "s1",
    operation: str = "DeployStack",
    status: str = "Complete",
) -> Item:
    return {
        "id": ident,
        "start_ts": start,
        "success": success,
        "status": status,
        "operation": operation,
        "target": {"type": "Stack", "id": target},
    }


def test_first_and_last_failure_of_each_streak() -> None:
    items = [
        event("ok1", 1, True),
        event("f1", 2, False),
        event("f2", 3, False),
        event("f3", 4, False),
        event("ok2", 5, True),
        event("f4", 6, False),
    ]
    # The open streak (f4) first, then f1..f3: last failure, then first.
    assert update_log.streak_ends(items) == ["f4", "f3", "f1"]


def test_streaks_are_per_target_and_operation() -> None:
    items = [
        event("a1", 1, False, target="a"),
        event("b1", 2, False, target="b"),
        event("a2", 3, False, target="a"),
        event("a-pull", 4, True, target="a", operation="PullStack"),
        event("a3", 5, False, target="a"),
        event("b-ok", 6, True, target="b"),
    ]
    # a's PullStack success does not end a's DeployStack streak a1..a3.
    assert update_log.streak_ends(items) == ["a3", "a1", "b1"]


def test_newest_streaks_first() -> None:
    items = [
        event("old1", 1, False, target="old"),
        event("old-ok", 2, True, target="old"),
        event("mid1", 3, False, target="mid"),
        event("new1", 4, False, target="new"),
        event("new-ok", 5, True, target="new"),
        event("mid-ok", 6, True, target="mid"),
        event("open-old", 7, False, target="x"),
        event("open-new", 8, False, target="y"),
    ]
    assert update_log.streak_ends(items) == [
        "open-new",
        "open-old",
        "mid1",
        "new1",
        "old1",
    ]


def test_unfinished_updates_neither_fail_nor_end_a_streak() -> None:
    items = [
        event("f1", 1, False),
        event("running", 2, False, status="InProgress"),
        event("f2", 3, False),
    ]
    assert update_log.streak_ends(items) == ["f2", "f1"]


def test_input_order_does_not_matter() -> None:
    items = [event("f1", 1, False), event("f2", 2, False), event("ok", 3, True)]
    assert update_log.streak_ends(reversed(items)) == ["f2", "f1"]


def test_streak_ends_are_capped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(update_log, "MAX_DETAILS", 5)
    items = [
        event(f"{target}-{n}", 10 * index + n, False, target=target)
        for index, target in enumerate("abcd")
        for n in range(3)
    ]
    assert update_log.streak_ends(items) == ["d-2", "d-0", "c-2", "c-0", "b-2"]
