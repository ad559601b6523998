"""alerts-not-sent: no alerter enabled, types missing, whitelists by name."""

from __future__ import annotations

from komodo_guard.komodo.updates import Target
from komodo_guard.live.views import Alerter
from komodo_guard.rules.interface import Severity
from komodo_guard.rules.live.alerts_not_sent import RULE
from tests.rules.live.livekit import (
    alerter,
    messages,
    run,
    runnable,
    server,
    snapshot,
    stack,
    sync,
    target,
    unread,
)


def test_none_enabled_is_an_error() -> None:
    (finding,) = run(RULE, snapshot(alerters=[alerter("discord", enabled=False)]))
    assert finding.severity is Severity.ERROR
    assert finding.message == (
        "no alerter is enabled in Komodo Core (discord disabled): failed deploys, "
        "pending syncs and unreachable servers notify nobody"
    )
    assert messages(run(RULE, snapshot())) == [
        "no alerter is enabled in Komodo Core (there are none): failed deploys, "
        "pending syncs and unreachable servers notify nobody"
    ]


def test_missing_types_only_for_what_exists() -> None:
    snap = snapshot(
        alerters=[alerter("ntfy", alert_types=["ServerUnreachable"])],
        servers=[server("a")],
        stacks=[stack("web")],
        syncs=[sync("homelab")],
        procedures=[runnable("procedure", "nightly")],
    )
    (finding,) = run(RULE, snap)
    assert finding.severity is Severity.WARNING
    assert finding.message == (
        "no enabled alerter sends StackStateChange, ResourceSyncPendingUpdates, "
        "ProcedureFailed: those failures notify nobody (enabled: ntfy)"
    )


def test_empty_types_mean_all() -> None:
    snap = snapshot(
        alerters=[alerter("ntfy", alert_types=["ServerUnreachable"]), alerter("all")],
        stacks=[stack("web")],
    )
    assert run(RULE, snap) == []


def test_whitelist_by_name() -> None:
    good = target("stack", "web")
    snap = snapshot(
        alerters=[alerter("ntfy", resources=[good, Target("Stack", "web")])]
    )
    assert messages(run(RULE, snap)) == [
        "alerter 'ntfy' filters resources by web, which are not resource ids: "
        "Komodo matches ids only, so the filter never matches"
    ]


def test_alerter_url_never_reaches_a_finding() -> None:
    item = {
        "id": "a1",
        "name": "discord",
        "config": {
            "enabled": False,
            "endpoint": {
                "type": "Discord",
                "params": {"url": "https://discord.com/api/webhooks/1/T0KEN-SECRET"},
            },
        },
    }
    found = run(RULE, snapshot(alerters=[Alerter.from_json(item)]))
    text = " ".join(f.message + f.hint for f in found)
    assert found
    assert "T0KEN-SECRET" not in text
    assert "discord.com" not in text


def test_disabled_and_unread() -> None:
    assert run(RULE, snapshot(), disabled=[RULE.code]) == []
    assert run(RULE, snapshot(incomplete=unread("ListFullAlerters"))) == []
