"""A git ``repo`` that is not ``owner/name``.

Stacks, builds, repos and syncs clone ``https://<git_provider>/<repo>.git``, so
``repo`` must be the path on the git host (``owner/name``, or
``group/subgroup/name`` on GitLab), with the host in ``git_provider``. A full
URL, a leading host (``github.com/owner/app``), a trailing slash, spaces or an
unrendered template placeholder (``{{ github_org }}/app``) make the clone fail
on every deploy.

Failing::

    repo = "https://github.com/owner/app.git"
    repo = "owner/app/"

Passing::

    git_provider = "github.com"
    repo = "owner/app"

A URL carrying credentials is never echoed in the finding.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

from komodo_guard.rules.interface import (
    FailureClass,
    Finding,
    RuleInfo,
    RuleOptions,
    Severity,
)
from komodo_guard.rules.locate import at_key, ref
from komodo_guard.workspace.model import Workspace

_TEMPLATE = re.compile(r"\{\{|\}\}|\$\{|\{%")
_SCP = re.compile(r"^[\w.-]+@(?P<host>[\w.-]+):(?P<path>.+)$")


@dataclass(frozen=True)
class RepoProblem:
    """What is wrong with a value, and the value to write instead if known."""

    problem: str
    fixed: str | None = None
    provider: str | None = None
    shown: bool = True


def check(
    rule: RuleInfo, workspace: Workspace, options: RuleOptions
) -> Iterator[Finding]:
    """One finding per malformed ``repo`` value."""
    for resource in workspace.resources:
        kind = workspace.kind(resource.kind)
        if (
            kind is None
            or kind.field("repo") is None
            or kind.field("git_provider") is None
        ):
            continue
        value = resource.config.get("repo")
        provider = resource.config.get("git_provider", "github.com")
        problem = (
            _diagnose(value, provider if isinstance(provider, str) else "")
            if isinstance(value, str) and value
            else None
        )
        if problem is None:
            continue
        assert isinstance(value, str)
        written = f" {value!r}" if problem.shown else ""
        yield rule.finding(
            f"`repo`{written} of {resource.label} is not owner/name: "
            f"{problem.problem}; Komodo clones https://<git_provider>/<repo>.git, "
            "so the clone fails",
            location=at_key(resource, "config", "repo", value=True),
            resource=ref(resource),
            hint=_hint(problem),
        )


def _diagnose(value: str, provider: str) -> RepoProblem | None:
    """The first problem of a ``repo`` value, or None when it looks right."""
    if _TEMPLATE.search(value):
        return RepoProblem("it holds an unrendered template placeholder")
    url = _from_url(value)
    if url is not None:
        return url
    if any(char.isspace() for char in value):
        return RepoProblem("it contains whitespace", _clean("".join(value.split())))
    if value.startswith("/") or value.endswith("/") or "//" in value:
        cleaned = _clean(value)
        return RepoProblem("it has a leading, trailing or double slash", cleaned)
    if "/" not in value:
        return RepoProblem("it has no owner part")
    host, _, rest = value.partition("/")
    if provider and host.lower() == provider.lower():
        return RepoProblem("it starts with the git host", _clean(rest), host)
    return None


def _from_url(value: str) -> RepoProblem | None:
    scp = _SCP.match(value)
    if scp is not None:
        return RepoProblem("it is an SSH remote", _clean(scp["path"]), scp["host"])
    if "://" not in value:
        return None
    parts = urlsplit(value)
    secret = bool(parts.username or parts.password or parts.query)
    return RepoProblem(
        "it is a URL with credentials in it" if secret else "it is a full URL",
        _clean(parts.path),
        parts.hostname,
        shown=not secret,
    )


def _clean(path: str) -> str | None:
    segments = [part for part in path.split("/") if part]
    if segments:
        segments[-1] = segments[-1].removesuffix(".git")
    return "/".join(segments) if len(segments) >= 2 else None


def _hint(problem: RepoProblem) -> str:
    if problem.fixed is None:
        return 'write repo = "owner/name" (render templates before committing)'
    hint = f'write repo = "{problem.fixed}"'
    if problem.provider:
        hint += f' with git_provider = "{problem.provider}"'
    if not problem.shown:
        hint += "; move the token to a git account in Komodo and rotate it"
    return hint


RULE = RuleInfo(
    code="KG210",
    name="invalid-repo",
    severity=Severity.WARNING,
    failure_class=FailureClass.INVALID_CONFIG,
    doc=__doc__ or "",
    checker=check,
)
