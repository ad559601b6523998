"""Build live facts by hand: snapshots, updates, alerts and histories with defaults.

Every time is relative to :data:`NOW`; ids are 24-hex strings derived from
kind and name, as Core's ObjectIds look.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from komodo_guard.history.model import (
    Failure,
    History,
    IncidentKind,
    Outage,
    Series,
)
from komodo_guard.komodo.model import load
from komodo_guard.komodo.updates import TARGET_TYPES, Log, Target, Update
from komodo_guard.komodo.versions import KomodoVersion
from komodo_guard.live.snapshot import Incomplete, LiveSnapshot
from komodo_guard.live.views import (
    Alert,
    Alerter,
    CoreInfo,
    Deployment,
    PendingChange,
    Runnable,
    Server,
    Stack,
    Sync,
    SyncPending,
)
from komodo_guard.rules.engine import RuleSettings, run_live_rules
from komodo_guard.rules.interface import Finding, LiveFacts, LiveRuleInfo, RuleOptions
from komodo_guard.workspace.collect import collect
from komodo_guard.workspace.model import Workspace

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
PERSON = "65a1b2c3d4e5f60718293a4b"


def ident(kind: str, name: str) -> str:
    """A stable 24-hex id for a resource."""
    return hashlib.sha256(f"{kind}/{name}".encode()).hexdigest()[:24]


def ms(ago: timedelta) -> int:
    """Unix milliseconds of ``NOW - ago``."""
    return int((NOW - ago).timestamp() * 1000)


def target(kind: str, name: str) -> Target:
    """A resolved target; ``kind`` is the TOML kind (``stack``) or ``System``."""
    if kind == "System":
        return Target("System", "")
    return Target(TARGET_TYPES[kind], ident(kind, name), name)


def core(**fields: Any) -> CoreInfo:
    values: dict[str, Any] = {
        "title": "home",
        "webhook_base_url": "https://komodo.home.example.net",
        "transparent_mode": False,
        "ui_write_disabled": False,
        "disable_non_admin_create": False,
        "default_pagination_limit": 50,
    }
    return CoreInfo(**(values | fields))


def server(
    name: str, state: str = "Ok", version: str = "2.3.2", error: str = ""
) -> Server:
    return Server(ident("server", name), name, state, version, error)


def stack(name: str, state: str = "running", **fields: Any) -> Stack:
    values: dict[str, Any] = {
        "server_id": ident("server", "hearth"),
        "server_name": "hearth",
        "missing_files": (),
        "deployed_hash": "4f2a9c1",
        "latest_hash": "4f2a9c1",
        "project_missing": False,
        "update_available": False,
        "file_contents": False,
    }
    return Stack(id=ident("stack", name), name=name, state=state, **(values | fields))


def deployment(name: str, state: str = "running") -> Deployment:
    return Deployment(
        ident("deployment", name), name, state, "", "hearth", "nginx:1", False
    )


def pending(**fields: Any) -> SyncPending:
    values: dict[str, Any] = {
        "pending_hash": "",
        "pending_message": "",
        "pending_error": "",
        "pending_deploy_error": "",
        "remote_error_paths": (),
        "resource_updates": (),
        "variable_updates": (),
        "user_group_updates": 0,
        "pending_deploys": 0,
    }
    return SyncPending(**(values | fields))


def change(kind: str, name: str, operation: str = "Update") -> PendingChange:
    """A pending change as Core sends it: the target by id only."""
    return PendingChange(Target(TARGET_TYPES[kind], ident(kind, name)), "", operation)


def sync(name: str, state: str = "Ok", **fields: Any) -> Sync:
    values: dict[str, Any] = {
        "last_sync_ts": 0,
        "last_sync_hash": "",
        "managed": False,
        "repo": "example-org/homelab",
        "branch": "main",
        "linked_repo": "",
        "pending": None,
    }
    return Sync(
        id=ident("resource_sync", name), name=name, state=state, **(values | fields)
    )


def runnable(
    kind: str, name: str, state: str = "Ok", schedule_error: str = ""
) -> Runnable:
    return Runnable(ident(kind, name), name, state, 0, 0, schedule_error)


def alerter(
    name: str,
    enabled: bool = True,
    alert_types: Iterable[str] = (),
    resources: Iterable[Target] = (),
) -> Alerter:
    return Alerter(
        ident("alerter", name),
        name,
        enabled,
        "Ntfy",
        tuple(alert_types),
        tuple(resources),
        (),
    )


def alert(
    kind: str,
    about: Target,
    ago: timedelta,
    level: str = "WARNING",
    resolved: bool = False,
) -> Alert:
    """An alert whose target carries the id only, as Core sends it."""
    bare = Target(about.kind, about.id)
    return Alert(
        ident("alert", f"{kind}{about}{ago}"), ms(ago), resolved, level, kind, bare
    )


def update(
    operation: str,
    about: Target,
    ago: timedelta,
    *,
    success: bool = True,
    status: str = "Complete",
    operator: str = PERSON,
    username: str = "alice",
    logs: Iterable[Log] = (),
) -> Update:
    return Update(
        id=ident("update", f"{operation}{about}{ago}"),
        operation=operation,
        start_ts=ms(ago),
        success=success,
        status=status,
        username=username,
        operator=operator,
        target=about,
        logs=tuple(logs),
    )


def failed_log(stage: str, stderr: str = "error") -> Log:
    return Log(stage=stage, command="", stdout="", stderr=stderr, success=False)


def snapshot(**fields: Any) -> LiveSnapshot:
    """A snapshot of Core 2.3.2 taken at :data:`NOW`; empty unless given.

    ``updates`` and ``alerts`` are sorted newest first, as the collector does.
    """
    values: dict[str, Any] = {
        "url": "http://127.0.0.1:9120",
        "collected_at": NOW,
        "window_days": 30,
        "refreshed": False,
        "version": "2.3.2",
        "model_version": KomodoVersion(2, 3, 2),
        "core": core(),
        "servers": (),
        "stacks": (),
        "deployments": (),
        "syncs": (),
        "procedures": (),
        "actions": (),
        "alerters": (),
        "variables": (),
        "updates": (),
        "alerts": (),
        "incomplete": (),
    }
    values |= fields
    for key in ("updates", "alerts"):
        stamp = "start_ts" if key == "updates" else "ts"
        values[key] = tuple(
            sorted(values[key], key=lambda item: getattr(item, stamp), reverse=True)
        )
    for key, value in values.items():
        if isinstance(value, list):
            values[key] = tuple(value)
    return LiveSnapshot(**values)


def unread(*calls: str) -> tuple[Incomplete, ...]:
    return tuple(Incomplete(call, "Core answered 500") for call in calls)


def workspace(root: Path) -> Workspace:
    """The tree at ``root`` as the collector reads it, for Komodo's newest model."""
    return collect(root, load(None))


def run(
    rule: LiveRuleInfo,
    facts: LiveSnapshot | LiveFacts,
    *,
    options: RuleOptions | None = None,
    disabled: Iterable[str] = (),
) -> list[Finding]:
    """One rule's findings through the engine, without the KG000 findings of
    calls the snapshot could not make."""
    if isinstance(facts, LiveSnapshot):
        facts = LiveFacts(facts)
    settings = RuleSettings(disabled=frozenset(disabled))
    found = run_live_rules(facts, [rule], options or RuleOptions(), settings)
    return [finding for finding in found if finding.code != "KG000"]


def messages(found: Iterable[Finding]) -> list[str]:
    return [finding.message for finding in found]


def failure(upd: Update, kind: IncidentKind, evidence: str = "") -> Failure:
    return Failure(upd, kind, evidence)


def outage(
    kind: IncidentKind,
    failures: Iterable[Update],
    recovery: Update | None = None,
) -> Outage:
    """An outage from failed updates (oldest first) and its recovery."""
    found = tuple(Failure(upd, kind) for upd in failures)
    return Outage(kind, found[0].update.target, found, recovery)


def history(*outages: Outage) -> History:
    """A history grouping ``outages`` per kind and target, as the classifier does."""
    grouped: dict[tuple[IncidentKind, Target], list[Outage]] = {}
    for item in sorted(outages, key=lambda o: o.started):
        grouped.setdefault((item.kind, item.target), []).append(item)
    series = tuple(
        Series(kind, about, tuple(items)) for (kind, about), items in grouped.items()
    )
    failures = tuple(
        sorted((f for o in outages for f in o.failures), key=lambda f: f.at)
    )
    return History(ms(timedelta(days=30)), ms(timedelta()), 100, failures, series)
