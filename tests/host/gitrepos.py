"""Real git repositories for the host tests: a bare "remote", an upstream
working copy that pushes to it, and Komodo-style checkouts cloned from it."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

IDENTITY = (
    "-c",
    "user.name=Test",
    "-c",
    "user.email=test@example.invalid",
    "-c",
    "init.defaultBranch=main",
    "-c",
    "advice.detachedHead=false",
)


def git(cwd: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    """Run git in ``cwd`` with a fixed identity and no prompts."""
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"}
    return subprocess.run(
        ["git", *IDENTITY, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=env,
        check=check,
    )


class Remote:
    """A bare repository and an upstream clone to commit and push from."""

    def __init__(self, base: Path, files: dict[str, str] | None = None) -> None:
        base.mkdir(parents=True, exist_ok=True)
        self.bare = base / "remote.git"
        self.upstream = base / "upstream"
        git(base, "init", "-q", "--bare", str(self.bare))
        git(base, "clone", "-q", str(self.bare), str(self.upstream))
        self.commit(files or {"compose.yaml": "services: {}\n"}, "initial")

    @property
    def url(self) -> str:
        return self.bare.as_uri()

    def commit(self, files: dict[str, str], message: str = "change") -> None:
        """Write ``files`` upstream, commit them and push to the remote."""
        for relative, text in files.items():
            target = self.upstream / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        git(self.upstream, "add", "-A")
        git(self.upstream, "commit", "-q", "-m", message)
        git(self.upstream, "push", "-q", "origin", "HEAD:main")

    def clone(self, target: Path) -> Path:
        """Clone the remote to ``target`` the way Komodo does (``-b main``)."""
        target.parent.mkdir(parents=True, exist_ok=True)
        git(target.parent, "clone", "-q", "-b", "main", self.url, str(target))
        return target


def komodo_pull(
    checkout: Path, branch: str = "main"
) -> subprocess.CompletedProcess[str]:
    """What Periphery runs to update a checkout (FACTS §6.1); the result of
    the pull step, the one that fails on collisions."""
    git(checkout, "fetch", "--all", "--prune", "-q")
    git(checkout, "checkout", "-f", branch, check=False)
    return git(checkout, "pull", "--rebase", "--force", "origin", branch, check=False)


def write(root: Path, files: dict[str, str]) -> None:
    """Write files into a checkout without telling git."""
    for relative, text in files.items():
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
