"""Read, write and execute calls of the emulated Core, one small function each.

`READ`, `WRITE` and `EXECUTE` map a request type (``"ListStacks"``) to its
handler ``(state, params) -> JSON``. Handlers run with the state's lock held and
after `CoreState.settle`.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from komodo_guard.komodo.patterns import compile_pattern
from komodo_guard.testing import shapes
from komodo_guard.testing.query import matches
from komodo_guard.testing.state import GIT_PULL_BLOCKED, CoreError, CoreState

JSON = dict[str, Any]
Handler = Callable[[CoreState, JSON], Any]

PAGE_SIZE = 100  # ListUpdates / ListAlerts page size (FACTS §3.2)


# -- shared helpers -----------------------------------------------------------


def core_info(state: CoreState) -> JSON:
    info: JSON = {
        "title": "Komodo",
        "monitoring_interval": "15-sec",
        "webhook_base_url": "",
        "transparent_mode": False,
        "ui_write_disabled": False,
        "disable_non_admin_create": False,
        "disable_confirm_dialog": False,
        "disable_websocket_reconnect": False,
        "enable_fancy_toml": False,
        "timezone": "",
        "public_key": "",
        "default_pagination_limit": 50,
    }
    info.update(state.scenario.core_info)
    return info


def _page(state: CoreState, items: list[JSON], params: JSON) -> list[JSON]:
    """Apply ``limit`` (default Core's pagination limit, 0 = all) and ``page``."""
    limit = params.get("limit")
    if limit is None:
        limit = core_info(state)["default_pagination_limit"]
    page = int(params.get("page") or 0)
    if not limit:
        return items
    return items[page * int(limit) : (page + 1) * int(limit)]


def _selected(state: CoreState, key: str, params: JSON) -> list[JSON]:
    """Records passing the ResourceQuery ``names`` and ``tags`` filters, by name."""
    query = params.get("query") or {}
    names = set(query.get("names") or [])
    tags = set(query.get("tags") or [])
    chosen = []
    for record in sorted(state.records[key], key=lambda r: str(r["name"])):
        if names and not names & {record["name"], record["id"]}:
            continue
        own = set(record.get("tags", [])) | set(shapes.tag_ids(record))
        if tags and not (
            tags <= own if query.get("tag_behavior") == "All" else tags & own
        ):
            continue
        chosen.append(record)
    return chosen


def _lister(key: str, info: Callable[[CoreState, JSON, JSON], JSON]) -> Handler:
    target_type = shapes.KINDS[key][1]

    def handle(state: CoreState, params: JSON) -> list[JSON]:
        items = []
        for record in _selected(state, key, params):
            config = state.config(key, record)
            items.append(
                shapes.list_item(record, target_type, info(state, record, config))
            )
        wanted = ((params.get("query") or {}).get("specific") or {}).get("states")
        if wanted:
            items = [item for item in items if item["info"]["state"] in wanted]
        return _page(state, items, params)

    return handle


def _full(key: str, info: Callable[[CoreState, JSON], JSON | None]) -> Handler:
    def handle(state: CoreState, params: JSON) -> list[JSON]:
        return _page(
            state,
            [_whole(state, key, r, info) for r in _selected(state, key, params)],
            params,
        )

    return handle


def _getter(
    key: str, param: str, info: Callable[[CoreState, JSON], JSON | None]
) -> Handler:
    def handle(state: CoreState, params: JSON) -> JSON:
        return _whole(state, key, state.find(key, _required(params, param)), info)

    return handle


def _whole(
    state: CoreState,
    key: str,
    record: JSON,
    info: Callable[[CoreState, JSON], JSON | None],
) -> JSON:
    config = state.config(key, record)
    return shapes.full_resource(
        record, config, info(state, record), int(state.started * 1000)
    )


def _required(params: JSON, name: str) -> str:
    value = params.get(name)
    if not isinstance(value, str) or not value:
        raise CoreError(422, f"missing field `{name}`")
    return value


# -- info builders -------------------------------------------------------------


def _server_list(state: CoreState, record: JSON, config: JSON) -> JSON:
    return shapes.server_info(record, config, state.version)


def _stack_list(state: CoreState, record: JSON, config: JSON) -> JSON:
    info = shapes.stack_list_info(
        record, config, state.server_names().get(config["server_id"])
    )
    if state.running(record["id"]):
        info["state"] = "deploying"
    return info


def _deployment_list(state: CoreState, record: JSON, config: JSON) -> JSON:
    info = shapes.deployment_list_info(
        record, config, state.server_names().get(config["server_id"])
    )
    if state.running(record["id"]):
        info["state"] = "deploying"
    return info


def _sync_full(state: CoreState, record: JSON) -> JSON:
    return shapes.sync_info(record, state.ids, state.now_ms())


def _sync_list(state: CoreState, record: JSON, config: JSON) -> JSON:
    return shapes.sync_list_info(
        config, _sync_full(state, record), state.running(record["id"])
    )


def _procedure_list(state: CoreState, record: JSON, config: JSON) -> JSON:
    info = shapes.run_info(record, state.running(record["id"]))
    return {"stages": len(config.get("stages", [])), **info}


def _action_list(state: CoreState, record: JSON, config: JSON) -> JSON:
    return shapes.run_info(record, state.running(record["id"]))


def _alerter_list(state: CoreState, record: JSON, config: JSON) -> JSON:
    return shapes.alerter_list_info(config)


def _no_info(state: CoreState, record: JSON) -> None:
    return None


def _stack_full(state: CoreState, record: JSON) -> JSON:
    return shapes.stack_info(record, state.config("stacks", record))


def _build_list(state: CoreState, record: JSON, config: JSON) -> JSON:
    info = shapes.build_list_info(record, config)
    if state.running(record["id"]):
        info["state"] = "Building"
    return info


def _build_full(state: CoreState, record: JSON) -> JSON:
    return shapes.build_info(record)


def _repo_full(state: CoreState, record: JSON) -> JSON:
    return shapes.repo_info(record)


def _deployment_full(state: CoreState, record: JSON) -> JSON:
    return {"latest_image_digest": None, "deployed_name": record["name"]}


def _repo_list(state: CoreState, record: JSON, config: JSON) -> JSON:
    info = shapes.repo_list_info(
        record, config, state.server_names().get(config["server_id"])
    )
    if state.running(record["id"]):
        info["state"] = "Pulling"
    return info


def _builder_list(state: CoreState, record: JSON, config: JSON) -> JSON:
    return shapes.builder_list_info(config)


def _swarm_list(state: CoreState, record: JSON, config: JSON) -> JSON:
    return shapes.swarm_list_info(record, config)


def _since_2(handler: Handler, call: str) -> Handler:
    """`handler` on Komodo 2.x; an unknown request type on older Cores."""

    def handle(state: CoreState, params: JSON) -> Any:
        if int(state.version.split(".")[0]) < 2:
            raise CoreError(422, f"unknown variant `{call}` for /read")
        return handler(state, params)

    return handle


def _server_full(state: CoreState, record: JSON) -> JSON:
    return {"attempted_public_key": None, "public_key": ""}


# -- history -------------------------------------------------------------------


def _history(
    newest_first: Iterable[JSON], params: JSON
) -> tuple[list[JSON], int | None]:
    """One page of 100 matching items, and the next page's number if any.

    Stops reading `newest_first` once the page and one more match are found.
    """
    query = params.get("query") or {}
    page = int(params.get("page") or 0)
    wanted = (page + 1) * PAGE_SIZE + 1
    chosen: list[JSON] = []
    try:
        for item in newest_first:
            if matches(item, query):
                chosen.append(item)
                if len(chosen) == wanted:
                    break
    except ValueError as error:
        raise CoreError(400, str(error)) from error
    window = chosen[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
    return window, page + 1 if len(chosen) == wanted else None


def _start_range(query: JSON) -> tuple[float, float]:
    """The ``start_ts`` bounds a ListUpdates query sets at its top level."""
    low, high = float("-inf"), float("inf")
    bounds = query.get("start_ts")
    if not isinstance(bounds, dict):
        return low, high
    for op, value in bounds.items():
        if not isinstance(value, int) or isinstance(value, bool):
            continue
        if op in ("$gte", "$gt"):
            low = max(low, value + (op == "$gt"))
        elif op in ("$lte", "$lt"):
            high = min(high, value - (op == "$lt"))
    return low, high


def list_updates(state: CoreState, params: JSON) -> JSON:
    query = params.get("query")
    low, high = _start_range(query if isinstance(query, dict) else {})
    candidates = state.updates_between(low, high)
    window, next_page = _history(reversed(candidates), params)
    return {
        "updates": [shapes.update_list_item(u) for u in window],
        "next_page": next_page,
    }


def list_alerts(state: CoreState, params: JSON) -> JSON:
    newest = sorted(state.alerts, key=lambda a: int(a["ts"]), reverse=True)
    window, next_page = _history(newest, params)
    return {"alerts": copy.deepcopy(window), "next_page": next_page}


def list_tags(state: CoreState, params: JSON) -> list[JSON]:
    names = sorted(
        {t for rs in state.records.values() for r in rs for t in r.get("tags", [])}
    )
    return [
        {
            "_id": {"$oid": shapes.object_id("tag", n)},
            "name": n,
            "owner": "",
            "color": "Slate",
        }
        for n in names
    ]


def get_server_state(state: CoreState, params: JSON) -> JSON:
    record = state.find("servers", _required(params, "server"))
    return {"status": shapes.server_state(record, state.config("servers", record))}


def list_stack_services(state: CoreState, params: JSON) -> list[JSON]:
    record = state.find("stacks", _required(params, "stack"))
    server_id = state.config("stacks", record)["server_id"]
    server = (server_id, state.server_names().get(server_id))
    return shapes.stack_services(record, server)


def list_secrets(state: CoreState, params: JSON) -> list[str]:
    """Core's secret names, plus a Server's or Builder's own when targeted."""
    names = set(state.scenario.secrets)
    target = params.get("target")
    if isinstance(target, dict) and target.get("type") in ("Server", "Builder"):
        key = "servers" if target["type"] == "Server" else "builders"
        names |= set(state.find(key, str(target.get("id", ""))).get("secrets", []))
    return sorted(names)


def list_variables(state: CoreState, params: JSON) -> list[JSON]:
    records = sorted(state.variables.values(), key=lambda v: str(v["name"]))
    return [shapes.variable(v, state.admin) for v in records]


def get_variable(state: CoreState, params: JSON) -> JSON:
    record = state.variable(_required(params, "name"))
    return shapes.variable(record, state.admin)


READ: Mapping[str, Handler] = {
    "GetVersion": lambda state, params: {"version": state.version},
    "GetCoreInfo": lambda state, params: core_info(state),
    "ListServers": _lister("servers", _server_list),
    "ListFullServers": _full("servers", _server_full),
    "GetServer": _getter("servers", "server", _server_full),
    "ListStacks": _lister("stacks", _stack_list),
    "ListFullStacks": _full("stacks", _stack_full),
    "GetStack": _getter("stacks", "stack", _stack_full),
    "ListDeployments": _lister("deployments", _deployment_list),
    "ListResourceSyncs": _lister("syncs", _sync_list),
    "ListFullResourceSyncs": _full("syncs", _sync_full),
    "GetResourceSync": _getter("syncs", "sync", _sync_full),
    "ListProcedures": _lister("procedures", _procedure_list),
    "GetProcedure": _getter("procedures", "procedure", _no_info),
    "GetAction": _getter("actions", "action", _no_info),
    "ListFullDeployments": _full("deployments", _deployment_full),
    "GetDeployment": _getter("deployments", "deployment", _deployment_full),
    "ListFullBuilds": _full("builds", _build_full),
    "GetBuild": _getter("builds", "build", _build_full),
    "GetRepo": _getter("repos", "repo", _repo_full),
    "ListActions": _lister("actions", _action_list),
    "ListAlerters": _lister("alerters", _alerter_list),
    "ListFullAlerters": _full("alerters", _no_info),
    "ListBuilds": _lister("builds", _build_list),
    "ListRepos": _lister("repos", _repo_list),
    "ListBuilders": _lister("builders", _builder_list),
    "ListSwarms": _since_2(_lister("swarms", _swarm_list), "ListSwarms"),
    "GetServerState": get_server_state,
    "ListStackServices": list_stack_services,
    "ListSecrets": list_secrets,
    "ListVariables": list_variables,
    "GetVariable": get_variable,
    "ListTags": list_tags,
    "ListUpdates": list_updates,
    "GetUpdate": lambda state, params: state.get_update(_required(params, "id")),
    "ListAlerts": list_alerts,
}


# -- write -----------------------------------------------------------------------


def refresh_sync(state: CoreState, params: JSON) -> JSON:
    return READ["GetResourceSync"](state, params)  # type: ignore[no-any-return]


def refresh_stack(state: CoreState, params: JSON) -> JSON:
    state.find("stacks", _required(params, "stack"))
    return {}


def update_variable_value(state: CoreState, params: JSON) -> JSON:
    """Set an existing Variable's value, as Core's ``UpdateVariableValue``: admins
    only; an unchanged value returns the Variable without logging anything;
    a change is logged in a System Update whose log masks the old value of a
    secret Variable but, as Core's does, shows the new one."""
    name = _required(params, "name")
    value = params.get("value")
    if not isinstance(value, str):
        raise CoreError(422, "missing field `value`")
    if not state.admin:
        raise CoreError(403, "Only Admins can update Variables")
    record = state.variable(name)
    old = str(record.get("value", ""))
    if value != old:
        record["value"] = value
        shown = "#" * len(old) if record.get("is_secret") else old
        change = f"variable: '{name}'\nfrom: {shown}\nto:   {value}"
        now = state.now_ms()
        logs = [shapes.log("Update Variable Value", "", now, stdout=change, end_ts=now)]
        state.finished("UpdateVariableValue", {"type": "System", "id": ""}, logs)
    return shapes.variable(record, state.admin)


WRITE: Mapping[str, Handler] = {
    "RefreshResourceSyncPending": refresh_sync,
    "RefreshStackCache": refresh_stack,
    "UpdateVariableValue": update_variable_value,
}


# -- execute ---------------------------------------------------------------------


def _finish_stack(record: JSON, if_changed: bool) -> Callable[[JSON, int], None]:
    def finish(update: JSON, end_ms: int) -> None:
        start = update["start_ts"]
        if record.get("deploy_fails"):
            blocked = _git_pull_blocked(record, start, end_ms)
            update["logs"] = _failure_logs(record, "deploy_logs", blocked, end_ms)
            update["success"] = False
            return
        latest = record.get("latest_hash", record.get("deployed_hash"))
        if if_changed and latest == record.get("deployed_hash"):
            message = "No changes detected, skipping deploy"
            update["logs"] = [
                shapes.log(
                    "Diff compose files", "", start, stdout=message, end_ts=end_ms
                )
            ]
        else:
            up = f"docker compose -p {record['name']} -f compose.yaml up -d"
            update["logs"] = [
                shapes.log(
                    "Compose Up", up, start, stdout="Container started", end_ts=end_ms
                )
            ]
            record["deployed_hash"] = latest
            record["state"] = "running"
            record["changed_files"] = []
        update["success"] = True

    return finish


def _failure_logs(
    record: JSON, logs_key: str, default: JSON, end_ms: int
) -> list[JSON]:
    """The log stages of a failed run: the scenario's `logs_key` tables when
    given (each a failed stage unless it says ``success = true``), else
    `default`."""
    given = record.get(logs_key)
    if not given:
        return [default]
    return [
        shapes.log(
            str(g.get("stage", "")),
            str(g.get("command", "")),
            default["start_ts"],
            end_ts=end_ms,
            stdout=g.get("stdout", ""),
            stderr=g.get("stderr", ""),
            success=g.get("success", False),
        )
        for g in given
    ]


def _git_pull_blocked(record: JSON, start: int, end_ms: int) -> JSON:
    """A ``git pull`` refused because untracked files would be overwritten."""
    branch = record.get("branch", "main")
    pull = f"git pull --rebase=false --force origin {branch}"
    return shapes.log(
        "Git Pull", pull, start, stderr=GIT_PULL_BLOCKED, success=False, end_ts=end_ms
    )


@dataclass(frozen=True)
class _Stage:
    """The one log stage of an emulated run, succeeded or failed by default."""

    name: str
    command: str
    stdout: str
    stderr: str


def _finish_stage(
    record: JSON,
    fails: str,
    stage: _Stage,
    on_end: Callable[[bool, int], None],
) -> Callable[[JSON, int], None]:
    """End an Update with `stage`: succeeded, or failed when the scenario sets
    `fails` (``<fails>_logs`` replacing the default failed stage); `on_end`
    then gets whether it succeeded and when it ended."""

    def finish(update: JSON, end_ms: int) -> None:
        start = update["start_ts"]
        failed = bool(record.get(f"{fails}_fails"))
        if failed:
            default = shapes.log(
                stage.name,
                stage.command,
                start,
                stderr=stage.stderr,
                success=False,
                end_ts=end_ms,
            )
            update["logs"] = _failure_logs(record, f"{fails}_logs", default, end_ms)
        else:
            update["logs"] = [
                shapes.log(
                    stage.name, stage.command, start, stdout=stage.stdout, end_ts=end_ms
                )
            ]
        update["success"] = not failed
        on_end(not failed, end_ms)

    return finish


def _finish_run(
    record: JSON, fail_key: str, on_success: Callable[[int], None]
) -> Callable[[JSON, int], None]:
    def finish(update: JSON, end_ms: int) -> None:
        failed = bool(record.get(fail_key))
        text = "execution failed" if failed else "finished"
        update["logs"] = [
            shapes.log(
                update["operation"],
                "",
                update["start_ts"],
                stdout=text,
                success=not failed,
                end_ts=end_ms,
            )
        ]
        update["success"] = not failed
        record["last_run_at"] = end_ms
        if not failed:
            on_success(end_ms)

    return finish


def _refuse(record: JSON) -> None:
    """Fail before any Update exists, as Core does when it refuses to start
    work (the scenario's ``execute_error``)."""
    message = record.get("execute_error")
    if message:
        raise CoreError(500, str(message))


def deploy_stack(
    state: CoreState,
    params: JSON,
    *,
    if_changed: bool = False,
    operator: str = "admin-user-id",
) -> JSON:
    record = state.find("stacks", _required(params, "stack"))
    _refuse(record)
    target = {"type": "Stack", "id": record["id"]}
    return state.start(
        "DeployStack", target, _finish_stack(record, if_changed), operator
    )


def run_sync(
    state: CoreState, params: JSON, *, operator: str = "admin-user-id"
) -> JSON:
    record = state.find("syncs", _required(params, "sync"))
    _refuse(record)

    def applied(end_ms: int) -> None:
        record["pending"] = []
        record["last_sync_ts"] = end_ms
        for alert in state.alerts:
            if alert["target"]["id"] == record["id"] and not alert["resolved"]:
                alert.update(resolved=True, resolved_ts=end_ms)

    target = {"type": "ResourceSync", "id": record["id"]}
    return state.start(
        "RunSync", target, _finish_run(record, "sync_fails", applied), operator
    )


def _runner(key: str, param: str, operation: str) -> Callable[..., JSON]:
    def run(state: CoreState, params: JSON, *, operator: str = "admin-user-id") -> JSON:
        record = state.find(key, _required(params, param))
        _refuse(record)
        target = {"type": shapes.KINDS[key][1], "id": record["id"]}
        finish = _finish_run(record, "run_fails", lambda end_ms: None)
        return state.start(operation, target, finish, operator)

    return run


run_procedure = _runner("procedures", "procedure", "RunProcedure")
run_action = _runner("actions", "action", "RunAction")


def _start(
    state: CoreState,
    key: str,
    record: JSON,
    operation: str,
    finish: Callable[[JSON, int], None],
    operator: str,
) -> JSON:
    _refuse(record)
    target = {"type": shapes.KINDS[key][1], "id": record["id"]}
    return state.start(operation, target, finish, operator)


def deploy(state: CoreState, params: JSON, *, operator: str = "admin-user-id") -> JSON:
    """``Deploy``: (re)create the deployment's container; it runs afterwards."""
    record = state.find("deployments", _required(params, "deployment"))
    image = shapes.deployment_image(state.config("deployments", record))
    name = record["name"]
    stage = _Stage(
        "Deploy Container",
        f"docker run -d --name {name} {image}",
        stdout=shapes.object_id("container", name, str(state.now_ms())),
        stderr=f"docker: Error response from daemon: pull access denied for {image}",
    )

    def ended(success: bool, end_ms: int) -> None:
        if success:
            record["state"] = "running"

    finish = _finish_stage(record, "deploy", stage, ended)
    return _start(state, "deployments", record, "Deploy", finish, operator)


def run_build(
    state: CoreState, params: JSON, *, operator: str = "admin-user-id"
) -> JSON:
    """``RunBuild``: build and push the image; the build is then Ok or Failed."""
    record = state.find("builds", _required(params, "build"))
    name = record["name"]
    stage = _Stage(
        "Build",
        f"docker build -t {name} .",
        stdout=f"naming to docker.io/library/{name} done",
        stderr='ERROR: failed to solve: process "/bin/sh -c make" did not complete '
        "successfully: exit code: 2",
    )

    def ended(success: bool, end_ms: int) -> None:
        record["state"] = "Ok" if success else "Failed"
        if success:
            record["last_built_at"] = end_ms
            record["built_hash"] = record.get("latest_hash", record.get("built_hash"))

    finish = _finish_stage(record, "build", stage, ended)
    return _start(state, "builds", record, "RunBuild", finish, operator)


def pull_repo(
    state: CoreState, params: JSON, *, operator: str = "admin-user-id"
) -> JSON:
    """``PullRepo``: pull the repo on its server; a failed pull is blocked by
    untracked files unless ``pull_logs`` says otherwise."""
    record = state.find("repos", _required(params, "repo"))
    branch = state.config("repos", record).get("branch") or "main"
    stage = _Stage(
        "Git Pull",
        f"git pull --rebase=false --force origin {branch}",
        stdout="Already up to date.",
        stderr=GIT_PULL_BLOCKED,
    )

    def ended(success: bool, end_ms: int) -> None:
        record["state"] = "Ok" if success else "Failed"
        if success:
            record["last_pulled_at"] = end_ms
            record["cloned_hash"] = record.get("latest_hash", record.get("cloned_hash"))

    finish = _finish_stage(record, "pull", stage, ended)
    return _start(state, "repos", record, "PullRepo", finish, operator)


def _batch(key: str, param: str, single: Handler) -> Handler:
    """A ``Batch*`` execution: `single` for every resource the pattern matches.

    As in Core (``list_full_for_user_using_pattern``), names that match no
    resource are skipped; a matched resource whose execution is refused before
    it starts becomes an ``Err`` item naming it.
    """

    def handle(state: CoreState, params: JSON) -> list[JSON]:
        pattern = compile_pattern(_required(params, "pattern"))
        if pattern.errors:
            raise CoreError(400, f"invalid pattern: {pattern.errors[0]}")
        names = sorted(
            r["name"] for r in state.records[key] if pattern.matches(r["name"])
        )
        items = []
        for name in names:
            try:
                items.append({"status": "Ok", "data": single(state, {param: name})})
            except CoreError as error:
                items.append(shapes.batch_error(name, error.message))
        return items

    return handle


EXECUTE: Mapping[str, Handler] = {
    "DeployStack": deploy_stack,
    "DeployStackIfChanged": lambda state, params: deploy_stack(
        state, params, if_changed=True
    ),
    "BatchDeployStack": _batch("stacks", "stack", deploy_stack),
    "BatchDeployStackIfChanged": _batch(
        "stacks",
        "stack",
        lambda state, params: deploy_stack(state, params, if_changed=True),
    ),
    "RunSync": run_sync,
    "RunProcedure": run_procedure,
    "BatchRunProcedure": _batch("procedures", "procedure", run_procedure),
    "RunAction": run_action,
    "BatchRunAction": _batch("actions", "action", run_action),
    "Deploy": deploy,
    "BatchDeploy": _batch("deployments", "deployment", deploy),
    "RunBuild": run_build,
    "BatchRunBuild": _batch("builds", "build", run_build),
    "PullRepo": pull_repo,
    "BatchPullRepo": _batch("repos", "repo", pull_repo),
}
