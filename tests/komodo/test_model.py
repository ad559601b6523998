"""The loaded model: lookups, history and catalog consistency."""

from __future__ import annotations

import pytest

from komodo_guard.komodo.catalog import EXECUTIONS, KINDS
from komodo_guard.komodo.model import (
    field_history,
    load,
    param_history,
    removed_fields,
)
from komodo_guard.komodo.spec import FieldSpec, FieldType
from komodo_guard.komodo.versions import SUPPORTED, KomodoVersion


def test_load_defaults_to_newest_and_caches() -> None:
    assert load() is load("2.3.2") is load("2.3")
    assert load().version == KomodoVersion(2, 3, 2)
    assert len(load().executions) == 82


def test_kind_lookup_by_singular_or_plural() -> None:
    model = load("2.3.2")
    assert model.kind_for_table("stacks") is model.kinds["stack"]
    assert model.kind_for_table("resource_syncs") is model.kinds["resource_sync"]
    assert model.kind_for_table("server_template") is None
    assert load("1.16").kind_for_table("server_templates") is not None


def test_field_by_alias_and_display_name() -> None:
    stack = load().kinds["stack"]
    server = stack.field("server")
    assert server is not None
    assert server.name == "server_id"
    assert server.display_name == "server"
    assert server.spellings == ("server_id", "server")
    assert stack.deploys
    assert not load().kinds["server"].deploys


def test_absent_fields_are_absent() -> None:
    assert load("1.17").kinds["stack"].field("linked_repo") is None
    assert load("1.18").kinds["stack"].field("linked_repo") is not None
    assert "swarm" not in load("1.19").kinds


def test_historical_forms() -> None:
    old = load("1.19").kinds["stack"].fields["additional_env_files"]
    new = load("2.0").kinds["stack"].fields["additional_env_files"]
    assert old.type is FieldType.STRING_LIST
    assert new.type is FieldType.ARRAY
    assert new.items is FieldType.STRING_OR_TABLE
    assert load("1.19").kinds["server"].fields["address"].default == (
        "https://periphery:8120"
    )
    assert load("2.0").kinds["server"].fields["address"].default == ""


def test_table_default_follows_its_fields() -> None:
    assert load("2.1").kinds["stack"].fields["pre_deploy"].default == {
        "path": "",
        "command": "",
    }
    assert load("2.2").kinds["stack"].fields["pre_deploy"].default == {
        "path": "",
        "command": "",
        "shell_mode": False,
    }


def test_enum_accepts_aliases() -> None:
    model = load()
    assert model.enum_accepts("StackFileRequires", "redeploy") == "Redeploy"
    assert model.enum_accepts("StackFileRequires", "Restart") == "Restart"
    assert model.enum_accepts("StackFileRequires", "REDEPLOY") is None
    assert model.enum_accepts("TerminationSignal", "15") == "SIGTERM"
    assert load("1.18").enum_accepts("StackFileRequires", "redeploy") is None


def test_execution_targets() -> None:
    executions = load().executions
    assert executions["DeployStack"].target == "stack"
    assert executions["BatchDeployStack"].target == "stack"
    assert executions["BatchDeployStack"].batch
    assert executions["BatchDeployStack"].target_param == "pattern"
    assert executions["RunSync"].target == "resource_sync"
    assert executions["SendAlert"].target == "alerter"
    assert executions["Sleep"].target is None
    assert executions["CommitSync"].param("name") is not None


def test_procedure_execution_variants_are_the_executions() -> None:
    stages = load("1.17").kinds["procedure"].fields["stages"]
    assert stages.fields is not None
    execution = stages.fields["executions"].fields
    assert execution is not None
    variants = execution["execution"].variants or {}
    assert set(variants) == set(load("1.17").executions)
    assert "services" in variants["DeployStack"]


def test_field_history() -> None:
    assert field_history("stack", "clone_path") == (KomodoVersion(1, 18, 2), None)
    assert field_history("common", "template") == (KomodoVersion(1, 18, 4), None)
    assert field_history("server", "timeout_seconds") == (None, KomodoVersion(2, 0))
    assert field_history("builder", "params.docker_registries") == (
        None,
        KomodoVersion(2, 3, 0),
    )
    assert field_history("builder", "params.server_id") == (None, None)
    assert field_history("swarm", "links") == (KomodoVersion(2, 0), None)
    with pytest.raises(KeyError):
        field_history("stack", "sever")


def test_param_history() -> None:
    assert param_history("DeployStack", "service") == (None, KomodoVersion(1, 17))
    assert param_history("BatchDeploy", "tags") == (KomodoVersion(2, 3), None)


def test_removed_fields() -> None:
    removed = removed_fields("builder", "2.3.2")
    assert removed["params.docker_registries"] == KomodoVersion(2, 3, 0)
    assert "params.server_id" not in removed  # still accepted as an alias
    assert dict(removed_fields("server", "2.0")) == {
        "timeout_seconds": KomodoVersion(2, 0, 0)
    }
    assert removed_fields("stack", "1.16") == {}


def _declared(specs: tuple[FieldSpec, ...]) -> list[tuple[FieldSpec, ...]]:
    """Every tuple of sibling declarations, recursively."""
    groups = [specs]
    for spec in specs:
        for form in (spec, spec.before):
            if form is None:
                continue
            if form.fields is not None:
                groups.extend(_declared(tuple(form.fields.values())))
            for variant in (form.variants or {}).values():
                groups.extend(_declared(tuple(variant.values())))
    return groups


@pytest.mark.parametrize("version", SUPPORTED, ids=str)
def test_one_declaration_per_key_and_version(version: KomodoVersion) -> None:
    declared = [decl.fields for decl in KINDS] + [decl.params for decl in EXECUTIONS]
    for specs in declared:
        for siblings in _declared(specs):
            live = [s.name for s in siblings if s.exists_in(version)]
            assert len(live) == len(set(live)), live
