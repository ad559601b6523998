from komodo_guard.rules.install.transparent_mode import RULE
from tests.conftest import TreeFactory
from tests.rules.lintkit import hits


def test_transparent_mode_on(make_tree: TreeFactory) -> None:
    root = make_tree(
        {
            "compose.yaml": "services:\n  core:\n"
            "    image: ghcr.io/moghtech/komodo-core:2\n"
            "    environment:\n      - KOMODO_TRANSPARENT_MODE=true\n",
            "core.config.toml": 'host = "https://k.lan"\ntransparent_mode = true\n',
        }
    )
    assert hits(root, RULE) == [
        ("compose.yaml", 5, 9, "KG907"),
        ("core.config.toml", 2, 1, "KG907"),
    ]


def test_off_passes(make_tree: TreeFactory) -> None:
    root = make_tree({"compose.env": "KOMODO_TRANSPARENT_MODE=false\n"})
    assert hits(root, RULE) == []


def test_disabled(make_tree: TreeFactory) -> None:
    root = make_tree({"compose.env": "KOMODO_TRANSPARENT_MODE=true\n"})
    assert hits(root, RULE, disabled=[RULE.code]) == []
