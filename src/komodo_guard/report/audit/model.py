"""The audit as data: findings grouped by failure class with priorities, what to
fix first, and what this run could not check. The Markdown and HTML renderers only
lay this out."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from itertools import groupby
from typing import TYPE_CHECKING

from komodo_guard.report.audit.priority import Priority, priority_of
from komodo_guard.report.audit.taxonomy import CLASS_TEXT, ClassText
from komodo_guard.report.interface import LintResult
from komodo_guard.rules.interface import FailureClass, Finding

if TYPE_CHECKING:
    from komodo_guard.history.model import History

FIX_FIRST_LIMIT = 5


@dataclass(frozen=True)
class Item:
    """One active finding with its priority."""

    finding: Finding
    priority: Priority


@dataclass(frozen=True)
class ClassGroup:
    """The active findings of one failure class, most urgent first."""

    failure_class: FailureClass
    items: tuple[Item, ...]

    @property
    def priority(self) -> Priority:
        """The group's priority: that of its most urgent finding."""
        return min(item.priority for item in self.items)

    @property
    def text(self) -> ClassText:
        """The class's title, root cause and fix."""
        return CLASS_TEXT[self.failure_class]


@dataclass(frozen=True)
class FixFirst:
    """One rule's findings at one priority, summed up as a single thing to fix.

    ``files`` holds the files of the findings that have a location; ``others``
    names where the rest apply (a resource in Core such as ``deployment
    'mongo-backup'``, or Komodo Core as a whole).
    """

    priority: Priority
    code: str
    name: str
    files: tuple[str, ...]
    count: int
    example: Finding
    others: tuple[str, ...] = ()


@dataclass(frozen=True)
class Gap:
    """Something this audit did not check, and why: never to be read as passed."""

    area: str
    covers: str
    status: str


# An offline audit of a tree reaches none of these; each names what it would show.
CORE_GAPS: tuple[Gap, ...] = (
    Gap(
        "Komodo Core: live state",
        "pending syncs, stacks not running what git holds, failed or stuck "
        "executions, alerters actually enabled, open alerts",
        "not checked: this audit reads the tree only, not Komodo Core's API "
        "(`--komodo URL` reads it)",
    ),
    Gap(
        "Komodo Core: update history",
        "recurring incidents, failed deploys and syncs over time",
        "not checked: this audit reads the tree only, not Komodo Core's API "
        "(`--komodo URL` reads it)",
    ),
)
HOST_GAPS: tuple[Gap, ...] = (
    Gap(
        "Docker hosts",
        "checkouts that cannot git pull, running containers no resource owns, "
        "containers started with the Docker socket outside compose files, files "
        "on the host",
        "not checked: this audit does not inspect hosts",
    ),
    Gap(
        "Secret stores",
        "whether each secret holds the same value in every place that stores it "
        "(SOPS files, env files on hosts, containers, the database, CI)",
        "not checked: this audit does not read secret stores",
    ),
)
OFFLINE_GAPS = CORE_GAPS + HOST_GAPS


@dataclass(frozen=True)
class Audit:
    """Everything the audit report says, derived from one lint result and,
    when Komodo Core was read, the history of its update log."""

    name: str
    result: LintResult
    groups: tuple[ClassGroup, ...]
    fix_first: tuple[FixFirst, ...]
    gaps: tuple[Gap, ...]
    history: History | None = None

    def by_priority(self) -> Counter[Priority]:
        """Active findings per priority."""
        return Counter(item.priority for group in self.groups for item in group.items)

    def cell(self, failure_class: FailureClass, priority: Priority) -> int:
        """How many active findings of ``failure_class`` have ``priority``."""
        return sum(
            1
            for group in self.groups
            if group.failure_class is failure_class
            for item in group.items
            if item.priority is priority
        )


def build(result: LintResult, name: str = "", history: History | None = None) -> Audit:
    """The audit of ``result``, titled ``name`` (default: the tree's path), with
    the incident ``history`` of Core's update log when Core was read."""
    items = [Item(finding, priority_of(finding)) for finding in result.active]
    offline = CORE_GAPS if result.live is None else ()
    return Audit(
        name=name or result.root,
        result=result,
        groups=_groups(items),
        fix_first=_fix_first(items),
        gaps=offline + HOST_GAPS + _incomplete(result),
        history=history,
    )


def _groups(items: list[Item]) -> tuple[ClassGroup, ...]:
    by_class: dict[FailureClass, list[Item]] = {}
    for item in items:
        by_class.setdefault(item.finding.failure_class, []).append(item)
    groups = [
        ClassGroup(cls, tuple(sorted(members, key=_item_order)))
        for cls, members in by_class.items()
    ]
    return tuple(
        sorted(groups, key=lambda g: (g.priority, -len(g.items), g.failure_class))
    )


def _item_order(item: Item) -> tuple[Priority, tuple[str, int, int, str, str]]:
    return item.priority, item.finding.sort_key


def _fix_first(items: list[Item]) -> tuple[FixFirst, ...]:
    def key(item: Item) -> tuple[Priority, str]:
        return item.priority, item.finding.code

    bundles = []
    for (priority, code), members in groupby(sorted(items, key=key), key=key):
        found = [item.finding for item in members]
        files = sorted({f.location.path for f in found if f.location is not None})
        others = dict.fromkeys(_place(f) for f in found if f.location is None)
        first = min(found, key=lambda f: f.sort_key)
        bundles.append(
            FixFirst(
                priority,
                code,
                first.name,
                tuple(files),
                len(found),
                first,
                tuple(sorted(others)),
            )
        )
    bundles.sort(key=lambda b: (b.priority, -b.count, b.code))
    return tuple(bundles[:FIX_FIRST_LIMIT])


def _place(finding: Finding) -> str:
    """Where a finding without a file applies: its resource, else the run."""
    if finding.resource is not None:
        return str(finding.resource)
    return whole_run_label(finding)


def _incomplete(result: LintResult) -> tuple[Gap, ...]:
    return tuple(
        Gap(_area(finding), finding.message, "incomplete: the check could not run")
        for finding in result.active
        if finding.failure_class is FailureClass.INCOMPLETE
    )


def _area(finding: Finding) -> str:
    """Where an incomplete finding comes from: a file, Core, or a whole run."""
    if finding.location is not None:
        return "Static check"
    return "Check" if finding.resource is None else f"Check of {finding.resource}"


def whole_run_label(finding: Finding) -> str:
    """How to name where a finding with neither file nor resource applies:
    Komodo Core for live rules, the whole run otherwise."""
    from komodo_guard.rules.interface import LiveRuleInfo
    from komodo_guard.rules.registry import find

    return (
        "Komodo Core" if isinstance(find(finding.code), LiveRuleInfo) else "(whole run)"
    )
