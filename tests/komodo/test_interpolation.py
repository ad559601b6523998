"""``[[VARIABLE]]`` uses, escapes and errors, as Komodo's svi reads them."""

from __future__ import annotations

from komodo_guard.komodo.interpolation import VariableUse, find_variables


def test_balanced_uses_with_offsets() -> None:
    text = "mongodb://[[USER]]:[[PASS]]@db"
    assert find_variables(text) == [
        VariableUse("USER", 10, 18),
        VariableUse("PASS", 19, 27),
    ]
    assert text[10:18] == "[[USER]]"


def test_triple_brackets_escape() -> None:
    assert find_variables("literal [[[NOT_A_VAR]]] here") == []


def test_unbalanced_open_is_an_error() -> None:
    uses = find_variables("ok [[A]] then [[ broken")
    assert uses[0] == VariableUse("A", 3, 8)
    assert uses[1].error is not None
    assert uses[1].offset == 14


def test_quadruple_open_is_an_error() -> None:
    (use,) = find_variables("[[[[X]]")
    assert use.error is not None
    assert use.offset == 0


def test_stray_close_is_fine() -> None:
    assert find_variables("a ]] b") == []


def test_compose_command_placeholder() -> None:
    (use,) = find_variables("sops exec-env .env '[[COMPOSE_COMMAND]]'")
    assert use.name == "COMPOSE_COMMAND"
    assert use.placeholder


def test_name_is_verbatim() -> None:
    (use,) = find_variables("[[ SPACED ]]")
    assert use.name == " SPACED "
