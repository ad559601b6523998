"""KG403 host-path-checkout: host paths where a repository path is meant."""

from __future__ import annotations

from pathlib import Path

from komodo_guard.rules.interface import Severity
from komodo_guard.rules.layout.host_path import RULE
from tests.conftest import TreeFactory
from tests.rules.lintkit import findings, hits


def stack(config: str) -> str:
    return f'[[stack]]\nname = "web"\n[stack.config]\n{config}\n'


def test_absolute_run_directory_on_git_stack(make_tree: TreeFactory) -> None:
    text = stack(
        'repo = "a/b"\nclone_path = "/srv/app/"\nrun_directory = "/srv/app/svc"'
    )
    root = make_tree({"k.toml": text})
    (found,) = findings(root, RULE)
    assert hits(root, RULE) == [("k.toml", 6, 17, "KG403")]
    assert found.severity is Severity.WARNING
    assert (
        found.hint
        == 'it points inside clone_path `/srv/app`: write run_directory = "svc"'
    )


def test_absolute_run_directory_on_linked_repo_stack(make_tree: TreeFactory) -> None:
    root = make_tree({"k.toml": stack('linked_repo = "r"\nrun_directory = "/opt/x"')})
    (found,) = findings(root, RULE)
    assert "relative to the repository root" in found.hint


def test_relative_run_directory_passes(make_tree: TreeFactory) -> None:
    root = make_tree({"k.toml": stack('repo = "a/b"\nrun_directory = "stacks/app"')})
    assert hits(root, RULE) == []


def test_ui_stack_with_absolute_run_directory_passes(make_tree: TreeFactory) -> None:
    root = make_tree({"k.toml": stack('run_directory = "/opt/x"')})
    assert hits(root, RULE) == []


def test_disabled(make_tree: TreeFactory) -> None:
    root = make_tree({"k.toml": stack('repo = "a/b"\nrun_directory = "/x"')})
    assert hits(root, RULE, disabled=[RULE.code]) == []


def test_files_on_host_without_run_directory_is_info(make_tree: TreeFactory) -> None:
    root = make_tree({"k.toml": stack('files_on_host = true\nrepo = "a/b"')})
    (found,) = findings(root, RULE)
    assert hits(root, RULE) == [("k.toml", 4, 1, "KG403")]
    assert found.severity is Severity.INFO
    assert "<root_directory>/stacks/web" in found.message


def test_files_on_host_with_relative_run_directory_passes(
    make_tree: TreeFactory,
) -> None:
    root = make_tree({"k.toml": stack('files_on_host = true\nrun_directory = "app"')})
    assert hits(root, RULE) == []


def test_corpus_repo22_absolute_run_directory(shared: Path) -> None:
    root = shared / "corpus" / "real" / "repo22"
    assert hits(root, RULE) == [("komodo.toml", 36, 17, "KG403")]
    (found,) = findings(root, RULE)
    assert 'run_directory = "services/kanboard"' in found.hint


def test_corpus_issues_files_on_host(shared: Path) -> None:
    found = {
        (f.location.path, f.location.line): f  # type: ignore[union-attr]
        for f in findings(shared / "corpus" / "issues", RULE)
    }
    assert sorted(found) == [
        ("260-files-on-host-without-run-directory.toml", 18),
        ("441-files-on-host-path-not-mounted-in-periphery.toml", 16),
        ("648-additional-env-file-is-yaml.toml", 23),
    ]
    assert all(f.severity is Severity.INFO for f in found.values())
    note = found[("648-additional-env-file-is-yaml.toml", 23)].message
    assert "/etc/komodo/repos" in note
