"""The fast key scan agrees with toml-rs's own positions, key for key."""

from __future__ import annotations

from pathlib import Path

import pytest

from komodo_guard.workspace import toml_file
from komodo_guard.workspace.escape import komodo_escape
from komodo_guard.workspace.keyscan import Span, scan_keys

TRICKY = """\
[[stack]]
name = "a"   # comment
"quoted.key" = 1
'literal key' = 2
dotted . inner = "x"
[stack.config]
file_paths = [
  "a.yaml",  # first
  'b.yaml',
]
nested = [[1, 2], ["x", "y"]]
tables = [{ path = "c", requires = "Redeploy" }, { path = "d" }]
mixed = [1, "two"]
trailing = ["a", "b",]
environment = \"\"\"
A=1 # not a comment inside a string
B="quoted"
\"\"\"
empty = []
url = "https://x/#frag"
[[stack]]
name = 'b'
"""


def _metadata_spans(text: str) -> dict[tuple[str | int, ...], Span]:
    processed, columns = komodo_escape(text)
    metadata = toml_file._Metadata(processed, columns, "1.1")
    spans: dict[tuple[str | int, ...], Span] = {}
    toml_file._collect(metadata.nodes, (), spans, metadata.columns)
    return spans


def _agrees(own: Span, meta: Span | None) -> bool:
    if meta is None:
        return False
    same_start = (own.key_line, own.key_column, own.value_line, own.value_column) == (
        meta.key_line,
        meta.key_column,
        meta.value_line,
        meta.value_column,
    )
    # toml-rs's end column of a multi-line value is not a column of its last line.
    single = meta.end_line == meta.value_line
    ends = own.end_line == meta.end_line and (
        not single or own.end_column == meta.end_column
    )
    return same_start and ends


def _disagreements(text: str) -> list[str]:
    """Keys where the scan, or the lookup inside inline values, differs from
    toml-rs's metadata of the whole file."""
    meta = _metadata_spans(text)
    scanned = scan_keys(text)
    found = [
        f"{path}: {span} != {meta.get(path)}"
        for path, span in scanned.items()
        if not _agrees(span, meta.get(path))
    ]
    spans = toml_file.parse_toml("f.toml", text.encode(), "1.1").spans
    for path, expected in meta.items():
        if path not in scanned and path in spans and not _agrees(spans[path], expected):
            found.append(f"inline {path}: {spans[path]} != {expected}")
    return found


def test_tricky_forms_agree_with_toml_rs() -> None:
    assert _disagreements(TRICKY) == []
    scanned = scan_keys(TRICKY)
    config = ("stack", 0, "config")
    assert (*config, "file_paths", 1) in scanned
    assert (*config, "tables", 1) in scanned
    assert (*config, "mixed", 0) not in scanned  # left to the metadata fallback
    assert ("stack", 0, "dotted", "inner") in scanned


def test_positions_inside_inline_tables_come_from_the_fallback() -> None:
    parsed = toml_file.parse_toml("s.toml", TRICKY.encode(), "1.1")
    path = ("stack", 0, "config", "tables", 0, "requires")
    assert parsed.position(path) == (12, 25)
    assert ("stack", 0, "config", "absent") not in parsed.spans


def test_every_corpus_and_example_file_agrees(shared: Path) -> None:
    root = Path(__file__).resolve().parents[2]
    files = [*sorted((shared / "corpus").rglob("*.toml"))]
    files += sorted((root / "examples").rglob("*.toml"))
    checked = 0
    problems = []
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        if toml_file.parse_toml(path.name, text.encode(), "1.1").data is None:
            continue
        checked += 1
        problems += [f"{path}: {line}" for line in _disagreements(text)]
    assert checked > 150
    assert problems == []


@pytest.mark.parametrize(
    "value",
    ['"a\\"b"', "'x'", "1_000", "true", "2024-01-01T00:00:00Z", "[ ]", "{ a = 1 }"],
)
def test_single_values_end_where_toml_rs_says(value: str) -> None:
    assert _disagreements(f"key = {value}  # trailing\n") == []


def test_scanning_by_region_finds_what_the_whole_scan_finds(shared: Path) -> None:
    from komodo_guard.workspace.headers import scan_headers
    from komodo_guard.workspace.keyscan import KeyIndex

    checked = 0
    for path in sorted((shared / "corpus").rglob("*.toml")):
        text = path.read_text(encoding="utf-8", errors="replace")
        whole = scan_keys(text)
        index = KeyIndex(text, scan_headers(text))
        assert {key: index.get(key) for key in whole} == whole, path
        assert KeyIndex(text, scan_headers(text)).all() == whole, path
        checked += len(whole)
    assert checked > 9_000
