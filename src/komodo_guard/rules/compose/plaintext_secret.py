"""A password, token or key written as a literal in a service's environment.

A compose file lives in git: every clone, fork, CI log and backup of the
repository now holds the secret, and rotating it means rewriting history.
Komodo can keep it out of git: put the value in a Komodo Variable marked
secret, reference it from the Stack's ``environment`` as ``[[NAME]]``, and
use ``${NAME}`` in the compose file (Komodo writes the environment to the env
file compose reads).

A key looks secret when its last word is PASSWORD, PASS, PWD, SECRET, TOKEN,
APIKEY, PASSPHRASE, CREDENTIALS or similar, its last two words are a key pair
such as API_KEY, PRIVATE_KEY, ACCESS_KEY, or its last word ends in a secret word
(PGPASSWORD). Keys ending in _FILE, _PATH, _TTL (and similar settings) are not
secrets. Values that use a
variable, switches (true/false, yes/no, on/off, 0/1) and empty values are not
reported. The value itself never
appears in the finding.

Equivalents: compose-lint CL-0020, CL-0021; kube-linter ``env-var-secret``;
gitleaks and detect-secrets for the generic case.

Failing::

    services:
      db:
        image: postgres:16
        environment:
          POSTGRES_PASSWORD: hunter2hunter2

Passing::

    services:
      db:
        image: postgres:16
        environment:
          POSTGRES_PASSWORD: ${POSTGRES_PASSWORD:?set it in the stack}
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from komodo_guard.rules.compose.common import at
from komodo_guard.rules.content.secret_text import is_secret_key
from komodo_guard.rules.interface import (
    FailureClass,
    Finding,
    RuleInfo,
    RuleOptions,
    Severity,
)
from komodo_guard.workspace.compose import ComposeFile
from komodo_guard.workspace.compose_interpolation import has_interpolation
from komodo_guard.workspace.model import Workspace
from komodo_guard.workspace.yaml_positions import KeyPath

# Values that switch a setting rather than hold a secret (``PASS_TOKEN: "true"``).
SETTING_VALUES = frozenset({"true", "false", "yes", "no", "on", "off", "0", "1"})


def check(
    rule: RuleInfo, workspace: Workspace, options: RuleOptions
) -> Iterator[Finding]:
    """One finding per literal secret-looking environment entry."""
    for compose in workspace.compose_files:
        for name, service in compose.services():
            for key, path, is_item in _entries(name, service):
                yield rule.finding(
                    f"service `{name}` has `{key}` written in plain text in its "
                    "environment; the secret is in git",
                    location=at(compose, path, value=is_item),
                    hint=_hint(compose, key),
                )


def _entries(
    name: str, service: Mapping[str, Any]
) -> Iterator[tuple[str, KeyPath, bool]]:
    """``(key, path, is_list_item)`` of each literal secret-looking entry."""
    environment = service.get("environment")
    base: KeyPath = ("services", name, "environment")
    if isinstance(environment, Mapping):
        for key, value in environment.items():
            if is_secret_key(str(key)) and _literal(value):
                yield str(key), (*base, key), False
    elif isinstance(environment, list):
        for index, item in enumerate(environment):
            if not isinstance(item, str) or "=" not in item:
                continue
            key, _, value = item.partition("=")
            if is_secret_key(key.strip()) and _literal(value):
                yield key.strip(), (*base, index), True


def _literal(value: Any) -> bool:
    if isinstance(value, bool) or value is None:
        return False
    text = str(value).strip()
    if not text or text.lower() in SETTING_VALUES or has_interpolation(text):
        return False
    return not (text.startswith("[[") and text.endswith("]]"))


def _hint(compose: ComposeFile, key: str) -> str:
    where = (
        "the stack's environment"
        if compose.deployments
        else "an env file kept out of git"
    )
    return (
        f"write `{key}: ${{{key}}}` here and set `{key}` in {where}, "
        f"from a secret Komodo Variable (`{key} = [[{key}]]`)"
    )


RULE = RuleInfo(
    code="KG808",
    name="compose-plaintext-secret",
    severity=Severity.WARNING,
    failure_class=FailureClass.EXPOSURE,
    doc=__doc__ or "",
    checker=check,
)
