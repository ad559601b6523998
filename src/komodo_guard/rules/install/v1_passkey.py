"""``KOMODO_PASSKEY``, Komodo 1.x's shared secret, set for a 2.x Core.

Komodo 1.x authenticated Core to Periphery with one passkey shared by both.
Komodo 2.x replaced it with key pairs (``KOMODO_PERIPHERY_PUBLIC_KEYS``,
``PERIPHERY_CORE_PUBLIC_KEYS``); the passkey is kept only so 1.x Periphery
agents can still connect. Left in place after an upgrade it is one more
secret to guard and rotate that protects nothing new, and it suggests the
upgrade is unfinished.

Severity: info, and only when linting for Komodo 2.x.

Failing (2.x)::

    KOMODO_PASSKEY=[[KOMODO_PASSKEY]]

Passing (2.x)::

    KOMODO_PERIPHERY_PUBLIC_KEY=file:/config/keys/periphery.pub
"""

from __future__ import annotations

from collections.abc import Iterator

from komodo_guard.rules.install.common import V2, at, cores, once, where
from komodo_guard.rules.interface import (
    FailureClass,
    Finding,
    RuleInfo,
    RuleOptions,
    Severity,
)
from komodo_guard.workspace.model import Workspace


def check(
    rule: RuleInfo, workspace: Workspace, options: RuleOptions
) -> Iterator[Finding]:
    """One finding per place that sets the passkey, for 2.x targets."""
    if workspace.model.version < V2:
        return
    found = []
    for core in cores(workspace):
        setting = core.settings.get("passkey")
        if setting is None:
            continue
        found.append(
            rule.finding(
                f"{where(setting)} sets Komodo 1.x's Core/Periphery passkey; "
                f"Komodo {workspace.model.version} authenticates Periphery "
                "with key pairs and reads it only for 1.x agents",
                location=at(setting.place),
                hint=(
                    "once every Periphery runs 2.x and connects with keys, "
                    "remove the passkey here and PERIPHERY_PASSKEYS there"
                ),
            )
        )
    yield from once(found)


RULE = RuleInfo(
    code="KG910",
    name="v1-passkey",
    severity=Severity.INFO,
    failure_class=FailureClass.STALE_CONFIG,
    doc=__doc__ or "",
    checker=check,
)
