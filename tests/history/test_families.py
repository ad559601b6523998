"""Operations that end each other's outages."""

from __future__ import annotations

from komodo_guard.history.families import FAMILIES, family_of


def test_deploy_like_operations_share_a_family() -> None:
    assert family_of("PullStack") == family_of("DeployStack") == "stack-deploy"
    assert family_of("RestartStack") == "stack-deploy"
    assert family_of("PullDeployment") == family_of("Deploy")


def test_stopping_is_not_deploying() -> None:
    assert family_of("StopStack") == "StopStack"
    assert family_of("StopStack") != family_of("DeployStack")


def test_no_operation_is_in_two_families() -> None:
    operations = [op for members in FAMILIES.values() for op in members]
    assert len(operations) == len(set(operations))
