"""The emulated Core's memory: resources, Updates and Alerts, and running work.

Work started by an execute call or a webhook finishes lazily: each request first
calls `CoreState.settle`, which completes every Update whose time has come and
applies its effect (a sync's pending diff cleared, a stack's deployed hash moved).
No background thread is needed, so a stopped emulator leaves nothing running.

Updates are kept sorted by ``start_ts`` and indexed by id, so a time slice of
the log is found by bisection and GetUpdate is a dictionary lookup, however long
the log.
"""

from __future__ import annotations

import bisect
import copy
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from komodo_guard.testing import shapes
from komodo_guard.testing.scenario import Scenario, parse_ago

JSON = dict[str, Any]

GIT_PULL_BLOCKED = (
    "error: The following untracked working tree files would be overwritten by merge:\n"
    "\tcompose.yaml\n"
    "Please move or remove them before you merge.\n"
    "Aborting"
)


class CoreError(Exception):
    """A request Core refuses; becomes ``{"error", "trace"}`` with `status`."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass
class _Job:
    update: JSON
    due: float
    finish: Callable[[JSON, int], None]


class CoreState:
    """Everything the emulator serves; every public method holds the lock."""

    def __init__(
        self, scenario: Scenario, *, update_seconds: float, admin: bool = True
    ) -> None:
        self.scenario = scenario
        self.version = scenario.version
        self.update_seconds = update_seconds
        self.admin = admin
        self.lock = threading.RLock()
        self.started = time.time()
        self.records: dict[str, list[JSON]] = {}
        self.ids: dict[tuple[str, str], str] = {}
        for key, (_, target_type) in shapes.KINDS.items():
            self.records[key] = [
                self._with_id(r, target_type) for r in getattr(scenario, key)
            ]
        self.updates: list[JSON] = sorted(
            (self._scenario_update(u, i) for i, u in enumerate(scenario.updates)),
            key=lambda u: int(u["start_ts"]),
        )
        self._stamps = [int(u["start_ts"]) for u in self.updates]
        self._by_id = {u["_id"]["$oid"]: u for u in self.updates}
        self._configs: dict[tuple[str, str], JSON] = {}
        self._server_names = {r["id"]: r["name"] for r in self.records["servers"]}
        self._index = {
            key: {
                **{r["name"]: r for r in records},
                **{r["id"]: r for r in records},
            }
            for key, records in self.records.items()
        }
        self.alerts: list[JSON] = [
            self._scenario_alert(a, i) for i, a in enumerate(scenario.alerts)
        ]
        self.variables: dict[str, JSON] = {
            str(v["name"]): copy.deepcopy(v) for v in scenario.variables
        }
        self._jobs: list[_Job] = []
        self._counter = 0

    # -- lookups ---------------------------------------------------------------

    def now_ms(self) -> int:
        return int(time.time() * 1000)

    def find(self, key: str, id_or_name: str) -> JSON:
        """The record of kind `key` named or identified by `id_or_name`, or a 404."""
        record = self._index[key].get(id_or_name)
        if record is not None:
            return record
        target_type = shapes.KINDS[key][1]
        raise CoreError(404, f"did not find any {target_type} matching {id_or_name}")

    def variable(self, name: str) -> JSON:
        """The Variable named `name`, or the error Core gives for an unknown one
        (`get_variable`: no status of its own, so 500)."""
        record = self.variables.get(name)
        if record is None:
            raise CoreError(500, f"no variable found with given name: {name}")
        return record

    def server_names(self) -> dict[str, str]:
        """Server id -> name (servers are fixed by the scenario)."""
        return self._server_names

    def config(self, key: str, record: JSON) -> JSON:
        """The record's full config, built once; callers must not change it."""
        cache_key = (key, record["id"])
        config = self._configs.get(cache_key)
        if config is None:
            kind = shapes.KINDS[key][0]
            config = shapes.config_of(self.version, kind, record, self.ids)
            self._configs[cache_key] = config
        return config

    def updates_between(self, low: float, high: float) -> list[JSON]:
        """Updates with ``low <= start_ts <= high``, oldest first."""
        first = bisect.bisect_left(self._stamps, low)
        last = bisect.bisect_right(self._stamps, high)
        return self.updates[first:last]

    def running(self, target_id: str) -> bool:
        return any(job.update["target"]["id"] == target_id for job in self._jobs)

    # -- work ------------------------------------------------------------------

    def settle(self) -> None:
        """Complete every Update whose time has come."""
        now = time.time()
        due = [job for job in self._jobs if job.due <= now]
        self._jobs = [job for job in self._jobs if job.due > now]
        for job in due:
            end_ms = int(job.due * 1000)
            job.finish(job.update, end_ms)
            job.update["status"] = "Complete"
            job.update["end_ts"] = end_ms

    def start(
        self,
        operation: str,
        target: JSON,
        finish: Callable[[JSON, int], None],
        operator: str = "admin-user-id",
    ) -> JSON:
        """Record an InProgress Update whose `finish` runs after ``update_seconds``."""
        update = self._new_update(operation, target, operator)
        self._jobs.append(_Job(update, time.time() + self.update_seconds, finish))
        return copy.deepcopy(shapes.public_update(update))

    def finished(
        self,
        operation: str,
        target: JSON,
        logs: list[JSON],
        operator: str = "admin-user-id",
    ) -> JSON:
        """Record an Update that is Complete at once and succeeded, as Core does
        for writes that log themselves (``UpdateVariableValue``)."""
        update = self._new_update(operation, target, operator)
        update.update(
            logs=logs, success=True, status="Complete", end_ts=update["start_ts"]
        )
        return update

    def _new_update(self, operation: str, target: JSON, operator: str) -> JSON:
        self._counter += 1
        update_id = shapes.object_id("update", str(self.started), str(self._counter))
        update = shapes.update(update_id, operation, target, self.now_ms())
        update["operator"] = operator
        index = bisect.bisect_right(self._stamps, update["start_ts"])
        self._stamps.insert(index, update["start_ts"])
        self.updates.insert(index, update)
        self._by_id[update_id] = update
        return update

    def get_update(self, update_id: str) -> JSON:
        update = self._by_id.get(update_id)
        if update is None:
            raise CoreError(404, f"did not find any Update with id {update_id}")
        return copy.deepcopy(shapes.public_update(update))

    # -- scenario --------------------------------------------------------------

    def _with_id(self, record: JSON, target_type: str) -> JSON:
        copied = copy.deepcopy(record)
        copied.setdefault("id", shapes.object_id(target_type, record["name"]))
        for ago, absolute in (
            ("last_sync_ago", "last_sync_ts"),
            ("last_run_ago", "last_run_at"),
            ("last_built_ago", "last_built_at"),
            ("last_pulled_ago", "last_pulled_at"),
        ):
            if ago in copied:
                copied[absolute] = self._ago_ms(copied, ago)
        self.ids[(target_type, copied["name"])] = copied["id"]
        return copied

    def _ago_ms(self, record: JSON, key: str = "ago") -> int:
        if key in record:
            return int((self.started - parse_ago(str(record[key]))) * 1000)
        return int(self.started * 1000)

    def _target(self, target: JSON) -> JSON:
        target_type = str(target.get("type", "System"))
        if "id" in target:
            return {"type": target_type, "id": target["id"]}
        name = str(target.get("name", ""))
        return {"type": target_type, "id": self.ids.get((target_type, name), name)}

    def _scenario_update(self, record: JSON, index: int) -> JSON:
        start = int(record.get("start_ts", self._ago_ms(record)))
        update = shapes.update(
            shapes.object_id("scenario-update", str(index)),
            str(record.get("operation", "None")),
            self._target(record["target"]),
            start,
        )
        seconds = float(record.get("duration_seconds", 5))
        end = start + int(seconds * 1000)
        update["logs"] = [
            shapes.log(
                str(entry.get("stage", "")),
                str(entry.get("command", "")),
                start,
                end_ts=end,
                **{k: entry[k] for k in ("stdout", "stderr", "success") if k in entry},
            )
            for entry in record.get("logs", [])
        ]
        update.update(
            success=bool(record.get("success", True)),
            status=str(record.get("status", "Complete")),
            end_ts=end if record.get("status", "Complete") == "Complete" else None,
            operator=str(record.get("operator", "admin-user-id")),
            username=str(record.get("username", "admin")),
            commit_hash=str(record.get("commit_hash", "")),
        )
        return update

    def _scenario_alert(self, record: JSON, index: int) -> JSON:
        target = self._target(record["target"])
        name = str(record["target"].get("name", ""))
        data = {"id": target["id"], "name": name, **record.get("data", {})}
        resolved = bool(record.get("resolved", False))
        return {
            "_id": {"$oid": shapes.object_id("alert", str(index))},
            "ts": int(record.get("ts", self._ago_ms(record))),
            "resolved": resolved,
            "level": str(record.get("level", "WARNING")),
            "target": target,
            "data": {"type": str(record.get("type", "None")), "data": data},
            "resolved_ts": self._ago_ms(record, "resolved_ago") if resolved else None,
        }
