"""compose-spec validation in compose's words, and agreement with the
Komodo 2.3.2 copy of the schema (a test oracle: the runtime schema is a newer
revision, so the two are compared on sample documents, not byte for byte)."""

import json
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest

from komodo_guard.workspace.compose_schema import describe, validate


def messages(data: Any) -> list[tuple[tuple[object, ...], str, str]]:
    return [(e.path, e.message, e.hint) for e in validate(data)]


def test_unknown_service_key_with_did_you_mean() -> None:
    data = {"services": {"web": {"image": "nginx", "restrat": "always"}}}
    assert messages(data) == [
        (
            ("services", "web", "restrat"),
            "unknown key `restrat` in service `web`",
            "did you mean `restart`?",
        )
    ]


def test_unknown_key_next_to_another_error_names_only_the_unknown_key() -> None:
    data = {"services": {"web": {"image": "nginx", "mem_limit": {}, "zzzz": 1}}}
    found = messages(data)
    assert (
        ("services", "web", "zzzz"),
        "unknown key `zzzz` in service `web`",
        "",
    ) in found
    assert not any("`image`" in message for _, message, _ in found)


def test_wrong_type_in_compose_words() -> None:
    data = {"services": {"web": {"image": "x"}}, "networks": [1]}
    assert messages(data) == [
        (("networks",), "the `networks` section must be a mapping, not a list", "")
    ]


def test_one_of_picks_the_branch_that_matches_the_shape() -> None:
    data = {
        "services": {"web": {"image": "x", "depends_on": {"db": {"condition": "up"}}}}
    }
    ((path, message, _),) = messages(data)
    assert path == ("services", "web", "depends_on", "db", "condition")
    assert "must be `service_started`, `service_healthy` or" in message


def test_one_of_with_no_matching_shape_lists_the_shapes() -> None:
    data = {"services": {"web": {"image": "x", "environment": 5}}}
    ((_, message, _),) = messages(data)
    assert message == (
        "service `web`, key `environment` must be a mapping or a list, not a number"
    )


def test_interpolated_values_are_not_judged() -> None:
    data = {"services": {"web": {"image": "x", "cpus": "${CPUS}", "mem_limit": "$M"}}}
    data["services"]["web"]["healthcheck"] = {"interval": "${INTERVAL:-30s}"}
    data["services"]["web"]["privileged"] = "${PRIV}"
    assert messages(data) == []


def test_escaped_dollar_is_still_judged() -> None:
    data = {
        "services": {"web": {"image": "x", "depends_on": {"db": {"condition": "$$X"}}}}
    }
    assert len(messages(data)) == 1
    data["services"]["web"]["depends_on"]["db"]["condition"] = "${X}"
    assert messages(data) == []


def test_extension_keys_are_allowed() -> None:
    data = {"x-top": 1, "services": {"web": {"image": "x", "x-own": {"a": 1}}}}
    assert messages(data) == []


def test_describe() -> None:
    assert describe(("services", "web", "ports", 0)) == "service `web`, key `ports[0]`"
    assert describe(("volumes", "data")) == "volume `data`"
    assert describe(("name",)) == "top-level key `name`"
    assert describe(()) == "the top level"


SAMPLES: list[Any] = [
    {"services": {"web": {"image": "nginx:1.27", "ports": ["80:80"]}}},
    {"services": {"web": {"image": "x", "restrat": "always"}}},
    {"services": {"web": {"build": ".", "depends_on": ["db"]}, "db": {"image": "p"}}},
    {"services": {"web": {"image": "x", "depends_on": {"db": {"condition": "bad"}}}}},
    {"services": {"web": {"image": "x", "environment": {"A": "1", "B": None}}}},
    {"services": {"web": {"image": "x", "environment": 5}}},
    {"services": {"web": {"image": "x", "volumes": [{"type": "bind", "source": "."}]}}},
    {"services": {"web": {"image": "x", "healthcheck": {"test": ["CMD", "true"]}}}},
    {"services": {"web": {"image": "x"}}, "networks": {"n": {"external": True}}},
    {"services": {"web": {"image": "x"}}, "networks": [1]},
    {"services": {"web": {"image": "x"}}, "volumes": {"v": {"driver": 3}}},
    {"services": {"web": {"image": "x", "ulimits": {"nofile": {"soft": 1}}}}},
    {"name": "proj", "services": {"web": {"image": "x", "x-a": 1}}, "x-b": 2},
    {
        "services": {
            "web": {"image": "x", "env_file": [{"path": "a", "required": False}]}
        }
    },
    {"services": {"web": {"image": "x", "deploy": {"resources": {"limits": {}}}}}},
]


@pytest.mark.parametrize("sample", SAMPLES)
def test_runtime_schema_agrees_with_the_komodo_oracle(
    shared: Path, sample: Any
) -> None:
    oracle = json.loads((shared / "komodo/schema/2.3.2/compose-spec.json").read_text())
    expected = jsonschema_rs.validator_for(oracle).is_valid(sample)
    assert (validate(sample) == ()) == expected
