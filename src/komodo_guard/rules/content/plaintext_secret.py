"""A secret value written in clear in a resource file.

Resource files live in git, so a password written in them is readable by
everyone who can read the repository, its forks and its history, and Komodo
shows non-secret interpolation in its logs. Reported (FACTS S14):

* ``[[variable]]`` tables with ``is_secret = true`` and a ``value``, and
  Variables whose name looks secret with a ``value`` but no ``is_secret``;
* a server or builder ``passkey`` and any ``webhook_secret`` with a value
  (these fields are not interpolated, so ``[[VAR]]`` does not help there);
* env-block entries (``environment``, ``build_args``, ``secret_args``,
  ``labels``) whose key names a secret (``DB_PASSWORD``, ``JWT_SECRET``,
  ``API_KEY``; not ``PASSWORD_FILE``) or that sit in ``secret_args``, with a
  literal value; URLs with a password in them. Placeholders such as
  ``changeme`` are reported too: they are weak secrets in git;
* alerter endpoint URLs carrying a secret: a topic on the public ``ntfy.sh``,
  Slack or Discord webhook paths, ``token=``-style query parameters, user-info
  passwords (warnings); a token-like path segment elsewhere (info).

Values written as ``[[VAR]]``, ``${VAR}``, ``file:...`` or ``/run/secrets/...``
are references, not secrets. Findings name the key only: never the value, a
part of it, its length or a hash.

Failing::

    environment = "DB_PASSWORD=hunter2"

Passing::

    environment = "DB_PASSWORD=[[IMMICH_DB_PASSWORD]]"
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from komodo_guard.komodo.parsers import read_env_block
from komodo_guard.rules.content import secret_text
from komodo_guard.rules.content.fields import (
    FieldText,
    env_block_entries,
    env_block_texts,
)
from komodo_guard.rules.content.secret_text import Verdict
from komodo_guard.rules.interface import (
    FailureClass,
    Finding,
    Location,
    RuleInfo,
    RuleOptions,
    Severity,
)
from komodo_guard.rules.locate import at_key, ref
from komodo_guard.workspace.model import Resource, Workspace

_USE_VARIABLE = "use [[VARIABLE]] (a secret Variable): "
_PUBLIC_WEBHOOKS = {
    "ntfy.sh": (
        "/",
        "the ntfy topic on the public ntfy.sh server is a shared "
        "secret: whoever knows it can read and post your alerts",
    ),
    "hooks.slack.com": ("/services/", "the Slack webhook path is its secret"),
    "discord.com": ("/api/webhooks/", "the Discord webhook path holds its token"),
    "discordapp.com": ("/api/webhooks/", "the Discord webhook path holds its token"),
}


def check(
    rule: RuleInfo, workspace: Workspace, options: RuleOptions
) -> Iterator[Finding]:
    """Secrets in Variables, credentials fields, env blocks and alerter URLs."""
    for resource in workspace.resources:
        if resource.kind == "variable":
            yield from _variable(rule, resource)
            continue
        yield from _credential_fields(rule, resource)
        yield from _env_blocks(rule, resource)
        if resource.kind == "alerter":
            yield from _alerter(rule, resource)


def _variable(rule: RuleInfo, variable: Resource) -> Iterator[Finding]:
    value = variable.body.get("value")
    name = variable.name or ""
    if not isinstance(value, str) or secret_text.verdict(value) is Verdict.REFERENCE:
        return
    if variable.body.get("is_secret") is True:
        what = "is a secret Variable with its value written in the file"
    elif secret_text.is_secret_key(name):
        what = "looks secret but has its value written in the file (and no is_secret)"
    else:
        return
    yield rule.finding(
        f"Variable {name!r} {what}",
        location=at_key(variable, "value"),
        resource=ref(variable),
        hint="remove `value` from git and set it in the UI or in Core's [secrets] "
        "(a sync with include_variables resets a Variable to what the file says)",
    )


def _credential_fields(rule: RuleInfo, resource: Resource) -> Iterator[Finding]:
    candidates: list[tuple[str, ...]] = [("config", "webhook_secret")]
    if resource.kind == "server":
        candidates.append(("config", "passkey"))
    if resource.kind == "builder":
        candidates.append(("config", "params", "passkey"))
    for keys in candidates:
        value = _lookup(resource, keys)
        if not isinstance(value, str) or not value.strip():
            continue
        key = keys[-1]
        literal = "[[" not in value
        what = "holds a literal secret" if literal else "is not interpolated by Komodo"
        yield rule.finding(
            f"`{key}` of {resource.label} {what}"
            + ("" if literal else ": the `[[...]]` text itself is the secret"),
            location=at_key(resource, *keys, value=True),
            resource=ref(resource),
            hint=_credential_hint(key),
        )


def _credential_hint(key: str) -> str:
    if key == "webhook_secret":
        return (
            "remove it and rely on Core's global webhook_secret "
            "(KOMODO_WEBHOOK_SECRET from the environment or a secret file)"
        )
    return (
        "remove it from the file; passkeys belong in Core and Periphery "
        "configuration (KOMODO_PASSKEY from the environment or a secret file)"
    )


def _lookup(resource: Resource, keys: tuple[str, ...]) -> object:
    value: object = resource.body
    for key in keys:
        value = value.get(key) if isinstance(value, Mapping) else None
    return value


def _env_blocks(rule: RuleInfo, resource: Resource) -> Iterator[Finding]:
    for text in env_block_texts(resource):
        lines, _ = read_env_block(text.text)
        starts = _line_starts(text.text)
        for line in lines:
            found = _env_secret(text.field, line.key, line.value)
            if found is not None:
                location = text.location(starts[line.line_offset])
                yield _env_finding(rule, text, line.key, found, location)
    for entry in env_block_entries(resource):
        found = _env_secret(entry.value.field, entry.variable, entry.value.text)
        if found is not None:
            location = entry.value.location(0)
            yield _env_finding(rule, entry.value, entry.variable, found, location)


def _env_secret(field: str, key: str, value: str) -> str | None:
    """What kind of clear secret ``key=value`` holds, or None."""
    if field in ("ports", "volumes"):
        return None
    if field == "secret_args" or secret_text.is_secret_key(key):
        found = secret_text.verdict(value)
        if found is Verdict.PLACEHOLDER:
            return "a placeholder secret (weak, and in git)"
        if found is Verdict.LITERAL:
            return "a literal secret value"
    if secret_text.url_password(value):
        return "a URL with a password in it"
    return None


def _env_finding(
    rule: RuleInfo, text: FieldText, key: str, what: str, location: Location
) -> Finding:
    name = secret_text.variable_name(key)
    return rule.finding(
        f"`{key}` in `{text.field}` of {text.resource.label} holds {what}, "
        "readable by anyone with the repository",
        location=_line_start(text, location),
        resource=ref(text.resource),
        hint=f"{_USE_VARIABLE}`{key}=[[{name}]]`, with the value set in the UI "
        "or in Core's [secrets]",
    )


def _line_start(text: FieldText, location: Location) -> Location:
    """Move a line's location past its indentation."""
    line = text.resource.file.line_text(location.line)
    indent = len(line) - len(line.lstrip())
    if location.column <= indent:
        return Location(location.path, location.line, indent + 1)
    return location


def _line_starts(block: str) -> list[int]:
    starts, position = [], 0
    for raw in block.split("\n"):
        starts.append(position)
        position += len(raw) + 1
    return starts


def _alerter(rule: RuleInfo, alerter: Resource) -> Iterator[Finding]:
    keys = ("config", "endpoint", "params", "url")
    url = _lookup(alerter, keys)
    if not isinstance(url, str):
        return
    found = _url_secret(url)
    if found is None:
        return
    what, severity = found
    yield rule.finding(
        f"the endpoint URL of {alerter.label} carries a secret: {what}",
        location=at_key(alerter, *keys),
        resource=ref(alerter),
        hint=f"{_USE_VARIABLE}write the secret part as [[{_alerter_variable(alerter)}]]"
        " and set its value in the UI or in Core's [secrets]",
        severity=severity,
    )


def _url_secret(url: str) -> tuple[str, Severity] | None:
    parsed = secret_text.host_and_path(url)
    if parsed is None:
        return None
    host, path = parsed
    if secret_text.url_password(url):
        return "a password in the URL", Severity.WARNING
    if secret_text.url_query_secret(url):
        return "a token in the query string", Severity.WARNING
    public = _PUBLIC_WEBHOOKS.get(host)
    if public is not None and path.startswith(public[0]) and path.strip("/"):
        return public[1], Severity.WARNING
    if any(secret_text.looks_random(part) for part in path.split("/")):
        return "a token-like id in the URL path", Severity.INFO
    return None


def _alerter_variable(alerter: Resource) -> str:
    base = secret_text.variable_name(alerter.name or "alerter")
    return f"{base}_WEBHOOK"


RULE = RuleInfo(
    code="KG701",
    name="plaintext-secret",
    severity=Severity.WARNING,
    failure_class=FailureClass.EXPOSURE,
    doc=__doc__ or "",
    checker=check,
)
