"""Redaction: no credential shape survives, and ordinary log text does."""

from __future__ import annotations

import re
import string

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from komodo_guard import redact as redact_module
from komodo_guard.redact import one_line, redact

# Realistic secrets: no whitespace, quotes or separators that end a value.
SECRET = st.text(
    alphabet=string.ascii_letters + string.digits + "-_.+/=!@#$%^*~",
    min_size=8,
    max_size=40,
).filter(lambda s: any(c.isalpha() for c in s))
URL_SAFE = st.text(
    alphabet=string.ascii_letters + string.digits + "-_.~", min_size=8, max_size=40
).filter(lambda s: any(c.isalpha() for c in s))
TOKEN = st.text(
    alphabet=string.ascii_letters + string.digits + "+/_-", min_size=16, max_size=64
).filter(lambda s: any(c.isalpha() for c in s))

SHAPES = (
    "remote: https://deploy:{}@github.com/acme/homelab.git",
    "fatal: unable to access 'https://oauth2:{}@gitlab.example.com/a/b.git/'",
    "MONGO_URL=mongodb+srv://admin:{}@mongo:27017/komodo",
    "password={}",
    "PASSWORD: {}",
    "POSTGRES_PASSWORD={} docker compose up",
    '{{"password": "{}", "user": "admin"}}',
    "DB_PASS='{}'",
    "token={}&scope=read",
    "GITHUB_TOKEN: {}",
    "client_secret = {}",
    "api_key={}",
    "Authorization: Bearer {}",
    "authorization: Basic {}",
    "curl -H 'Authorization: token {}' https://api.example.com",
    "Using Bearer {} for requests",
    "docker login -u admin -p {} ghcr.io",
    "mysql -uroot -p{} nextcloud",
    "mysqldump -h db -u root -p'{}' --all-databases",
    "restic backup --password {} /data",
    "vault login --token={}",
)
URL_SHAPES = ("git clone https://{}@github.com/acme/private.git",)
TOKEN_SHAPES = (
    "using token {} for the registry",
    "the secret is {}",
    "key: {}",
    "Failed with credentials {}",
)


PROSE_SHAPES = (
    "psql: connection failed (password was {})",
    "the password is {}",
    "Password is: {} for now",
    "admin pw: {}",
    "db pw is {}, rotate it",
    "PW={}",
    "the passphrase was '{}'",
)
_READS_AS_PROSE = re.compile(rf"(?i)(?:{redact_module._PLAIN})[.,;:!?)]*")


def _survives(secret: str, shape: str) -> bool:
    text = f"first line\n  {shape.format(secret)}\nlast line"
    return secret in redact(text) or secret in one_line(shape.format(secret))


@given(secret=SECRET, shape=st.sampled_from(SHAPES))
def test_no_secret_survives(secret: str, shape: str) -> None:
    assume(secret not in shape)
    assert not _survives(secret, shape)


@given(secret=SECRET, shape=st.sampled_from(PROSE_SHAPES))
def test_no_password_in_prose_survives(secret: str, shape: str) -> None:
    # A password spelled like the rest of a sentence ("incorrect.") cannot be
    # told from one; those are kept readable on purpose.
    assume(secret not in shape and not _READS_AS_PROSE.fullmatch(secret))
    assert not _survives(secret, shape)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("(password was PGPASS-4444)", "(password was ***)"),
        ("password is hunter2", "password is ***"),
        ("pw: hunter2", "pw: ***"),
        ("the password is: s3cret! now", "the password is: *** now"),
    ],
)
def test_prose_passwords_are_masked(line: str, expected: str) -> None:
    assert redact(line) == expected


@pytest.mark.parametrize(
    "line",
    [
        'FATAL:  password authentication failed for user "postgres"',
        "Password is incorrect.",
        "your password was changed",
        "the password is required (set DB_PASSWORD)",
        "pw is not set",
        "password was rejected: too short",
        "sha256 of the password was computed",
        "pwd is /srv/komodo",
        "test pass was flaky",
    ],
)
def test_prose_about_passwords_stays_readable(line: str) -> None:
    assert redact(line) == line


@given(secret=URL_SAFE, shape=st.sampled_from(URL_SHAPES))
def test_no_url_token_survives(secret: str, shape: str) -> None:
    assume(secret not in shape)
    assert not _survives(secret, shape)


@given(secret=TOKEN, shape=st.sampled_from(TOKEN_SHAPES))
def test_no_long_token_after_a_key_word_survives(secret: str, shape: str) -> None:
    assume(secret not in shape)
    assert not _survives(secret, shape)


@given(
    st.text(alphabet=string.ascii_uppercase + string.digits, min_size=16, max_size=16)
)
def test_no_aws_access_key_id_survives(tail: str) -> None:
    key = "AKIA" + tail
    assert key not in redact(f"aws: found {key} in ~/.aws/credentials")


def test_known_token_formats_and_private_keys() -> None:
    text = (
        "push ghp_4fJ8sK2mQ9xL1vB7nR3tW6yZ0aC5dE8gH1jK to origin\n"
        "slack xoxb-1234567890-abcdefghij\n"
        "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n"
        "-----END OPENSSH PRIVATE KEY-----\n"
    )
    assert redact(text) == (
        "push *** to origin\nslack ***\n-----PRIVATE KEY ***-----\n"
    )


@pytest.mark.parametrize(
    "line",
    [
        "fatal: Authentication failed for 'https://github.com/acme/homelab.git/'",
        'FATAL:  password authentication failed for user "paperless"',
        "Access denied for user 'root'@'172.18.0.1' (using password: YES)",
        "docker compose -p mealie -f compose.yaml up -d",
        "docker run -d -p 8080:80 -p 127.0.0.1:443:443/tcp nginx",
        "unauthorized: authentication required",
        "Failed to get git token in call to db. Stopping run.",
        "git remote set-url origin https://token:<TOKEN>@github.com/acme/x.git",
    ],
)
def test_ordinary_log_text_is_kept(line: str) -> None:
    expected = line.replace("token:<TOKEN>@", "***@")
    assert redact(line) == expected


def test_one_line_takes_the_first_meaningful_line_untagged_and_cut() -> None:
    text = (
        "\n  ---\n"
        '<span style="color: var(--mantine-color-red-6)">ERROR</span>: '
        "login   failed password=hunter2hunter2\nsecond"
    )
    assert one_line(text) == "ERROR: login failed password=***"
    assert one_line("x" * 200, limit=10) == "xxxxxxxxx…"
    assert one_line(" \n--\n") == ""
