import pytest

from komodo_guard.workspace.toml_file import parse_toml

MULTILINE_INLINE = (
    b"[[stack]]\nname = 'a'\nconfig = { server = 'x',\n  repo = 'o/r', }\n"
)


def test_values_are_the_ones_komodo_sees() -> None:
    parsed = parse_toml(
        "s.toml",
        b'[[stack]]\nname = "a"\n[stack.config]\nenvironment = """\nA=C:\\path\n"""\n',
        "1.1",
    )
    assert parsed.problems == ()
    assert parsed.data is not None
    assert parsed.data["stack"][0]["config"]["environment"] == "A=C:\\path\n"


def test_keys_and_values_keep_their_positions() -> None:
    parsed = parse_toml(
        "s.toml",
        b'[[stack]]\nname = "a"\n[stack.config]\n'
        b'  server = "x"\nfile_paths = ["a", "b"]\n',
        "1.1",
    )
    span = parsed.spans[("stack", 0, "config", "server")]
    assert (span.key_line, span.key_column, span.value_column) == (4, 3, 12)
    assert parsed.position(("stack", 0, "config", "file_paths", 1)) == (5, 20)
    assert parsed.position(("stack", 0, "config")) == (3, 1)


def test_columns_count_characters_not_bytes() -> None:
    parsed = parse_toml(
        "s.toml",
        '[[stack]]\nname = "é"\ndescription = "x"\ntags = ["éé", "b"]\n'.encode(),
        "1.1",
    )
    assert parsed.position(("stack", 0, "tags", 1)) == (4, 15)


@pytest.mark.parametrize(("spec", "ok"), [("1.1", True), ("1.0", False)])
def test_toml_1_1_forms_depend_on_the_target(spec: str, ok: bool) -> None:
    parsed = parse_toml("s.toml", MULTILINE_INLINE, spec)
    assert (parsed.data is not None) is ok
    if not ok:
        (problem,) = parsed.problems
        assert (problem.kind, problem.line) == ("syntax", 3)
        assert "inline table" in problem.message


def test_a_backslash_komodo_accepts_is_no_syntax_error() -> None:
    # '\p' is an invalid escape for a plain TOML parser, valid after Komodo's rule.
    parsed = parse_toml("s.toml", b'x = """C:\\path"""\n', "1.1")
    assert parsed.problems == ()


def test_syntax_error_position() -> None:
    parsed = parse_toml("s.toml", b'[[stack]]\nname = "a\n', "1.1")
    (problem,) = parsed.problems
    assert (problem.kind, problem.line) == ("syntax", 2)
    assert problem.message.startswith("invalid TOML: ")


def test_conflict_markers_encoding_and_empty_files() -> None:
    conflict = parse_toml("c.toml", b"<<<<<<< HEAD\na = 1\n=======\n>>>>>>> x\n", "1.1")
    assert [(p.kind, p.line) for p in conflict.problems] == [
        ("conflict", 1),
        ("conflict", 3),
        ("conflict", 4),
    ]
    latin1 = parse_toml("l.toml", b'name = "caf\xe9"\n', "1.1")
    assert [(p.kind, p.line, p.column) for p in latin1.problems] == [
        ("encoding", 1, 12)
    ]
    empty = parse_toml("e.toml", b"# only a comment\n\n", "1.1")
    assert [p.kind for p in empty.problems] == ["empty"]
    assert empty.data == {}


def test_keys_named_like_metadata_fields_resolve_to_themselves() -> None:
    text = (
        b'[[variable]]\nname = "A"\nvalue = "x"\nkey = "k"\n'
        b"[[stack]]\nname = 's'\n[stack.config]\n"
        b'environment = [{ variable = "B", value = "y" }]\n'
    )
    parsed = parse_toml("v.toml", text, "1.1")
    assert parsed.position(("variable", 0, "value")) == (3, 1)
    assert parsed.position(("variable", 0, "key")) == (4, 1)
    env = ("stack", 0, "config", "environment", 0, "value")
    assert parsed.position(env) == (8, 34)
    assert parsed.position(env, value=True) == (8, 42)
    assert parsed.line_text(3) == 'value = "x"'


def test_lazy_and_materialised_spans_agree() -> None:
    text = (
        b'[[stack]]\nname = "a"\n[stack.config]\nserver = "x"\n'
        b"file_paths = ['a', 'b']\nconfig_files = [{ path = 'c' }]\n"
        b"[[procedure]]\nname = 'p'\n[[procedure.config.stage]]\nname = 's'\n"
    )
    spans = parse_toml("s.toml", text, "1.1").spans
    lazy = {path: spans[path] for path in list(spans)}
    fresh = parse_toml("s.toml", text, "1.1").spans
    assert {path: fresh[path] for path in lazy} == lazy
