"""Which resource files each ResourceSync of the tree reads, and which repo the
tree is.

Komodo reads every ``resource_path`` entry of a sync relative to the repository
root: a file is used when its extension is exactly ``.toml``; a folder is walked
recursively for ``.toml`` files (FACTS §2.2). When the tree declares no sync that
reads it, every file holding Komodo tables forms one implicit scope.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence

from komodo_guard.komodo.parsers import parse_string_list
from komodo_guard.workspace.model import (
    RepoIdentity,
    Resource,
    SyncScope,
    normalize_repo,
)
from komodo_guard.workspace.walk import TreeListing

IMPLICIT_SCOPE = "(all resource files)"


def resource_paths(sync: Resource) -> list[str]:
    """A sync's ``resource_path`` entries as Komodo splits them."""
    value = sync.config.get("resource_path", [])
    if isinstance(value, str):
        return parse_string_list(value)
    if isinstance(value, list):
        return [entry for entry in value if isinstance(entry, str)]
    return []


def files_under(entry: str, listing: TreeListing) -> tuple[list[str], bool]:
    """The ``.toml`` files a ``resource_path`` entry selects, and whether it exists."""
    clean = entry.strip().removeprefix("./").strip("/")
    if clean in ("", "."):
        return sorted(f for f in listing.files if f.endswith(".toml")), True
    if clean in listing.files:
        return ([clean] if clean.endswith(".toml") else []), True
    if clean in listing.directories:
        prefix = clean + "/"
        return sorted(
            f for f in listing.files if f.startswith(prefix) and f.endswith(".toml")
        ), True
    return [], False


def sync_scopes(
    syncs: Sequence[Resource], listing: TreeListing, repo: RepoIdentity
) -> list[SyncScope]:
    """One scope per declared sync that reads this tree."""
    scopes = []
    for sync in syncs:
        folder = _reads_this_tree(sync, listing, repo)
        if folder is None:
            continue
        files: list[str] = []
        missing: list[str] = []
        for entry in resource_paths(sync):
            if entry.startswith("/"):
                continue
            found, exists = files_under(in_folder(folder, entry), listing)
            files.extend(f for f in found if f not in files)
            if not exists:
                missing.append(entry)
        scopes.append(
            SyncScope(sync.name or "?", sync, tuple(files), tuple(missing), folder)
        )
    return scopes


def in_folder(folder: str, entry: str) -> str:
    """A ``resource_path`` entry as a path of the tree, read below ``folder``."""
    if not folder:
        return entry
    clean = entry.strip().removeprefix("./").strip("/")
    return f"{folder}/{clean}" if clean not in ("", ".") else folder


def _sync_repo(sync: Resource, repo_of: Mapping[str, str]) -> str:
    linked = sync.config.get("linked_repo")
    if isinstance(linked, str) and linked:
        return repo_of.get(linked, "")
    value = sync.config.get("repo")
    return value if isinstance(value, str) else ""


def source_folder(resource: Resource, repo: RepoIdentity) -> str | None:
    """The tree folder holding the repository a resource's ``linked_repo`` (which
    wins) or ``repo`` names; None when that repository's files are not here."""
    linked = resource.config.get("linked_repo")
    if isinstance(linked, str) and linked:
        return repo.folder_of_linked(linked)
    value = resource.config.get("repo")
    return repo.folder_of_repo(value) if isinstance(value, str) and value else None


def _reads_this_tree(
    sync: Resource, listing: TreeListing, repo: RepoIdentity
) -> str | None:
    """The folder a sync reads its files from, or None when it reads none here."""
    if sync.config.get("file_contents") or sync.config.get("files_on_host") is True:
        return None
    folder = source_folder(sync, repo)
    if folder is not None:
        return folder
    if _sync_repo(sync, repo.linked) and repo.names:
        return None
    found = any(
        files_under(entry, listing)[1]
        for entry in resource_paths(sync)
        if not entry.startswith("/")
    )
    return "" if found else None


def identify_repo(
    configured: Iterable[str],
    remotes: frozenset[str],
    syncs: Sequence[Resource],
    stacks: Sequence[Resource],
    listing: TreeListing,
    repo_of: dict[str, str],
) -> RepoIdentity:
    """Which repositories this tree is: configured, from git, or inferred."""
    names = frozenset(normalize_repo(name) for name in configured if "/" in name)
    if names:
        return RepoIdentity(names, "set in komodo-guard.toml")
    if remotes:
        return RepoIdentity(remotes, "from the git remote")
    from_syncs = frozenset(
        normalize_repo(_sync_repo(sync, repo_of))
        for sync in syncs
        if _sync_repo(sync, repo_of)
        and any(files_under(e, listing)[1] for e in resource_paths(sync))
    )
    if from_syncs:
        return RepoIdentity(
            from_syncs, "a declared resource_sync reads its files from this tree"
        )
    return _infer_from_stacks(stacks, listing, repo_of)


def _infer_from_stacks(
    stacks: Sequence[Resource], listing: TreeListing, repo_of: dict[str, str]
) -> RepoIdentity:
    """Guess the tree's repo from the stacks: the repo whose declared paths are
    found here. A repo whose stacks name paths of which none exists here is some
    other repository (a stack deploying an upstream project, say)."""
    used: Counter[str] = Counter()
    found: Counter[str] = Counter()
    missing: Counter[str] = Counter()
    for stack in stacks:
        repo = stack_repo(stack, repo_of)
        if not repo or not _plausible_repo(repo):
            continue
        key = normalize_repo(repo)
        used[key] += 1
        for exists in _declared_paths_exist(stack, listing):
            (found if exists else missing)[key] += 1
    if len(used) == 1:
        (only,) = used
        if found[only] or not missing[only]:
            return RepoIdentity(
                frozenset({only}), f"the only git repo the tree's stacks use ({only})"
            )
        return RepoIdentity()
    best = [name for name, hits in found.most_common() if hits * 2 >= used[name] > 0]
    if best:
        return RepoIdentity(
            frozenset({best[0]}),
            f"most stacks using {best[0]} find their files here",
        )
    return RepoIdentity()


def _plausible_repo(repo: str) -> bool:
    """False for template placeholders and other values that are no repo."""
    return not any(mark in repo for mark in ("{{", "}}", "${", " ", "[["))


def _declared_paths_exist(stack: Resource, listing: TreeListing) -> Iterator[bool]:
    """For each path the stack names explicitly: whether it is in the tree."""
    run_directory = stack.config.get("run_directory")
    base = ""
    if isinstance(run_directory, str) and run_directory.strip("./ "):
        if run_directory.startswith("/"):
            return
        base = run_directory.strip().removeprefix("./").strip("/")
        yield base in listing.directories
    file_paths = stack.config.get("file_paths")
    entries = (
        parse_string_list(file_paths)
        if isinstance(file_paths, str)
        else (file_paths if isinstance(file_paths, list) else [])
    )
    for entry in entries:
        if isinstance(entry, str) and entry and not entry.startswith("/"):
            clean = entry.removeprefix("./")
            yield (f"{base}/{clean}" if base else clean) in listing.files


def stack_repo(stack: Resource, repo_of: dict[str, str]) -> str:
    """The git repo a stack (or build, repo, sync) deploys from, if any."""
    linked = stack.config.get("linked_repo")
    if isinstance(linked, str) and linked:
        return repo_of.get(linked, "")
    value = stack.config.get("repo")
    return value if isinstance(value, str) else ""
