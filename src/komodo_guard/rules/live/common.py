"""What live rules share: durations in words, names of targets, declarations.

Times in Core's records are Unix milliseconds; every age is measured from
``facts.now`` (the snapshot's collection time), never from the wall clock.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime, timedelta

from komodo_guard.komodo.names import normalize_name
from komodo_guard.komodo.updates import KIND_OF_TARGET, Target, Update
from komodo_guard.live.snapshot import LiveSnapshot
from komodo_guard.redact import redact
from komodo_guard.rules.interface import LiveFacts, Location, ResourceRef, RuleOptions
from komodo_guard.rules.locate import at_key
from komodo_guard.workspace.model import Resource

_UNITS = (("day", 86400), ("hour", 3600), ("minute", 60))
_QUERY = re.compile(r"(?P<url>[a-z][a-z0-9+.-]*://[^\s?]+)\?\S*", re.IGNORECASE)
_MAX_TEXT = 200


def duration(delta: timedelta) -> str:
    """``3 days 4 hours``, ``2 hours 5 minutes``, ``12 minutes``: the two
    largest units, or ``less than a minute``."""
    seconds = int(max(delta.total_seconds(), 0))
    parts: list[str] = []
    for unit, size in _UNITS:
        count, seconds = divmod(seconds, size)
        if count:
            parts.append(f"{count} {unit}{'' if count == 1 else 's'}")
        elif parts:
            break
        if len(parts) == 2:
            break
    return " ".join(parts) or "less than a minute"


def moment(ms: int) -> datetime:
    """A Core timestamp (Unix milliseconds) as an aware UTC datetime."""
    return datetime.fromtimestamp(ms / 1000, UTC)


def ago(now: datetime, ms: int) -> str:
    """``2 days 3 hours ago`` for a Core timestamp."""
    return f"{duration(now - moment(ms))} ago"


def lasting(now: datetime, since: datetime | None) -> str:
    """`` for 3 days 4 hours`` when the start is known, else ``""``."""
    return "" if since is None else f" for {duration(now - since)}"


def toml_kind(target: Target) -> str:
    """The TOML kind (``stack``) of a ``ResourceTarget`` type (``Stack``)."""
    return KIND_OF_TARGET.get(target.kind, target.kind.lower())


def target_name(snapshot: LiveSnapshot, target: Target) -> str:
    """The resource's name: from the target, else looked up by id in every
    list the snapshot holds, else its id."""
    if target.name:
        return target.name
    for items in (
        snapshot.servers,
        snapshot.stacks,
        snapshot.deployments,
        snapshot.syncs,
        snapshot.procedures,
        snapshot.actions,
        snapshot.alerters,
        snapshot.builds,
        snapshot.repos,
        snapshot.builders,
        snapshot.swarms,
    ):
        for item in items:
            if item.id == target.id:
                return item.name
    return target.id


def declaration(facts: LiveFacts, kind: str, name: str) -> Resource | None:
    """The tree's ``[[kind]]`` declaring ``name`` (as Core stores it), if any."""
    if facts.workspace is None:
        return None
    for resource in facts.workspace.of_kind(kind):
        if resource.name is not None and normalize_name(kind, resource.name) == name:
            return resource
    return None


def located(facts: LiveFacts, kind: str, name: str) -> Location | None:
    """Where the tree declares the resource: its ``name`` key."""
    resource = declaration(facts, kind, name)
    return None if resource is None else at_key(resource, "name")


def about(kind: str, name: str) -> ResourceRef:
    """The resource a finding is about."""
    return ResourceRef(kind, name)


def scrub(text: str) -> str:
    """The first line of a Core error, credentials masked
    (:func:`komodo_guard.redact.redact`) and URLs without their query strings
    (tokens live there), cut to a readable length."""
    line = next((part.strip() for part in text.splitlines() if part.strip()), "")
    line = redact(line)
    line = _QUERY.sub(r"\g<url>?…", line)
    return line if len(line) <= _MAX_TEXT else line[: _MAX_TEXT - 1] + "…"


def option_number(options: RuleOptions, key: str, default: int) -> int:
    """A positive whole number from ``options.extra``, else ``default``."""
    value = options.extra.get(key, default)
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    return default


def listing(names: Iterable[str], limit: int = 5) -> str:
    """``a, b, c`` or ``a, b, c and 4 more``."""
    shown = list(names)
    rest = len(shown) - limit
    text = ", ".join(shown[:limit])
    return f"{text} and {rest} more" if rest > 0 else text


def plural(count: int, word: str) -> str:
    """``1 stack``, ``3 stacks``."""
    return f"{count} {word}{'' if count == 1 else 's'}"


# Operations that do the same work, so one's success ends the other's failures.
_FAMILY = {
    "DeployStackIfChanged": "DeployStack",
    "BatchDeployStack": "DeployStack",
    "BatchDeployStackIfChanged": "DeployStack",
    "BatchDeploy": "Deploy",
    "BatchRunProcedure": "RunProcedure",
    "BatchRunAction": "RunAction",
}


def family(operation: str) -> str:
    """The kind of work an operation does, e.g. ``DeployStack`` for
    ``DeployStackIfChanged``."""
    return _FAMILY.get(operation, operation)


def streams(updates: Iterable[Update]) -> dict[tuple[Target, str], list[Update]]:
    """Finished updates per (target, operation family), newest first."""
    grouped: dict[tuple[Target, str], list[Update]] = {}
    for update in updates:
        if update.complete:
            key = (_bare(update.target), family(update.operation))
            grouped.setdefault(key, []).append(update)
    return grouped


def failing_streak(stream: Sequence[Update]) -> list[Update]:
    """The failures at the head of a newest-first stream, up to its last
    success; empty when the newest update succeeded."""
    streak: list[Update] = []
    for update in stream:
        if update.success:
            break
        streak.append(update)
    return streak


def failed_stage(updates: Iterable[Update]) -> str:
    """The stage that failed in the newest update with logs, or its last
    stage when no stage is marked failed; ``""`` when no logs were read."""
    for update in updates:
        if update.logs:
            failed = [log.stage for log in update.logs if not log.success]
            return (failed or [update.logs[-1].stage])[0]
    return ""


def of_target(updates: Iterable[Update], target_id: str) -> Iterator[Update]:
    """Updates about one resource, by id, in the order given."""
    return (update for update in updates if update.target.id == target_id)


def _bare(target: Target) -> Target:
    return Target(target.kind, target.id)


def label(snapshot: LiveSnapshot, target: Target) -> tuple[str, ResourceRef | None]:
    """How a message names an update's target (``stack 'mealie'``, or
    ``Komodo Core`` for the System target), and the resource it is."""
    if target.kind == "System" or not (target.id or target.name):
        return "Komodo Core", None
    kind = toml_kind(target)
    name = target_name(snapshot, target)
    return f"{kind} {name!r}", ResourceRef(kind, name)
