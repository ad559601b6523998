from komodo_guard.rules.install.ui_write_disabled import RULE
from tests.conftest import TreeFactory
from tests.rules.lintkit import findings, hits

CORE = "services:\n  core:\n    image: ghcr.io/moghtech/komodo-core:2\n"


def test_unset_on_a_core_service_and_false_in_compose_env(
    make_tree: TreeFactory,
) -> None:
    root = make_tree(
        {
            "a/compose.yaml": CORE,
            "b/compose.env": "KOMODO_HOST=https://k.lan\nKOMODO_UI_WRITE_DISABLED=false\n",
        }
    )
    assert hits(root, RULE) == [
        ("a/compose.yaml", 2, 3, "KG902"),
        ("b/compose.env", 2, 1, "KG902"),
    ]
    assert all("not the API" in f.hint for f in findings(root, RULE))


def test_not_reported_when_core_reads_an_env_file_outside_the_tree(
    make_tree: TreeFactory,
) -> None:
    root = make_tree({"compose.yaml": CORE + "    env_file: /srv/komodo/core.env\n"})
    assert hits(root, RULE) == []


def test_true_passes(make_tree: TreeFactory) -> None:
    root = make_tree(
        {
            "compose.yaml": CORE
            + "    environment:\n      KOMODO_UI_WRITE_DISABLED: true\n"
        }
    )
    assert hits(root, RULE) == []


def test_disabled(make_tree: TreeFactory) -> None:
    root = make_tree({"compose.yaml": CORE})
    assert hits(root, RULE, disabled=[RULE.code]) == []
