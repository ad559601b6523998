import os
from collections.abc import Iterable
from pathlib import Path

import pytest

from komodo_guard.komodo.model import load
from komodo_guard.workspace import collect as collect_module
from komodo_guard.workspace import compose_stacks
from komodo_guard.workspace.collect import collect
from komodo_guard.workspace.compose import ComposeFile
from komodo_guard.workspace.model import normalize_repo
from tests.conftest import TreeFactory

STACK = (
    '[[stack]]\nname = "{name}"\n[stack.config]\n'
    'repo = "{repo}"\nrun_directory = "{run}"\n'
)


def test_each_sync_reads_its_own_paths(make_tree: TreeFactory) -> None:
    root = make_tree(
        {
            "a.toml": '[[resource_sync]]\nname = "a"\n[resource_sync.config]\n'
            'resource_path = ["a.toml", "shared"]\n',
            "b.toml": '[[resource_sync]]\nname = "b"\n[resource_sync.config]\n'
            'resource_path = "b.toml, missing.toml"\n',
            "shared/deep/x.toml": '[[stack]]\nname = "x"\n',
            "shared/notes.txt": "not toml",
            "stray.toml": '[[server]]\nname = "s"\n',
        }
    )
    workspace = collect(root, load())
    scopes = {scope.name: scope for scope in workspace.scopes}
    assert scopes["a"].files == ("a.toml", "shared/deep/x.toml")
    assert scopes["b"].files == ("b.toml",)
    assert scopes["b"].missing_paths == ("missing.toml",)
    assert workspace.unsynced == ("stray.toml",)


def test_files_without_komodo_tables_are_not_resource_files(
    make_tree: TreeFactory,
) -> None:
    root = make_tree(
        {
            "pyproject.toml": '[project]\nname = "x"\n',
            "core.config.toml": '[[git_provider]]\ndomain = "github.com"\n',
            "stacks.toml": '[[stacks]]\nname = "plural-alias"\n',
        }
    )
    workspace = collect(root, load())
    assert [f.path for f in workspace.toml_files] == ["stacks.toml"]
    assert [(r.kind, r.table, r.name) for r in workspace.resources] == [
        ("stack", "stacks", "plural-alias")
    ]


def test_repo_identity_from_git_remote(make_tree: TreeFactory) -> None:
    root = make_tree(
        {
            ".git/config": (
                '[remote "origin"]\n\turl = git@github.com:Owner/Homelab.git\n'
            ),
            "s.toml": '[[stack]]\nname = "a"\n',
        }
    )
    identity = collect(root, load()).repo
    assert identity.names == {"owner/homelab"}
    assert identity.is_this_tree("owner/homelab/")


def test_repo_identity_from_config_wins(make_tree: TreeFactory) -> None:
    root = make_tree({"s.toml": STACK.format(name="a", repo="x/y", run="a")})
    identity = collect(root, load(), repos=["me/ops"]).repo
    assert identity.names == {"me/ops"}
    assert "komodo-guard.toml" in identity.evidence


def test_repo_identity_inferred_from_run_directories(make_tree: TreeFactory) -> None:
    stacks = "\n".join(
        STACK.format(name=f"s{i}", repo="me/ops", run=f"apps/s{i}") for i in range(3)
    ) + STACK.format(name="other", repo="else/where", run="nowhere")
    files: dict[str, str | bytes] = {
        f"apps/s{i}/compose.yaml": "services: {}\n" for i in range(3)
    }
    files["stacks.toml"] = stacks
    identity = collect(make_tree(files), load()).repo
    assert identity.names == {"me/ops"}


def test_links_leaving_the_tree_are_never_followed(
    make_tree: TreeFactory, tmp_path: Path
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.toml").write_text('[[stack]]\nname = "outside"\n')
    root = make_tree({"s.toml": '[[stack]]\nname = "inside"\n'})
    (root / "linked").symlink_to(outside)
    (root / "file.toml").symlink_to(outside / "secret.toml")
    workspace = collect(root, load())
    assert [r.name for r in workspace.resources] == ["inside"]
    assert workspace.outside_links == {"linked", "file.toml"}
    assert not workspace.exists("linked/secret.toml")


def test_normalize_repo_forms() -> None:
    assert normalize_repo("https://github.com/Owner/Name.git") == "owner/name"
    assert normalize_repo("git@gitea.example.com:owner/name") == "owner/name"
    assert normalize_repo("owner/name/") == "owner/name"


def test_a_repo_whose_named_files_are_all_missing_is_not_this_tree(
    make_tree: TreeFactory,
) -> None:
    stack = STACK.format(name="upstream", repo="vendor/app/", run="")
    root = make_tree({"stacks.toml": stack + 'file_paths = ["docker-compose.yml"]\n'})
    assert collect(root, load()).repo.names == frozenset()


def test_template_placeholders_are_never_a_repo(make_tree: TreeFactory) -> None:
    stack = STACK.format(name="a", repo="{{ org }}/app", run="")
    assert collect(make_tree({"s.toml": stack}), load()).repo.names == frozenset()


def _compose_tree(count: int) -> dict[str, str | bytes]:
    stacks = ""
    tree: dict[str, str | bytes] = {}
    for index in range(count):
        stacks += STACK.format(name=f"s{index}", repo="me/x", run=f"s{index}")
        tree[f"s{index}/compose.yaml"] = (
            f"services:\n  a:\n    image: ${{TAG_{index}}}\n"
        )
    tree["s0/compose.yaml"] = "services: [\n"  # one that does not parse
    tree["other/docker-compose.yml"] = "services: {o: {image: x}}\n"
    tree["stacks.toml"] = stacks
    return tree


def test_compose_files_parsed_in_a_child_are_the_same(
    make_tree: TreeFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_tree(_compose_tree(5))
    here = collect(root, load(), repos=["me/x"])
    monkeypatch.setattr(collect_module, "PARALLEL_COMPOSE_FROM", 1)
    monkeypatch.setattr(collect_module, "can_fork", lambda: True)
    parent = os.getpid()
    seen: list[int] = []
    parse_named = compose_stacks.parse_named

    def spy(root: Path, paths: Iterable[str]) -> dict[str, ComposeFile]:
        seen.append(os.getpid())
        return parse_named(root, paths)

    monkeypatch.setattr(compose_stacks, "parse_named", spy)
    forked = collect(root, load(), repos=["me/x"])
    assert seen == []  # only the child parsed them
    assert forked.compose_files == here.compose_files
    stacks = {c.path: c.stacks for c in forked.compose_files}
    assert stacks["s1/compose.yaml"] == ("s1",)
    assert stacks["other/docker-compose.yml"] == ()
    assert os.getpid() == parent


def test_a_failed_compose_child_leaves_the_work_to_this_process(
    make_tree: TreeFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_tree(_compose_tree(3))
    here = collect(root, load(), repos=["me/x"])
    monkeypatch.setattr(collect_module, "PARALLEL_COMPOSE_FROM", 1)
    monkeypatch.setattr(collect_module, "can_fork", lambda: True)
    parent = os.getpid()
    parse_named = compose_stacks.parse_named

    def fails_in_child(root: Path, paths: Iterable[str]) -> dict[str, ComposeFile]:
        if os.getpid() != parent:
            raise SystemExit(1)
        return parse_named(root, paths)

    monkeypatch.setattr(compose_stacks, "parse_named", fails_in_child)
    assert collect(root, load(), repos=["me/x"]).compose_files == here.compose_files
