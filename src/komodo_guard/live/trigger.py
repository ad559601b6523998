"""Starting work on Komodo Core and following its Update to the end.

An execute call (``RunSync``, ``DeployStack``, ...) answers at once with the
Update Core created, still ``InProgress``, while the work runs in the
background; the Update is then read with ``GetUpdate`` until its status is
``Complete``, when ``success`` tells how it ended (FACTS §3.3). Batch calls
(``BatchDeployStackIfChanged`` ...) answer with one item per matched resource:
``Ok`` with its Update, or ``Err`` naming the resource Core refused.

Polls start :data:`FIRST_INTERVAL` seconds apart and double up to
:data:`LONGEST_INTERVAL`, within the caller's overall wait. Execute calls are
sent once (the client never repeats them); reads are retried by the client.

A webhook answers without naming its Update, so :func:`find_webhook_update`
looks for it in ``ListUpdates``: same target and operation, started by the
Git Webhook service user, and not among the Updates seen before the send.

Log lines shown to the operator pass through
:func:`komodo_guard.redact.redact` first.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from komodo_guard.live.client import CoreClient
from komodo_guard.live.errors import CoreError, CoreResponseError
from komodo_guard.redact import cut, redact, untagged

FIRST_INTERVAL = 0.5
LONGEST_INTERVAL = 5.0
DEFAULT_WAIT = 1800.0
"""Seconds an Update is followed before giving up on it (30 minutes)."""
WEBHOOK_USER = "000000000000000000000003"
"""The Git Webhook service user, operator of every webhook-started Update."""
CLOCK_SKEW_MS = 300_000
"""How far Core's clock may differ from ours when matching a webhook's Update."""
MAX_STAGES = 5
MAX_LINES = 20
MAX_LINE_CHARS = 300

Json = dict[str, Any]


@dataclass(frozen=True)
class Kind:
    """A resource kind ``trigger`` can start, in Core's words.

    ``operations`` are the Update operations a webhook on it may record.
    """

    name: str
    target: str
    execute: str
    getter: str
    lister: str
    batch: str | None = None
    changed: str | None = None
    batch_changed: str | None = None
    operations: tuple[str, ...] = ()

    @property
    def param(self) -> str:
        """The execute call's parameter naming the resource (``stack``)."""
        return self.name

    def call(self, *, batch: bool = False, if_changed: bool = False) -> str:
        """The execute request to send; ``ValueError`` when there is none."""
        chosen = {
            (False, False): self.execute,
            (False, True): self.changed,
            (True, False): self.batch,
            (True, True): self.batch_changed,
        }[(batch, if_changed)]
        if chosen is None:
            what = "batch call" if batch else "call"
            flag = " that deploys only if changed" if if_changed else ""
            raise ValueError(f"Core has no {what}{flag} for a {self.name}")
        return chosen


KINDS: Mapping[str, Kind] = {
    kind.name: kind
    for kind in (
        Kind(
            "sync",
            "ResourceSync",
            "RunSync",
            "GetResourceSync",
            "ListResourceSyncs",
            operations=("RunSync",),
        ),
        Kind(
            "stack",
            "Stack",
            "DeployStack",
            "GetStack",
            "ListStacks",
            batch="BatchDeployStack",
            changed="DeployStackIfChanged",
            batch_changed="BatchDeployStackIfChanged",
            operations=("DeployStack", "DeployStackIfChanged"),
        ),
        Kind(
            "procedure",
            "Procedure",
            "RunProcedure",
            "GetProcedure",
            "ListProcedures",
            batch="BatchRunProcedure",
            operations=("RunProcedure",),
        ),
        Kind(
            "action",
            "Action",
            "RunAction",
            "GetAction",
            "ListActions",
            batch="BatchRunAction",
            operations=("RunAction",),
        ),
        Kind(
            "deployment",
            "Deployment",
            "Deploy",
            "GetDeployment",
            "ListDeployments",
            batch="BatchDeploy",
        ),
        Kind(
            "build",
            "Build",
            "RunBuild",
            "GetBuild",
            "ListBuilds",
            batch="BatchRunBuild",
            operations=("RunBuild",),
        ),
        Kind(
            "repo",
            "Repo",
            "PullRepo",
            "GetRepo",
            "ListRepos",
            batch="BatchPullRepo",
            operations=("PullRepo",),
        ),
    )
}


class Outcome(Enum):
    """How following an Update ended."""

    SUCCESS = "success"
    FAILED = "failed"
    TIMED_OUT = "timed out"
    LOST = "lost"
    """Core stopped answering while the Update was followed."""


@dataclass(frozen=True)
class Followed:
    """The last state seen of one Update, and how following it ended."""

    update_id: str
    outcome: Outcome
    update: Json = field(repr=False)
    reason: str = ""


@dataclass(frozen=True)
class Refused:
    """A batch item Core did not start: the resource's name and Core's error."""

    name: str
    error: str


@dataclass(frozen=True)
class BatchStarted:
    """What a batch call started (Update ids) and refused."""

    started: tuple[str, ...]
    refused: tuple[Refused, ...]


@dataclass(frozen=True)
class FailedStage:
    """One failed stage of an Update: its command and last output lines,
    all redacted."""

    stage: str
    command: str
    stderr: tuple[str, ...]
    stdout: tuple[str, ...]


@dataclass(frozen=True)
class Polling:
    """How long to follow an Update, and the clock to do it with."""

    wait: float = DEFAULT_WAIT
    first: float = FIRST_INTERVAL
    longest: float = LONGEST_INTERVAL
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep

    def intervals(self) -> Iterable[float]:
        """Pauses between polls: ``first``, doubling up to ``longest``."""
        pause = self.first
        while True:
            yield pause
            pause = min(pause * 2, self.longest)


def start(client: CoreClient, kind: Kind, name: str, *, if_changed: bool) -> str:
    """Send the execute call for ``name``; the id of the Update Core started."""
    call = kind.call(if_changed=if_changed)
    answer = client.execute(call, {kind.param: name})
    ident = update_id(answer)
    if not ident:
        raise CoreResponseError(call, "answer is not an Update with an id")
    return ident


def start_batch(
    client: CoreClient, kind: Kind, pattern: str, *, if_changed: bool
) -> BatchStarted:
    """Send the batch call for ``pattern``; the Updates started and items refused."""
    call = kind.call(batch=True, if_changed=if_changed)
    answer = client.execute(call, {"pattern": pattern})
    if not isinstance(answer, list):
        raise CoreResponseError(call, "answer is not an array of batch items")
    started: list[str] = []
    refused: list[Refused] = []
    for item in answer:
        data = item.get("data") if isinstance(item, dict) else None
        if isinstance(item, dict) and item.get("status") == "Ok":
            started.append(update_id(data))
        else:
            refused.append(_refused(data))
    return BatchStarted(tuple(s for s in started if s), tuple(refused))


def follow(
    client: CoreClient,
    ident: str,
    polling: Polling,
    on_stage: Callable[[str], None] | None = None,
) -> Followed:
    """Read Update ``ident`` until it is Complete or ``polling.wait`` runs out.

    ``on_stage`` is called once per stage name, in the order stages appear.
    """
    deadline = polling.clock() + polling.wait
    seen: set[str] = set()
    update: Json = {}
    for pause in polling.intervals():
        try:
            update = _get(client, ident)
        except CoreError as error:
            return Followed(ident, Outcome.LOST, update, str(error))
        _announce(update, seen, on_stage)
        if update.get("status") == "Complete":
            success = update.get("success") is True
            return Followed(
                ident, Outcome.SUCCESS if success else Outcome.FAILED, update
            )
        left = deadline - polling.clock()
        if left <= 0:
            break
        polling.sleep(min(pause, left))
    return Followed(ident, Outcome.TIMED_OUT, update)


def failed_stages(update: Mapping[str, Any]) -> list[FailedStage]:
    """The failed stages of ``update`` (its last stage when none says it
    failed), at most :data:`MAX_STAGES`, each with redacted output tails."""
    logs = [log for log in update.get("logs") or [] if isinstance(log, dict)]
    failed = [log for log in logs if log.get("success") is False]
    if not failed and logs and update.get("success") is False:
        failed = logs[-1:]
    return [_stage(log) for log in failed[:MAX_STAGES]]


def webhook_query(kind: Kind, target_id: str, since_ms: int) -> Json:
    """The ListUpdates filter for Updates a webhook on ``target_id`` started."""
    return {
        "target.type": kind.target,
        "target.id": target_id,
        "operation": {"$in": list(kind.operations)},
        "operator": WEBHOOK_USER,
        "start_ts": {"$gte": since_ms},
    }


def recent_ids(client: CoreClient, query: Json) -> frozenset[str]:
    """Ids of the newest Updates matching ``query`` (one page of them)."""
    answer = client.read("ListUpdates", {"query": query, "page": 0})
    items = answer.get("updates") if isinstance(answer, dict) else None
    return frozenset(update_id(item) for item in items or [] if update_id(item))


def find_webhook_update(
    client: CoreClient, query: Json, known: frozenset[str], polling: Polling
) -> str | None:
    """The id of an Update matching ``query`` that is not in ``known``, looked
    for until ``polling.wait`` runs out; None when none appeared."""
    deadline = polling.clock() + polling.wait
    for pause in polling.intervals():
        fresh = recent_ids(client, query) - known
        if fresh:
            return min(fresh)
        left = deadline - polling.clock()
        if left <= 0:
            return None
        polling.sleep(min(pause, left))
    return None


def names_by_id(client: CoreClient, kind: Kind) -> dict[str, str]:
    """Resource id -> name for every ``kind`` resource the key can read."""
    items = client.list_all(kind.lister)
    return {
        str(item["id"]): str(item.get("name", ""))
        for item in items
        if isinstance(item, dict) and isinstance(item.get("id"), str)
    }


def resource_id(resource: Mapping[str, Any]) -> str:
    """The id of a resource as ``Get<Kind>`` sends it (``_id.$oid`` or ``id``)."""
    return update_id(resource)


def update_id(item: object) -> str:
    """The id of an Update (or any Core document); empty when it has none."""
    if not isinstance(item, dict):
        return ""
    ident = item.get("id")
    if isinstance(ident, str) and ident:
        return ident
    oid = item.get("_id")
    if isinstance(oid, dict) and isinstance(oid.get("$oid"), str):
        return str(oid["$oid"])
    return ""


def tail(text: str, limit: int = MAX_LINES) -> tuple[str, ...]:
    """The last ``limit`` non-blank lines of ``text``, untagged, redacted and cut."""
    lines = [line.rstrip() for line in redact(untagged(text)).splitlines()]
    kept = [cut(line, MAX_LINE_CHARS) for line in lines if line.strip()]
    return tuple(kept[-limit:])


def _get(client: CoreClient, ident: str) -> Json:
    answer = client.read("GetUpdate", {"id": ident})
    if not isinstance(answer, dict):
        raise CoreResponseError("GetUpdate", "answer is not an Update")
    return answer


def _announce(
    update: Json, seen: set[str], on_stage: Callable[[str], None] | None
) -> None:
    for log in update.get("logs") or []:
        stage = log.get("stage") if isinstance(log, dict) else None
        if isinstance(stage, str) and stage and stage not in seen:
            seen.add(stage)
            if on_stage is not None:
                on_stage(stage)


def _stage(log: Json) -> FailedStage:
    command = tail(str(log.get("command") or ""), 1)
    return FailedStage(
        stage=str(log.get("stage") or "(unnamed stage)"),
        command=command[0] if command else "",
        stderr=tail(str(log.get("stderr") or "")),
        stdout=tail(str(log.get("stdout") or "")),
    )


def _refused(data: object) -> Refused:
    if not isinstance(data, dict):
        return Refused("(unnamed)", "Core gave no reason")
    error = data.get("error")
    if isinstance(error, dict):
        parts: Sequence[object] = [error.get("error", ""), *(error.get("trace") or [])]
        text = " | ".join(str(part) for part in parts if part)
    else:
        text = str(error or "Core gave no reason")
    return Refused(str(data.get("name") or "(unnamed)"), redact(text))
