from komodo_guard.workspace.headers import scan_headers, split_dotted


def test_headers_resolve_to_concrete_paths() -> None:
    text = (
        "[[stack]]\nname = 'a'\n[stack.config]\n"
        "[[stack]]\n[stack.config.pre_deploy]\n"
        "[[procedure]]\n[[procedure.config.stage]]\n[[procedure.config.stage]]\n"
    )
    paths = [(h.line, h.path) for h in scan_headers(text)]
    assert paths == [
        (1, ("stack", 0)),
        (3, ("stack", 0, "config")),
        (4, ("stack", 1)),
        (5, ("stack", 1, "config", "pre_deploy")),
        (6, ("procedure", 0)),
        (7, ("procedure", 0, "config", "stage", 0)),
        (8, ("procedure", 0, "config", "stage", 1)),
    ]


def test_brackets_inside_multiline_strings_are_not_headers() -> None:
    text = 'env = """\n[[not.a.header]]\n"""\n[real]\n'
    assert [h.keys for h in scan_headers(text)] == [("real",)]


def test_literal_multiline_strings_are_skipped_too() -> None:
    text = "x = '''\n[nope]\n'''\n  [[yes]]  # comment\n"
    headers = scan_headers(text)
    assert [(h.line, h.column, h.keys) for h in headers] == [(4, 3, ("yes",))]


def test_quoted_keys_are_unquoted() -> None:
    assert split_dotted(' a . "b.c" . d ') == ["a", "b.c", "d"]
