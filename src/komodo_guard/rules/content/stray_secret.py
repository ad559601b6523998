"""A secret written in a resource file at a place plaintext-secret does not read.

KG701 reads the keys where Komodo expects secrets: Variable values,
``webhook_secret``, ``passkey``, env blocks (``environment``, ``build_args``,
``secret_args``, ``labels``) and alerter URLs. A secret elsewhere in the file is
just as readable by everyone with the repository, its forks and its history:

* under a key Komodo ignores: an ``environment`` written after a
  ``[stack.config.pre_deploy]`` header (the header swallows it), written above
  ``[stack.config]``, under a misspelt key (``envirnoment``,
  ``webhook_secrt``) or in a table that is no Komodo resource
  (``[[git_account]]``). Komodo drops the key, so the secret does nothing at
  all, but it is still in git;
* in a field KG701 does not parse: a command (``pre_deploy.command``), a
  compose file or a script written inline (``file_contents``), ``extra_args``.

Reported: a key that names a secret (``password``, ``token``, ``API_KEY``, or a
misspelling of ``webhook_secret`` or ``passkey``) with a literal value, a URL
with a password in it, and, inside any text, ``KEY=value`` or ``KEY: value``
lines whose key names a secret (``POSTGRES_PASSWORD=...``) or whose value is
such a URL (``DATABASE_URL=postgres://user:pass@db/app``). Values written as
``[[VAR]]``, ``${VAR}``, ``file:...`` or ``/run/secrets/...`` are references,
not secrets. Outside env blocks only the first word of a line's value counts
(``DB_PASSWORD=... ./backup.sh``), and a ``description`` is prose, never read
for such lines. Findings name keys only: never the value, a part of it, its
length or a hash.

Failing (the ``pre_deploy`` header swallows ``environment``; Komodo ignores it)::

    [stack.config.pre_deploy]
    command = "./prepare.sh"
    environment = \"\"\"
    POSTGRES_PASSWORD=hunter2
    \"\"\"

Passing (above the sub-table header, with the value in a secret Variable)::

    [stack.config]
    environment = \"\"\"
    POSTGRES_PASSWORD=[[POSTGRES_PASSWORD]]
    \"\"\"
    [stack.config.pre_deploy]
    command = "./prepare.sh"
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from komodo_guard.komodo.parsers import parse_env_block
from komodo_guard.rules.content import secret_text
from komodo_guard.rules.content.fields import ENV_BLOCKS
from komodo_guard.rules.content.secret_text import Verdict
from komodo_guard.rules.interface import (
    FailureClass,
    Finding,
    Location,
    RuleInfo,
    RuleOptions,
    Severity,
)
from komodo_guard.rules.locate import ref
from komodo_guard.rules.resources.schema import Issue, Problem, of_problem
from komodo_guard.workspace.headers import KeyPath
from komodo_guard.workspace.model import Resource, Workspace
from komodo_guard.workspace.toml_file import TomlFile

_IGNORED = (Problem.UNKNOWN_KEY, Problem.UNKNOWN_TABLE, Problem.NOT_IN_VERSION)
_ENV_FIELDS = frozenset(key for keys in ENV_BLOCKS.values() for key in keys)
_ENV_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*")
_ALERTER_URL = ("config", "endpoint", "params", "url")
# Keys holding prose, where ``PASSWORD: set it in the UI`` is no secret.
_PROSE = frozenset({"description"})


@dataclass(frozen=True)
class _Spot:
    """One string value of a file: its keys, its last key (for an array item,
    the array's), its resource, and the ignored key above it (None when
    Komodo reads the key)."""

    file: TomlFile
    keys: KeyPath
    key: str
    text: str
    resource: Resource | None
    ignored: Issue | None

    @property
    def meant(self) -> str:
        """The key an ignored key was probably meant to be, or ""."""
        advice = self.ignored.advice if self.ignored else None
        return advice.key if advice else ""

    @property
    def field(self) -> str:
        """The dotted key below the resource (or ``config``), without indexes."""
        array = len(self.keys) > 1 and isinstance(self.keys[1], int)
        start = 2 if self.resource is not None or array else 1
        names = [k for k in self.keys[start:] if isinstance(k, str)]
        if names[:1] == ["config"] and len(names) > 1:
            names = names[1:]
        return ".".join(names)


def check(
    rule: RuleInfo, workspace: Workspace, options: RuleOptions
) -> Iterator[Finding]:
    """Secrets in every string of every resource file that KG701 does not read."""
    for spot in _spots(workspace):
        yield from _secrets(rule, spot)


def _spots(workspace: Workspace) -> Iterator[_Spot]:
    ignored: dict[str, dict[KeyPath, Issue]] = {}
    for issue in of_problem(workspace, *_IGNORED):
        ignored.setdefault(issue.file, {}).setdefault(issue.path, issue)
    owners: dict[str, dict[KeyPath, Resource]] = {}
    for resource in workspace.resources:
        owners.setdefault(resource.file.path, {})[resource.path] = resource
    for file in workspace.toml_files:
        if not file.data:
            continue
        here, skipped = owners.get(file.path, {}), ignored.get(file.path, {})
        for keys, key, text in _strings(file.data, skipped):
            owner = here.get(keys[:2])
            if owner is not None and read_by_plaintext_secret(owner, keys[2:]):
                continue
            above = _outermost(skipped, keys) if skipped else None
            yield _Spot(file, keys, key, text, owner, above)


def _may_hold_secret(key: str, text: str) -> bool:
    """A cheap first test: most strings (names, paths, flags) cannot hold one."""
    return "=" in text or ":" in text or secret_text.is_secret_key(key)


def _outermost(skipped: Mapping[KeyPath, Issue], keys: KeyPath) -> Issue | None:
    """The ignored key or table closest to the top that holds ``keys``."""
    for depth in range(1, len(keys) + 1):
        issue = skipped.get(keys[:depth])
        if issue is not None:
            return issue
    return None


def read_by_plaintext_secret(resource: Resource, keys: KeyPath) -> bool:
    """True when KG701 reads the value at ``keys`` below ``resource``."""
    kind = resource.kind
    if kind == "variable":
        return keys == ("value",)
    if keys == ("config", "webhook_secret"):
        return True
    if (kind, keys) in (
        ("server", ("config", "passkey")),
        ("builder", ("config", "params", "passkey")),
        ("alerter", _ALERTER_URL),
    ):
        return True
    if len(keys) < 2 or keys[0] != "config" or keys[1] not in ENV_BLOCKS.get(kind, ()):
        return False
    value = resource.config.get(str(keys[1]))
    if isinstance(value, str):
        return len(keys) == 2
    if len(keys) != 4 or keys[3] not in ("variable", "value"):
        return False
    index = keys[2]
    if not isinstance(value, list) or not isinstance(index, int):
        return False
    item = value[index] if index < len(value) else None
    return isinstance(item, Mapping) and all(
        isinstance(item.get(name), str) for name in ("variable", "value")
    )


def _strings(
    data: Mapping[str, Any], skipped: Mapping[KeyPath, Issue]
) -> Iterator[tuple[KeyPath, str, str]]:
    """The strings of a file that may hold a secret: (keys, last key, text).

    The last key of an array item is the array's. Every string at or below an
    ignored key of ``skipped`` counts; elsewhere only those
    :func:`_may_hold_secret` keeps. One loop over an explicit stack, exact
    type tests first (the parser gives dicts and lists): this walks every
    value of every file.
    """
    names = {path[-1] for path in skipped}
    stack: list[tuple[KeyPath, str, Any, bool]] = [((), "", data, False)]
    while stack:
        keys, key, table, ignored = stack.pop()
        pairs: Iterable[tuple[str | int, Any]] = (
            enumerate(table) if type(table) is list else table.items()
        )
        nested = []
        for name, item in pairs:
            last = key if type(name) is int else str(name)
            kind = type(item)
            if kind is str:
                if item and (ignored or name in names or _may_hold_secret(last, item)):
                    yield (*keys, name), last, item
            elif kind is dict or kind is list or isinstance(item, Mapping):
                path = (*keys, name)
                nested.append((path, last, item, ignored or path in skipped))
        stack.extend(reversed(nested))


def _secrets(rule: RuleInfo, spot: _Spot) -> Iterator[Finding]:
    if secret_text.is_secret_key(spot.key) or secret_text.is_secret_key(spot.meant):
        found = _literal(spot.text)
        if found is not None:
            yield _finding(rule, spot, f"`{spot.field}`", found, 0)
        return
    if secret_text.url_password(spot.text):
        yield _finding(rule, spot, f"`{spot.field}`", "a URL with a password", 0)
        return
    if spot.key in _PROSE or ("=" not in spot.text and ":" not in spot.text):
        return
    env = spot.key in _ENV_FIELDS or spot.meant in _ENV_FIELDS
    lines, _ = parse_env_block(spot.text)
    for line in lines:
        found = _line_secret(line.key, line.value, env=env)
        if found is not None:
            subject = f"`{line.key}` in `{spot.field}`"
            yield _finding(rule, spot, subject, found, line.line_offset)


def _literal(value: str) -> str | None:
    match secret_text.verdict(value):
        case Verdict.PLACEHOLDER:
            return "a placeholder secret (weak, and in git)"
        case Verdict.LITERAL:
            return "a literal secret value"
    return None


def _line_secret(key: str, value: str, *, env: bool) -> str | None:
    """What clear secret the line ``key=value`` holds, or None. Outside env
    blocks only the value's first word counts (``PGPASSWORD=x pg_dump``)."""
    if not _ENV_KEY.fullmatch(key):
        return None
    if not env:
        value = value.split(maxsplit=1)[0] if value.strip() else ""
    if secret_text.is_secret_key(key):
        found = _literal(value)
        if found is not None:
            return found
    if secret_text.url_password(value):
        return "a URL with a password"
    return None


def _finding(
    rule: RuleInfo, spot: _Spot, subject: str, what: str, line_offset: int
) -> Finding:
    owner = spot.resource.label if spot.resource else f"[[{spot.keys[0]}]]"
    if spot.ignored is None:
        message = (
            f"{subject} of {owner} holds {what}, readable by anyone with the "
            "repository (plaintext-secret does not check this key)"
        )
        hint = (
            "keep the value in a secret Variable (UI or Core's [secrets]) and "
            "write [[NAME]] where Komodo interpolates it; rotate it, since git "
            "history keeps the old value"
        )
    else:
        message = (
            f"{subject} of {owner} holds {what}; {_why_ignored(spot.ignored)}, "
            "so the value does nothing, but it is in git for anyone with the "
            "repository"
        )
        hint = (
            "delete it from the file and rotate it (git history keeps it); if "
            "Komodo should use it, write [[NAME]] at the key Komodo reads and "
            "keep the value in a secret Variable"
        )
    return rule.finding(
        message,
        location=_location(spot, line_offset),
        resource=ref(spot.resource) if spot.resource else None,
        hint=hint,
    )


def _why_ignored(issue: Issue) -> str:
    advice = issue.advice
    if issue.problem is Problem.UNKNOWN_TABLE:
        return f"Komodo ignores the whole `{issue.key}` table"
    if issue.problem is Problem.NOT_IN_VERSION:
        return f"the target Komodo release ignores `{issue.key}`"
    if advice is not None and advice.header_line:
        return (
            f"Komodo ignores `{issue.key}` there: the {issue.place} header on "
            f"line {advice.header_line} swallowed it"
        )
    if advice is not None and advice.key == issue.key and advice.place:
        return (
            f"Komodo ignores `{issue.key}` in {issue.place} (it belongs in "
            f"{advice.place})"
        )
    if advice is not None and advice.key:
        return f"Komodo ignores `{issue.key}` (did you mean `{advice.key}`?)"
    return f"Komodo ignores `{issue.key}` in {issue.place}"


def _location(spot: _Spot, line_offset: int) -> Location:
    """The value's start, or the start of line ``line_offset`` of a multi-line
    string (past its indentation)."""
    file = spot.file
    span = file.spans.get(spot.keys)
    if span is None:
        line, column = file.position(spot.keys, value=True)
        return Location(file.path, line, column)
    opening = file.line_text(span.value_line)[span.value_column - 1 :]
    if not opening.startswith(('"""', "'''")):
        return Location(file.path, span.value_line, span.value_column)
    first = span.value_line + (1 if opening[3:].strip() == "" else 0)
    line = first + line_offset
    text = file.line_text(line)
    column = len(text) - len(text.lstrip()) + 1
    if line == span.value_line:
        column = span.value_column + 3
    return Location(file.path, line, column)


RULE = RuleInfo(
    code="KG702",
    name="stray-secret",
    severity=Severity.WARNING,
    failure_class=FailureClass.EXPOSURE,
    doc=__doc__ or "",
    checker=check,
)
