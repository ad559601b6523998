from komodo_guard.rules.compose.config_not_tracked import RULE
from tests.conftest import TreeFactory
from tests.rules.lintkit import findings, hits

REPO = "me/infra"
COMPOSE = (
    "services:\n"
    "  caddy:\n"
    "    image: caddy:2.9\n"
    "    volumes:\n"
    "      - ./Caddyfile:/etc/caddy/Caddyfile:ro\n"
    "      - ./sites:/etc/caddy/sites:ro\n"
    "      - type: bind\n"
    "        source: ../shared/snippets.conf\n"
    "        target: /etc/caddy/snippets.conf\n"
    "      - /srv/data:/data\n"
    "      - ./missing:/x\n"
    "      - data:/config\n"
)
FILES = {
    "proxy/compose.yaml": COMPOSE,
    "proxy/Caddyfile": ":80\n",
    "proxy/sites/a.caddy": "a\n",
    "proxy/sites/b.caddy": "b\n",
    "proxy/sites/.gitkeep": "",
    "shared/snippets.conf": "x\n",
}


def stack(config_files: str) -> str:
    return (
        f'[[stack]]\nname = "proxy"\n[stack.config]\nrepo = "{REPO}"\n'
        f'run_directory = "proxy"\nconfig_files = {config_files}\n'
    )


def test_untracked_and_none_entries(make_tree: TreeFactory) -> None:
    root = make_tree(
        {**FILES, "stacks.toml": stack('["Caddyfile", { path = "sites/a.caddy" }]')}
    )
    assert hits(root, RULE, repos=[REPO]) == [
        ("proxy/compose.yaml", 5, 9, "KG810"),
        ("proxy/compose.yaml", 6, 9, "KG810"),
        ("proxy/compose.yaml", 6, 9, "KG810"),
        ("proxy/compose.yaml", 7, 9, "KG810"),
    ]
    first, *folder, fourth = findings(root, RULE, repos=[REPO])
    assert "without `requires`" in first.message
    assert sorted(f.message.split("bind-mounts ")[1][:21] for f in folder) == [
        "`proxy/sites/a.caddy`",
        "`proxy/sites/b.caddy`",
    ]
    assert {"without `requires`" in f.message for f in folder} == {True, False}
    assert (
        'config_files = [{ path = "../shared/snippets.conf", requires = "Redeploy" }]'
        in (fourth.hint)
    )
    assert "stack 'proxy'" in fourth.message


def test_tracked_files_and_folders_pass(make_tree: TreeFactory) -> None:
    tracked = (
        '[{ path = "Caddyfile", requires = "restart" }, '
        '{ path = "sites", requires = "Redeploy" }, '
        '{ path = "../shared/snippets.conf", requires = "Restart" }]'
    )
    root = make_tree({**FILES, "stacks.toml": stack(tracked)})
    assert hits(root, RULE, repos=[REPO]) == []


def test_file_no_stack_deploys_is_not_judged(make_tree: TreeFactory) -> None:
    root = make_tree(FILES)
    assert hits(root, RULE, repos=[REPO]) == []


def test_disabled(make_tree: TreeFactory) -> None:
    root = make_tree({**FILES, "stacks.toml": stack("[]")})
    assert hits(root, RULE, repos=[REPO], disabled=[RULE.code]) == []


def test_unknown_requires_value_is_left_to_the_resource_rules(
    make_tree: TreeFactory,
) -> None:
    tracked = '[{ path = "Caddyfile", requires = "Reload" }]'
    root = make_tree({**FILES, "stacks.toml": stack(tracked)})
    assert ("proxy/compose.yaml", 5, 9, "KG810") not in hits(root, RULE, repos=[REPO])
