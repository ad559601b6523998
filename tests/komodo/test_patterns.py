"""Batch* patterns: wildcards, backslash-wrapped regexes and their errors."""

from __future__ import annotations

from komodo_guard.komodo.patterns import compile_pattern


def test_wildcards() -> None:
    pattern = compile_pattern("api-*, db?\nexact")
    assert pattern.errors == ()
    assert pattern.matches("api-gateway")
    assert pattern.matches("db1")
    assert pattern.matches("exact")
    assert not pattern.matches("db12")
    assert not pattern.matches("my-api-1")
    assert not pattern.matches("exactly")


def test_wildcard_escape() -> None:
    pattern = compile_pattern(r"a\*b")
    assert pattern.matches("a*b")
    assert not pattern.matches("axxb")


def test_regex_is_searched_not_anchored() -> None:
    pattern = compile_pattern("\\web-\\d+\\")
    assert pattern.errors == ()
    assert pattern.entries[0].is_regex
    assert pattern.matches("old-web-12")
    assert not pattern.matches("web-x")


def test_anchored_regex() -> None:
    pattern = compile_pattern("\\^web-.*$\\")
    assert pattern.matches("web-1")
    assert not pattern.matches("old-web-1")


def test_look_around_is_unsupported() -> None:
    pattern = compile_pattern("\\^(?!test-).*\\")
    assert len(pattern.errors) == 1
    assert "look-around" in pattern.errors[0]
    assert not pattern.matches("prod")


def test_backreference_is_unsupported() -> None:
    pattern = compile_pattern("\\(a)\\1\\")
    assert "backreference" in pattern.errors[0]


def test_bad_regex() -> None:
    pattern = compile_pattern("\\[unclosed\\, ok-*")
    assert len(pattern.errors) == 1
    assert "does not compile" in pattern.errors[0]
    assert pattern.matches("ok-1")


def test_bad_wildcard_escape() -> None:
    assert compile_pattern("abc\\x").errors
