"""Typed, lenient views of what Core answers: only the fields rules need.

Each ``from_json`` reads one item of a Core answer and tolerates missing or
extra fields (a missing text is ``""``, a missing flag ``False``), because
Komodo adds fields between releases. Unknown fields are left out, and so is
anything secret-bearing: alerter URLs, sync diff contents, variable values.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from komodo_guard.komodo.updates import Log, Target, Update

Item = dict[str, Any]


def text(data: object, key: str) -> str:
    """``data[key]`` as text, or ``""`` when missing or not text."""
    value = data.get(key) if isinstance(data, dict) else None
    return value if isinstance(value, str) else ""


def flag(data: object, key: str) -> bool:
    """``data[key]`` when it is a boolean, else ``False``."""
    value = data.get(key) if isinstance(data, dict) else None
    return value if isinstance(value, bool) else False


def number(data: object, key: str) -> int:
    """``data[key]`` when it is an integer, else 0."""
    value = data.get(key) if isinstance(data, dict) else None
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def table(data: object, key: str) -> Item:
    """``data[key]`` when it is a JSON object, else an empty one."""
    value = data.get(key) if isinstance(data, dict) else None
    return value if isinstance(value, dict) else {}


def array(data: object, key: str) -> list[Any]:
    """``data[key]`` when it is a JSON array, else an empty one."""
    value = data.get(key) if isinstance(data, dict) else None
    return value if isinstance(value, list) else []


def resource_id(item: object) -> str:
    """A resource's id, from ``id`` (list items) or ``_id.$oid`` (full resources)."""
    return text(item, "id") or text(table(item, "_id"), "$oid")


def target(data: object, names: Mapping[str, str] | None = None) -> Target:
    """A ``ResourceTarget`` object, with the resource's name from ``names``
    (id to name) when known."""
    ident = text(data, "id")
    return Target(text(data, "type"), ident, (names or {}).get(ident, ""))


@dataclass(frozen=True)
class CoreInfo:
    """GetCoreInfo: the settings with a security or reliability meaning."""

    title: str
    webhook_base_url: str
    transparent_mode: bool
    ui_write_disabled: bool
    disable_non_admin_create: bool
    default_pagination_limit: int

    @classmethod
    def from_json(cls, data: object) -> CoreInfo:
        return cls(
            title=text(data, "title"),
            webhook_base_url=text(data, "webhook_base_url"),
            transparent_mode=flag(data, "transparent_mode"),
            ui_write_disabled=flag(data, "ui_write_disabled"),
            disable_non_admin_create=flag(data, "disable_non_admin_create"),
            default_pagination_limit=number(data, "default_pagination_limit"),
        )


@dataclass(frozen=True)
class Server:
    """A ListServers item: state ``Ok``/``NotOk``/``Disabled`` and Periphery release."""

    id: str
    name: str
    state: str
    version: str
    error: str

    @classmethod
    def from_json(cls, item: object) -> Server:
        info = table(item, "info")
        error = info.get("err")
        return cls(
            id=resource_id(item),
            name=text(item, "name"),
            state=text(info, "state"),
            version=text(info, "version"),
            error="" if error is None else str(error),
        )


@dataclass(frozen=True)
class Stack:
    """A ListStacks item: computed state, files and the deployed/latest commit."""

    id: str
    name: str
    state: str
    server_id: str
    server_name: str
    missing_files: tuple[str, ...]
    deployed_hash: str
    latest_hash: str
    project_missing: bool
    update_available: bool
    file_contents: bool
    remote_errors: tuple[str, ...] = ()
    """Paths Core could not read from git (``GetStack.info.remote_errors``)."""
    changed_files: tuple[str, ...] = ()
    """Paths whose contents in git differ from what was last deployed."""

    @classmethod
    def from_json(cls, item: object) -> Stack:
        info = table(item, "info")
        services = array(info, "services")
        return cls(
            id=resource_id(item),
            name=text(item, "name"),
            state=text(info, "state"),
            server_id=text(info, "server_id"),
            server_name=text(info, "server_name"),
            missing_files=tuple(str(path) for path in array(info, "missing_files")),
            deployed_hash=text(info, "deployed_hash"),
            latest_hash=text(info, "latest_hash"),
            project_missing=flag(info, "project_missing"),
            update_available=any(
                flag(service, "update_available") for service in services
            ),
            file_contents=flag(info, "file_contents"),
        )


@dataclass(frozen=True)
class StackFiles:
    """What ListFullStacks says of one stack's files: paths only, never contents.

    Contents are compared here, as they are read, and then dropped: compose
    files may hold credentials.
    """

    id: str
    remote_errors: tuple[str, ...]
    changed_files: tuple[str, ...]

    @classmethod
    def from_json(cls, item: object) -> StackFiles:
        info = table(item, "info")
        deployed = {
            text(entry, "path"): text(entry, "contents")
            for entry in array(info, "deployed_contents")
        }
        changed = tuple(
            text(entry, "path")
            for entry in array(info, "remote_contents")
            if deployed and deployed.get(text(entry, "path")) != text(entry, "contents")
        )
        return cls(
            id=resource_id(item),
            remote_errors=tuple(
                text(error, "path") for error in array(info, "remote_errors")
            ),
            changed_files=changed,
        )


@dataclass(frozen=True)
class Listed:
    """Any listed resource by id and name (builds, repos, builders, swarms)."""

    id: str
    name: str

    @classmethod
    def from_json(cls, item: object) -> Listed:
        return cls(id=resource_id(item), name=text(item, "name"))


@dataclass(frozen=True)
class Deployment:
    """A ListDeployments item."""

    id: str
    name: str
    state: str
    server_id: str
    server_name: str
    image: str
    update_available: bool

    @classmethod
    def from_json(cls, item: object) -> Deployment:
        info = table(item, "info")
        return cls(
            id=resource_id(item),
            name=text(item, "name"),
            state=text(info, "state"),
            server_id=text(info, "server_id"),
            server_name=text(info, "server_name"),
            image=text(info, "image"),
            update_available=flag(info, "update_available"),
        )


@dataclass(frozen=True)
class PendingChange:
    """One pending resource change of a sync: which resource, and how."""

    target: Target
    name: str
    operation: str
    """``Create``, ``Update`` or ``Delete``."""

    @classmethod
    def from_json(cls, diff: object) -> PendingChange:
        data = table(diff, "data")
        return cls(
            target=target(table(diff, "target")),
            name=text(table(data, "data"), "name"),
            operation=text(data, "type"),
        )


@dataclass(frozen=True)
class SyncPending:
    """GetResourceSync ``info``: what a sync would change, without any contents.

    Variable diffs carry values (secret ones in plain text), so only the
    variable names are kept.
    """

    pending_hash: str
    pending_message: str
    pending_error: str
    pending_deploy_error: str
    remote_error_paths: tuple[str, ...]
    resource_updates: tuple[PendingChange, ...]
    variable_updates: tuple[str, ...]
    user_group_updates: int
    pending_deploys: int

    @classmethod
    def from_json(cls, sync: object) -> SyncPending:
        info = table(sync, "info")
        return cls(
            pending_hash=text(info, "pending_hash"),
            pending_message=text(info, "pending_message"),
            pending_error=text(info, "pending_error"),
            pending_deploy_error=text(info, "pending_deploy_error"),
            remote_error_paths=tuple(
                text(error, "path") for error in array(info, "remote_errors")
            ),
            resource_updates=tuple(
                PendingChange.from_json(diff)
                for diff in array(info, "resource_updates")
            ),
            variable_updates=tuple(
                text(table(diff, "data"), "name") or text(diff, "name")
                for diff in array(info, "variable_updates")
            ),
            user_group_updates=len(array(info, "user_group_updates")),
            pending_deploys=len(array(info, "pending_deploys")),
        )


@dataclass(frozen=True)
class Sync:
    """A ListResourceSyncs item, with pending details when they were read."""

    id: str
    name: str
    state: str
    last_sync_ts: int
    last_sync_hash: str
    managed: bool
    repo: str
    branch: str
    linked_repo: str
    pending: SyncPending | None = None
    """Read only for syncs listed ``Pending`` or ``Failed``; None otherwise."""

    @classmethod
    def from_json(cls, item: object) -> Sync:
        info = table(item, "info")
        return cls(
            id=resource_id(item),
            name=text(item, "name"),
            state=text(info, "state"),
            last_sync_ts=number(info, "last_sync_ts"),
            last_sync_hash=text(info, "last_sync_hash"),
            managed=flag(info, "managed"),
            repo=text(info, "repo"),
            branch=text(info, "branch"),
            linked_repo=text(info, "linked_repo"),
        )


@dataclass(frozen=True)
class Runnable:
    """A ListProcedures or ListActions item: run state and schedule."""

    id: str
    name: str
    state: str
    last_run_at: int
    next_scheduled_run: int
    schedule_error: str

    @classmethod
    def from_json(cls, item: object) -> Runnable:
        info = table(item, "info")
        return cls(
            id=resource_id(item),
            name=text(item, "name"),
            state=text(info, "state"),
            last_run_at=number(info, "last_run_at"),
            next_scheduled_run=number(info, "next_scheduled_run"),
            schedule_error=text(info, "schedule_error"),
        )


@dataclass(frozen=True)
class Alerter:
    """A ListFullAlerters item, without its endpoint URL (it may hold a token)."""

    id: str
    name: str
    enabled: bool
    endpoint_type: str
    alert_types: tuple[str, ...]
    resources: tuple[Target, ...]
    except_resources: tuple[Target, ...]

    @classmethod
    def from_json(cls, item: object) -> Alerter:
        config = table(item, "config")
        return cls(
            id=resource_id(item),
            name=text(item, "name"),
            enabled=flag(config, "enabled"),
            endpoint_type=text(table(config, "endpoint"), "type"),
            alert_types=tuple(str(kind) for kind in array(config, "alert_types")),
            resources=_targets(array(config, "resources")),
            except_resources=_targets(array(config, "except_resources")),
        )


def update(item: object, names: Mapping[str, str] | None = None) -> Update:
    """A ListUpdates item, or a GetUpdate answer with ``end_ts`` and logs."""
    return Update(
        id=resource_id(item),
        operation=text(item, "operation"),
        start_ts=number(item, "start_ts"),
        success=flag(item, "success"),
        status=text(item, "status"),
        username=text(item, "username"),
        operator=text(item, "operator"),
        target=target(table(item, "target"), names),
        end_ts=number(item, "end_ts"),
        logs=tuple(_log(entry) for entry in array(item, "logs")),
    )


def _log(entry: object) -> Log:
    return Log(
        stage=text(entry, "stage"),
        command=text(entry, "command"),
        stdout=text(entry, "stdout"),
        stderr=text(entry, "stderr"),
        success=flag(entry, "success"),
        start_ts=number(entry, "start_ts"),
        end_ts=number(entry, "end_ts"),
    )


@dataclass(frozen=True)
class Alert:
    """A ListAlerts item: ``kind`` is the alert type, e.g. ``ServerUnreachable``."""

    id: str
    ts: int
    resolved: bool
    level: str
    kind: str
    target: Target

    @classmethod
    def from_json(cls, item: object) -> Alert:
        return cls(
            id=resource_id(item),
            ts=number(item, "ts"),
            resolved=flag(item, "resolved"),
            level=text(item, "level"),
            kind=text(table(item, "data"), "type"),
            target=target(table(item, "target")),
        )


def _targets(items: list[Any]) -> tuple[Target, ...]:
    return tuple(target(item) for item in items if isinstance(item, dict))
