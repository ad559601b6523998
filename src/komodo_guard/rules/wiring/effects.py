"""What the stages of a procedure do: deploy, pull or sync, and to what.

Stages run one after the other and the executions of one stage run in
parallel (FACTS §1.6). A stage or execution with ``enabled = false`` is
skipped. ``RunProcedure`` and ``BatchRunProcedure`` run whole procedures, so
their effects are those of every procedure they name, expanded through the
tree's declarations (a cycle stops the expansion).

A :class:`Selector` is what one execution acts on: one resource by name, or a
Batch pattern (matched against names with :mod:`komodo_guard.komodo.patterns`).
"""

from __future__ import annotations

import enum
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from komodo_guard.komodo.patterns import BatchPattern, compile_pattern
from komodo_guard.rules.references.procedures import StageExecution, stage_executions
from komodo_guard.workspace.model import Resource, Workspace


class Act(enum.StrEnum):
    """What an execution does, as far as these rules care."""

    DEPLOY = "deploy"
    PULL = "pull"
    SYNC = "sync"


ACTS: Mapping[str, Act] = {
    "DeployStack": Act.DEPLOY,
    "DeployStackIfChanged": Act.DEPLOY,
    "BatchDeployStack": Act.DEPLOY,
    "BatchDeployStackIfChanged": Act.DEPLOY,
    "Deploy": Act.DEPLOY,
    "BatchDeploy": Act.DEPLOY,
    "PullStack": Act.PULL,
    "BatchPullStack": Act.PULL,
    "PullRepo": Act.PULL,
    "BatchPullRepo": Act.PULL,
    "RunSync": Act.SYNC,
}
RUNS_PROCEDURES = frozenset({"RunProcedure", "BatchRunProcedure"})
_WILDCARD = frozenset("*?")

Key = tuple[str, str, int]


@dataclass(frozen=True)
class Selector:
    """The resources of ``kind`` one execution names: ``text`` is the name or
    the Batch pattern as written."""

    kind: str
    text: str
    batch: bool

    @cached_property
    def pattern(self) -> BatchPattern:
        """The compiled Batch pattern (one plain entry for a single name)."""
        return compile_pattern(self.text)

    def selects(self, name: str) -> bool:
        """Whether this selector acts on the resource called ``name``."""
        return self.pattern.matches(name) if self.batch else name == self.text

    @property
    def open_ended(self) -> bool:
        """True for a pattern with a wildcard or regex: it can select resources
        that do not exist yet, not only the names written."""
        return self.batch and any(
            entry.is_regex or _WILDCARD & set(entry.text)
            for entry in self.pattern.entries
        )

    @property
    def shown(self) -> str:
        """``stack 'web'`` or ``stacks matching '*'`` for messages."""
        if self.batch:
            return f"{self.kind}s matching {self.text!r}"
        return f"{self.kind} {self.text!r}"


@dataclass(frozen=True)
class Effect:
    """One thing a stage execution does; ``via`` lists the procedures it was
    reached through when it comes from a ``RunProcedure``."""

    act: Act
    selector: Selector
    execution_type: str
    via: tuple[str, ...] = ()

    @property
    def shown(self) -> str:
        """``BatchDeployStack (stacks matching '*')``, with the procedure path."""
        text = f"{self.execution_type} ({self.selector.shown})"
        if self.via:
            chain = " -> ".join(repr(name) for name in self.via)
            text += f" through procedure {chain}"
        return text


@dataclass(frozen=True)
class Step:
    """One active stage execution of a procedure, with what it does."""

    execution: StageExecution
    effects: tuple[Effect, ...]

    @property
    def stage(self) -> int:
        """0-based stage index."""
        return self.execution.stage


def key_of(resource: Resource) -> Key:
    """Identifies one declaration: its file and its index in that file."""
    return (resource.file.path, resource.table, resource.index)


def is_active(execution: StageExecution) -> bool:
    """False when the stage or the execution is written ``enabled = false``."""
    keys = execution.keys
    stage = _at(execution.procedure.body, keys[:3])
    item = _at(execution.procedure.body, keys[:5])
    return _enabled(stage) and _enabled(item)


def _at(table: Mapping[str, Any], keys: tuple[str | int, ...]) -> object:
    value: object = table
    for key in keys:
        if isinstance(value, Mapping) and isinstance(key, str):
            value = value.get(key)
        elif isinstance(value, list) and isinstance(key, int) and key < len(value):
            value = value[key]
        else:
            return None
    return value


def _enabled(table: object) -> bool:
    return not (isinstance(table, Mapping) and table.get("enabled") is False)


class Plan:
    """The steps of every declared procedure, ``RunProcedure`` expanded."""

    def __init__(self, workspace: Workspace) -> None:
        self._workspace = workspace
        self._executions: dict[Key, list[StageExecution]] = {}
        for execution in stage_executions(workspace):
            if is_active(execution):
                key = key_of(execution.procedure)
                self._executions.setdefault(key, []).append(execution)
        self.procedures = [
            p for p in workspace.of_kind("procedure") if p.name is not None
        ]
        self._by_name: dict[str, list[Resource]] = {}
        for procedure in self.procedures:
            self._by_name.setdefault(procedure.name or "", []).append(procedure)

    def named(self, name: str) -> list[Resource]:
        """The declared procedures called ``name`` (several in a broken tree)."""
        return self._by_name.get(name, [])

    def steps(self, procedure: Resource) -> list[Step]:
        """The active executions of ``procedure`` in order, with their effects."""
        path = (procedure.name or "",)
        return [
            Step(execution, tuple(self._effects_of(execution, path)))
            for execution in self._executions.get(key_of(procedure), [])
        ]

    def callees(self, execution: StageExecution) -> list[str]:
        """Declared procedures a ``RunProcedure``/``BatchRunProcedure`` runs."""
        selector = self.selector(execution)
        if execution.type not in RUNS_PROCEDURES or selector is None:
            return []
        if not selector.batch:
            return [selector.text] if selector.text in self._by_name else []
        return [name for name in self._by_name if selector.selects(name)]

    def selector(self, execution: StageExecution) -> Selector | None:
        """What ``execution`` names, or None when its target is not written."""
        spec = self._workspace.model.executions.get(execution.type or "")
        if spec is None or spec.target is None or spec.target_param is None:
            return None
        value = (execution.params or {}).get(spec.target_param)
        if not isinstance(value, str) or not value.strip():
            return None
        return Selector(spec.target, value.strip(), spec.batch)

    def _procedure_effects(self, name: str, path: tuple[str, ...]) -> Iterator[Effect]:
        """Every effect of the procedures called ``name``, stages flattened;
        nothing for a procedure already on ``path`` (a cycle)."""
        if name in path:
            return
        for procedure in self.named(name):
            for execution in self._executions.get(key_of(procedure), []):
                yield from self._effects_of(execution, (*path, name))

    def _effects_of(
        self, execution: StageExecution, path: tuple[str, ...]
    ) -> Iterator[Effect]:
        selector = self.selector(execution)
        if selector is None or execution.type is None:
            return
        act = ACTS.get(execution.type)
        if act is not None:
            yield Effect(act, selector, execution.type)
        for callee in self.callees(execution):
            for effect in self._procedure_effects(callee, path):
                yield Effect(
                    effect.act,
                    effect.selector,
                    effect.execution_type,
                    (callee, *effect.via),
                )


def schedule_runs(resource: Resource) -> bool:
    """True when a procedure or action has a schedule that is switched on."""
    schedule = resource.config.get("schedule")
    return (
        isinstance(schedule, str)
        and bool(schedule.strip())
        and resource.config.get("schedule_enabled") is not False
    )
