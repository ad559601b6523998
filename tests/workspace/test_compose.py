"""Reading one compose file: problems, schema errors, variables, positions;
the real corpus; and speed."""

from pathlib import Path

from komodo_guard.workspace.compose import parse_compose
from komodo_guard.workspace.compose_interpolation import Fallback


def test_variables_are_recorded_with_their_positions() -> None:
    text = (
        "services:\n"
        "  web:\n"
        "    image: app:${TAG}\n"
        '    ports: ["${PORT:-80}:80", "$$HOME"]\n'
        "    command: echo $A $A\n"
    )
    compose = parse_compose("compose.yaml", text.encode())
    found = [(v.name, v.line, v.column, v.fallback) for v in compose.variables]
    assert found == [
        ("TAG", 3, 16, Fallback.NONE),
        ("PORT", 4, 14, Fallback.DEFAULT),
        ("A", 5, 19, Fallback.NONE),
        ("A", 5, 22, Fallback.NONE),
    ]


def test_variables_in_block_scalars_and_anchors() -> None:
    text = (
        "x-env: &env\n"
        "  TOKEN: ${TOKEN}\n"
        "services:\n"
        "  web:\n"
        "    environment: *env\n"
        "    command: |\n"
        "      first line\n"
        "      echo ${B}\n"
    )
    compose = parse_compose("compose.yaml", text.encode())
    assert [(v.name, v.line, v.column) for v in compose.variables] == [
        ("TOKEN", 2, 10),
        ("B", 8, 12),
    ]


def test_schema_errors_and_positions() -> None:
    text = "services:\n  web:\n    image: nginx\n    restrat: always\n"
    compose = parse_compose("compose.yaml", text.encode())
    (error,) = compose.schema_errors
    assert compose.position(error.path) == (4, 5)
    assert error.hint == "did you mean `restart`?"


def test_position_falls_back_to_the_nearest_written_parent() -> None:
    compose = parse_compose("c.yaml", b"services:\n  web:\n    image: x\n")
    assert compose.position(("services", "web", "missing", 0)) == (2, 3)
    assert compose.position(("services", "web", "image"), value=True) == (3, 12)


def test_unreadable_files_become_problems() -> None:
    too_large = parse_compose("c.yaml", None)
    not_utf8 = parse_compose("c.yaml", b"services:\n  web: \xff\n")
    broken = parse_compose("c.yaml", b"services: [\n")
    assert [p.kind for p in too_large.problems] == ["too-large"]
    assert [(p.kind, p.line) for p in not_utf8.problems] == [("encoding", 2)]
    assert broken.data is None
    assert broken.problems[0].kind == "syntax"
    assert broken.schema_errors == ()
    assert broken.variables == ()


def test_services_skips_non_mappings() -> None:
    compose = parse_compose("c.yaml", b"services:\n  a: {image: x}\n  b: 5\n")
    assert [name for name, _ in compose.services()] == ["a"]


def test_every_yaml_file_of_the_corpus_reads_without_a_traceback(shared: Path) -> None:
    real = shared / "corpus/real"
    files = sorted([*real.rglob("*.yaml"), *real.rglob("*.yml")])
    assert len(files) > 150
    for file in files:
        compose = parse_compose(str(file.relative_to(real)), file.read_bytes())
        assert compose.text is not None
        assert all(p.kind != "syntax" for p in compose.problems), file
