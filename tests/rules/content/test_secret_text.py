"""Secret-key and secret-value classification used by KG701."""

from __future__ import annotations

import pytest

from komodo_guard.rules.content.secret_text import (
    Verdict,
    is_secret_key,
    url_password,
    variable_name,
    verdict,
    words,
)


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("DB_PASSWORD", True),
        ("dbPassword", True),
        ("JWTSecret", True),
        ("OPENAI_API_KEY", True),
        ("AWS_SECRET_ACCESS_KEY", True),
        ("SECRET_KEY_BASE", True),
        ("TS_AUTHKEY", True),
        ("REDIS_PASS2", True),
        ("PGPASSWORD", True),
        ("GITEA_ACCESSTOKEN", True),
        ("COMPASS", False),
        ("PASSWORD_FILE", False),
        ("TOKEN_TTL", False),
        ("BYPASS", False),
        ("TA_AUTH_PROXY_USERNAME_HEADER", False),
        ("TZ", False),
    ],
)
def test_is_secret_key(key: str, expected: bool) -> None:
    assert is_secret_key(key) is expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("", Verdict.REFERENCE),
        ("[[DB_PASSWORD]]", Verdict.REFERENCE),
        ("${DB_PASSWORD}", Verdict.REFERENCE),
        ("file:/etc/pw", Verdict.REFERENCE),
        ("/run/secrets/db", Verdict.REFERENCE),
        ('"true"', Verdict.REFERENCE),
        ("changeme", Verdict.PLACEHOLDER),
        ("<your password>", Verdict.PLACEHOLDER),
        ("xxxxxxxx", Verdict.PLACEHOLDER),
        ("gpojbqzlxz", Verdict.LITERAL),
        ('"quoted value"', Verdict.LITERAL),
    ],
)
def test_verdict(value: str, expected: Verdict) -> None:
    assert verdict(value) is expected


def test_url_password() -> None:
    assert url_password("postgres://u:pw@db/app")
    assert not url_password("postgres://u:[[PW]]@db/app")
    assert not url_password("postgres://u@db/app")
    assert not url_password("not a url")


def test_words_and_variable_name() -> None:
    assert words("db.password") == ["db", "password"]
    assert variable_name("immich.dbPassword") == "IMMICH_DB_PASSWORD"
    assert variable_name("2FA_TOKEN") == "SECRET_2_FA_TOKEN" or variable_name(
        "2FA_TOKEN"
    ).startswith("SECRET_")
