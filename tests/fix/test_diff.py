"""Unified diffs as git writes them."""

from __future__ import annotations

from komodo_guard.fix.diff import unified


def test_unified_diff_with_git_prefixes() -> None:
    before = "a = 1\nb = 2\nc = 3\n"
    after = "a = 1\nc = 3\nb = 2\n"
    assert unified("dir/x.toml", before, after) == (
        "--- a/dir/x.toml\n"
        "+++ b/dir/x.toml\n"
        "@@ -1,3 +1,3 @@\n"
        " a = 1\n"
        "+c = 3\n"
        " b = 2\n"
        "-c = 3\n"
    )


def test_marks_a_missing_final_newline() -> None:
    assert unified("x.toml", "a = 1\nb = 2", "a = 1\nb = 3") == (
        "--- a/x.toml\n"
        "+++ b/x.toml\n"
        "@@ -1,2 +1,2 @@\n"
        " a = 1\n"
        "-b = 2\n"
        "\\ No newline at end of file\n"
        "+b = 3\n"
        "\\ No newline at end of file\n"
    )


def test_equal_texts_have_no_diff() -> None:
    assert unified("x.toml", "a = 1\n", "a = 1\n") == ""
