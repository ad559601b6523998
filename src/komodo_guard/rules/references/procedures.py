"""The executions of procedure stages, as written, with their key paths.

A procedure's ``config.stage`` (or ``stages``) is an array of stages; each stage
holds ``executions`` (or ``execution``), an array of ``{execution = {type,
params}, enabled}`` tables. Both spellings come from the model, so an alias
Komodo accepts is walked like the canonical key.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from komodo_guard.komodo.spec import FieldSpec
from komodo_guard.rules.interface import Location
from komodo_guard.rules.locate import at_key
from komodo_guard.workspace.model import Resource, Workspace

Keys = tuple[str | int, ...]


@dataclass(frozen=True)
class StageExecution:
    """One ``execution`` table of a procedure stage.

    ``keys`` is the path from the procedure to the ``execution`` table;
    ``type`` is None when missing or not a string, ``params`` None when the
    ``params`` table is missing or not a table.
    """

    procedure: Resource
    keys: Keys
    type: str | None
    params: Mapping[str, Any] | None

    @property
    def stage(self) -> int:
        """0-based index of the stage."""
        return int(self.keys[2])

    @property
    def position(self) -> int:
        """0-based index of the execution within its stage."""
        return int(self.keys[4])

    def at(self, *more: str | int, value: bool = False) -> Location:
        """Location of a key below the ``execution`` table."""
        return at_key(self.procedure, *self.keys, *more, value=value)

    @property
    def label(self) -> str:
        """``procedure 'name' stage 1 execution 2`` for messages (1-based)."""
        return (
            f"{self.procedure.label}, stage {self.stage + 1}, "
            f"execution {self.position + 1}"
        )


def stage_executions(workspace: Workspace) -> Iterator[StageExecution]:
    """Every stage execution of every declared procedure, in file order."""
    kind = workspace.kind("procedure")
    if kind is None:
        return
    stages_spec = kind.fields.get("stages")
    if stages_spec is None or stages_spec.fields is None:
        return
    for procedure in workspace.of_kind("procedure"):
        yield from _of_procedure(procedure, stages_spec)


def _of_procedure(
    procedure: Resource, stages_spec: FieldSpec
) -> Iterator[StageExecution]:
    assert stages_spec.fields is not None
    executions_spec = stages_spec.fields["executions"]
    for stages_key, stages in _present(procedure.config, stages_spec):
        for index, stage in enumerate(stages):
            if not isinstance(stage, Mapping):
                continue
            for executions_key, items in _present(stage, executions_spec):
                for position, item in enumerate(items):
                    if isinstance(item, Mapping):
                        keys: Keys = (
                            "config",
                            stages_key,
                            index,
                            executions_key,
                            position,
                            "execution",
                        )
                        yield _execution(procedure, keys, item.get("execution"))


def _present(
    table: Mapping[str, Any], spec: FieldSpec
) -> Iterator[tuple[str, Sequence[Any]]]:
    for spelling in spec.spellings:
        value = table.get(spelling)
        if isinstance(value, list):
            yield spelling, value


def _execution(procedure: Resource, keys: Keys, value: object) -> StageExecution:
    if not isinstance(value, Mapping):
        return StageExecution(procedure, keys, None, None)
    kind, params = value.get("type"), value.get("params")
    return StageExecution(
        procedure,
        keys,
        kind if isinstance(kind, str) else None,
        params if isinstance(params, Mapping) else None,
    )
