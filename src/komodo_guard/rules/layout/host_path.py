"""A Stack ``run_directory`` that is a host path where a repository path is meant.

It also notes files-on-host folders Periphery may not see.

On a Stack deployed from git (``repo`` or ``linked_repo``), ``run_directory``
is relative to the clone. An absolute path replaces the clone instead:
Periphery runs compose in that host folder, and Core reads the files it shows
and diffs from the same path on its own filesystem, not from its clone, so
"latest" and DeployStackIfChanged stop reflecting git. It only
works by accident, e.g. when it points inside an absolute ``clone_path``.

With ``files_on_host = true`` two cases get a note (info):

* no ``run_directory``: the files are looked up in Periphery's own stack
  folder, ``<root_directory>/stacks/<stack name>`` (``/etc/komodo/stacks/...``
  by default), not wherever the compose files really are (issue #260);
* an absolute ``run_directory``: when Periphery runs in a container, that path
  must be mounted at the same path inside it, or the deploy does not find the
  files (issue #441).

Failing::

    [stack.config]
    repo = "me/homelab"
    clone_path = "/etc/komodo/stacks/app"
    run_directory = "/etc/komodo/stacks/app/services/app"

Passing::

    [stack.config]
    repo = "me/homelab"
    run_directory = "services/app"
"""

from __future__ import annotations

from collections.abc import Iterator

from komodo_guard.rules.interface import (
    FailureClass,
    Finding,
    RuleInfo,
    RuleOptions,
    Severity,
)
from komodo_guard.rules.locate import at_key, ref
from komodo_guard.workspace.model import Resource, Workspace

KOMODO_REPO_DIR = "/etc/komodo/repos/"


def check(
    rule: RuleInfo, workspace: Workspace, options: RuleOptions
) -> Iterator[Finding]:
    """Findings for absolute or missing run directories, by Stack source."""
    for stack in workspace.of_kind("stack"):
        run_directory = _text(stack, "run_directory").strip()
        if stack.config.get("files_on_host") is True:
            yield from _on_host(rule, stack, run_directory)
        elif _from_git(stack) and run_directory.startswith("/"):
            yield _git_absolute(rule, stack, run_directory)


def _from_git(stack: Resource) -> bool:
    return bool(_text(stack, "linked_repo") or _text(stack, "repo"))


def _text(stack: Resource, key: str) -> str:
    value = stack.config.get(key)
    return value if isinstance(value, str) else ""


def _git_absolute(rule: RuleInfo, stack: Resource, run_directory: str) -> Finding:
    return rule.finding(
        f"{stack.label}: run_directory `{run_directory}` is an absolute host path on "
        "a stack deployed from git; it replaces the clone instead of pointing "
        "into it, and Core reads the compose files from that path on its own "
        "filesystem instead of from git",
        location=at_key(stack, "config", "run_directory", value=True),
        resource=ref(stack),
        hint=_relative_hint(stack, run_directory),
    )


def _relative_hint(stack: Resource, run_directory: str) -> str:
    clone_path = _text(stack, "clone_path").strip().rstrip("/")
    if clone_path.startswith("/") and run_directory.startswith(clone_path + "/"):
        inside = run_directory.removeprefix(clone_path + "/").strip("/")
        return (
            f"it points inside clone_path `{clone_path}`: "
            f'write run_directory = "{inside}"'
        )
    return 'write run_directory relative to the repository root (e.g. "stacks/app")'


def _on_host(rule: RuleInfo, stack: Resource, run_directory: str) -> Iterator[Finding]:
    if not run_directory:
        folder = f"<root_directory>/stacks/{stack.name or '<stack name>'}"
        yield rule.finding(
            f"{stack.label}: files_on_host = true with no run_directory: Periphery "
            f"looks for the compose files in {folder} (/etc/komodo/stacks/... by "
            "default)",
            location=at_key(stack, "config", "files_on_host"),
            resource=ref(stack),
            severity=Severity.INFO,
            hint="set run_directory to the host folder holding the compose files",
        )
    elif run_directory.startswith("/"):
        yield rule.finding(
            f"{stack.label}: files_on_host with the absolute run_directory "
            f"`{run_directory}`: if Periphery runs in a container, it must see this "
            "path at the same place inside it" + _managed_note(run_directory),
            location=at_key(stack, "config", "run_directory", value=True),
            resource=ref(stack),
            severity=Severity.INFO,
            hint="mount the folder into the Periphery container at the same path",
        )


def _managed_note(run_directory: str) -> str:
    if run_directory.startswith(KOMODO_REPO_DIR):
        return (
            "; it is also inside /etc/komodo/repos, where Komodo clones Repo "
            "resources and may reset files on pull"
        )
    return ""


RULE = RuleInfo(
    code="KG403",
    name="host-path-checkout",
    severity=Severity.WARNING,
    failure_class=FailureClass.INVALID_CONFIG,
    doc=__doc__ or "",
    checker=check,
)
