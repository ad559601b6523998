from komodo_guard.rules.files.syntax_error import RULE
from tests.conftest import TreeFactory
from tests.rules.lintkit import findings, hits

BROKEN = {"komodo/stacks.toml": '[[stack]]\nname = "app\n[stack.config]\n'}
MULTILINE = {
    "s.toml": "[[stack]]\nname = 'a'\nconfig = { server = 'x',\n repo = 'o/r' }\n"
}


def test_failing(make_tree: TreeFactory) -> None:
    assert hits(make_tree(BROKEN), RULE) == [("komodo/stacks.toml", 2, 12, "KG001")]


def test_passing(make_tree: TreeFactory) -> None:
    root = make_tree({"komodo/stacks.toml": '[[stack]]\nname = "app"\n'})
    assert hits(root, RULE) == []


def test_disabled(make_tree: TreeFactory) -> None:
    assert hits(make_tree(BROKEN), RULE, disabled=["KG001"]) == []


def test_toml_1_1_is_fine_for_komodo_2_and_an_error_for_1(
    make_tree: TreeFactory,
) -> None:
    root = make_tree(MULTILINE)
    assert hits(root, RULE, version="2.3") == []
    (finding,) = findings(root, RULE, version="1.19")
    assert finding.location is not None
    assert finding.location.line == 3
    assert "TOML 1.1" in finding.hint


def test_bad_encoding_is_reported(make_tree: TreeFactory) -> None:
    root = make_tree({"s.toml": b'[[stack]]\nname = "caf\xe9"\n'})
    (finding,) = findings(root, RULE)
    assert "not valid UTF-8" in finding.message
    assert finding.location is not None
    assert (finding.location.line, finding.location.column) == (2, 12)


def test_regex_in_basic_string_gets_the_literal_string_hint(
    make_tree: TreeFactory,
) -> None:
    root = make_tree({"p.toml": '[[procedure]]\nname = "p"\nx = "\\d"\n'})
    (finding,) = findings(root, RULE)
    assert "literal" in finding.hint


def test_a_utf16_file_is_reported_even_without_syncs(make_tree: TreeFactory) -> None:
    root = make_tree({"c.toml": '[[stack]]\nname = "c"\n'.encode("utf-16")})
    (finding,) = findings(root, RULE)
    assert "UTF-16" in finding.message
