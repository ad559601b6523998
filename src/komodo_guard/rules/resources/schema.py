"""The schema check shared by rules KG101-KG106, run once per workspace.

:func:`issues` walks every parsed resource file of a workspace against the
Komodo model of its target release (see :mod:`.walk`) and returns typed
:class:`~komodo_guard.rules.resources.issue.Issue` records; each rule picks
the problems it reports and phrases them. The result is cached for as long as
the workspace object lives, so six rules cost one walk.
"""

from __future__ import annotations

import weakref

from komodo_guard.rules.resources.issue import Advice, Issue, Problem
from komodo_guard.rules.resources.walk import walk_file
from komodo_guard.workspace.model import Workspace

__all__ = ["Advice", "Issue", "Problem", "issues", "of_problem"]

_CACHE: dict[int, tuple[Issue, ...]] = {}


def issues(workspace: Workspace) -> tuple[Issue, ...]:
    """Every schema issue of ``workspace``, computed on first use."""
    key = id(workspace)
    found = _CACHE.get(key)
    if found is None:
        found = tuple(
            issue
            for file in workspace.toml_files
            if file.data
            for issue in walk_file(file, workspace.model)
        )
        _CACHE[key] = found
        weakref.finalize(workspace, _CACHE.pop, key, None)
    return found


def of_problem(workspace: Workspace, *problems: Problem) -> list[Issue]:
    """The issues of ``workspace`` with one of ``problems``."""
    return [issue for issue in issues(workspace) if issue.problem in problems]
