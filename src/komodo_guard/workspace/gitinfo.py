"""Learn which repository a tree is from its git remote, without running git."""

from __future__ import annotations

import configparser
from pathlib import Path

from komodo_guard.workspace.model import normalize_repo


def remote_repos(root: Path) -> frozenset[str]:
    """``owner/name`` of every remote of the git checkout holding ``root``."""
    config = _git_config(root.resolve())
    if config is None:
        return frozenset()
    parser = configparser.RawConfigParser(strict=False)
    try:
        parser.read_string(config)
    except configparser.Error:
        return frozenset()
    urls = [
        parser.get(section, "url", fallback="")
        for section in parser.sections()
        if section.startswith('remote "')
    ]
    return frozenset(normalize_repo(url) for url in urls if url)


def _git_config(start: Path) -> str | None:
    for folder in (start, *start.parents):
        dot_git = folder / ".git"
        if dot_git.is_dir():
            path = dot_git / "config"
        elif dot_git.is_file():
            pointer = dot_git.read_text(errors="replace").strip()
            if not pointer.startswith("gitdir:"):
                return None
            path = (folder / pointer.split(":", 1)[1].strip()).resolve() / "config"
            common = path.parent / "commondir"
            if common.is_file():
                path = (path.parent / common.read_text().strip()).resolve() / "config"
        else:
            continue
        return path.read_text(errors="replace") if path.is_file() else None
    return None
