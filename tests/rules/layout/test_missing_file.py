"""KG401 missing-file: files a Stack or Build needs that are not in the tree."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from komodo_guard.rules.interface import Severity
from komodo_guard.rules.layout.missing_file import RULE
from tests.conftest import TreeFactory
from tests.rules.lintkit import findings, hits

REPOS = ["me/tree"]


def stack(config: str, name: str = "web") -> str:
    return f'[[stack]]\nname = "{name}"\n[stack.config]\nrepo = "me/tree"\n{config}\n'


def test_missing_default_compose_is_an_error_at_the_name(
    make_tree: TreeFactory,
) -> None:
    root = make_tree({"k.toml": stack('run_directory = "apps/web"'), "apps/web/x": ""})
    found = findings(root, RULE, repos=REPOS)
    assert hits(root, RULE, repos=REPOS) == [("k.toml", 2, 1, "KG401")]
    assert found[0].severity is Severity.ERROR
    assert "`apps/web/compose.yaml` is not in this repository" in found[0].message


def test_present_compose_file_passes(make_tree: TreeFactory) -> None:
    root = make_tree(
        {"k.toml": stack('run_directory = "./apps/web/"'), "apps/web/compose.yaml": ""}
    )
    assert hits(root, RULE, repos=REPOS) == []


def test_disabled(make_tree: TreeFactory) -> None:
    root = make_tree({"k.toml": stack("")})
    assert hits(root, RULE, repos=REPOS, disabled=[RULE.code]) == []


def test_no_fallback_to_docker_compose_yml(make_tree: TreeFactory) -> None:
    root = make_tree({"k.toml": stack(""), "docker-compose.yml": ""})
    (found,) = findings(root, RULE, repos=REPOS)
    assert "does not fall back" in found.message
    assert (
        found.hint
        == 'did you mean: set file_paths = ["docker-compose.yml"] in [stack.config]'
    )


def test_ignored_compose_file_key_is_named(make_tree: TreeFactory) -> None:
    text = stack('compose_file = "apps/web/docker-compose.yml"')
    root = make_tree({"k.toml": text, "apps/web/docker-compose.yml": ""})
    (found,) = findings(root, RULE, repos=REPOS)
    assert (
        "`compose_file` on line 5 points at `apps/web/docker-compose.yml`"
        in found.message
    )
    assert (
        'run_directory = "apps/web" and file_paths = ["docker-compose.yml"]'
        in found.hint
    )


def test_missing_run_directory_is_one_finding(make_tree: TreeFactory) -> None:
    text = stack('run_directory = "gone"\nfile_paths = ["a.yml", "b.yml"]')
    root = make_tree({"k.toml": text})
    (found,) = findings(root, RULE, repos=REPOS)
    assert (found.location.line, found.location.column) == (2, 1)  # type: ignore[union-attr]
    assert "run_directory `gone` (line 5)" in found.message
    assert "`gone/a.yml`" in found.message


def test_file_paths_entries_point_at_the_element(make_tree: TreeFactory) -> None:
    text = stack('run_directory = "app"\nfile_paths = ["compose.yaml", "extra.yml"]')
    root = make_tree({"k.toml": text, "app/compose.yaml": "", "app/extra.yaml": ""})
    assert hits(root, RULE, repos=REPOS) == [("k.toml", 6, 31, "KG401")]
    (found,) = findings(root, RULE, repos=REPOS)
    assert "`extra.yml` (`app/extra.yml`) is not a file" in found.message
    assert found.hint.startswith("did you mean `extra.yaml`?")


def test_string_form_file_paths(make_tree: TreeFactory) -> None:
    root = make_tree(
        {"k.toml": stack('file_paths = "compose.yaml, b.yml"'), "compose.yaml": ""}
    )
    assert hits(root, RULE, repos=REPOS) == [("k.toml", 5, 14, "KG401")]


def test_env_files_resolve_relative_to_run_directory(make_tree: TreeFactory) -> None:
    text = stack(
        'run_directory = "stacks/caddy"\n'
        'additional_env_files = ["../../common.env", "/srv/env/a.env", ".env",\n'
        '  { path = "gen.env", track = false }, { path = "lost.env" }]'
    )
    root = make_tree(
        {"k.toml": text, "stacks/caddy/compose.yaml": "", "common.env": ""}
    )
    assert hits(root, RULE, repos=REPOS) == [("k.toml", 7, 49, "KG401")]


def test_config_files_are_checked(make_tree: TreeFactory) -> None:
    text = stack('config_files = ["conf/a.conf", { path = "conf/b.conf" }]')
    root = make_tree({"k.toml": text, "compose.yaml": "", "conf/a.conf": ""})
    assert hits(root, RULE, repos=REPOS) == [("k.toml", 5, 41, "KG401")]


def test_path_climbing_out_of_the_tree(make_tree: TreeFactory) -> None:
    root = make_tree({"k.toml": stack('run_directory = "../x"')})
    (found,) = findings(root, RULE, repos=REPOS)
    assert "climbs above the repository root" in found.message
    assert (found.location.line, found.location.column) == (5, 17)  # type: ignore[union-attr]


def test_absolute_run_directory_is_not_checked(make_tree: TreeFactory) -> None:
    root = make_tree({"k.toml": stack('run_directory = "/etc/komodo/x"')})
    assert hits(root, RULE, repos=REPOS) == []


@pytest.mark.parametrize(
    "config",
    [
        'repo = "other/repo"',
        "files_on_host = true",
        'linked_repo = "undeclared"',
        'file_contents = "services: {}"',
    ],
)
def test_files_elsewhere_are_not_checked(make_tree: TreeFactory, config: str) -> None:
    text = f'[[stack]]\nname = "web"\n[stack.config]\n{config}\n'
    assert hits(make_tree({"k.toml": text}), RULE, repos=REPOS) == []


def test_unknown_tree_identity_is_not_guessed(make_tree: TreeFactory) -> None:
    text = stack("") + '[[stack]]\nname = "b"\n[stack.config]\nrepo = "x/y"\n'
    assert hits(make_tree({"k.toml": text}), RULE) == []


def test_linked_repo_declared_here(make_tree: TreeFactory) -> None:
    text = (
        '[[repo]]\nname = "home"\n[repo.config]\nrepo = "me/tree"\npath = "/srv/r"\n'
        '[[stack]]\nname = "web"\n[stack.config]\nlinked_repo = "home"\n'
    )
    assert hits(make_tree({"k.toml": text}), RULE, repos=REPOS) == [
        ("k.toml", 7, 1, "KG401")
    ]


def test_build_context_and_dockerfile(make_tree: TreeFactory) -> None:
    text = (
        '[[build]]\nname = "a"\n[build.config]\nrepo = "me/tree"\nbuild_path = "img"\n'
        '[[build]]\nname = "b"\n[build.config]\nrepo = "me/tree"\nbuild_path = "nope"\n'
        '[[build]]\nname = "c"\n[build.config]\nrepo = "me/tree"\nbuild_path = "img"\n'
        'dockerfile_path = "Dockerfile"\n'
    )
    root = make_tree({"k.toml": text, "img/Dockerfile.dev": "", "img/x": ""})
    assert hits(root, RULE, repos=REPOS) == [
        ("k.toml", 2, 1, "KG401"),
        ("k.toml", 10, 14, "KG401"),
        ("k.toml", 16, 19, "KG401"),
    ]


def test_link_leaving_the_tree_is_not_checked(
    make_tree: TreeFactory, tmp_path: Path
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    root = make_tree({"k.toml": stack('run_directory = "linked"')})
    os.symlink(outside, root / "linked")
    (found,) = findings(root, RULE, repos=REPOS)
    assert found.severity is Severity.INFO
    assert "symbolic link leaving this tree" in found.message
    assert "not checked" in found.message


COMPANION_REPOS = [
    "repo15",
    "repo19",
    "repo20",
    "repo21",
    "repo28",
    "repo32",
    "repo34",
    "repo41",
]
EXPECTED = {
    "repo15": [("stacks.toml", 767), ("stacks.toml", 1021)],
    "repo32": [("komodo/resources.toml", line) for line in (41, 56, 71, 86)],
}


@pytest.mark.parametrize("repo", COMPANION_REPOS)
def test_corpus_repos_with_companion_files(shared: Path, repo: str) -> None:
    root = shared / "corpus" / "real" / repo
    found = [(path, line) for path, line, _, _ in hits(root, RULE)]
    assert found == EXPECTED.get(repo, [])


def test_corpus_repo15_names_the_missing_compose_file(shared: Path) -> None:
    found = findings(shared / "corpus" / "real" / "repo15", RULE)
    assert "`r720-omv/omnivore/compose.yaml`" in found[0].message
    assert "(line 773)" in found[0].message
    assert "(line 1027)" in found[1].message


def test_corpus_repo32_mentions_the_ignored_compose_file(shared: Path) -> None:
    for found in findings(shared / "corpus" / "real" / "repo32", RULE):
        name = found.resource.name  # type: ignore[union-attr]
        assert "`compose_file` on line" in found.message
        assert f"`apps/{name}/docker-compose.yml`" in found.message


def test_corpus_env_files_outside_the_run_directory_or_on_the_host(
    shared: Path,
) -> None:
    real = shared / "corpus" / "real"
    repo21 = [line for _, line, _, _ in hits(real / "repo21", RULE)]
    assert not {64, 286, 307} & set(repo21)
    assert hits(real / "repo28", RULE) == []


def test_corpus_repo28_common_env_is_really_checked(
    make_tree: TreeFactory, shared: Path
) -> None:
    caddy = shared / "corpus" / "real" / "repo28" / "stacks" / "caddy"
    root = make_tree(
        {
            "stacks/caddy/komodo.toml": (caddy / "komodo.toml").read_text("utf-8"),
            "stacks/caddy/compose.yaml": "",
            "stacks/caddy/conf/Caddyfile": "",
        }
    )
    found = hits(root, RULE, repos=["owner23/unraid-ops"])
    assert found == [("stacks/caddy/komodo.toml", 10, 25, "KG401")]
