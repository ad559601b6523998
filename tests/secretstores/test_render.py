"""Rendering ``secrets check`` results: every format, whole outputs."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from komodo_guard.secrets.model import Blanked, Cell, CellState, CheckResult, SecretRow
from komodo_guard.secrets.render import RENDERERS, SecretsFormat, render

WHEN = datetime(2026, 3, 1, 10, 0, tzinfo=UTC)
RESULT = CheckResult(
    secrets=(
        SecretRow(
            "komodo-db",
            (
                Cell(
                    "sops",
                    "secrets.yaml",
                    "secrets.yaml: db.password",
                    CellState.SAME,
                    value="A",
                    changed=WHEN,
                    source=True,
                ),
                Cell(
                    "env-file",
                    "compose.env",
                    "compose.env: KOMODO_DATABASE_PASSWORD",
                    CellState.DIFFERENT,
                    reason="holds value B, not the reference value A",
                    value="B",
                    drift=True,
                ),
                Cell(
                    "mongodb-user",
                    "MongoDB 127.0.0.1:27017",
                    "MongoDB user admin@127.0.0.1:27017",
                    CellState.VERIFIED,
                    reason="accepts value A",
                    value="A",
                ),
            ),
            "the source, secrets.yaml: db.password",
        ),
        SecretRow(
            "webhook",
            (
                Cell(
                    "github-secret",
                    "GitHub acme/ops",
                    "GitHub acme/ops: HOOK",
                    CellState.EXISTS,
                    changed=WHEN,
                ),
                Cell(
                    "env-file",
                    "compose.env",
                    "compose.env: A|B",
                    CellState.UNREADABLE,
                    reason="compose.env: cannot read: Permission denied",
                ),
            ),
            "no place holds a value",
        ),
    ),
    blanked=(Blanked("DB_PASSWORD", "komodo/variables.toml", 3, ("infra",)),),
    map_file="komodo-guard.toml",
)

TEXT = """\
secrets check of komodo-guard.toml

secret     secrets.yaml  compose.env  MongoDB 127.0.0.1:27017  GitHub acme/ops
komodo-db  same A        different B  verified A               -
webhook    -             unreadable   -                        exists

komodo-db: drift (compared with the source, secrets.yaml: db.password)
  secrets.yaml: db.password              same A (source): changed 2026-03-01 10:00 UTC
  compose.env: KOMODO_DATABASE_PASSWORD  different B: holds value B, not the \
reference value A
  MongoDB user admin@127.0.0.1:27017     verified A: accepts value A

webhook: incomplete (compared with no place holds a value)
  GitHub acme/ops: HOOK  exists: changed 2026-03-01 10:00 UTC
  compose.env: A|B       unreadable: compose.env: cannot read: Permission denied

secret Variables a ResourceSync would blank:
  komodo/variables.toml:3: [[variable]] DB_PASSWORD is secret and has no value; \
sync infra includes variables: the sync sets it to an empty value: keep the \
Variable out of the synced files (manage it in Core), or set include_variables = \
false

2 secrets: 0 agree, 1 drift, 1 incomplete, 1 secret Variable a sync would \
blank; exit 2
"""


def test_text() -> None:
    assert render(RESULT, SecretsFormat.TEXT) == TEXT


def test_json() -> None:
    document = json.loads(render(RESULT, SecretsFormat.JSON))
    assert document["exit_code"] == 2
    assert document["columns"] == [
        "secrets.yaml",
        "compose.env",
        "MongoDB 127.0.0.1:27017",
        "GitHub acme/ops",
    ]
    first = document["secrets"][0]
    assert first["status"] == "drift"
    assert first["cells"][0] == {
        "column": "secrets.yaml",
        "kind": "sops",
        "place": "secrets.yaml: db.password",
        "state": "same",
        "value": "A",
        "source": True,
        "drift": False,
        "reason": None,
        "changed": "2026-03-01T10:00:00+00:00",
    }
    assert document["blanked"] == [
        {
            "variable": "DB_PASSWORD",
            "path": "komodo/variables.toml",
            "line": 3,
            "syncs": ["infra"],
        }
    ]


def test_markdown_escapes_table_characters() -> None:
    text = render(RESULT, SecretsFormat.MARKDOWN)
    assert text.startswith("## Secrets: komodo-guard.toml\n\n| secret | secrets.yaml")
    assert "| komodo-db | same A | different B | verified A | - |" in text
    assert "- compose.env: A\\|B: **unreadable**: compose.env: cannot read" in text
    assert "### webhook: incomplete" in text


@pytest.mark.parametrize("fmt", list(SecretsFormat))
def test_every_format_has_a_renderer(fmt: SecretsFormat) -> None:
    assert fmt in RENDERERS
    assert "komodo-db" in render(RESULT, fmt)
    empty = render(CheckResult(()), fmt)
    assert empty.endswith("\n")


def test_two_places_in_one_store_get_two_columns() -> None:
    cell = Cell("env-file", "a.env", "a.env: X", CellState.SAME, value="A")
    row = SecretRow("s", (cell, cell), "the majority")
    text = render(CheckResult((row,)), SecretsFormat.TEXT)
    assert "secret  a.env   a.env #2" in text


@pytest.mark.parametrize(
    ("secrets", "blanked", "expected"),
    [
        (1, 0, ("1 secret: ",)),
        (2, 2, ("2 secrets: ", ", 2 secret Variables a sync would blank;")),
        (0, 1, ("0 secrets: ", ", 1 secret Variable a sync would blank;")),
    ],
)
def test_the_summary_counts_in_words(
    secrets: int, blanked: int, expected: tuple[str, ...]
) -> None:
    rows = tuple(replace(RESULT.secrets[0], name=f"s{n}") for n in range(secrets))
    counted = replace(RESULT, secrets=rows, blanked=RESULT.blanked[:1] * blanked)
    summary = render(counted, SecretsFormat.TEXT).rsplit("\n\n", 1)[1]
    assert summary.startswith(expected[0])
    assert all(part in summary for part in expected[1:])
    assert "(s)" not in summary
