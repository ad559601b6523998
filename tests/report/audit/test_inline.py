"""Code spans survive; everything else is escaped for its format."""

from __future__ import annotations

from komodo_guard.report.audit import inline


def test_parts_split_code_spans_and_flatten_lines() -> None:
    assert inline.parts("unknown key `x`\nin [stack]") == [
        (False, "unknown key "),
        (True, "x"),
        (False, " in [stack]"),
    ]


def test_markdown_escapes_outside_code_only() -> None:
    text = "<b>*bold*</b> [link](x) _em_ a|b `<kept> | *`"
    assert inline.markdown(text) == (
        r"\<b\>\*bold\*\</b\> [link]\(x) \_em\_ a\|b `<kept> | *`"
    )
    assert inline.markdown("resource_path stays") == "resource_path stays"
    assert inline.markdown("[[VAR]] in [stack.config]") == "[[VAR]] in [stack.config]"


def test_code_spans_in_table_cells_escape_pipes() -> None:
    assert inline.markdown("`a|b`", cell=True) == r"`a\|b`"


def test_code_with_backticks_gets_a_longer_fence() -> None:
    assert inline.code("a`b") == "``a`b``"
    assert inline.code("`x") == "`` `x ``"


def test_html_escapes_everything_and_wraps_code() -> None:
    assert inline.to_html('<script>"x"</script> `<i>`') == (
        "&lt;script&gt;&quot;x&quot;&lt;/script&gt; <code>&lt;i&gt;</code>"
    )
