"""The live snapshot: one concurrent pass over Komodo Core, frozen for rules.

:func:`collect_snapshot` asks Core once for each kind of resource (``List*``
with ``limit: 0``, never one call per resource), then reads pending details
only for syncs listed ``Pending`` or ``Failed``. Updates of the last
``window_days`` and open alerts are paged. A call that fails becomes an
:class:`Incomplete` entry naming the call and why; everything else is still
collected. Variable values are fingerprinted and dropped at once.

With ``refresh=True`` the collector first asks Core to recompute every sync's
pending changes (RefreshResourceSyncPending) and every stack's cached latest
commit (RefreshStackCache). Those are writes, so they are off by default.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable, Mapping
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, NamedTuple

from komodo_guard.komodo.versions import KomodoVersion
from komodo_guard.live.client import CoreClient, Pages, supported_version
from komodo_guard.live.errors import CoreError
from komodo_guard.live.fingerprint import fingerprint, new_key
from komodo_guard.live.views import (
    Alert,
    Alerter,
    CoreInfo,
    Deployment,
    Runnable,
    Server,
    Stack,
    Sync,
    SyncPending,
    Update,
    flag,
    resource_id,
    text,
)

DEFAULT_WINDOW_DAYS = 30
DEFAULT_CONCURRENCY = 4
_PENDING_STATES = frozenset({"Pending", "Failed"})
_FAILED = object()


@dataclass(frozen=True)
class Variable:
    """A Core Variable: its name, whether secret, and a keyed fingerprint.

    ``fingerprint`` is None when Core masked the value (a non-admin key sees
    ``#`` repeated instead of a secret value).
    """

    name: str
    is_secret: bool
    fingerprint: str | None


@dataclass(frozen=True)
class Incomplete:
    """A call the collector could not complete, and why."""

    call: str
    reason: str
    resource: str = ""
    """The resource the call was about, for per-resource calls."""


class Step(NamedTuple):
    """Progress: ``call`` just finished; ``done`` of ``total`` calls so far."""

    call: str
    done: int
    total: int


Progress = Callable[[Step], None]


@dataclass(frozen=True)
class LiveSnapshot:
    """What one Komodo Core reported, and what could not be read."""

    url: str
    collected_at: datetime
    window_days: int
    refreshed: bool
    version: str
    model_version: KomodoVersion | None
    core: CoreInfo | None
    servers: tuple[Server, ...]
    stacks: tuple[Stack, ...]
    deployments: tuple[Deployment, ...]
    syncs: tuple[Sync, ...]
    procedures: tuple[Runnable, ...]
    actions: tuple[Runnable, ...]
    alerters: tuple[Alerter, ...]
    variables: tuple[Variable, ...]
    updates: tuple[Update, ...]
    open_alerts: tuple[Alert, ...]
    incomplete: tuple[Incomplete, ...]

    @property
    def complete(self) -> bool:
        """True when every call succeeded and nothing was cut short."""
        return not self.incomplete

    def could_not_read(self, call: str) -> bool:
        """Whether ``call`` (e.g. ``ListStacks``) failed or was cut short."""
        return any(entry.call == call for entry in self.incomplete)


class _Job(NamedTuple):
    call: str
    resource: str
    run: Callable[[], Any]


def collect_snapshot(
    client: CoreClient,
    *,
    window_days: int = DEFAULT_WINDOW_DAYS,
    refresh: bool = False,
    concurrency: int = DEFAULT_CONCURRENCY,
    progress: Progress | None = None,
    now: datetime | None = None,
    fingerprint_key: bytes | None = None,
) -> LiveSnapshot:
    """Read everything the live rules need from ``client``'s Core in one pass.

    ``fingerprint_key`` lets a caller compare variable fingerprints with other
    stores in the same run; by default a random key is used and forgotten.
    """
    moment = now or datetime.now(UTC)
    runner = _Runner(concurrency, progress)
    if refresh:
        _refresh(client, runner)
    since = moment - timedelta(days=window_days)
    key = fingerprint_key or new_key()
    results = runner.run(_main_jobs(client, since, key), _sync_details(client))
    return _assemble(client.url, moment, window_days, refresh, results, runner)


def _main_jobs(client: CoreClient, since: datetime, key: bytes) -> list[_Job]:
    def listed(request: str, view: Callable[[Any], Any]) -> _Job:
        return _Job(request, "", lambda: _views(client.list_all(request), view))

    since_ms = int(since.timestamp() * 1000)
    updates = {"query": {"start_ts": {"$gte": since_ms}}}
    return [
        _Job("GetVersion", "", client.version),
        _Job("GetCoreInfo", "", lambda: CoreInfo.from_json(client.read("GetCoreInfo"))),
        listed("ListServers", Server.from_json),
        listed("ListStacks", Stack.from_json),
        listed("ListDeployments", Deployment.from_json),
        listed("ListResourceSyncs", Sync.from_json),
        listed("ListProcedures", Runnable.from_json),
        listed("ListActions", Runnable.from_json),
        listed("ListFullAlerters", Alerter.from_json),
        _Job("ListVariables", "", lambda: _variables(client, key)),
        _Job(
            "ListUpdates", "", lambda: client.pages("ListUpdates", updates, "updates")
        ),
        _Job("ListAlerts", "", lambda: _open_alerts(client)),
    ]


def _sync_details(client: CoreClient) -> Callable[[_Job, Any], list[_Job]]:
    """Follow-up jobs: GetResourceSync for each sync listed Pending or Failed."""

    def follow(job: _Job, result: Any) -> list[_Job]:
        if job.call != "ListResourceSyncs":
            return []
        return [_pending_job(client, sync) for sync in result if _needs_details(sync)]

    return follow


def _needs_details(sync: Sync) -> bool:
    return sync.state in _PENDING_STATES


def _pending_job(client: CoreClient, sync: Sync) -> _Job:
    def run() -> SyncPending:
        return SyncPending.from_json(
            client.read("GetResourceSync", {"sync": sync.id or sync.name})
        )

    return _Job("GetResourceSync", sync.name, run)


def _refresh(client: CoreClient, runner: _Runner) -> None:
    """Ask Core to recompute sync pending state and stack caches (writes)."""

    writes = {
        "ListResourceSyncs": ("RefreshResourceSyncPending", "sync"),
        "ListStacks": ("RefreshStackCache", "stack"),
    }

    def refresh_all(job: _Job, result: Any) -> list[_Job]:
        if job.call not in writes:
            return []
        request, param = writes[job.call]
        return [
            _refresh_job(client, request, param, item)
            for item in result
            if isinstance(item, dict)
        ]

    first = [
        _Job(request, "", functools.partial(client.list_all, request))
        for request in ("ListResourceSyncs", "ListStacks")
    ]
    runner.run(first, refresh_all)


def _refresh_job(
    client: CoreClient, request: str, param: str, item: dict[str, Any]
) -> _Job:
    target = resource_id(item) or text(item, "name")
    return _Job(
        request, text(item, "name"), lambda: client.write(request, {param: target})
    )


def _variables(client: CoreClient, key: bytes) -> tuple[Variable, ...]:
    """Names, secrecy and fingerprints; each value is dropped once hashed."""
    found = []
    for item in client.list_all("ListVariables"):
        if not isinstance(item, dict):
            continue
        secret = flag(item, "is_secret")
        value = item.pop("value", None)
        digest = None
        if isinstance(value, str) and not (secret and _masked(value)):
            digest = fingerprint(key, value)
        found.append(Variable(text(item, "name"), secret, digest))
    return tuple(found)


def _masked(value: str) -> bool:
    return bool(value) and value.strip("#") == ""


def _open_alerts(client: CoreClient) -> Pages:
    return client.pages("ListAlerts", {"query": {"resolved": False}}, "alerts")


def _views(items: list[Any], view: Callable[[Any], Any]) -> tuple[Any, ...]:
    return tuple(view(item) for item in items if isinstance(item, dict))


class _Runner:
    """Runs jobs on a bounded thread pool, collecting results and failures."""

    def __init__(self, concurrency: int, progress: Progress | None) -> None:
        self.workers = max(1, concurrency)
        self.progress = progress
        self.incomplete: list[Incomplete] = []
        self.done = 0
        self.total = 0

    def run(
        self, jobs: list[_Job], follow: Callable[[_Job, Any], list[_Job]]
    ) -> dict[tuple[str, str], Any]:
        """Run ``jobs`` and the jobs ``follow`` derives from each result."""
        results: dict[tuple[str, str], Any] = {}
        with ThreadPoolExecutor(max_workers=self.workers) as pool:
            running = self._submit(pool, jobs)
            while running:
                finished, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in finished:
                    job = running.pop(future)
                    result = self._outcome(job, future)
                    if result is not _FAILED:
                        results[job.call, job.resource] = result
                        running.update(self._submit(pool, follow(job, result)))
                    self._report(job)
        return results

    def _submit(
        self, pool: ThreadPoolExecutor, jobs: list[_Job]
    ) -> dict[Future[Any], _Job]:
        self.total += len(jobs)
        return {pool.submit(job.run): job for job in jobs}

    def _outcome(self, job: _Job, future: Future[Any]) -> Any:
        try:
            return future.result()
        except CoreError as error:
            self.incomplete.append(Incomplete(job.call, error.detail, job.resource))
            return _FAILED

    def _report(self, job: _Job) -> None:
        self.done += 1
        if self.progress is not None:
            self.progress(Step(job.call, self.done, self.total))


def _assemble(
    url: str,
    moment: datetime,
    window_days: int,
    refreshed: bool,
    results: Mapping[tuple[str, str], Any],
    runner: _Runner,
) -> LiveSnapshot:
    def listed(call: str) -> tuple[Any, ...]:
        return tuple(results.get((call, ""), ()))

    version = results.get(("GetVersion", ""), "")
    updates = _paged(results, "ListUpdates", Update.from_json, runner)
    alerts = _paged(results, "ListAlerts", Alert.from_json, runner)
    return LiveSnapshot(
        url=url,
        collected_at=moment,
        window_days=window_days,
        refreshed=refreshed,
        version=version,
        model_version=_model_version(version, runner),
        core=results.get(("GetCoreInfo", "")),
        servers=listed("ListServers"),
        stacks=listed("ListStacks"),
        deployments=listed("ListDeployments"),
        syncs=_with_pending(listed("ListResourceSyncs"), results),
        procedures=listed("ListProcedures"),
        actions=listed("ListActions"),
        alerters=listed("ListFullAlerters"),
        variables=listed("ListVariables"),
        updates=updates,
        open_alerts=alerts,
        incomplete=tuple(runner.incomplete),
    )


def _with_pending(
    syncs: tuple[Sync, ...], results: Mapping[tuple[str, str], Any]
) -> tuple[Sync, ...]:
    return tuple(
        dataclasses.replace(sync, pending=results.get(("GetResourceSync", sync.name)))
        for sync in syncs
    )


def _paged(
    results: Mapping[tuple[str, str], Any],
    call: str,
    view: Callable[[Any], Any],
    runner: _Runner,
) -> tuple[Any, ...]:
    pages: Pages | None = results.get((call, ""))
    if pages is None:
        return ()
    if pages.truncated:
        reason = f"stopped after {len(pages.items)} items; older ones were not read"
        runner.incomplete.append(Incomplete(call, reason))
    return tuple(view(item) for item in pages.items)


def _model_version(version: str, runner: _Runner) -> KomodoVersion | None:
    if not version:
        return None
    try:
        return supported_version(version)
    except CoreError as error:
        runner.incomplete.append(Incomplete(error.call, error.detail))
        return None
