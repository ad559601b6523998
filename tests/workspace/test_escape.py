import tomllib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from komodo_guard.workspace.escape import komodo_escape


def test_backslashes_inside_triple_quotes_are_doubled() -> None:
    text = 'cmd = """\nrun \\\n  --flag\n"""\n'
    processed, _ = komodo_escape(text)
    assert tomllib.loads(processed)["cmd"] == "run \\\n  --flag\n"


def test_text_without_triple_quotes_is_unchanged() -> None:
    text = 'pattern = "a\\\\b"\n'
    assert komodo_escape(text)[0] == text


def test_naive_split_follows_komodo_parity() -> None:
    # A """ inside a literal string shifts the parity exactly as in Komodo.
    text = 'a = \'"""\'\nb = "x\\\\y"\nc = \'"""\'\n'
    processed, _ = komodo_escape(text)
    assert 'b = "x\\\\\\\\y"' in processed


def test_columns_map_back_to_the_original_text() -> None:
    text = 'a = """x\\y""" # c\n'
    processed, columns = komodo_escape(text)
    hash_in_processed = processed.index("#") + 1
    assert columns.original_column(1, hash_in_processed) == text.index("#") + 1


@given(st.text(alphabet='ab\\"\n ', max_size=60))
def test_line_count_never_changes(text: str) -> None:
    processed, _ = komodo_escape(text)
    assert processed.count("\n") == text.count("\n")


@pytest.mark.parametrize("column", range(1, 12))
def test_column_map_is_monotonic(column: int) -> None:
    _, columns = komodo_escape('v = """\\\\a\\b"""\n')
    assert columns.original_column(1, column) <= column
