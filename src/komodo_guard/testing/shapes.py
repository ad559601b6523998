"""Komodo 2.3 JSON shapes built from a scenario's minimal tables.

Pure functions: a record (the scenario table plus its ``id``) and the time in, the
JSON Core would send out. Config tables are filled with the defaults of the
project's own Komodo model (`komodo_guard.komodo.model`), so the emulator and the
linter agree on what an unset key means.
"""

from __future__ import annotations

import copy
import hashlib
from collections.abc import Mapping
from typing import Any

from komodo_guard.komodo import model, versions

JSON = dict[str, Any]

#: Scenario list -> (Komodo model kind, ResourceTarget type).
KINDS: Mapping[str, tuple[str, str]] = {
    "servers": ("server", "Server"),
    "stacks": ("stack", "Stack"),
    "deployments": ("deployment", "Deployment"),
    "syncs": ("resource_sync", "ResourceSync"),
    "procedures": ("procedure", "Procedure"),
    "actions": ("action", "Action"),
    "alerters": ("alerter", "Alerter"),
    "builds": ("build", "Build"),
    "repos": ("repo", "Repo"),
    "builders": ("builder", "Builder"),
    "swarms": ("swarm", "Swarm"),
}

#: A stack's state -> the state of each of its containers (None: no container).
_CONTAINER_STATES: Mapping[str, str | None] = {
    "running": "running",
    "deploying": "running",
    "paused": "paused",
    "stopped": "exited",
    "created": "created",
    "restarting": "restarting",
    "dead": "dead",
    "removing": "removing",
}

#: Service-user ids Core writes as an Update's operator (FACTS §3.4).
SYSTEM_USER = "000000000000000000000000"
WEBHOOK_USER = "000000000000000000000003"
_SYSTEM_NAMES = {SYSTEM_USER: "System", WEBHOOK_USER: "Git Webhook"}


def object_id(*parts: str) -> str:
    """A stable 24-hex Mongo-style id derived from its parts."""
    return hashlib.sha1(":".join(parts).encode()).hexdigest()[:24]


def config_defaults(version: str, kind: str) -> JSON:
    """Every config key of `kind` with Komodo's default value."""
    komodo = model.load(versions.KomodoVersion.parse(version))
    fields = komodo.kinds[kind].fields
    return {name: copy.deepcopy(spec.default) for name, spec in fields.items()}


def config_of(
    version: str, kind: str, record: JSON, ids: Mapping[tuple[str, str], str]
) -> JSON:
    """The full config: defaults, then top-level shortcuts, then ``config``.

    ``server = "name"``, ``builder = "name"`` and ``servers = [...]`` (swarms)
    become the ids Core stores, looked up in ``ids`` ((target type, name) -> id);
    a build's ``version = "1.4.2"`` becomes the ``{major, minor, patch}`` table.
    """
    config = config_defaults(version, kind)
    for key, value in record.items():
        if key in config and key != "name":
            config[key] = copy.deepcopy(value)
    config.update(copy.deepcopy(record.get("config", {})))
    for shortcut, key, target_type in (
        ("server", "server_id", "Server"),
        ("builder", "builder_id", "Builder"),
    ):
        name = record.get(shortcut)
        if isinstance(name, str) and key in config:
            config[key] = ids.get((target_type, name), name)
    servers = record.get("servers")
    if isinstance(servers, list) and "server_ids" in config:
        config["server_ids"] = [ids.get(("Server", str(n)), str(n)) for n in servers]
    if kind == "build":
        config["version"] = _version(config.get("version"))
    return config


def tag_ids(record: JSON) -> list[str]:
    return [object_id("tag", name) for name in record.get("tags", [])]


def list_item(record: JSON, target_type: str, info: JSON) -> JSON:
    """A `ResourceListItem`: what every ``List<Kind>s`` call returns per resource."""
    return {
        "id": record["id"],
        "type": target_type,
        "name": record["name"],
        "template": bool(record.get("template", False)),
        "tags": tag_ids(record),
        "info": info,
    }


def full_resource(record: JSON, config: JSON, info: JSON | None, now_ms: int) -> JSON:
    """A whole `Resource<Config, Info>`, as ``Get<Kind>``/``ListFull<Kind>s`` send."""
    return {
        "_id": {"$oid": record["id"]},
        "name": record["name"],
        "description": record.get("description", ""),
        "template": bool(record.get("template", False)),
        "tags": tag_ids(record),
        "info": info,
        "config": config,
        "base_permission": {"level": "None", "specific": []},
        "updated_at": int(record.get("updated_at", now_ms)),
    }


def server_info(record: JSON, config: JSON, version: str) -> JSON:
    thresholds = (
        "cpu_warning",
        "cpu_critical",
        "mem_warning",
        "mem_critical",
        "disk_warning",
        "disk_critical",
    )
    sends = [key for key in config if key.startswith("send_")]
    return {
        "state": server_state(record, config),
        "err": None,
        "stats": None,
        "alerting_thresholds": {key: float(config[key]) for key in thresholds},
        "core_count": None,
        "logical_core_count": None,
        "region": config.get("region", ""),
        "address": config.get("address", ""),
        "external_address": config.get("external_address", ""),
        "public_ip": None,
        **{key: bool(config[key]) for key in sends},
        "version": record.get("periphery_version", version),
        "public_key": "",
        "attempted_public_key": None,
        "terminals_disabled": False,
        "container_terminals_disabled": False,
    }


def services(record: JSON) -> list[JSON]:
    """A stack's services as ``{service, image}`` tables."""
    found: list[JSON] = []
    for entry in record.get("services", []):
        if isinstance(entry, str):
            found.append({"service": entry, "image": f"{entry}:latest"})
        else:
            found.append({"service": entry["service"], "image": entry.get("image", "")})
    return found


def stack_list_info(record: JSON, config: JSON, server_name: str | None) -> JSON:
    repo = str(config.get("repo", ""))
    provider = str(config.get("git_provider", "github.com"))
    return {
        "swarm_id": "",
        "swarm_name": None,
        "server_id": config.get("server_id", ""),
        "server_name": server_name,
        "files_on_host": bool(config.get("files_on_host", False)),
        "file_contents": bool(config.get("file_contents", "")),
        "linked_repo": config.get("linked_repo", ""),
        "linked_repo_name": None,
        "git_provider": provider,
        "repo": repo,
        "branch": config.get("branch", "main"),
        "repo_link": f"https://{provider}/{repo}" if repo else "",
        "state": record.get("state", "running"),
        "status": record.get("status"),
        "services": [
            {**s, "latest_image": None, "update_available": False}
            for s in services(record)
        ],
        "auto_update_all_services": bool(config.get("auto_update_all_services")),
        "project_missing": False,
        "missing_files": list(record.get("missing_files", [])),
        "deployed_hash": record.get("deployed_hash"),
        "latest_hash": record.get("latest_hash", record.get("deployed_hash")),
    }


def server_state(record: JSON, config: JSON) -> str:
    """``Ok``, ``NotOk`` or ``Disabled``, as ListServers and GetServerState say."""
    default = "Ok" if config.get("enabled", True) else "Disabled"
    return str(record.get("state", default))


def stack_services(record: JSON, server: tuple[str, str | None]) -> list[JSON]:
    """ListStackServices: each service with its container, from the stack's state.

    An ``unhealthy`` stack has its first service running and the others exited;
    a ``down`` one has no containers.
    """
    state = str(record.get("state", "running"))
    found = []
    for index, entry in enumerate(services(record)):
        container_state = _CONTAINER_STATES.get(state)
        if state == "unhealthy":
            container_state = "running" if index == 0 else "exited"
        container = None
        if container_state is not None:
            container = {
                "server_id": server[0],
                "server_name": server[1],
                "name": f"{record['name']}-{entry['service']}-1",
                "image": entry["image"],
                "state": container_state,
                "status": None,
            }
        found.append(
            {
                "stack_id": record["id"],
                "stack_name": record["name"],
                "service": entry["service"],
                "image": entry["image"],
                "container": container,
                "swarm_service": None,
                "state": (container_state or "down").capitalize(),
                "image_digests": None,
            }
        )
    return found


def stack_files(
    record: JSON, config: JSON
) -> tuple[list[JSON], list[JSON], list[JSON]]:
    """What Core compares for a stack: deployed contents, contents in git, and
    the paths it could not read from git (the scenario's ``changed_files`` and
    ``remote_errors``). A stack never deployed has no deployed contents."""
    changed = set(record.get("changed_files", []))
    unreadable = list(record.get("remote_errors", []))
    paths = list(config.get("file_paths") or ["compose.yaml"])
    paths += [p for p in [*changed, *unreadable] if p not in paths]
    deployed = []
    if record.get("deployed_hash") or record.get("state", "running") != "down":
        deployed = [{"path": p, "contents": _compose_text(record, p)} for p in paths]
    remote = [
        {
            "path": p,
            "contents": _compose_text(record, p, changed=p in changed),
            "services": [],
            "requires": "Redeploy",
        }
        for p in paths
        if p not in unreadable
    ]
    errors = [
        {"path": p, "contents": f"Failed to read {p}: No such file or directory"}
        for p in unreadable
    ]
    return deployed, remote, errors


def _compose_text(record: JSON, path: str, *, changed: bool = False) -> str:
    lines = [f"# {record['name']}: {path}", "services:"]
    for entry in services(record):
        lines += [f"  {entry['service']}:", f"    image: {entry['image']}"]
    if changed:
        lines.append("# changed in git since the last deploy")
    return "\n".join(lines) + "\n"


def stack_info(record: JSON, config: JSON) -> JSON:
    names = [
        {
            "service_name": s["service"],
            "container_name": f"{record['name']}-{s['service']}-1",
            "image": s["image"],
            "image_digest": None,
        }
        for s in services(record)
    ]
    deployed, remote, errors = stack_files(record, config)
    return {
        "missing_files": list(record.get("missing_files", [])),
        "deployed_project_name": record["name"],
        "deployed_hash": record.get("deployed_hash"),
        "deployed_message": record.get("deployed_message"),
        "deployed_contents": deployed,
        "deployed_services": names,
        "deployed_config": None,
        "latest_services": names,
        "remote_contents": remote,
        "remote_errors": errors,
        "latest_hash": record.get("latest_hash", record.get("deployed_hash")),
        "latest_message": record.get("latest_message"),
    }


def deployment_image(config: JSON) -> str:
    """The image a deployment runs (``image.params.image``); empty when unset."""
    image = config.get("image", {})
    params = image.get("params", {}) if isinstance(image, dict) else {}
    return str(params.get("image", "")) if isinstance(params, dict) else ""


def deployment_list_info(record: JSON, config: JSON, server_name: str | None) -> JSON:
    return {
        "state": record.get("state", "running"),
        "status": record.get("status"),
        "custom_name": config.get("custom_name", ""),
        "image": deployment_image(config),
        "update_available": False,
        "swarm_id": "",
        "swarm_name": None,
        "server_id": config.get("server_id", ""),
        "server_name": server_name,
        "build_id": None,
    }


def sync_state(info: JSON) -> str:
    """ResourceSync list state, computed the way Core does (FACTS §2.6)."""
    if info["pending_error"] or info["pending_deploy_error"] or info["remote_errors"]:
        return "Failed"
    if info["resource_updates"] or info["variable_updates"] or info["pending_deploys"]:
        return "Pending"
    return "Ok"


def sync_info(record: JSON, ids: Mapping[tuple[str, str], str], now_ms: int) -> JSON:
    """`ResourceSyncInfo` with pending diffs from the record's ``pending`` tables."""
    updates = []
    for diff in record.get("pending", []):
        target_type = diff.get("type", "Stack")
        operation = diff.get("op", "Update")
        inner: JSON = {
            "proposed": diff.get("proposed", ""),
            "current": diff.get("current", ""),
        }
        if operation == "Create":
            inner = {"name": diff["name"], "proposed": diff.get("proposed", "")}
        elif operation == "Delete":
            inner = {"name": diff["name"], "current": diff.get("current", "")}
        target_id = ids.get((target_type, diff["name"]), "")
        updates.append(
            {
                "target": {"type": target_type, "id": target_id},
                "data": {"type": operation, "data": inner},
            }
        )
    return {
        "last_sync_ts": int(record.get("last_sync_ts", now_ms)),
        "last_sync_hash": record.get("last_sync_hash"),
        "last_sync_message": record.get("last_sync_message"),
        "resource_updates": updates,
        "variable_updates": [],
        "user_group_updates": [],
        "pending_deploys": [],
        "pending_error": record.get("pending_error"),
        "pending_deploy_error": None,
        "pending_hash": record.get("pending_hash"),
        "pending_message": record.get("pending_message"),
        "remote_contents": [],
        "remote_errors": [],
    }


def sync_list_info(config: JSON, info: JSON, syncing: bool) -> JSON:
    repo = str(config.get("repo", ""))
    provider = str(config.get("git_provider", "github.com"))
    return {
        "last_sync_ts": info["last_sync_ts"],
        "files_on_host": bool(config.get("files_on_host")),
        "file_contents": bool(config.get("file_contents")),
        "managed": bool(config.get("managed")),
        "resource_path": list(config.get("resource_path", [])),
        "linked_repo": config.get("linked_repo", ""),
        "linked_repo_name": None,
        "git_provider": provider,
        "repo": repo,
        "branch": config.get("branch", "main"),
        "repo_link": f"https://{provider}/{repo}" if repo else "",
        "last_sync_hash": info["last_sync_hash"],
        "last_sync_message": info["last_sync_message"],
        "state": "Syncing" if syncing else sync_state(info),
    }


def run_info(record: JSON, running: bool) -> JSON:
    """Procedure / Action list info (``stages`` is added for procedures)."""
    return {
        "state": "Running" if running else record.get("state", "Ok"),
        "last_run_at": record.get("last_run_at"),
        "next_scheduled_run": None,
        "schedule_error": None,
    }


def alerter_list_info(config: JSON) -> JSON:
    endpoint = config.get("endpoint") or {}
    return {
        "enabled": bool(config.get("enabled")),
        "endpoint_type": endpoint.get("type", "Custom"),
    }


def build_list_info(record: JSON, config: JSON) -> JSON:
    """A `BuildListItemInfo`."""
    return {
        "state": record.get("state", "Ok"),
        "last_built_at": int(record.get("last_built_at", 0)),
        "version": _version(config.get("version")),
        "builder_id": config.get("builder_id", ""),
        "files_on_host": bool(config.get("files_on_host")),
        "dockerfile_contents": bool(config.get("dockerfile")),
        "linked_repo": config.get("linked_repo", ""),
        "linked_repo_name": None,
        **_git(config),
        "built_hash": record.get("built_hash"),
        "latest_hash": record.get("latest_hash", record.get("built_hash")),
        "image_registry_domain": None,
    }


def build_info(record: JSON) -> JSON:
    """A `BuildInfo`, as ``GetBuild`` sends it (no Dockerfile contents)."""
    return {
        "last_built_at": int(record.get("last_built_at", 0)),
        "built_hash": record.get("built_hash"),
        "built_message": record.get("built_message"),
        "built_contents": None,
        "remote_path": None,
        "remote_contents": None,
        "remote_error": None,
        "latest_hash": record.get("latest_hash", record.get("built_hash")),
        "latest_message": record.get("latest_message"),
    }


def repo_info(record: JSON) -> JSON:
    """A `RepoInfo`, as ``GetRepo`` sends it."""
    return {
        "last_pulled_at": int(record.get("last_pulled_at", 0)),
        "last_built_at": int(record.get("last_built_at", 0)),
        "built_hash": record.get("built_hash"),
        "built_message": record.get("built_message"),
        "latest_hash": record.get("latest_hash", record.get("cloned_hash")),
        "latest_message": record.get("latest_message"),
    }


def repo_list_info(record: JSON, config: JSON, server_name: str | None) -> JSON:
    """A `RepoListItemInfo`."""
    return {
        "server_id": config.get("server_id", ""),
        "server_name": server_name,
        "builder_id": config.get("builder_id", ""),
        "last_pulled_at": int(record.get("last_pulled_at", 0)),
        "last_built_at": int(record.get("last_built_at", 0)),
        **_git(config),
        "state": record.get("state", "Ok"),
        "cloned_hash": record.get("cloned_hash"),
        "cloned_message": record.get("cloned_message"),
        "built_hash": record.get("built_hash"),
        "latest_hash": record.get("latest_hash", record.get("cloned_hash")),
    }


def builder_list_info(config: JSON) -> JSON:
    """A `BuilderListItemInfo`: the builder type and what it runs on."""
    kind = str(config.get("type") or "Url")
    params = config.get("params") or {}
    instance = None
    if kind == "Server":
        instance = params.get("server_id", "")
    elif kind == "Aws":
        instance = params.get("instance_type", "")
    return {"builder_type": kind, "instance_type": instance}


def swarm_list_info(record: JSON, config: JSON) -> JSON:
    """A `SwarmListItemInfo`."""
    return {
        "server_ids": list(config.get("server_ids", [])),
        "state": record.get("state", "Healthy"),
        "err": None,
    }


def _git(config: JSON) -> JSON:
    repo = str(config.get("repo", ""))
    provider = str(config.get("git_provider", "github.com"))
    return {
        "git_provider": provider,
        "repo": repo,
        "branch": config.get("branch", "main"),
        "repo_link": f"https://{provider}/{repo}" if repo else "",
    }


def _version(value: object) -> JSON:
    """A `Version` table from a table or a ``"1.2.3"`` string."""
    if isinstance(value, dict):
        return {k: int(value.get(k, 0)) for k in ("major", "minor", "patch")}
    parts = [int(p) for p in str(value or "0").split(".")[:3] if p.isdigit()]
    major, minor, patch = [*parts, 0, 0, 0][:3]
    return {"major": major, "minor": minor, "patch": patch}


def batch_error(name: str, message: str) -> JSON:
    """A failed item of a batch execution."""
    return {
        "status": "Err",
        "data": {"name": name, "error": {"error": message, "trace": []}},
    }


def variable(record: JSON, admin: bool) -> JSON:
    """A Variable; for non-admins a secret value is one ``#`` per byte of its
    UTF-8 text, as Core masks it (Rust's ``len`` counts bytes)."""
    value = str(record.get("value", ""))
    secret = bool(record.get("is_secret", False))
    masked = "#" * len(value.encode())
    return {
        "name": record["name"],
        "description": record.get("description", ""),
        "value": masked if secret and not admin else value,
        "is_secret": secret,
    }


def update_list_item(update: JSON) -> JSON:
    """The `UpdateListItem` view: no logs, no end_ts (FACTS §3.3)."""
    operator = update["operator"]
    return {
        "id": update["_id"]["$oid"],
        "operation": update["operation"],
        "start_ts": update["start_ts"],
        "success": update["success"],
        "username": _SYSTEM_NAMES.get(operator, update.get("username", "admin")),
        "operator": operator,
        "target": update["target"],
        "status": update["status"],
        "version": update["version"],
        "other_data": update["other_data"],
    }


def log(stage: str, command: str, start_ms: int, **fields: Any) -> JSON:
    """One `Log` entry of an Update."""
    return {
        "stage": stage,
        "command": command,
        "stdout": str(fields.get("stdout", "")),
        "stderr": str(fields.get("stderr", "")),
        "success": bool(fields.get("success", True)),
        "start_ts": start_ms,
        "end_ts": int(fields.get("end_ts", start_ms + 1200)),
    }


def update(update_id: str, operation: str, target: JSON, start_ms: int) -> JSON:
    """A fresh `Update` in `InProgress`, as execute calls return it."""
    return {
        "_id": {"$oid": update_id},
        "operation": operation,
        "start_ts": start_ms,
        "success": False,
        "operator": "admin-user-id",
        "username": "admin",
        "target": target,
        "logs": [],
        "end_ts": None,
        "status": "InProgress",
        "version": {"major": 0, "minor": 0, "patch": 0},
        "commit_hash": "",
        "other_data": "",
        "prev_toml": "",
        "current_toml": "",
    }


def public_update(update: JSON) -> JSON:
    """The stored Update without emulator-only keys."""
    return {key: value for key, value in update.items() if key != "username"}
