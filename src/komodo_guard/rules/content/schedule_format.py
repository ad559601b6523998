"""A Procedure or Action schedule that does not run as written.

Komodo reads ``schedule`` with the parser chosen by ``schedule_format``, which
defaults to ``English`` (``bin/core/src/schedule.rs``). A cron expression under
the English parser is rejected or misread, and with ``schedule_format = "Cron"``
Komodo's cron parser requires exactly six fields, seconds first (Quartz ``?`` is
accepted; a five-field Unix cron or a trailing year field is refused). Either
way the job never runs and nothing says so outside the resource's info.

Reported as an error when the schedule is enabled, as a warning when
``schedule_enabled = false`` (it breaks the day it is switched on).

Failing::

    [procedure.config]
    schedule = "0 0 3 * * *"          # cron, but the format is English

    [procedure.config]
    schedule_format = "Cron"
    schedule = "0 3 * * *"            # five fields: no seconds

Passing::

    [procedure.config]
    schedule_format = "Cron"
    schedule = "0 0 3 * * *"
"""

from __future__ import annotations

from collections.abc import Iterator

from komodo_guard.rules.interface import (
    FailureClass,
    Finding,
    RuleInfo,
    RuleOptions,
    Severity,
)
from komodo_guard.rules.locate import at_key, ref
from komodo_guard.workspace.model import Resource, Workspace

_KINDS = ("procedure", "action")
_CRON_CHARS = frozenset("0123456789*?/,-#LW")
_CRON_NAMES = frozenset(
    [
        "mon",
        "tue",
        "wed",
        "thu",
        "fri",
        "sat",
        "sun",
        "jan",
        "feb",
        "mar",
        "apr",
        "may",
        "jun",
        "jul",
        "aug",
        "sep",
        "oct",
        "nov",
        "dec",
    ]
)
_FIELDS = "second minute hour day-of-month month day-of-week"


def check(
    rule: RuleInfo, workspace: Workspace, options: RuleOptions
) -> Iterator[Finding]:
    """One finding per procedure or action whose schedule cannot run."""
    for kind in _KINDS:
        spec = workspace.kind(kind)
        if spec is None or spec.field("schedule") is None:
            continue
        for resource in workspace.of_kind(kind):
            schedule = resource.config.get("schedule")
            if not isinstance(schedule, str) or not schedule.strip():
                continue
            found = _problem(workspace, resource, schedule.strip())
            if found is not None:
                yield _finding(rule, resource, *found)


def _problem(
    workspace: Workspace, resource: Resource, schedule: str
) -> tuple[str, str] | None:
    """(message, hint) when ``schedule`` does not run as written."""
    written = resource.config.get("schedule_format", "English")
    fmt = workspace.model.enum_accepts("ScheduleFormat", str(written))
    fields = schedule.split()
    if fmt == "English":
        if not looks_like_cron(schedule):
            return None
        hint = 'add `schedule_format = "Cron"` to the config'
        if len(fields) != 6:
            hint += f"; {_field_fix(schedule, len(fields))}"
        return (
            f"schedule {schedule!r} is a cron expression but schedule_format is "
            "English (the default), so Komodo's English parser rejects it",
            hint,
        )
    if fmt == "Cron" and not schedule.startswith("@") and len(fields) != 6:
        if not looks_like_cron(schedule):
            return (
                f"schedule {schedule!r} reads as English but schedule_format is Cron",
                'remove `schedule_format = "Cron"` or write a six-field cron '
                f"expression ({_FIELDS})",
            )
        return (
            f"schedule {schedule!r} has {len(fields)} fields; Komodo's cron parser "
            f"needs exactly 6 ({_FIELDS})",
            _field_fix(schedule, len(fields)),
        )
    return None


def _field_fix(schedule: str, count: int) -> str:
    if count == 5:
        return f"add the seconds field: `0 {schedule}`"
    if count == 7:
        return "remove the year field: Komodo's cron parser takes no year"
    return f"write six fields: {_FIELDS}"


def looks_like_cron(text: str) -> bool:
    """True for five to seven cron-style fields (``0 */5 * * * ?``, ``0 3 * * MON``)."""
    fields = text.split()
    if not 5 <= len(fields) <= 7:
        return False
    return all(map(_cron_field, fields)) and any(
        char.isdigit() or char == "*" for char in text
    )


def _cron_field(field: str) -> bool:
    if set(field) <= _CRON_CHARS:
        return True
    words = field.replace("-", ",").replace("/", ",").split(",")
    return all(w.lower() in _CRON_NAMES or set(w) <= _CRON_CHARS for w in words)


def _finding(rule: RuleInfo, resource: Resource, message: str, hint: str) -> Finding:
    enabled = resource.config.get("schedule_enabled") is not False
    return rule.finding(
        f"{resource.label}: {message}; the schedule never runs",
        location=at_key(resource, "config", "schedule"),
        resource=ref(resource),
        hint=hint,
        severity=Severity.ERROR if enabled else Severity.WARNING,
    )


RULE = RuleInfo(
    code="KG601",
    name="schedule-format",
    severity=Severity.ERROR,
    failure_class=FailureClass.SILENT_FAILURE,
    doc=__doc__ or "",
    checker=check,
)
