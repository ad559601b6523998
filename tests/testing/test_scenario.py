"""Scenario loading: TOML and JSON, and errors that name the file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from komodo_guard.testing import ScenarioError, load_scenario
from komodo_guard.testing.scenario import parse_ago
from tests.testing.conftest import DEMO


def test_demo_matches_the_homelab_example(tmp_path: Path) -> None:
    scenario = load_scenario(DEMO)
    assert [s["name"] for s in scenario.servers] == ["hearth", "attic", "porch"]
    assert "mealie" in {s["name"] for s in scenario.stacks}


def test_json_scenario(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    path.write_text('{"stacks": [{"name": "a"}], "webhook_secret": "x"}')
    scenario = load_scenario(path)
    assert scenario.stacks == [{"name": "a"}]
    assert scenario.webhook_secret == "x"


@pytest.mark.parametrize(
    ("suffix", "text", "expected"),
    [
        (".toml", 'version = "2.3.2"\n\nstacks = [\n', ":4: "),
        (
            ".toml",
            'version = "2.3.2"\n\n[[stack]]\nname = "a"\n',
            ":3: unknown key `stack`",
        ),
        (
            ".toml",
            '[[stacks]]\nname = "a"\n\n[[stacks]]\nrepo = "x"\n',
            ":4: stacks[1]",
        ),
        (
            ".toml",
            '[[updates]]\ntarget = { type = "Stack", name = "a" }\nago = "5 days"\n',
            ":1: updates[0]: `ago`",
        ),
        (".json", '{\n  "stacks": [\n    {"name": 1}\n  ]\n}', ":2: stacks[0]"),
        (".json", '{\n  "stacks": [,]\n}', ":2: "),
    ],
)
def test_errors_name_file_and_line(
    tmp_path: Path, suffix: str, text: str, expected: str
) -> None:
    path = tmp_path / f"bad{suffix}"
    path.write_text(text)
    with pytest.raises(ScenarioError) as raised:
        load_scenario(path)
    assert str(raised.value).startswith(f"{path}{expected}")


def test_parse_ago() -> None:
    assert parse_ago("3d12h") == 3.5 * 86400
    with pytest.raises(ValueError, match="duration"):
        parse_ago("soon")
