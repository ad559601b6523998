"""Rules over names and references between resources; RULES lists them in code order."""

from komodo_guard.rules.interface import RuleInfo
from komodo_guard.rules.references import (
    after_cycle,
    after_unknown,
    batch_pattern,
    deploy_after_misuse,
    duplicate_name,
    execution_params,
    invalid_repo,
    invalid_variable,
    linked_repo_overrides,
    name_normalization,
    procedure_runs_itself,
    source_overridden,
    swarm_overrides_server,
    unknown_execution,
    unknown_reference,
)

RULES: tuple[RuleInfo, ...] = (
    duplicate_name.RULE,
    name_normalization.RULE,
    unknown_reference.RULE,
    unknown_execution.RULE,
    execution_params.RULE,
    batch_pattern.RULE,
    after_unknown.RULE,
    after_cycle.RULE,
    deploy_after_misuse.RULE,
    invalid_repo.RULE,
    linked_repo_overrides.RULE,
    swarm_overrides_server.RULE,
    source_overridden.RULE,
    invalid_variable.RULE,
    procedure_runs_itself.RULE,
)
