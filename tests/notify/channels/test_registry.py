"""Parsing ``[[notify.channel]]`` tables: every type; errors name index and key."""

from collections.abc import Mapping, Sequence

import pytest

from komodo_guard.notify.channels import TYPES, parse_channel, parse_channels
from komodo_guard.notify.interface import NotifyConfigError, Secret

MINIMAL = {
    "discord": {"url": "https://discord.example/api/webhooks/1/t"},
    "slack": {"url": "https://slack.example/services/T/B/x"},
    "ntfy": {"url": "https://ntfy.example/topic"},
    "gotify": {"url": "https://gotify.example", "token": "t"},
    "pushover": {"token": "t", "user": "u"},
    "email": {"host": "smtp.example", "from": "a@example", "to": "b@example"},
    "webhook": {"url": "https://hooks.example/in"},
}


@pytest.mark.parametrize("kind", sorted(MINIMAL))
def test_every_type_parses_with_its_defaults(kind: str) -> None:
    channel = parse_channel(0, {"type": kind, **MINIMAL[kind]})

    assert channel.kind == kind
    assert channel.name == kind
    assert channel.timeout == 10.0


def test_every_registered_type_is_covered_here() -> None:
    assert set(TYPES) == {*MINIMAL, "apprise"}


def errors(tables: Sequence[Mapping[str, object]]) -> str:
    with pytest.raises(NotifyConfigError) as caught:
        parse_channels(tables)
    return str(caught.value)


def test_missing_type_lists_the_types() -> None:
    assert errors([{"name": "x"}]) == (
        "[[notify.channel]] #1 key `type`: is missing (one of discord, slack, "
        "ntfy, gotify, pushover, email, webhook, apprise)"
    )


def test_unknown_type() -> None:
    assert errors([MINIMAL["slack"] | {"type": "slak"}]).startswith(
        "[[notify.channel]] #1 key `type`: is 'slak', not a channel type"
    )


def test_unknown_key_suggests_the_likely_one() -> None:
    table = {"type": "ntfy", "url": "https://n.example/t", "tokn": "x"}

    assert errors([{"type": "slack", **MINIMAL["slack"]}, table]) == (
        "[[notify.channel]] #2 key `tokn`: unknown key; did you mean `token`? "
        "(allowed: type, name, timeout, url, token)"
    )


def test_missing_required_key() -> None:
    assert errors([{"type": "gotify", "url": "https://g.example"}]) == (
        "[[notify.channel]] #1 key `token`: is missing (a value or `env:VAR_NAME`)"
    )


def test_duplicate_names() -> None:
    tables = [
        {"type": "slack", **MINIMAL["slack"]},
        {"type": "slack", **MINIMAL["slack"]},
    ]

    assert errors(tables) == (
        "[[notify.channel]] #2 key `name`: 'slack' is already the name of #1: "
        "give each channel its own `name`"
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"timeout": 0}, "key `timeout`: must be a positive number"),
        ({"timeout": True}, "key `timeout`: must be a positive number"),
        ({"url": "ntfy.example/t"}, "key `url`: must start with http:// or https://"),
        ({"name": ""}, "key `name`: must be a non-empty string"),
    ],
)
def test_bad_values(change: dict[str, object], message: str) -> None:
    table = {"type": "ntfy", "url": "https://n.example/t", **change}

    assert errors([table]) == f"[[notify.channel]] #1 {message}"


def test_literal_webhook_url_is_checked_but_never_shown() -> None:
    table = {"type": "discord", "url": "discord.example/api/webhooks/1/tok"}

    message = errors([table])

    assert message == (
        "[[notify.channel]] #1 key `url`: must start with http:// or https://"
    )


def test_env_reference_must_name_a_variable() -> None:
    table = {"type": "webhook", "url": "env:not a name"}

    assert errors([table]) == (
        "[[notify.channel]] #1 key `url`: names no valid variable after `env:`"
    )


def test_env_reference_is_kept_as_a_name_not_resolved_at_parse_time() -> None:
    channel = parse_channel(0, {"type": "webhook", "url": "env:HOOK_URL"})

    assert channel.url == Secret("", "HOOK_URL")  # type: ignore[attr-defined]
    assert repr(channel.url) == "Secret(env:HOOK_URL)"  # type: ignore[attr-defined]


def test_literal_secret_repr_is_masked() -> None:
    channel = parse_channel(0, {"type": "gotify", "url": "https://g", "token": "tk9"})

    assert "tk9" not in repr(channel)


def test_table_must_be_a_table() -> None:
    assert errors(["discord"]) == "[[notify.channel]] #1: must be a table"  # type: ignore[list-item]


def test_tables_are_counted_from_one_as_the_file_reads() -> None:
    from komodo_guard.notify.interface import NotifyConfigError, ordinal

    assert [ordinal(index) for index in (0, 1, 9)] == ["#1", "#2", "#10"]
    error = NotifyConfigError(0, "url", "is missing")
    assert (error.index, str(error)) == (
        0,
        "[[notify.channel]] #1 key `url`: is missing",
    )
