"""Checkout inspection against real git repositories; every prediction is
checked against what Komodo's own pull sequence then does."""

from __future__ import annotations

from pathlib import Path

import pytest

from komodo_guard.host.checkouts import (
    CheckoutOptions,
    Found,
    find_checkouts,
    inspect_checkout,
    inspect_checkouts,
)
from komodo_guard.host.model import Checkout, PeripheryDirs
from tests.host.conftest import OFFLINE, ONLINE, stack
from tests.host.gitrepos import Remote, git, komodo_pull, write


def inspected(found: Found, options: CheckoutOptions = ONLINE) -> Checkout:
    checkout, problems = inspect_checkout(found, options)
    assert problems == []
    assert checkout is not None
    return checkout


def test_clean_checkout_has_nothing_to_report(remote: Remote, root: Path) -> None:
    found = stack(root, "app")
    remote.clone(found.path)

    checkout = inspected(found)

    assert (checkout.branch, checkout.upstream, checkout.fetched) == (
        "main",
        "origin/main",
        True,
    )
    assert (checkout.ahead, checkout.behind) == (0, 0)
    assert not checkout.blocked
    assert checkout.untracked_collisions == checkout.ignored_collisions == ()
    assert checkout.modified == checkout.unignored_env_files == ()
    assert komodo_pull(found.path).returncode == 0


def test_untracked_file_added_upstream_blocks_the_pull(
    remote: Remote, root: Path
) -> None:
    found = stack(root, "app")
    remote.clone(found.path)
    remote.commit({"config/app.yaml": "upstream\n", "new.txt": "upstream\n"})
    write(found.path, {"new.txt": "mine\n", "notes.txt": "unrelated\n"})

    checkout = inspected(found)

    assert checkout.behind == 1
    assert checkout.untracked_collisions == ("new.txt",)
    assert checkout.blocked
    pulled = komodo_pull(found.path)
    assert pulled.returncode != 0
    assert "untracked working tree files would be overwritten" in pulled.stderr
    assert (found.path / "new.txt").read_text() == "mine\n"


def test_no_collision_predicted_means_the_pull_succeeds(
    remote: Remote, root: Path
) -> None:
    found = stack(root, "app")
    remote.clone(found.path)
    remote.commit({"new.txt": "upstream\n"})
    write(found.path, {"other.txt": "mine\n", "sub/new.txt": "elsewhere\n"})

    checkout = inspected(found)

    assert checkout.behind == 1
    assert checkout.untracked_collisions == checkout.ignored_collisions == ()
    assert not checkout.blocked
    assert komodo_pull(found.path).returncode == 0
    assert (found.path / "new.txt").read_text() == "upstream\n"


def test_a_file_where_upstream_needs_a_folder_collides(
    remote: Remote, root: Path
) -> None:
    found = stack(root, "app")
    remote.clone(found.path)
    remote.commit({"conf/app.yaml": "upstream\n"})
    write(found.path, {"conf": "a file\n"})

    checkout = inspected(found)

    assert checkout.untracked_collisions == ("conf",)
    assert komodo_pull(found.path).returncode != 0


def test_an_untracked_folder_where_upstream_adds_a_file_collides(
    remote: Remote, root: Path
) -> None:
    found = stack(root, "app")
    remote.clone(found.path)
    remote.commit({"data": "upstream file\n"})
    write(found.path, {"data/local.db": "mine\n"})

    checkout = inspected(found)

    assert checkout.untracked_collisions == ("data",)
    assert komodo_pull(found.path).returncode != 0


def test_ignored_files_are_overwritten_silently(remote: Remote, root: Path) -> None:
    found = stack(root, "app")
    remote.clone(found.path)
    remote.commit({"build.log": "upstream\n", "cache/state.json": "{}\n"})
    write(found.path, {"build.log": "mine\n", "cache/state.json": "mine\n"})
    (found.path / ".git" / "info" / "exclude").write_text("build.log\ncache/\n")

    checkout = inspected(found)

    assert checkout.ignored_collisions == ("build.log", "cache/state.json")
    assert checkout.untracked_collisions == ()
    assert not checkout.blocked
    assert komodo_pull(found.path).returncode == 0
    assert (found.path / "build.log").read_text() == "upstream\n"


def test_untracked_and_ignored_collisions_are_told_apart(
    remote: Remote, root: Path
) -> None:
    found = stack(root, "app")
    remote.clone(found.path)
    remote.commit({".env": "A=1\n", "stacks/new.toml": "", "build.log": "x\n"})
    write(found.path, {".env": "B=2\n", "stacks/new.toml": "mine", "build.log": "y\n"})
    (found.path / ".git" / "info" / "exclude").write_text("*.log\n")

    checkout = inspected(found)

    assert checkout.untracked_collisions == (".env", "stacks/new.toml")
    assert checkout.ignored_collisions == ("build.log",)
    pulled = komodo_pull(found.path)
    assert pulled.returncode != 0
    assert ".env" in pulled.stderr
    assert "stacks/new.toml" in pulled.stderr


def test_local_edits_are_listed_and_discarded_by_komodo(
    remote: Remote, root: Path
) -> None:
    found = stack(root, "app")
    remote.clone(found.path)
    remote.commit({"other.txt": "upstream\n"})
    write(found.path, {"compose.yaml": "services: {edited: {}}\n"})

    checkout = inspected(found)

    assert checkout.modified == ("compose.yaml",)
    assert git(found.path, "pull", "--rebase", check=False).returncode != 0
    assert komodo_pull(found.path).returncode == 0
    assert (found.path / "compose.yaml").read_text() == "services: {}\n"


def test_staged_changes_count_as_local_edits(remote: Remote, root: Path) -> None:
    found = stack(root, "app")
    remote.clone(found.path)
    write(found.path, {"compose.yaml": "services: {staged: {}}\n"})
    git(found.path, "add", "compose.yaml")

    assert inspected(found).modified == ("compose.yaml",)


def test_diverged_with_conflict_predicts_the_failed_rebase(
    remote: Remote, root: Path
) -> None:
    found = stack(root, "app")
    remote.clone(found.path)
    remote.commit({"compose.yaml": "services: {upstream: {}}\n"})
    write(found.path, {"compose.yaml": "services: {local: {}}\n"})
    git(found.path, "commit", "-q", "-am", "local fix")

    checkout = inspected(found)

    assert (checkout.ahead, checkout.behind) == (1, 1)
    assert checkout.rebase_conflicts == ("compose.yaml",)
    assert checkout.blocked
    assert komodo_pull(found.path).returncode != 0


def test_diverged_without_conflict_rebases(remote: Remote, root: Path) -> None:
    found = stack(root, "app")
    remote.clone(found.path)
    remote.commit({"upstream.txt": "u\n"})
    write(found.path, {"local.txt": "l\n"})
    git(found.path, "add", "local.txt")
    git(found.path, "commit", "-q", "-m", "local")

    checkout = inspected(found)

    assert (checkout.ahead, checkout.behind) == (1, 1)
    assert checkout.rebase_conflicts == ()
    assert not checkout.blocked
    assert komodo_pull(found.path).returncode == 0


def test_detached_head_is_compared_with_origin_head(remote: Remote, root: Path) -> None:
    found = stack(root, "app")
    remote.clone(found.path)
    remote.commit({"b.txt": "b\n"})
    git(found.path, "fetch", "-q")
    git(found.path, "checkout", "-q", "--detach", "HEAD")

    checkout = inspected(found)

    assert checkout.detached
    assert (checkout.upstream, checkout.ahead, checkout.behind) == ("origin/main", 0, 1)


def test_unfinished_rebase_is_seen(remote: Remote, root: Path) -> None:
    found = stack(root, "app")
    remote.clone(found.path)
    remote.commit({"compose.yaml": "services: {upstream: {}}\n"})
    write(found.path, {"compose.yaml": "services: {local: {}}\n"})
    git(found.path, "commit", "-q", "-am", "local")
    assert git(found.path, "pull", "-q", "--rebase", check=False).returncode != 0

    checkout = inspected(found, OFFLINE)

    assert checkout.in_progress == "rebase"
    assert checkout.blocked


def test_branch_missing_on_the_remote(remote: Remote, root: Path) -> None:
    found = stack(root, "app")
    remote.clone(found.path)
    git(found.path, "switch", "-q", "-c", "feature")

    checkout = inspected(found)

    assert checkout.branch == "feature"
    assert checkout.upstream_missing
    assert checkout.blocked
    assert komodo_pull(found.path, "feature").returncode != 0


def test_offline_compares_with_what_was_fetched(remote: Remote, root: Path) -> None:
    found = stack(root, "app")
    remote.clone(found.path)
    remote.commit({"new.txt": "upstream\n"})
    write(found.path, {"new.txt": "mine\n"})

    before = inspected(found, OFFLINE)
    git(found.path, "fetch", "-q")
    after = inspected(found, OFFLINE)

    assert (before.fetched, before.behind, before.untracked_collisions) == (
        False,
        0,
        (),
    )
    assert (after.behind, after.untracked_collisions) == (1, ("new.txt",))


def test_env_file_untracked_and_not_ignored(remote: Remote, root: Path) -> None:
    found = stack(root, "app")
    remote.clone(found.path)
    write(found.path, {".env": "A=1\n", "deploy/.env": "B=2\n", "deploy/x.env": ""})
    options = CheckoutOptions(env_files={("stack", "app"): ("deploy/.env",)})

    assert inspected(found, options).unignored_env_files == (".env", "deploy/.env")

    (found.path / ".git" / "info" / "exclude").write_text(".env\n")
    assert inspected(found, options).unignored_env_files == ()


def test_tracked_env_file_is_not_reported(tmp_path: Path, root: Path) -> None:
    remote = Remote(tmp_path / "r", {".env": "A=1\n"})
    found = stack(root, "app")
    remote.clone(found.path)

    assert inspected(found).unignored_env_files == ()


def test_empty_repository_is_a_problem(root: Path) -> None:
    folder = root / "stacks" / "empty"
    folder.mkdir()
    git(folder, "init", "-q")

    checkout, problems = inspect_checkout(stack(root, "empty"), OFFLINE)

    assert checkout is None
    assert [(p.call, p.reason) for p in problems] == [
        ("git status", "the checkout has no commits yet")
    ]


def test_unreachable_remote_is_a_problem_and_the_rest_is_checked(
    remote: Remote, root: Path
) -> None:
    found = stack(root, "app")
    remote.clone(found.path)
    git(found.path, "remote", "set-url", "origin", str(root / "missing.git"))

    checkout, problems = inspect_checkout(found, ONLINE)

    assert checkout is not None
    assert not checkout.fetched
    assert [p.call for p in problems] == ["git fetch"]
    assert problems[0].subject == str(found.path)


def test_find_checkouts_one_or_two_levels_deep(remote: Remote, root: Path) -> None:
    remote.clone(root / "stacks" / "app")
    remote.clone(root / "stacks" / "nested" / "clone")
    (root / "stacks" / "files-on-host").mkdir()
    remote.clone(root / "repos" / "shared")
    dirs = PeripheryDirs(
        str(root), str(root / "stacks"), str(root / "repos"), str(root / "builds")
    )

    found = find_checkouts(dirs)

    assert [(f.kind, f.name, f.path.relative_to(root).as_posix()) for f in found] == [
        ("stack", "app", "stacks/app"),
        ("stack", "nested", "stacks/nested/clone"),
        ("repo", "shared", "repos/shared"),
    ]


@pytest.mark.parametrize("jobs", [1, 4])
def test_inspect_many_in_order(remote: Remote, root: Path, jobs: int) -> None:
    found = [stack(root, f"s{index}") for index in range(6)]
    for item in found:
        remote.clone(item.path)
    write(found[2].path, {"compose.yaml": "edited\n"})

    checkouts, problems = inspect_checkouts(
        found, CheckoutOptions(offline=True, jobs=jobs)
    )

    assert problems == ()
    assert [c.name for c in checkouts] == [f"s{index}" for index in range(6)]
    assert [bool(c.modified) for c in checkouts] == [
        False,
        False,
        True,
        False,
        False,
        False,
    ]
