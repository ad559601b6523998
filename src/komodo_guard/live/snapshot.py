"""The live snapshot: one concurrent pass over Komodo Core, frozen for rules.

:func:`collect_snapshot` asks Core for its version first (it decides which
calls exist), then once for each kind of resource (``List*`` with
``limit: 0``, never one call per resource), pending details only for syncs
listed ``Pending`` or ``Failed``, the update log of the last ``window_days``
in time slices read side by side (:mod:`update_log`), open alerts, and the
logs of the failures the history needs. A call that fails becomes an
:class:`Incomplete` entry naming the call and why; everything else is still
collected. Variable values are fingerprinted and dropped at once, and stack
file contents are compared and dropped.

With ``refresh=True`` the collector first asks Core to recompute every sync's
pending changes (RefreshResourceSyncPending) and every stack's cached latest
commit (RefreshStackCache). Those are writes, so they are off by default.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import gc
import logging
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, NamedTuple

from komodo_guard.komodo.updates import Target, Update
from komodo_guard.komodo.versions import KomodoVersion
from komodo_guard.live import update_log
from komodo_guard.live.client import CoreClient, Pages, supported_version
from komodo_guard.live.errors import CoreError
from komodo_guard.live.fingerprint import fingerprint, new_key
from komodo_guard.live.views import (
    Alert,
    Alerter,
    CoreInfo,
    Deployment,
    Listed,
    Runnable,
    Server,
    Stack,
    StackFiles,
    Sync,
    SyncPending,
    flag,
    resource_id,
    text,
    update,
)

_LOG = logging.getLogger(__name__)

DEFAULT_WINDOW_DAYS = 30
DEFAULT_CONCURRENCY = 16
"""Requests in flight at once. Each answer costs Core little; the collector's
time is mostly round trips, so more in flight means less waiting
(``benchmarks/live_bench.py``, 1,000 stacks and 20,000 updates at 20 ms per
request, 638 requests: 2.6 s with 8, 1.65 s with 16 on two idle CPUs)."""
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
    """Newest first; failures that start or end a streak carry their logs."""
    alerts: tuple[Alert, ...]
    """Alerts raised in the window, and older ones still open; newest first."""
    incomplete: tuple[Incomplete, ...]
    builds: tuple[Listed, ...] = ()
    repos: tuple[Listed, ...] = ()
    builders: tuple[Listed, ...] = ()
    swarms: tuple[Listed, ...] = ()

    @property
    def complete(self) -> bool:
        """True when every call succeeded and nothing was cut short."""
        return not self.incomplete

    @property
    def open_alerts(self) -> tuple[Alert, ...]:
        """Alerts not resolved yet."""
        return tuple(alert for alert in self.alerts if not alert.resolved)

    def could_not_read(self, call: str) -> bool:
        """Whether ``call`` (e.g. ``ListStacks``) failed or was cut short."""
        return any(entry.call == call for entry in self.incomplete)

    def names(self, kind: str) -> frozenset[str] | None:
        """Names Core holds of a TOML kind (``stack``, ``resource_sync``...);
        None when that list could not be read or this snapshot has no list
        for the kind."""
        listing = _LISTINGS.get(kind)
        if listing is None or self.could_not_read(listing[0]):
            return None
        return frozenset(item.name for item in getattr(self, listing[1]))


# TOML kind -> the list call and the snapshot field holding its items.
_LISTINGS = {
    "server": ("ListServers", "servers"),
    "stack": ("ListStacks", "stacks"),
    "deployment": ("ListDeployments", "deployments"),
    "resource_sync": ("ListResourceSyncs", "syncs"),
    "procedure": ("ListProcedures", "procedures"),
    "action": ("ListActions", "actions"),
    "alerter": ("ListFullAlerters", "alerters"),
    "build": ("ListBuilds", "builds"),
    "repo": ("ListRepos", "repos"),
    "builder": ("ListBuilders", "builders"),
    "swarm": ("ListSwarms", "swarms"),
}


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
    with _collection_paused():
        return _collect(
            client,
            window_days=window_days,
            refresh=refresh,
            concurrency=concurrency,
            progress=progress,
            now=now,
            fingerprint_key=fingerprint_key,
        )


@contextlib.contextmanager
def _collection_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while answers pile up.

    A large Core's answers are hundreds of thousands of small JSON objects;
    the collector would traverse them again and again as they arrive (a third
    of the pass on 20,000 updates) to find no cycles at all.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _collect(
    client: CoreClient,
    *,
    window_days: int,
    refresh: bool,
    concurrency: int,
    progress: Progress | None,
    now: datetime | None,
    fingerprint_key: bytes | None,
) -> LiveSnapshot:
    moment = now or datetime.now(UTC)
    runner = _Runner(concurrency, progress)
    version_text = runner.run([_Job("GetVersion", "", client.version)], _nothing)
    version = _model_version(version_text.get(("GetVersion", ""), ""), runner)
    if refresh:
        _refresh(client, runner)
    since = int((moment - timedelta(days=window_days)).timestamp() * 1000)
    key = fingerprint_key or new_key()
    jobs = _main_jobs(client, since, key, version)
    results = runner.run(jobs, _follow_ups(client, since))
    results[("GetVersion", "")] = version_text.get(("GetVersion", ""), "")
    raw_updates = _updates(results, runner)
    names = _names_by_id(results)
    views: list[Update] = []
    details = runner.run(
        [
            _Job("GetUpdate", ident, update_log.details_job(client, ident))
            for ident in update_log.streak_ends(raw_updates)
        ],
        _nothing,
        meanwhile=lambda: views.extend(update(item, names) for item in raw_updates),
    )
    updates = _with_details(raw_updates, views, details, names)
    return _assemble(
        client.url, moment, window_days, refresh, version, results, updates, runner
    )


def _main_jobs(
    client: CoreClient, since: int, key: bytes, version: KomodoVersion | None
) -> list[_Job]:
    def listed(request: str, view: Callable[[Any], Any]) -> _Job:
        return _Job(request, "", lambda: _views(client.list_all(request), view))

    jobs = [
        _Job("GetCoreInfo", "", lambda: CoreInfo.from_json(client.read("GetCoreInfo"))),
        listed("ListServers", Server.from_json),
        listed("ListStacks", Stack.from_json),
        listed("ListFullStacks", StackFiles.from_json),
        listed("ListDeployments", Deployment.from_json),
        listed("ListResourceSyncs", Sync.from_json),
        listed("ListProcedures", Runnable.from_json),
        listed("ListActions", Runnable.from_json),
        listed("ListFullAlerters", Alerter.from_json),
        listed("ListBuilds", Listed.from_json),
        listed("ListRepos", Listed.from_json),
        listed("ListBuilders", Listed.from_json),
        _Job("ListVariables", "", lambda: _variables(client, key)),
        _Job("ListUpdates", "", lambda: update_log.first_page(client, since)),
        _Job("ListAlerts", "", lambda: _alerts(client, since)),
    ]
    if version is None or version.major >= 2:
        jobs.append(listed("ListSwarms", Listed.from_json))
    return jobs


def _nothing(job: _Job, result: Any) -> list[_Job]:
    return []


def _follow_ups(client: CoreClient, since: int) -> Callable[[_Job, Any], list[_Job]]:
    """Jobs derived from results: sync details, and the rest of the update log."""

    def follow(job: _Job, result: Any) -> list[_Job]:
        if job.call == "ListResourceSyncs":
            return [_pending_job(client, s) for s in result if _needs_details(s)]
        if job.call == "ListUpdates" and not job.resource:
            return [
                _Job(
                    "ListUpdates",
                    f"{part.since}-{part.until}",
                    functools.partial(update_log.read_slice, client, part),
                )
                for part in update_log.remaining_slices(result, since)
            ]
        return []

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


def _alerts(client: CoreClient, since: int) -> Pages:
    """Alerts of the window, and open ones however old."""
    query = {"$or": [{"resolved": False}, {"ts": {"$gte": since}}]}
    return client.pages("ListAlerts", {"query": query}, "alerts")


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
        self,
        jobs: list[_Job],
        follow: Callable[[_Job, Any], list[_Job]],
        meanwhile: Callable[[], None] | None = None,
    ) -> dict[tuple[str, str], Any]:
        """Run ``jobs`` and the jobs ``follow`` derives from each result;
        ``meanwhile`` runs on this thread while the first requests are out."""
        results: dict[tuple[str, str], Any] = {}
        with ThreadPoolExecutor(max_workers=self.workers) as pool:
            running = self._submit(pool, jobs)
            if meanwhile is not None:
                meanwhile()
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
        except Exception as error:  # one odd answer must not end the whole pass
            _LOG.debug("%s failed unexpectedly", job.call, exc_info=True)
            reason = f"could not read the answer ({type(error).__name__})"
            self.incomplete.append(Incomplete(job.call, reason, job.resource))
        return _FAILED

    def _report(self, job: _Job) -> None:
        self.done += 1
        if self.progress is not None:
            self.progress(Step(job.call, self.done, self.total))


def _updates(
    results: Mapping[tuple[str, str], Any], runner: _Runner
) -> list[dict[str, Any]]:
    """The update log's raw items, merged from the first page and the slices."""
    first = results.get(("ListUpdates", ""))
    if first is None:
        return []
    slices = [
        pages
        for (call, part), pages in results.items()
        if call == "ListUpdates" and part and isinstance(pages, Pages)
    ]
    items, truncated = update_log.merged(first, slices)
    if truncated:
        reason = f"stopped after {len(items)} updates; older ones were not read"
        runner.incomplete.append(Incomplete("ListUpdates", reason))
    return items


def _assemble(
    url: str,
    moment: datetime,
    window_days: int,
    refreshed: bool,
    version: KomodoVersion | None,
    results: Mapping[tuple[str, str], Any],
    updates: tuple[Update, ...],
    runner: _Runner,
) -> LiveSnapshot:
    def listed(call: str) -> tuple[Any, ...]:
        return tuple(results.get((call, ""), ()))

    names = _names_by_id(results)
    alerts = tuple(
        dataclasses.replace(alert, target=_named(alert.target, names))
        for alert in _paged(results, "ListAlerts", Alert.from_json, runner)
    )
    return LiveSnapshot(
        url=url,
        collected_at=moment,
        window_days=window_days,
        refreshed=refreshed,
        version=results.get(("GetVersion", ""), ""),
        model_version=version,
        core=results.get(("GetCoreInfo", "")),
        servers=listed("ListServers"),
        stacks=_with_files(listed("ListStacks"), listed("ListFullStacks")),
        deployments=listed("ListDeployments"),
        syncs=_with_pending(listed("ListResourceSyncs"), results, names),
        procedures=listed("ListProcedures"),
        actions=listed("ListActions"),
        alerters=listed("ListFullAlerters"),
        variables=listed("ListVariables"),
        updates=updates,
        alerts=alerts,
        incomplete=tuple(runner.incomplete),
        builds=listed("ListBuilds"),
        repos=listed("ListRepos"),
        builders=listed("ListBuilders"),
        swarms=listed("ListSwarms"),
    )


def _names_by_id(results: Mapping[tuple[str, str], Any]) -> dict[str, str]:
    """Resource id -> name, over every list read (targets carry ids only)."""
    table: dict[str, str] = {}
    for call, _ in _LISTINGS.values():
        for item in results.get((call, ""), ()):
            table[item.id] = item.name
    return table


def _with_details(
    raw: list[dict[str, Any]],
    views: list[Update],
    details: Mapping[tuple[str, str], Any],
    names: Mapping[str, str],
) -> tuple[Update, ...]:
    """The listed updates, those read with GetUpdate rebuilt with what it added
    (logs, end time); listed fields GetUpdate lacks (``username``) are kept."""
    answers = {ident: answer for (_, ident), answer in details.items()}
    found = []
    for item, view in zip(raw, views, strict=True):
        detail = answers.get(resource_id(item))
        if isinstance(detail, dict):
            view = update({**item, **detail}, names)
        found.append(view)
    return tuple(found)


def _with_files(
    stacks: tuple[Stack, ...], files: tuple[StackFiles, ...]
) -> tuple[Stack, ...]:
    by_id = {entry.id: entry for entry in files}
    return tuple(
        dataclasses.replace(
            stack,
            remote_errors=by_id[stack.id].remote_errors,
            changed_files=by_id[stack.id].changed_files,
        )
        if stack.id in by_id
        else stack
        for stack in stacks
    )


def _with_pending(
    syncs: tuple[Sync, ...],
    results: Mapping[tuple[str, str], Any],
    names: Mapping[str, str],
) -> tuple[Sync, ...]:
    return tuple(
        dataclasses.replace(
            sync,
            pending=_pending_named(results.get(("GetResourceSync", sync.name)), names),
        )
        for sync in syncs
    )


def _pending_named(
    pending: SyncPending | None, names: Mapping[str, str]
) -> SyncPending | None:
    """Pending changes with each target's name filled in from Core's lists."""
    if pending is None:
        return None
    changes = tuple(
        dataclasses.replace(change, target=_named(change.target, names))
        for change in pending.resource_updates
    )
    return dataclasses.replace(pending, resource_updates=changes)


def _named(target: Target, names: Mapping[str, str]) -> Target:
    """``target`` with its name, when Core listed a resource with its id."""
    if target.name or target.id not in names:
        return target
    return dataclasses.replace(target, name=names[target.id])


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
