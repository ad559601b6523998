"""run_live_rules: what the snapshot could not read is one finding per call and
reason, in the operator's words, however many resources it concerns."""

from __future__ import annotations

from komodo_guard.live.snapshot import Incomplete
from komodo_guard.rules.engine import run_live_rules
from komodo_guard.rules.interface import FailureClass, LiveFacts, RuleOptions
from tests.rules.live.livekit import snapshot

REFUSED = (
    "Core refused (403): forbidden; the API key needs write permission for "
    "RefreshStackCache"
)


def unread_messages(*entries: Incomplete) -> list[tuple[str, str]]:
    facts = LiveFacts(snapshot(incomplete=entries))
    found = run_live_rules(facts, [], RuleOptions())
    assert all(f.code == "KG000" for f in found)
    assert all(f.failure_class is FailureClass.INCOMPLETE for f in found)
    return [(f.message, f.hint) for f in found]


def test_a_thousand_refused_refreshes_are_one_finding() -> None:
    entries = [
        Incomplete("RefreshStackCache", REFUSED, f"stack-{n:04}") for n in range(1000)
    ]
    ((message, hint),) = unread_messages(*entries)
    assert message == (
        "could not refresh the stack cache of 1,000 stacks (e.g. 'stack-0000', "
        f"'stack-0001', 'stack-0002'): {REFUSED}; their checks used the commit "
        "Core had cached"
    )
    assert hint == (
        "--refresh asks Core to recompute first, which is a write: use a key "
        "whose user may write to these resources, or run without --refresh"
    )


def test_failed_log_reads_name_the_updates_by_target_and_time() -> None:
    entries = [
        Incomplete(
            "GetUpdate",
            "no answer within 10 s",
            f"Stack web: DeployStack at 2026-11-{day:02} 14:02 UTC",
        )
        for day in range(1, 13)
    ]
    ((message, _),) = unread_messages(*entries)
    assert message == (
        "could not read the logs of 12 failed updates (e.g. 'Stack web: "
        "DeployStack at 2026-11-01 14:02 UTC', 'Stack web: DeployStack at "
        "2026-11-02 14:02 UTC', 'Stack web: DeployStack at 2026-11-03 14:02 "
        "UTC'): no answer within 10 s; the history classifies those failures "
        "without their logs"
    )


def test_one_resource_is_named_alone() -> None:
    entry = Incomplete("GetResourceSync", "Core answered 500: boom", "infra")
    ((message, hint),) = unread_messages(entry)
    assert message == (
        "could not read the pending changes of sync 'infra': Core answered 500: "
        "boom; what they would change was not checked"
    )
    assert hint.startswith("check the Core URL")


def test_a_whole_call_reads_as_before() -> None:
    entry = Incomplete("ListStacks", "Core answered 500: db gone")
    ((message, _),) = unread_messages(entry)
    assert message == (
        "could not read ListStacks from Komodo Core: Core answered 500: db gone; "
        "the checks that need it did not happen"
    )


def test_different_reasons_and_calls_stay_apart() -> None:
    found = unread_messages(
        Incomplete("RefreshStackCache", REFUSED, "a"),
        Incomplete("RefreshStackCache", REFUSED, "b"),
        Incomplete("RefreshStackCache", "no answer within 10 s", "c"),
        Incomplete("RefreshResourceSyncPending", REFUSED, "infra"),
        Incomplete("ListUpdates", "stopped after 20000 updates"),
        Incomplete("ListUpdates", "no answer within 10 s", "updates from x to y"),
    )
    starts = sorted(message.split(":")[0] for message, _ in found)
    assert starts == [
        "could not read ListUpdates from Komodo Core",
        "could not read part of the update log 'updates from x to y'",
        "could not refresh the pending changes of sync 'infra'",
        "could not refresh the stack cache of 2 stacks (e.g. 'a', 'b')",
        "could not refresh the stack cache of stack 'c'",
    ]


def test_an_unknown_per_resource_call_is_still_grouped() -> None:
    found = unread_messages(
        Incomplete("GetStack", "Core answered 500: x", "web"),
        Incomplete("GetStack", "Core answered 500: x", "db"),
    )
    assert [message for message, _ in found] == [
        "could not read GetStack for 2 resources (e.g. 'db', 'web'): "
        "Core answered 500: x; the checks that need it did not happen"
    ]
