"""Komodo's git checkouts on this host, and what their next pull would do.

Periphery clones into ``<stack_dir>/<stack>``, ``<repo_dir>/<repo>`` and
``<build_dir>/<build>`` (sometimes one folder deeper, for a clone path), and
pulls with ``git fetch``, ``git checkout -f <branch>`` and
``git pull --rebase --force origin <branch>`` (FACTS §6.1). For each checkout
this module fetches ``origin`` (unless offline: then the already-fetched
``origin/<branch>`` is used), then compares HEAD with ``origin/<branch>``:

- paths the upstream adds that already exist on disk: untracked ones make the
  pull fail, ignored ones are overwritten in silence (``git check-ignore``
  tells them apart); a path counts also when a file stands where the
  upstream needs a folder;
- tracked files with local changes (``git status``), which Komodo's
  ``checkout -f`` discards;
- local commits: how far ahead and behind, and the files where replaying
  them on the upstream conflicts (``git merge-tree``);
- an unfinished rebase or merge, a detached HEAD, a branch the remote lacks;
- remotes whose URL stores credentials (kept without them);
- Komodo's written env file present, untracked and not ignored.

Checkouts are inspected in a bounded thread pool, each git command with a
timeout. A checkout that cannot be read becomes a :class:`HostProblem`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path

from komodo_guard.host.gitrun import (
    DEFAULT_TIMEOUT,
    Git,
    GitError,
    git_environment,
    split_credentials,
)
from komodo_guard.host.model import Checkout, HostProblem, PeripheryDirs, Remote
from komodo_guard.host.pull import compare, mode

log = logging.getLogger(__name__)

DEFAULT_JOBS = 8
DEFAULT_ENV_FILE = ".env"
_IN_PROGRESS = (
    ("rebase-merge", "rebase"),
    ("rebase-apply", "rebase"),
    ("MERGE_HEAD", "merge"),
    ("CHERRY_PICK_HEAD", "cherry-pick"),
)


@dataclass(frozen=True)
class CheckoutOptions:
    """How to inspect checkouts.

    ``env_files`` maps a checkout's ``(kind, name)`` (``("stack", "app")``)
    to the paths, relative to the checkout, where Komodo writes the stack's env
    file (its ``run_directory`` joined with its ``env_file_path``); ``.env``
    at the checkout's root is always looked at.
    """

    offline: bool = False
    timeout: float = DEFAULT_TIMEOUT
    jobs: int = DEFAULT_JOBS
    env_files: Mapping[tuple[str, str], tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class Found:
    """A checkout folder: which Periphery folder it is in, and its resource."""

    path: Path
    kind: str
    name: str


def find_checkouts(dirs: PeripheryDirs) -> list[Found]:
    """Every git checkout one or two levels under the stack, repo and build
    folders, in path order; a missing folder is skipped."""
    found: list[Found] = []
    for kind, folder in (
        ("stack", dirs.stacks),
        ("repo", dirs.repos),
        ("build", dirs.builds),
    ):
        base = Path(folder)
        if not base.is_dir():
            log.debug("no %s folder at %s", kind, base)
            continue
        for child in _subfolders(base):
            found.extend(Found(path, kind, child.name) for path in _repositories(child))
    return found


def _subfolders(folder: Path) -> list[Path]:
    try:
        return sorted(p for p in folder.iterdir() if p.is_dir() and p.name != ".git")
    except OSError as error:
        log.warning("cannot list %s: %s", folder, error.strerror)
        return []


def _repositories(folder: Path) -> Iterator[Path]:
    if (folder / ".git").exists():
        yield folder
        return
    for child in _subfolders(folder):
        if (child / ".git").exists():
            yield child


def inspect_checkouts(
    found: list[Found], options: CheckoutOptions
) -> tuple[tuple[Checkout, ...], tuple[HostProblem, ...]]:
    """Inspect every checkout, ``options.jobs`` at a time."""
    env = git_environment()
    with ThreadPoolExecutor(max_workers=max(1, options.jobs)) as pool:
        results = list(
            pool.map(lambda item: inspect_checkout(item, options, env), found)
        )
    checkouts = tuple(checkout for checkout, _ in results if checkout is not None)
    problems = tuple(
        problem for _, found_problems in results for problem in found_problems
    )
    return checkouts, problems


def inspect_checkout(
    found: Found, options: CheckoutOptions, env: Mapping[str, str] | None = None
) -> tuple[Checkout | None, list[HostProblem]]:
    """One checkout's state, and what could not be read of it."""
    path = str(found.path)
    problems: list[HostProblem] = []
    try:
        remotes, secrets = _remotes(Git(path, timeout=options.timeout, env=env))
        git = Git(path, timeout=options.timeout, env=env, secrets=secrets)
        fetched = False
        if not options.offline and any(remote.name == "origin" for remote in remotes):
            fetched = _fetch(git, problems)
        checkout = _state(git, found, remotes, fetched)
        checkout = compare(git, found.path, checkout)
        extra = options.env_files.get((found.kind, found.name), ())
        checkout = replace(
            checkout,
            in_progress=_in_progress(found.path),
            unignored_env_files=_unignored(git, found.path, (DEFAULT_ENV_FILE, *extra)),
        )
    except GitError as error:
        problems.append(HostProblem(f"git {error.command}", error.reason, path))
        return None, problems
    except OSError as error:
        reason = f"cannot read the checkout: {error.strerror}"
        problems.append(HostProblem("git checkout inspection", reason, path))
        return None, problems
    return checkout, problems


def _remotes(git: Git) -> tuple[tuple[Remote, ...], tuple[str, ...]]:
    result = git.run("config", "-z", "--get-regexp", r"^remote\..*\.url$", ok=(0, 1))
    remotes: list[Remote] = []
    secrets: list[str] = []
    for entry in result.fields():
        key, _, url = entry.partition("\n")
        clean, found = split_credentials(url)
        secrets.extend(found)
        name = key.removeprefix("remote.").removesuffix(".url")
        remotes.append(Remote(name, clean, credentials=bool(found)))
    return tuple(remotes), tuple(secrets)


def _fetch(git: Git, problems: list[HostProblem]) -> bool:
    try:
        git.run(
            "-c",
            "gc.auto=0",
            "-c",
            "maintenance.auto=false",
            "fetch",
            "--prune",
            "--quiet",
            "origin",
        )
    except GitError as error:
        log.warning("cannot fetch %s: %s", git.path, error.reason)
        problems.append(HostProblem("git fetch", error.reason, git.path))
        return False
    return True


def _state(
    git: Git, found: Found, remotes: tuple[Remote, ...], fetched: bool
) -> Checkout:
    """HEAD, branch, local changes, and ahead/behind when git already knows."""
    result = git.run(
        "status", "--porcelain=v2", "-z", "--branch", "--untracked-files=no"
    )
    headers: dict[str, str] = {}
    modified: list[str] = []
    fields = iter(result.fields())
    for entry in fields:
        if entry.startswith("# "):
            key, _, value = entry[2:].partition(" ")
            headers[key] = value
        elif entry[:1] in ("1", "2", "u"):
            modified.append(_status_path(entry))
            if entry[0] == "2":
                next(fields, None)  # the rename's original path
    if headers.get("branch.oid", "(initial)") == "(initial)":
        raise GitError("status", "the checkout has no commits yet")
    branch = headers.get("branch.head", "")
    checkout = Checkout(
        path=git.path,
        kind=found.kind,
        name=found.name,
        branch="" if branch == "(detached)" else branch,
        head=headers["branch.oid"],
        modified=tuple(sorted(set(modified))),
        remotes=remotes,
        fetched=fetched,
    )
    wanted = f"origin/{checkout.branch}"
    counts = headers.get("branch.ab", "")
    if checkout.branch and headers.get("branch.upstream") == wanted and counts:
        ahead, behind = (abs(int(part)) for part in counts.split())
        return replace(checkout, upstream=wanted, ahead=ahead, behind=behind)
    return _counted(git, checkout)


def _status_path(entry: str) -> str:
    """The path of a ``git status --porcelain=v2`` entry."""
    skip = {"1": 8, "2": 9, "u": 10}[entry[0]]
    return entry.split(" ", skip)[-1]


def _counted(git: Git, checkout: Checkout) -> Checkout:
    """Ahead and behind against ``origin/<branch>`` (``origin/HEAD``'s branch
    when detached), or the missing upstream."""
    if checkout.branch:
        upstream = f"origin/{checkout.branch}"
    else:
        result = git.run(
            "symbolic-ref", "-q", "--short", "refs/remotes/origin/HEAD", ok=(0, 1)
        )
        upstream = result.lines()[0] if result.lines() else ""
    if not upstream:
        return checkout
    exists = git.run(
        "for-each-ref", "--format=%(objectname)", f"refs/remotes/{upstream}"
    )
    if not exists.lines():
        return replace(checkout, upstream_missing=bool(checkout.branch))
    result = git.run("rev-list", "--left-right", "--count", f"HEAD...{upstream}")
    ahead, behind = (int(part) for part in result.lines()[0].split())
    return replace(checkout, upstream=upstream, ahead=ahead, behind=behind)


def _in_progress(root: Path) -> str:
    git_dir = _git_dir(root)
    for name, operation in _IN_PROGRESS:
        if (git_dir / name).exists():
            return operation
    return ""


def _git_dir(root: Path) -> Path:
    marker = root / ".git"
    if marker.is_file():
        try:
            text = marker.read_text(encoding="utf-8", errors="replace").strip()
        except OSError:
            return marker
        if text.startswith("gitdir:"):
            return (root / text.removeprefix("gitdir:").strip()).resolve()
    return marker


def _unignored(git: Git, root: Path, candidates: tuple[str, ...]) -> tuple[str, ...]:
    present = sorted({c for c in candidates if mode(root / c) is not None})
    if not present:
        return ()
    result = git.run(
        "--literal-pathspecs",
        "ls-files",
        "-z",
        "--others",
        "--exclude-standard",
        "--",
        *present,
    )
    return tuple(sorted(set(result.fields())))
