"""dbauth's own pieces: lazy imports, error-text scrubbing, libpq text states."""

from __future__ import annotations

import subprocess
import sys

import psycopg
import pytest

from komodo_guard.secrets.dbauth import WITHHELD, _pg_state, scrub
from komodo_guard.secrets.value import SecretValue


def test_importing_dbauth_loads_neither_driver() -> None:
    code = (
        "import sys, komodo_guard.secrets.dbauth; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('pymongo', 'bson', 'psycopg')))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )

    assert done.stdout.strip() == "[]"


@pytest.mark.parametrize(
    "text",
    [
        "mongodb://komodo:p%40ss%2Fw%3Ard@mongo:27017",  # URL-quoted
        "password='p@ss/w:rd'",  # raw
        "password=p%40ss%2Fw%3Ard",  # URL-quoted
        "b'p@ss/w:rd'",  # bytes repr
    ],
)
def test_scrub_withholds_text_holding_the_password(text: str) -> None:
    assert scrub(text, SecretValue("p@ss/w:rd")) == WITHHELD


def test_scrub_withholds_escaped_forms() -> None:
    secret = SecretValue('quo"te\\é')

    assert scrub(repr(secret.reveal()), secret) == WITHHELD
    assert scrub('{"pwd": "quo\\"te\\\\\\u00e9"}', secret) == WITHHELD


def test_scrub_keeps_text_without_any_secret() -> None:
    text = "connection refused"

    assert scrub(text, SecretValue("other"), SecretValue("more")) == text


def test_scrub_checks_every_secret() -> None:
    assert scrub("old and new-one", SecretValue("zzz"), SecretValue("new-one")) == (
        WITHHELD
    )


@pytest.mark.parametrize(
    ("message", "state"),
    [
        ('FATAL:  password authentication failed for user "k"', "28P01"),
        (
            'FATAL:  no pg_hba.conf entry for host "10.0.0.2", user "k", '
            'database "postgres", no encryption',
            "28000",
        ),
        ('FATAL:  pg_hba.conf rejects connection for host "127.0.0.1"', "28000"),
        ('FATAL:  role "k" does not exist', "28000"),
        ('FATAL:  role "k" is not permitted to log in', "28000"),
        ('FATAL:  database "d" does not exist', "3D000"),
        ('FATAL:  permission denied for database "d"', None),
        ("Connection refused", None),
    ],
)
def test_libpq_startup_texts_map_to_sqlstates(message: str, state: str | None) -> None:
    error = psycopg.OperationalError(
        f'connection failed: connection to server at "h", port 5432 failed: {message}'
    )

    assert _pg_state(error) == state
