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


def test_a_header_on_the_first_line_and_indented_ones_count() -> None:
    text = "  [a]\nx = 1\n\t[[b]]\n"
    headers = scan_headers(text)
    assert [(h.line, h.column, h.path) for h in headers] == [
        (1, 3, ("a",)),
        (3, 2, ("b", 0)),
    ]


def test_a_line_that_opens_and_closes_strings_several_times() -> None:
    text = (
        'a = """x""" + """\n[inside]\n""" # done\n[after]\nb = \'\'\'\n[in]\n\'\'\'\n'
    )
    assert [(h.line, h.keys) for h in scan_headers(text)] == [(4, ("after",))]


def test_line_numbers_follow_every_kind_of_line_break() -> None:
    text = '[a]\r\nx = """\r\n[no]\r\n"""\r\n[b]\rname = 1\n[c]\n'
    assert [(h.line, h.keys) for h in scan_headers(text)] == [
        (1, ("a",)),
        (5, ("b",)),
        (7, ("c",)),
    ]


def test_the_same_header_written_many_times_resolves_each_time() -> None:
    text = "[[stack]]\n[stack.config]\n" * 3
    paths = [h.path for h in scan_headers(text)]
    assert paths[-2:] == [("stack", 2), ("stack", 2, "config")]
