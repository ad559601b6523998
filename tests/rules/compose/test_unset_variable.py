from komodo_guard.rules.compose.unset_variable import RULE
from tests.conftest import TreeFactory
from tests.rules.lintkit import findings, hits

REPO = "me/infra"
COMPOSE = (
    "services:\n"
    "  app:\n"
    "    image: ghcr.io/example/app:${TAG}\n"
    "    environment:\n"
    "      A: ${FROM_ENV}\n"
    "      B: ${FROM_FILE}\n"
    "      C: ${WITH_DEFAULT:-x}\n"
    "      D: ${REQUIRED:?set it}\n"
    "      E: $$ESCAPED\n"
)


def stack(extra: str = "") -> str:
    return (
        '[[stack]]\nname = "app"\n[stack.config]\nrepo = "me/infra"\n'
        'run_directory = "app"\nenvironment = "FROM_ENV = 1"\n' + extra
    )


def test_unset_variable_is_reported_per_stack(make_tree: TreeFactory) -> None:
    root = make_tree(
        {
            "stacks.toml": stack('additional_env_files = ["../shared.env"]\n'),
            "shared.env": "FROM_FILE=1\n",
            "app/compose.yaml": COMPOSE,
        }
    )
    assert hits(root, RULE, repos=[REPO]) == [("app/compose.yaml", 3, 32, "KG803")]
    (finding,) = findings(root, RULE, repos=[REPO])
    assert "`${TAG}` is not set for stack 'app'" in finding.message
    assert "the stack's environment, `shared.env`" in finding.message
    assert finding.resource is not None
    assert finding.resource.name == "app"


def test_everything_provided_passes(make_tree: TreeFactory) -> None:
    root = make_tree(
        {
            "stacks.toml": stack(),
            "app/.env": "TAG=1\nFROM_FILE=2\n",
            "app/compose.yaml": COMPOSE,
        }
    )
    assert hits(root, RULE, repos=[REPO]) == []


def test_host_env_file_or_no_stack_means_unknown(make_tree: TreeFactory) -> None:
    root = make_tree(
        {
            "stacks.toml": stack('additional_env_files = ["/srv/app.env"]\n'),
            "app/compose.yaml": COMPOSE,
            "loose/compose.yaml": COMPOSE,
        }
    )
    assert hits(root, RULE, repos=[REPO]) == []


def test_disabled(make_tree: TreeFactory) -> None:
    root = make_tree({"stacks.toml": stack(), "app/compose.yaml": COMPOSE})
    assert hits(root, RULE, repos=[REPO], disabled=[RULE.code]) == []
