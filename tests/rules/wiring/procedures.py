"""Builders for procedure tables in wiring tests."""

from __future__ import annotations

Execution = tuple[str, str]


def stage(name: str, *executions: Execution, enabled: bool = True) -> str:
    """One ``[[procedure.config.stage]]`` with ``(type, params)`` executions."""
    lines = [f'[[procedure.config.stage]]\nname = "{name}"']
    if not enabled:
        lines.append("enabled = false")
    lines.append("executions = [")
    for kind, params in executions:
        lines.append(
            f'  {{ execution.type = "{kind}", execution.params = {{ {params} }} }},'
        )
    lines.append("]")
    return "\n".join(lines) + "\n"


def procedure(name: str, *stages: str, config: str = "") -> str:
    """A ``[[procedure]]``; ``config`` lines go in ``[procedure.config]``."""
    head = f'[[procedure]]\nname = "{name}"\n'
    if config:
        head += f"[procedure.config]\n{config}\n"
    return head + "".join(stages)


SYNC = '[[resource_sync]]\nname = "homelab"\n'
RUN_SYNC: Execution = ("RunSync", 'sync = "homelab"')
DEPLOY_ALL: Execution = ("BatchDeployStackIfChanged", 'pattern = "*"')
