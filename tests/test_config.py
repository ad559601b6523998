from pathlib import Path

import pytest

from komodo_guard.config import ConfigError, find_config, load_config
from komodo_guard.rules.interface import Severity
from tests.conftest import TreeFactory


def test_defaults_without_a_file() -> None:
    config = load_config(None)
    assert config.fail_on is Severity.WARNING
    assert config.komodo_version is None


def test_every_key_is_read(make_tree: TreeFactory) -> None:
    root = make_tree(
        {
            "komodo-guard.toml": (
                'komodo_version = "1.17"\nfail_on = "error"\n'
                '[rules]\ndisable = ["KG004"]\nseverity = { unknown-key = "info" }\n'
                '[known]\nservers = ["Local"]\nrepos = ["homelab"]\n'
                'variables = ["TZ"]\n'
                '[tree]\nrepos = ["owner/homelab"]\n'
            )
        }
    )
    config = load_config(find_config(root))
    assert config.komodo_version == "1.17"
    assert config.fail_on is Severity.ERROR
    assert config.disabled == {"KG004"}
    assert config.severities == {"unknown-key": Severity.INFO}
    assert config.known_servers == {"Local"}
    assert config.known_repos == {"homelab"}
    assert config.known_variables == {"TZ"}
    assert config.tree_repos == ("owner/homelab",)


def test_pyproject_table_is_found(make_tree: TreeFactory) -> None:
    root = make_tree({"pyproject.toml": '[tool.komodo-guard]\nfail_on = "info"\n'})
    assert load_config(find_config(root)).fail_on is Severity.INFO


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('fail_on = "loud"\n', "config.toml:1:1: `fail_on` must be one of"),
        (
            '[known]\nservers = "Local"\n',
            "config.toml:2:1: `known.servers` must be an array",
        ),
        ("komodo_version = 2\n", "config.toml:1:1: `komodo_version` must be a string"),
        ("[rules\n", "config.toml:1:7: invalid TOML"),
    ],
)
def test_errors_name_file_line_and_expectation(
    tmp_path: Path, text: str, expected: str
) -> None:
    path = tmp_path / "config.toml"
    path.write_text(text)
    with pytest.raises(ConfigError) as raised:
        load_config(path)
    assert expected in str(raised.value)
