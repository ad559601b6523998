from pathlib import Path

from komodo_guard.komodo.model import load
from komodo_guard.rules.compose import RULES
from komodo_guard.rules.compose.env_file_missing import RULE
from komodo_guard.rules.engine import run_rules
from komodo_guard.rules.interface import RuleOptions
from komodo_guard.workspace.collect import collect
from tests.conftest import TreeFactory
from tests.rules.lintkit import findings, hits

REPO = "me/infra"
COMPOSE = (
    "services:\n"
    "  app:\n"
    "    image: app:1\n"
    "    env_file:\n"
    "      - .env\n"
    "      - app.env\n"
    "      - path: optional.env\n        required: false\n"
    "      - path: needed.env\n"
    "      - present.env\n"
    "      - /srv/host.env\n"
    "      - ${ENV_FILE}\n"
    "  other:\n    image: o:1\n    env_file: other.env\n"
)


def stack(environment: str) -> str:
    return (
        f'[[stack]]\nname = "app"\n[stack.config]\nrepo = "{REPO}"\n'
        f'run_directory = "app"\nenvironment = "{environment}"\n'
    )


def test_missing_env_files(make_tree: TreeFactory) -> None:
    root = make_tree(
        {
            "stacks.toml": stack("A = 1"),
            "app/compose.yaml": COMPOSE,
            "app/present.env": "",
        }
    )
    assert hits(root, RULE, repos=[REPO]) == [
        ("app/compose.yaml", 6, 9, "KG811"),
        ("app/compose.yaml", 9, 15, "KG811"),
        ("app/compose.yaml", 15, 15, "KG811"),
    ]


def test_komodo_env_file_of_a_stack_with_empty_environment(
    make_tree: TreeFactory,
) -> None:
    root = make_tree(
        {
            "stacks.toml": stack(""),
            "app/compose.yaml": "services:\n  a:\n    image: a:1\n    env_file: .env\n",
        }
    )
    (finding,) = findings(root, RULE, repos=[REPO])
    assert "writes it only when its `environment` is set" in finding.message


def test_present_and_optional_files_pass(make_tree: TreeFactory) -> None:
    root = make_tree(
        {
            "compose.yaml": "services:\n  a:\n    image: a:1\n    env_file:\n"
            "      - .env\n      - a.env\n      - {path: b.env, required: false}\n",
            "a.env": "X=1\n",
        }
    )
    assert hits(root, RULE) == []


def test_disabled(make_tree: TreeFactory) -> None:
    root = make_tree({"stacks.toml": stack("A = 1"), "app/compose.yaml": COMPOSE})
    assert hits(root, RULE, repos=[REPO], disabled=[RULE.code]) == []


def test_corpus_must_not_report_lines(shared: Path) -> None:
    """EXPECTED.md: Komodo-written .env (repo21) and required: false (repo28)."""
    quiet = {
        "repo21": ("compose/asteri-auth/compose.yaml", {23, 24, 41, 42, 94, 95}),
        "repo28": ("stacks/caddy/compose.yaml", {13, 14, 15}),
    }
    for repo, (path, lines) in quiet.items():
        workspace = collect(shared / "corpus/real" / repo, load())
        assert any(c.path == path for c in workspace.compose_files)
        reported = {
            f.location.line
            for f in run_rules(workspace, RULES, RuleOptions())
            if f.location and f.location.path == path
        }
        assert not reported & lines, (repo, reported & lines)
