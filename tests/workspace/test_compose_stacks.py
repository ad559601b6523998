"""Which compose files are read and which Stacks of the tree deploy them."""

from komodo_guard.komodo.model import load
from komodo_guard.workspace.collect import collect
from komodo_guard.workspace.compose_stacks import COMPOSE_NAME, tree_join
from tests.conftest import TreeFactory

REPO = "me/infra"


def stack(name: str, extra: str = "") -> str:
    return f'[[stack]]\nname = "{name}"\n[stack.config]\nrepo = "{REPO}"\n{extra}'


def test_compose_names() -> None:
    for name in (
        "compose.yaml",
        "compose.yml",
        "docker-compose.yml",
        "app.compose.yaml",
        "compose.prod.yaml",
        "docker-compose.override.yml",
    ):
        assert COMPOSE_NAME.match(name), name
    for name in ("stack.yaml", "composer.yaml", "compose.json", "config.yaml"):
        assert not COMPOSE_NAME.match(name), name


def test_tree_join() -> None:
    assert tree_join("stacks/a", "../b/c.env") == "stacks/b/c.env"
    assert tree_join("", "") == ""
    assert tree_join("a", "/srv/x.env") is None
    assert tree_join("a", "../../x") is None


def test_deployed_files_and_named_files_are_read(make_tree: TreeFactory) -> None:
    root = make_tree(
        {
            "stacks.toml": stack(
                "app", 'run_directory = "apps/app"\nfile_paths = ["stack.yml"]\n'
            )
            + stack("web", 'run_directory = "web"\n'),
            "apps/app/stack.yml": "services: {a: {image: x}}\n",
            "web/compose.yaml": "services: {w: {image: x}}\n",
            "other/docker-compose.yml": "services: {o: {image: x}}\n",
            "other/config.yaml": "not: compose\n",
        }
    )
    workspace = collect(root, load(), repos=[REPO])
    found = {c.path: c.stacks for c in workspace.compose_files}
    assert found == {
        "apps/app/stack.yml": ("app",),
        "web/compose.yaml": ("web",),
        "other/docker-compose.yml": (),
    }


def test_stacks_of_other_repos_and_host_files_do_not_count(
    make_tree: TreeFactory,
) -> None:
    root = make_tree(
        {
            "stacks.toml": stack("mine")
            + '[[stack]]\nname = "theirs"\n[stack.config]\nrepo = "someone/else"\n'
            + stack("host", "files_on_host = true\n")
            + '[[repo]]\nname = "r"\n[repo.config]\nrepo = "me/infra"\n'
            + '[[stack]]\nname = "linked"\n[stack.config]\nlinked_repo = "r"\n',
            "compose.yaml": "services: {w: {image: x}}\n",
        }
    )
    workspace = collect(root, load(), repos=[REPO])
    (compose,) = workspace.compose_files
    assert compose.stacks == ("mine", "linked")


def test_variable_sources_of_a_stack(make_tree: TreeFactory) -> None:
    root = make_tree(
        {
            "stacks.toml": stack(
                "app",
                'run_directory = "app"\n'
                'environment = """\nFROM_ENV = 1\n"""\n'
                'additional_env_files = ["../common.env", { path = "/srv/x.env" }]\n',
            ),
            "common.env": "FROM_COMMON=1\n",
            "app/.env": "FROM_DOTENV=1\n",
            "app/compose.yaml": "services: {w: {image: x}}\n",
        }
    )
    (compose,) = collect(root, load(), repos=[REPO]).compose_files
    (deployment,) = compose.deployments
    assert deployment.provided == {"FROM_ENV", "FROM_COMMON", "FROM_DOTENV"}
    assert deployment.looked_in == (
        "the stack's environment",
        "`common.env`",
        "`app/.env`",
    )
    assert deployment.unknown == ("`/srv/x.env` (not in this tree)",)
    assert deployment.env_file == "app/.env"
    assert deployment.writes_env_file
    assert deployment.run_directory == "app"


def test_deployed_env_file_is_not_read_as_compose(make_tree: TreeFactory) -> None:
    root = make_tree(
        {
            "stacks.toml": stack("v", 'file_paths = ["compose.yaml", "v.env"]\n'),
            "compose.yaml": "services: {w: {image: x}}\n",
            "v.env": "A=1\n",
        }
    )
    workspace = collect(root, load(), repos=[REPO])
    assert [c.path for c in workspace.compose_files] == ["compose.yaml"]
