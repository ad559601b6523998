"""Shared wiring for commands that lint a tree: config, version, collect, rules."""

from __future__ import annotations

import logging
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from komodo_guard.cli.main import UsageError
from komodo_guard.config import Config, ConfigError, find_config, load_config
from komodo_guard.report.interface import LintResult, ScopeSummary
from komodo_guard.rules.interface import FailureClass, RuleOptions, Severity

if TYPE_CHECKING:
    from komodo_guard.komodo.versions import KomodoVersion
    from komodo_guard.rules.engine import RuleSettings
    from komodo_guard.workspace.model import Workspace

log = logging.getLogger(__name__)


def load_settings(tree: Path, config_path: Path | None) -> Config:
    """The config for ``tree``: the given file, or the one found at its root."""
    if not tree.exists():
        raise UsageError(f"{tree}: does not exist; give the root of a GitOps tree")
    if not tree.is_dir():
        raise UsageError(f"{tree}: not a folder; give the root of a GitOps tree")
    try:
        return load_config(config_path or find_config(tree))
    except ConfigError as error:
        raise UsageError(str(error)) from error


@dataclass(frozen=True)
class Checked:
    """A lint run's result and the workspace it was computed from."""

    result: LintResult
    workspace: Workspace


def lint_tree(
    tree: Path,
    settings: Config,
    komodo_version: str | None,
    *,
    baseline: Path | None = None,
    core_version: KomodoVersion | None = None,
) -> Checked:
    """Collect the tree, run every rule, mark suppressed and baselined findings.

    ``core_version`` (the release a Komodo Core reported) is the version to
    check against when neither ``--komodo-version`` nor the config names one.
    """
    from komodo_guard.rules.baseline import Baseline, BaselineError
    from komodo_guard.rules.engine import demote_unsynced, run_rules
    from komodo_guard.rules.registry import STATIC_RULES
    from komodo_guard.rules.suppress import apply_suppressions

    workspace = collect_tree(tree, settings, komodo_version, core_version)
    findings = apply_suppressions(
        demote_unsynced(
            run_rules(
                workspace,
                STATIC_RULES,
                rule_options(settings),
                rule_settings(settings),
                processes=_processes(workspace),
            ),
            workspace,
        ),
        workspace,
    )
    if baseline is not None:
        try:
            findings = Baseline.load(baseline).apply(findings)
        except BaselineError as error:
            raise UsageError(str(error)) from error
    result = LintResult(
        root=str(tree),
        komodo_version=str(workspace.model.version),
        findings=tuple(findings),
        files_checked=len(workspace.toml_files),
        resources=len(workspace.resources),
        scopes=tuple(
            ScopeSummary(s.name, len(s.files), s.sync.file.path if s.sync else "")
            for s in workspace.scopes
        ),
        repo_evidence=(
            f"{', '.join(sorted(workspace.repo.names))} ({workspace.repo.evidence})"
            if workspace.repo.names
            else ""
        ),
    )
    return Checked(result, workspace)


def collect_tree(
    tree: Path,
    settings: Config,
    komodo_version: str | None,
    core_version: KomodoVersion | None = None,
) -> Workspace:
    """Read the tree for the Komodo version asked for (flag, config, else
    ``core_version``, else the newest modelled)."""
    from komodo_guard.komodo.model import load
    from komodo_guard.komodo.versions import KomodoVersion
    from komodo_guard.workspace.collect import FolderError, collect

    wanted = komodo_version or settings.komodo_version
    try:
        version = _modelled(KomodoVersion.parse(wanted)) if wanted else core_version
    except ValueError as error:
        raise UsageError(str(error)) from error
    if (
        version is not None
        and core_version is not None
        and (version.major, version.minor) != (core_version.major, core_version.minor)
    ):
        log.warning(
            "checking the tree against Komodo %s, but Komodo Core runs %s: its "
            "fields and TOML dialect may differ (drop --komodo-version or "
            "komodo_version to follow Core)",
            version,
            core_version,
        )
    try:
        return collect(
            tree,
            load(version),
            repos=settings.tree_repos,
            folders=settings.tree_folders,
        )
    except FolderError as error:
        raise UsageError(f"{tree}: {error}") from error


def rule_options(settings: Config) -> RuleOptions:
    """What the rules may consult, from the config."""
    return RuleOptions(
        known_servers=settings.known_servers,
        known_repos=settings.known_repos,
        known_variables=settings.known_variables,
        known_names=settings.known_names,
    )


def rule_settings(settings: Config) -> RuleSettings:
    """Which rules run and at what severity, from the config."""
    from komodo_guard.rules.engine import RuleSettings

    return RuleSettings(settings.disabled, settings.severities)


# From this many declared resources on, the rules run in two processes.
PARALLEL_FROM = 2000


def _processes(workspace: Workspace) -> int:
    """Two processes for large trees on machines with more than one core."""
    large = len(workspace.resources) >= PARALLEL_FROM
    return 2 if large and (os.cpu_count() or 1) > 1 else 1


def _modelled(wanted: KomodoVersion) -> KomodoVersion:
    """The modelled release that stands for ``wanted``; an error for versions
    newer than the newest modelled MAJOR.MINOR (their fields are unknown)."""
    from komodo_guard.komodo.versions import NEWEST, closest_supported

    if wanted > NEWEST and (wanted.major, wanted.minor) != (NEWEST.major, NEWEST.minor):
        raise UsageError(
            f"Komodo {wanted} is newer than every release komodo-guard models "
            f"(newest: {NEWEST}); upgrade komodo-guard, or check against "
            f"--komodo-version {NEWEST.major}.{NEWEST.minor}"
        )
    chosen = closest_supported(wanted)
    if (chosen.major, chosen.minor) != (wanted.major, wanted.minor):
        log.warning("checking against Komodo %s, the closest modelled release", chosen)
    return chosen


def exit_code(result: LintResult, fail_at: Severity) -> int:
    """2 when a check could not run, 1 for findings at or above ``fail_at``, else 0."""
    if any(f.failure_class is FailureClass.INCOMPLETE for f in result.findings):
        return 2
    return 1 if result.fails(fail_at) else 0


def threshold(cli_value: str | None, settings: Config) -> Severity:
    """``--fail-on`` if given, else the config's ``fail_on``."""
    return Severity.parse(cli_value) if cli_value else settings.fail_on


def write(text: str, output: Path | None) -> None:
    """Write a report to ``output``, or to standard output.

    A regular file (or a new one) is replaced atomically through a temporary
    file beside it, following a symbolic link to its target; anything else
    (a FIFO, ``/dev/stdout``, a device) is written to in place, never replaced.
    """
    if output is None:
        try:
            sys.stdout.write(text)
            sys.stdout.flush()
        except OSError as error:
            raise UsageError(
                f"cannot write to standard output: {error.strerror}"
            ) from error
        return
    target = output.resolve() if output.is_symlink() else output
    try:
        if target.exists() and not target.is_file():
            with target.open("w", encoding="utf-8") as stream:
                stream.write(text)
            return
        _replace_atomically(target, text)
    except OSError as error:
        raise UsageError(
            f"{output}: cannot write the report: {error.strerror}"
        ) from error


def _replace_atomically(target: Path, text: str) -> None:
    temporary = target.with_name(f".{target.name}.tmp-{os.getpid()}")
    try:
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)
