"""Golden cases: realistic failed Updates and the kind and evidence they give."""

from __future__ import annotations

from dataclasses import replace

import pytest

from komodo_guard.history.classify import classify
from komodo_guard.history.model import Failure, IncidentKind
from komodo_guard.komodo.updates import Log, Target, Update
from tests.history.logs import CASES, PRECEDENCE_CASES, SECRETS, Case, failed


@pytest.mark.parametrize("name", sorted(CASES))
def test_kind_and_evidence(name: str) -> None:
    case = CASES[name]
    result = classify(case.update)
    assert (result.kind, result.evidence, result.inferred) == (
        case.kind,
        case.evidence,
        False,
    )


@pytest.mark.parametrize("name", sorted(PRECEDENCE_CASES))
def test_precedence(name: str) -> None:
    case = PRECEDENCE_CASES[name]
    result = classify(case.update)
    assert (result.kind, result.evidence) == (case.kind, case.evidence)


def test_every_kind_has_a_golden_case() -> None:
    assert {case.kind for case in CASES.values()} == set(IncidentKind)


def test_no_log_text_leaves_but_the_evidence() -> None:
    for case in (*CASES.values(), *PRECEDENCE_CASES.values()):
        result = classify(case.update)
        assert result.update == replace(case.update, logs=())
        for secret in SECRETS:
            assert secret not in repr(result)


def _bare(operation: str) -> Update:
    target = Target("Stack", "66a1f0c2e4b5a6c7d8e9f0aa", "x")
    return Update("u1", operation, 1, False, "Complete", "admin", "u", target)


@pytest.mark.parametrize(
    ("operation", "kind"),
    [
        ("RunSync", IncidentKind.SYNC),
        ("CommitSync", IncidentKind.SYNC),
        ("RunProcedure", IncidentKind.PROCEDURE),
        ("RunAction", IncidentKind.PROCEDURE),
    ],
)
def test_without_logs_the_operation_decides(operation: str, kind: IncidentKind) -> None:
    assert classify(_bare(operation)) == Failure(_bare(operation), kind, inferred=True)


@pytest.mark.parametrize("operation", ["DeployStack", "RunBuild"])
def test_without_logs_and_a_telling_operation_the_cause_is_unread(
    operation: str,
) -> None:
    assert classify(_bare(operation)) == Failure(
        _bare(operation), IncidentKind.OTHER, inferred=True, unread=True
    )


def test_unmatched_sync_log_falls_back_to_the_operation() -> None:
    update = replace(
        _bare("RunSync"),
        logs=(failed("Task Error", stderr="ERROR: failed to get id to tags"),),
    )
    result = classify(update)
    assert (result.kind, result.evidence, result.inferred) == (
        IncidentKind.SYNC,
        "Task Error: ERROR: failed to get id to tags",
        False,
    )


def test_a_failed_update_without_failed_stage_is_judged_by_its_last() -> None:
    logs = (
        Log(
            "Compose Up", "docker compose up -d", "", "dependency failed to start", True
        ),
    )
    result = classify(replace(_bare("DeployStack"), logs=logs))
    assert (result.kind, result.evidence) == (
        IncidentKind.COMPOSE,
        "Compose Up: dependency failed to start",
    )


def test_successful_stages_are_not_read() -> None:
    case: Case = CASES["pre-deploy"]
    noisy = Log("Git pull", "git pull", "", "Could not resolve host: github.com", True)
    update = replace(case.update, logs=(noisy, *case.update.logs))
    assert classify(update).kind is IncidentKind.PRE_DEPLOY
