from komodo_guard.rules.compose.image_latest import RULE
from tests.conftest import TreeFactory
from tests.rules.lintkit import hits

REPO = "me/infra"
COMPOSE = (
    "services:\n"
    "  a:\n    image: redis\n"
    "  b:\n    image: registry.example.com:5000/team/app:latest\n"
    "  c:\n    image: redis:7.4\n"
    "  d:\n    image: redis@sha256:0123\n"
    "  e:\n    image: ${IMAGE}\n"
    "  f:\n    image: local/app\n    build: .\n"
    "  g:\n    image: registry.example.com:5000/app\n"
)


def stack(extra: str) -> str:
    return f'[[stack]]\nname = "s"\n[stack.config]\nrepo = "{REPO}"\n{extra}'


def test_floating_tags_are_reported(make_tree: TreeFactory) -> None:
    root = make_tree({"compose.yaml": COMPOSE, "stacks.toml": stack("")})
    assert hits(root, RULE, repos=[REPO]) == [
        ("compose.yaml", 3, 12, "KG806"),
        ("compose.yaml", 5, 12, "KG806"),
        ("compose.yaml", 16, 12, "KG806"),
    ]


def test_auto_updating_stack_passes(make_tree: TreeFactory) -> None:
    for key in ("auto_update", "poll_for_updates"):
        root = make_tree(
            {"compose.yaml": COMPOSE, "stacks.toml": stack(f"{key} = true\n")}
        )
        assert hits(root, RULE, repos=[REPO]) == []


def test_disabled(make_tree: TreeFactory) -> None:
    root = make_tree({"compose.yaml": COMPOSE})
    assert hits(root, RULE, disabled=[RULE.code]) == []
