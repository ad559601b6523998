"""Core's public address left at the example, or written without a scheme.

``KOMODO_HOST`` (``host``) is the address users and git providers reach Core
at: OAuth redirects and the webhook URLs the UI shows are built from it.
Komodo ships ``https://example.komodo.com`` in ``compose.env`` and
``https://komodo.example.com`` in ``core.config.toml`` (the Core image bundles
that file as its default, so an unset host means that value). Left as is,
every copied webhook URL points at a domain that is not yours.

Komodo 2.x also parses it as a URL when Core first connects to a Periphery;
without a scheme (``komodo.home.lan:9120``) that parse fails and Core panics.

Severity: error for a value without ``scheme://host`` (warning when linting
for 1.x, which only builds links from it); warning for the shipped example,
or for a Core service in the tree that does not set it.

Failing::

    KOMODO_HOST=komodo.home.example.org

Passing::

    KOMODO_HOST=https://komodo.home.example.org
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from komodo_guard.rules.install.common import V2, at, cores, once, where
from komodo_guard.rules.interface import (
    FailureClass,
    Finding,
    RuleInfo,
    RuleOptions,
    Severity,
)
from komodo_guard.workspace.install import CoreInstall, Setting
from komodo_guard.workspace.model import Workspace

EXAMPLES = frozenset(
    {"https://komodo.example.com", "https://example.komodo.com"}
    | {"https://demo.komo.do"}
)
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*://[^/?#\s]+")
HINT = "set KOMODO_HOST to the address users open, e.g. https://komodo.example.org"


def check(
    rule: RuleInfo, workspace: Workspace, options: RuleOptions
) -> Iterator[Finding]:
    """Example or scheme-less hosts anywhere; unset on a complete Core."""
    v2 = workspace.model.version >= V2
    found: list[Finding] = []
    for core in cores(workspace):
        setting = core.settings.get("host")
        if setting is None:
            found.extend(_unset(rule, core))
        else:
            found.extend(_written(rule, setting, v2=v2))
    yield from once(found)


def _unset(rule: RuleInfo, core: CoreInstall) -> Iterator[Finding]:
    if core.complete:
        yield rule.finding(
            f"{core.label} does not set KOMODO_HOST, so Core uses the example "
            "address of its bundled config file for webhook and login links",
            location=at(core.place),
            severity=Severity.WARNING,
            hint=HINT,
        )


def _written(rule: RuleInfo, setting: Setting, *, v2: bool) -> Iterator[Finding]:
    text = setting.value if setting.value is not None else _literal_prefix(setting)
    if text is None:
        return
    text = text.strip()
    if text.rstrip("/") in EXAMPLES:
        yield rule.finding(
            f"{where(setting)} is still Komodo's example address: webhook and "
            "login links point at a domain that is not yours",
            location=at(setting.origin),
            severity=Severity.WARNING,
            hint=HINT,
        )
    elif not _URL.match(text) and (setting.value is not None or "://" not in text):
        consequence = (
            "Core panics when it first connects to a Periphery"
            if v2
            else "webhook and login links built from it are broken"
        )
        yield rule.finding(
            f"{where(setting)} has no `scheme://host` form: {consequence}",
            location=at(setting.origin),
            severity=None if v2 else Severity.WARNING,
            hint="write the full URL with its scheme, e.g. https://komodo.lan:9120",
        )


def _literal_prefix(setting: Setting) -> str | None:
    """The text before the first ``$`` of an interpolated value, when there is
    enough of it to judge the scheme."""
    template = setting.template or ""
    prefix = template.split("$", 1)[0]
    return prefix if prefix and ("://" in prefix or "." in prefix) else None


RULE = RuleInfo(
    code="KG905",
    name="core-host",
    severity=Severity.ERROR,
    failure_class=FailureClass.INVALID_CONFIG,
    doc=__doc__ or "",
    checker=check,
)
