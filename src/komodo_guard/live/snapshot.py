"""The live snapshot: one concurrent pass over Komodo Core, frozen for rules.

:func:`collect_snapshot` asks Core for its version first (it decides which
calls exist), then once for each kind of resource (``List*`` with
``limit: 0``, never one call per resource), pending details only for syncs
listed ``Pending`` or ``Failed``, the update log of the last ``window_days``
in time slices read side by side (:mod:`update_log`), open alerts, and the
logs of the failures the history needs. A call that fails, or answers
with something of the wrong shape, becomes an :class:`Incomplete` entry
naming the call, why, and for per-resource calls which resource in words an
operator knows (a stack's name, an update's target and time); everything
else is still collected. :attr:`LiveSnapshot.unread` groups those entries by
call and reason, so a thousand stacks refused alike read as one line.
Variable values are fingerprinted and dropped at once, and stack file
contents are compared and dropped.

With ``refresh=True`` the collector first asks Core to recompute every sync's
pending changes (RefreshResourceSyncPending) and every stack's cached latest
commit (RefreshStackCache). Those are writes, so they are off by default.

Ctrl-C ends a collection at once: the calls not yet sent are cancelled and
the ones in flight are abandoned (each ends by itself within the client's
timeout and attempts), and ``KeyboardInterrupt`` reaches the caller.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import gc
import logging
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, NamedTuple

from komodo_guard.komodo.updates import Target, Update
from komodo_guard.komodo.versions import KomodoVersion
from komodo_guard.live import update_log
from komodo_guard.live.client import CoreClient, Page, Pages, supported_version
from komodo_guard.live.errors import CoreError, CoreResponseError
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
    number,
    resource_id,
    table,
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
    """The resource the call was about, for per-resource calls, as an operator
    knows it: a stack's name, an update's target and time."""


class Step(NamedTuple):
    """Progress: ``call`` of ``phase`` just finished; ``done`` of ``total``
    calls so far, counted over the whole collection (the total grows as
    answers call for more). ``finished`` marks the last step, sent once
    whether the collection completed or was interrupted."""

    call: str
    done: int
    total: int
    phase: str = ""
    finished: bool = False


Progress = Callable[[Step], None]

_NOT_CHECKED = "the checks that need it did not happen"
_READ_HINT = (
    "check the Core URL, the API key's permissions and Core's logs, then run again"
)
_REFRESH_HINT = (
    "--refresh asks Core to recompute first, which is a write: use a key whose "
    "user may write to these resources, or run without --refresh"
)


class _Wording(NamedTuple):
    """How the entries of one per-resource call read, in the operator's terms."""

    could_not: str
    one: str
    many: str
    consequence: str
    hint: str


_PER_RESOURCE = {
    "RefreshStackCache": _Wording(
        "refresh the stack cache of",
        "stack",
        "stacks",
        "their checks used the commit Core had cached",
        _REFRESH_HINT,
    ),
    "RefreshResourceSyncPending": _Wording(
        "refresh the pending changes of",
        "sync",
        "syncs",
        "their checks used the pending changes Core had cached",
        _REFRESH_HINT,
    ),
    "GetResourceSync": _Wording(
        "read the pending changes of",
        "sync",
        "syncs",
        "what they would change was not checked",
        _READ_HINT,
    ),
    "GetUpdate": _Wording(
        "read the logs of",
        "failed update",
        "failed updates",
        "the history classifies those failures without their logs",
        _READ_HINT,
    ),
    "ListUpdates": _Wording(
        "read",
        "part of the update log",
        "parts of the update log",
        "the history misses the updates in them",
        _READ_HINT,
    ),
}
_EXAMPLES = 3


@dataclass(frozen=True)
class Unread:
    """Incomplete entries of one call that failed for one reason."""

    call: str
    reason: str
    resources: tuple[str, ...] = ()
    """The resources concerned, for per-resource calls; empty for a whole call."""

    @property
    def message(self) -> str:
        """What could not be read and what that means, in one sentence."""
        if not self.resources:
            return (
                f"could not read {self.call} from Komodo Core: {self.reason}; "
                f"{_NOT_CHECKED}"
            )
        wording = _wording(self.call)
        which = self._which(wording)
        return (
            f"could not {wording.could_not} {which}: {self.reason}; "
            f"{wording.consequence}"
        )

    @property
    def hint(self) -> str:
        """The next step for the operator."""
        return _wording(self.call).hint if self.resources else _READ_HINT

    def _which(self, wording: _Wording) -> str:
        if len(self.resources) == 1:
            return f"{wording.one} {self.resources[0]!r}"
        examples = ", ".join(
            repr(name) for name in sorted(set(self.resources))[:_EXAMPLES]
        )
        return f"{len(self.resources):,} {wording.many} (e.g. {examples})"


def _wording(call: str) -> _Wording:
    return _PER_RESOURCE.get(call) or _Wording(
        f"read {call} for", "resource", "resources", _NOT_CHECKED, _READ_HINT
    )


def unread_groups(entries: Iterable[Incomplete]) -> tuple[Unread, ...]:
    """``entries`` grouped by call and reason (a whole call apart from its
    per-resource entries), in the order each group was first seen."""
    groups: dict[tuple[str, str, bool], list[str]] = {}
    for entry in entries:
        key = (entry.call, entry.reason, bool(entry.resource))
        groups.setdefault(key, []).append(entry.resource)
    return tuple(
        Unread(call, reason, tuple(name for name in names if name))
        for (call, reason, _), names in groups.items()
    )


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

    @property
    def unread(self) -> tuple[Unread, ...]:
        """:attr:`incomplete` grouped by call and reason, in first-seen order."""
        return unread_groups(self.incomplete)

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
    """What the result is filed under, with ``call``."""
    run: Callable[[], Any]
    label: str = ""
    """The resource as an operator knows it, when ``resource`` is an id."""

    @property
    def about(self) -> str:
        return self.label or self.resource


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
    try:
        return _phases(client, moment, window_days, refresh, fingerprint_key, runner)
    finally:
        runner.finish()


def _phases(
    client: CoreClient,
    moment: datetime,
    window_days: int,
    refresh: bool,
    fingerprint_key: bytes | None,
    runner: _Runner,
) -> LiveSnapshot:
    version_text = runner.run(
        [_Job("GetVersion", "", client.version)], _nothing, "version"
    )
    version = _model_version(version_text.get(("GetVersion", ""), ""), runner)
    if refresh:
        _refresh(client, runner)
    since = int((moment - timedelta(days=window_days)).timestamp() * 1000)
    key = fingerprint_key or new_key()
    jobs = _main_jobs(client, since, key, version)
    results = runner.run(jobs, _follow_ups(client, since), "resources")
    results[("GetVersion", "")] = version_text.get(("GetVersion", ""), "")
    raw_updates = _updates(results, runner)
    names = _names_by_id(results)
    views: list[Update] = []
    details = runner.run(
        _details_jobs(client, raw_updates, names),
        _nothing,
        "failure logs",
        meanwhile=lambda: views.extend(update(item, names) for item in raw_updates),
    )
    updates = _with_details(raw_updates, views, details, names)
    return _assemble(
        client.url,
        moment,
        window_days,
        refresh,
        version,
        results,
        updates,
        names,
        runner,
    )


def _details_jobs(
    client: CoreClient, raw: list[dict[str, Any]], names: Mapping[str, str]
) -> list[_Job]:
    """GetUpdate for the failures whose logs the history needs, each labelled
    with its target and time."""
    chosen = update_log.streak_ends(raw)
    wanted = set(chosen)
    items = {ident: item for item in raw if (ident := resource_id(item)) in wanted}
    return [
        _Job(
            "GetUpdate",
            ident,
            update_log.details_job(client, ident),
            _update_label(items.get(ident, {}), names),
        )
        for ident in chosen
    ]


def _update_label(item: dict[str, Any], names: Mapping[str, str]) -> str:
    """``Stack web: DeployStack at 2026-11-03 14:02 UTC``."""
    aim = table(item, "target")
    ident = text(aim, "id")
    who = f"{text(aim, 'type')} {names.get(ident) or ident}".strip()
    return f"{who}: {text(item, 'operation')} at {_moment(number(item, 'start_ts'))}"


def _moment(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, UTC).strftime("%Y-%m-%d %H:%M UTC")


def _main_jobs(
    client: CoreClient, since: int, key: bytes, version: KomodoVersion | None
) -> list[_Job]:
    def listed(request: str, view: Callable[[Any], Any], needs: str = "") -> _Job:
        def run() -> tuple[Any, ...]:
            return _views(request, client.list_all(request), view, needs)

        return _Job(request, "", run)

    jobs = [
        _Job("GetCoreInfo", "", lambda: CoreInfo.from_json(client.get("GetCoreInfo"))),
        listed("ListServers", Server.from_json, "info"),
        listed("ListStacks", Stack.from_json, "info"),
        listed("ListFullStacks", StackFiles.from_json, "info"),
        listed("ListDeployments", Deployment.from_json, "info"),
        listed("ListResourceSyncs", Sync.from_json, "info"),
        listed("ListProcedures", Runnable.from_json, "info"),
        listed("ListActions", Runnable.from_json, "info"),
        listed("ListFullAlerters", Alerter.from_json, "config"),
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
                    f"updates from {_moment(part.since)} to {_moment(part.until)}",
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
            client.get("GetResourceSync", {"sync": sync.id or sync.name})
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
        return [_refresh_job(client, request, param, item) for item in result]

    first = [
        _Job(request, "", functools.partial(client.list_all, request))
        for request in ("ListResourceSyncs", "ListStacks")
    ]
    runner.run(first, refresh_all, "refresh")


def _refresh_job(
    client: CoreClient, request: str, param: str, item: dict[str, Any]
) -> _Job:
    name = text(item, "name")
    target = resource_id(item) or name
    return _Job(request, name or target, lambda: client.write(request, {param: target}))


def _variables(client: CoreClient, key: bytes) -> tuple[Variable, ...]:
    """Names, secrecy and fingerprints; each value is dropped once hashed."""
    found = []
    for item in client.list_all("ListVariables"):
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


def _views(
    request: str, items: list[dict[str, Any]], view: Callable[[Any], Any], needs: str
) -> tuple[Any, ...]:
    """Each item through ``view``; an item whose ``needs`` (``info``, ``config``)
    is not an object makes the whole answer wrong: its view would read as a
    resource with no state, and rules would report what is not there."""
    for position, item in enumerate(items, start=1):
        if needs and not isinstance(item.get(needs), dict):
            name = text(item, "name")
            which = f"item {position}" + (f" ({name!r})" if name else "")
            raise CoreResponseError(request, f"{which} has no `{needs}` object")
    return tuple(view(item) for item in items)


class _Runner:
    """Runs jobs on a bounded thread pool, collecting results and failures."""

    def __init__(self, concurrency: int, progress: Progress | None) -> None:
        self.workers = max(1, concurrency)
        self.progress = progress
        self.incomplete: list[Incomplete] = []
        self.done = 0
        self.total = 0
        self.phase = ""

    def run(
        self,
        jobs: list[_Job],
        follow: Callable[[_Job, Any], list[_Job]],
        phase: str,
        meanwhile: Callable[[], None] | None = None,
    ) -> dict[tuple[str, str], Any]:
        """Run ``jobs`` and the jobs ``follow`` derives from each result;
        ``meanwhile`` runs on this thread while the first requests are out.

        On any interruption (Ctrl-C) the calls not started are cancelled and
        this returns at once, without waiting for the calls in flight.
        """
        self.phase = phase
        pool = ThreadPoolExecutor(max_workers=self.workers)
        try:
            results = self._drain(pool, jobs, follow, meanwhile)
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)
            raise
        pool.shutdown()
        return results

    def finish(self) -> None:
        """Tell the progress display the collection is over."""
        if self.progress is not None:
            self.progress(Step("", self.done, self.total, self.phase, finished=True))

    def _drain(
        self,
        pool: ThreadPoolExecutor,
        jobs: list[_Job],
        follow: Callable[[_Job, Any], list[_Job]],
        meanwhile: Callable[[], None] | None,
    ) -> dict[tuple[str, str], Any]:
        results: dict[tuple[str, str], Any] = {}
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
            self.incomplete.append(Incomplete(job.call, error.detail, job.about))
        except Exception as error:  # one odd answer must not end the whole pass
            _LOG.debug("%s failed unexpectedly", job.call, exc_info=True)
            reason = f"could not read the answer ({type(error).__name__})"
            self.incomplete.append(Incomplete(job.call, reason, job.about))
        return _FAILED

    def _report(self, job: _Job) -> None:
        self.done += 1
        if self.progress is not None:
            self.progress(Step(job.call, self.done, self.total, self.phase))


def _updates(
    results: Mapping[tuple[str, str], Any], runner: _Runner
) -> list[dict[str, Any]]:
    """The update log's raw items, merged from the first page and the slices."""
    first: Page | None = results.get(("ListUpdates", ""))
    if first is None:
        return []
    slices = [
        pages
        for (call, part), pages in results.items()
        if call == "ListUpdates" and part and isinstance(pages, Pages)
    ]
    log = update_log.merged(first, slices)
    if log.truncated:
        reason = f"stopped after {len(log.items)} updates; older ones were not read"
        runner.incomplete.append(Incomplete("ListUpdates", reason))
    if log.ignored:
        some = "1 update" if log.ignored == 1 else f"{log.ignored:,} updates"
        verb = "was" if log.ignored == 1 else "were"
        reason = f"{some} without id or start time {verb} ignored"
        runner.incomplete.append(Incomplete("ListUpdates", reason))
    return log.items


def _assemble(
    url: str,
    moment: datetime,
    window_days: int,
    refreshed: bool,
    version: KomodoVersion | None,
    results: Mapping[tuple[str, str], Any],
    updates: tuple[Update, ...],
    names: Mapping[str, str],
    runner: _Runner,
) -> LiveSnapshot:
    def listed(call: str) -> tuple[Any, ...]:
        return tuple(results.get((call, ""), ()))

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
