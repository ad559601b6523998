"""YAML with positions: values as compose sees them, spans, duplicates, merges."""

from komodo_guard.workspace.yaml_positions import MAX_VISITS, parse_yaml

ANCHORS = """\
x-common: &common
  restart: always
  environment:
    TZ: UTC
services:
  web:
    <<: *common
    image: nginx:1.27
    restart: "no"
  db:
    <<: [*common, {cpus: 1, restart: never}]
"""


def test_yaml_12_values_stay_as_compose_reads_them() -> None:
    parsed = parse_yaml("a: no\nb: 0755\nc: on\nd: 0o17\ne: true\nf: ~\ng: 1.5\n")
    assert parsed.data == {
        "a": "no",
        "b": 755,
        "c": "on",
        "d": 15,
        "e": True,
        "f": None,
        "g": 1.5,
    }


def test_every_key_and_value_has_a_one_based_position() -> None:
    parsed = parse_yaml("services:\n  web:\n    ports:\n      - '80:80'\n")
    ports = parsed.spans[("services", "web", "ports")]
    item = parsed.spans[("services", "web", "ports", 0)]
    assert (ports.key_line, ports.key_column) == (3, 5)
    assert (item.key_line, item.key_column, item.value_column) == (4, 9, 9)


def test_merge_keys_explicit_keys_win_and_earlier_sources_win() -> None:
    parsed = parse_yaml(ANCHORS)
    services = parsed.data["services"]
    assert services["web"] == {
        "image": "nginx:1.27",
        "restart": "no",
        "environment": {"TZ": "UTC"},
    }
    assert services["db"]["restart"] == "always"
    assert services["db"]["cpus"] == 1
    assert "<<" not in services["web"]
    assert parsed.problems == ()


def test_merged_keys_point_at_where_they_are_written() -> None:
    parsed = parse_yaml(ANCHORS)
    merged = parsed.spans[("services", "web", "environment", "TZ")]
    assert (merged.key_line, merged.key_column) == (4, 5)
    own = parsed.spans[("services", "web", "restart")]
    assert (own.key_line, own.value_column) == (9, 14)
    inline = parsed.spans[("services", "db", "cpus")]
    assert (inline.key_line, inline.key_column) == (11, 20)


def test_a_quoted_merge_key_is_an_ordinary_key() -> None:
    assert parse_yaml("a:\n  '<<': 1\n").data == {"a": {"<<": 1}}


def test_duplicate_key_is_a_problem_at_the_second_copy() -> None:
    parsed = parse_yaml("services:\n  web:\n    image: a\n    image: b\n")
    (problem,) = parsed.problems
    assert (problem.kind, problem.line, problem.column) == ("duplicate-key", 4, 5)
    assert "first at line 3" in problem.message
    assert parsed.data["services"]["web"]["image"] == "b"


def test_duplicate_inside_an_anchor_is_reported_once() -> None:
    text = "x: &x\n  a: 1\n  a: 2\ny:\n  <<: *x\nz:\n  <<: *x\n"
    assert [p.line for p in parse_yaml(text).problems] == [3]


def test_syntax_error_has_the_parser_position() -> None:
    parsed = parse_yaml("services:\n  web:\n    ports: [80\n")
    (problem,) = parsed.problems
    assert parsed.data is None
    assert problem.kind == "syntax"
    assert (problem.line, problem.column) == (4, 1)
    assert "flow sequence" in problem.message


def test_tab_indentation_gets_a_hint() -> None:
    (problem,) = parse_yaml("a:\n\tb: 1\n").problems
    assert (problem.line, problem.column) == (2, 1)
    assert "tab" in problem.message


def test_undefined_alias_is_a_problem_not_a_traceback() -> None:
    (problem,) = parse_yaml("a: *missing\n").problems
    assert "undefined alias" in problem.message


def test_merge_of_a_scalar_is_a_problem() -> None:
    parsed = parse_yaml("a:\n  <<: 3\n  b: 1\n")
    assert parsed.data == {"a": {"b": 1}}
    (problem,) = parsed.problems
    assert (problem.kind, problem.line, problem.column) == ("merge", 2, 7)


def test_recursive_alias_stops_cleanly() -> None:
    (problem,) = parse_yaml("a: &a [*a]\n").problems
    assert "contains it" in problem.message


def test_alias_bomb_stops_at_the_visit_limit() -> None:
    rows = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]']
    for level in "bcdefg":
        previous = chr(ord(level) - 1)
        rows.append(f"{level}: &{level} [" + ",".join([f"*{previous}"] * 10) + "]")
    (problem,) = parse_yaml("\n".join(rows) + "\n").problems
    assert f"{MAX_VISITS:,}" in problem.message


def test_documents_are_layered_in_order_and_empty_ones_skipped() -> None:
    text = (
        "services:\n  web:\n    image: a\n    ports: ['1:1']\n---\n---\n"
        "services:\n  web:\n    image: b\n    ports: ['2:2']\n"
    )
    parsed = parse_yaml(text)
    assert parsed.documents == 2
    assert parsed.data == {"services": {"web": {"image": "b", "ports": ["1:1", "2:2"]}}}
    assert parsed.spans[("services", "web", "ports", 1)].key_line == 10


def test_compose_reset_and_override_tags_read_as_plain_values() -> None:
    parsed = parse_yaml(
        "services:\n  web:\n    ports: !reset []\n    image: !override a\n"
    )
    assert parsed.data == {"services": {"web": {"ports": [], "image": "a"}}}


def test_non_ascii_columns_count_characters() -> None:
    parsed = parse_yaml("é: x\nkey: 'ü' \nb: 1\n")
    assert parsed.spans[("b",)].key_column == 1
    assert parsed.spans[("key",)].value_column == 6


def test_empty_input() -> None:
    parsed = parse_yaml("")
    assert (parsed.data, parsed.problems, parsed.documents) == (None, (), 0)
