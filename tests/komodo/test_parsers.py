"""Komodo's string-list and env-block parsers."""

from __future__ import annotations

from komodo_guard.komodo.parsers import (
    EnvError,
    EnvLine,
    parse_env_block,
    parse_string_list,
)


def test_string_list_splits_lines_and_commas() -> None:
    text = "# header\ncompose.yaml, extra.yaml # trailing\n\n  other.yaml  ,\n"
    assert parse_string_list(text) == ["compose.yaml", "extra.yaml", "other.yaml"]


def test_string_list_keeps_hash_without_space() -> None:
    assert parse_string_list("a#b, c") == ["a#b", "c"]


def test_string_list_empty() -> None:
    assert parse_string_list("") == []
    assert parse_string_list("\n # only a comment\n") == []


def test_env_block_forms() -> None:
    text = (
        "# comment\n"
        "KEY_1 = value_1 # end of line comment\n"
        "\n"
        'KEY_2="value_2"\n'
        "'KEY_3 = value_3'\n"
        "// also a comment\n"
        "- KEY_4: 'value_4'\n"
        '- "KEY_5=value_5"\n'
        "URL=http://host:80/x\n"
    )
    lines, errors = parse_env_block(text)
    assert errors == []
    assert lines == [
        EnvLine(1, "KEY_1", "value_1", truncated=True),
        EnvLine(3, "KEY_2", "value_2", truncated=False),
        EnvLine(4, "KEY_3", "value_3", truncated=False),
        EnvLine(6, "KEY_4", "value_4", truncated=False),
        EnvLine(7, "KEY_5", "value_5", truncated=False),
        EnvLine(8, "URL", "http://host:80/x", truncated=False),
    ]


def test_env_block_hash_cuts_value() -> None:
    lines, _ = parse_env_block("PASSWORD=abc #def\nTOKEN=abc#def")
    assert [(line.value, line.truncated) for line in lines] == [
        ("abc", True),
        ("abc#def", False),
    ]


def test_env_block_unparseable_line_hides_text() -> None:
    lines, errors = parse_env_block("GOOD=1\nsupersecretvalue\n")
    assert [line.key for line in lines] == ["GOOD"]
    assert errors == [EnvError(1, len("supersecretvalue"), errors[0].reason)]
    assert "supersecret" not in repr(errors)


def test_env_block_empty() -> None:
    assert parse_env_block("  \n\n") == ([], [])
