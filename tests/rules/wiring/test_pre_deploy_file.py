"""KG610 pre-deploy-writes-checked-file: pre_deploy creates a file checked first."""

from __future__ import annotations

from pathlib import Path

from komodo_guard.rules.interface import Severity
from komodo_guard.rules.wiring.pre_deploy_file import RULE
from tests.conftest import TreeFactory
from tests.rules.lintkit import findings, hits

REPO = "me/homelab"


def stack(body: str, run_directory: str = "apps/web") -> str:
    return (
        f'[[stack]]\nname = "web"\n[stack.config]\nrepo = "{REPO}"\n'
        f'run_directory = "{run_directory}"\n{body}\n'
    )


def tree(make_tree: TreeFactory, body: str, **files: str) -> Path:
    return make_tree(
        {"k.toml": stack(body), "apps/web/compose.yaml": "services: {}\n", **files}
    )


ENV_WRITER = (
    'additional_env_files = ["secrets.env"]\n'
    'pre_deploy.command = "sops -d secrets.enc.env > secrets.env"'
)


def test_tracked_env_file_written_by_pre_deploy(make_tree: TreeFactory) -> None:
    root = tree(make_tree, ENV_WRITER)
    (found,) = findings(root, RULE, repos=[REPO])
    assert hits(root, RULE, repos=[REPO]) == [("k.toml", 7, 22, "KG610")]
    assert found.severity is Severity.ERROR
    assert "writes `secrets.env`, which additional_env_files lists (line 6)" in (
        found.message
    )
    assert "every deploy fails with missing files" in found.message
    assert "track = false" in found.hint


def test_files_not_in_this_tree_is_a_warning(make_tree: TreeFactory) -> None:
    body = f"files_on_host = true\n{ENV_WRITER}"
    (found,) = findings(make_tree({"k.toml": stack(body)}), RULE)
    assert found.severity is Severity.WARNING
    assert "unless it is committed in the repository" in found.message


def test_untracked_env_file_passes(make_tree: TreeFactory) -> None:
    body = (
        'additional_env_files = [{ path = "secrets.env", track = false }]\n'
        'pre_deploy.command = "sops -d secrets.enc.env > secrets.env"'
    )
    assert hits(tree(make_tree, body), RULE, repos=[REPO]) == []


def test_file_committed_in_the_tree_passes(make_tree: TreeFactory) -> None:
    root = tree(make_tree, ENV_WRITER, **{"apps/web/secrets.env": "A=1\n"})
    assert hits(root, RULE, repos=[REPO]) == []


def test_paths_follow_pre_deploy_path_and_cd(make_tree: TreeFactory) -> None:
    body = (
        'additional_env_files = ["app.env"]\n'
        "[stack.config.pre_deploy]\n"
        'path = "scripts"\n'
        'command = """\ncd tmp\ncp ../template.env ../../app.env\n"""'
    )
    (found,) = findings(tree(make_tree, body), RULE, repos=[REPO])
    assert "writes `app.env`" in found.message


def test_file_written_elsewhere_passes(make_tree: TreeFactory) -> None:
    body = (
        'additional_env_files = ["app.env"]\n'
        'pre_deploy = { path = "scripts", command = "cp a.env app.env" }'
    )
    assert hits(tree(make_tree, body), RULE, repos=[REPO]) == []


def test_repaired_repo29_override_in_file_paths(make_tree: TreeFactory) -> None:
    """repo29 as KG102/KG404 would have it fixed: the override is generated."""
    body = (
        'file_paths = ["docker-compose.yml", "docker-compose.override.yaml"]\n'
        "[stack.config.pre_deploy]\n"
        "command = \"echo 'services: {}' > docker-compose.override.yaml\""
    )
    (found,) = findings(tree(make_tree, body), RULE, repos=[REPO])
    assert "which file_paths lists (line 6)" in found.message
    assert "commit `docker-compose.override.yaml`" in found.hint


def test_config_file_and_default_compose_file(make_tree: TreeFactory) -> None:
    body = (
        'config_files = [{ path = "traefik.yml", requires = "Restart" }]\n'
        'pre_deploy.command = "envsubst < t.tpl > traefik.yml && touch compose.yaml"'
    )
    root = make_tree({"k.toml": stack(body)})
    messages = sorted(f.message for f in findings(root, RULE))
    assert len(messages) == 2
    assert "the compose file Komodo uses when file_paths is not set" in messages[0]
    assert "which config_files lists" in messages[1]


def test_komodo_own_env_file_passes(make_tree: TreeFactory) -> None:
    body = (
        'additional_env_files = [".env"]\n'
        'pre_deploy.command = "sops -d s.enc.env >> .env"'
    )
    assert hits(tree(make_tree, body), RULE, repos=[REPO]) == []


def test_disabled(make_tree: TreeFactory) -> None:
    root = tree(make_tree, ENV_WRITER)
    assert hits(root, RULE, repos=[REPO], disabled=[RULE.code]) == []


def test_command_text_never_reaches_the_finding(make_tree: TreeFactory) -> None:
    token = "AGE-SECRET-KEY-1QQQQQQQQQQQQQQQQQQQQ"
    body = (
        'additional_env_files = ["secrets.env"]\n'
        f'pre_deploy.command = "SOPS_AGE_KEY={token} sops -d s.enc > secrets.env"'
    )
    (found,) = findings(tree(make_tree, body), RULE, repos=[REPO])
    assert token not in found.message + found.hint


def test_corpus_repo29_is_left_to_kg102_and_kg404(shared: Path) -> None:
    """Komodo sees no command and no second file_paths there: nothing runs."""
    assert hits(shared / "corpus" / "real" / "repo29", RULE) == []


def test_corpus_sops_writers_list_nothing_checked(shared: Path) -> None:
    for repo in ("repo06", "repo30", "repo36"):
        assert hits(shared / "corpus" / "real" / repo, RULE) == [], repo
