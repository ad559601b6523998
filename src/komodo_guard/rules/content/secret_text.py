"""Deciding, without ever echoing it, whether a value is a secret written in clear.

Keys are split into words (``DB_PASSWORD``, ``dbPassword``, ``db.password`` all
give ``db password``); a key is secret when its last word, or its last two
words, name a secret (``PASSWORD_FILE`` and ``TOKEN_TTL`` are not), or its last
word ends in one (``PGPASSWORD``). Every rule that asks "is this key a
secret" asks :func:`is_secret_key`. A value
counts as written in clear unless it is empty, interpolated (``[[VAR]]``), a
reference (``${VAR}``, ``file:``, ``/run/secrets/``, ``op://``) or a flag word.
Functions here return verdicts, never the value or any part of it.
"""

from __future__ import annotations

import enum
import functools
import re
from urllib.parse import SplitResult, urlsplit

_SECRET_WORDS = frozenset(
    {
        "password",
        "passwd",
        "pass",
        "pwd",
        "secret",
        "token",
        "apikey",
        "authkey",
        "passphrase",
        "passkey",
        "privatekey",
        "credential",
        "credentials",
    }
)
_SECRET_PAIRS = frozenset(
    {
        ("api", "key"),
        ("private", "key"),
        ("access", "key"),
        ("secret", "key"),
        ("auth", "key"),
        ("encryption", "key"),
        ("master", "key"),
        ("signing", "key"),
        ("session", "key"),
        ("app", "key"),
    }
)
# Secret words that also name a secret run together with a prefix
# (``PGPASSWORD``, ``ACCESSTOKEN``); short ones such as ``pass`` would match
# ``bypass`` and ``compass``.
_JOINED_SUFFIXES = ("password", "passwd", "secret", "token", "apikey", "passphrase")
# Trailing words that do not change what a key holds (``SECRET_KEY_BASE``).
_NEUTRAL_TAIL = frozenset({"base", "value"})
_REFERENCES = ("file:", "/run/secrets/", "op://", "vault:", "sops:", "$")
_FLAGS = frozenset(
    {"true", "false", "yes", "no", "on", "off", "none", "null", "0", "1"}
)
_PLACEHOLDERS = frozenset(
    {
        "changeme",
        "change_me",
        "change-me",
        "changethis",
        "change_this",
        "replaceme",
        "replace_me",
        "password",
        "secret",
        "token",
        "example",
        "todo",
        "admin",
        "test",
    }
)
# camelCase joints: ``dbPassword`` and ``JWTSecret``.
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_SEPARATOR = re.compile(r"[^a-z0-9]+")
_QUERY_SECRETS = frozenset(
    {"token", "key", "apikey", "api_key", "secret", "password", "user"}
)


class Verdict(enum.Enum):
    """What a value of a secret-looking key is."""

    REFERENCE = "reference"
    PLACEHOLDER = "placeholder"
    LITERAL = "literal"


def words(key: str) -> list[str]:
    """``dbPassword`` / ``DB_PASSWORD`` / ``db.password`` -> ``["db", "password"]``."""
    if not (key.isupper() or key.islower()):
        key = _CAMEL.sub("_", key)
    return [part for part in _SEPARATOR.split(key.lower()) if part]


@functools.lru_cache(maxsize=4096)
def is_secret_key(key: str) -> bool:
    """True when ``key`` names a secret by its last word or two, or by a last
    word ending in a secret word (``PGPASSWORD``)."""
    found = [word.rstrip("0123456789") or word for word in words(key)]
    while len(found) > 1 and (found[-1] in _NEUTRAL_TAIL or found[-1].isdigit()):
        found.pop()
    if not found:
        return False
    last = found[-1]
    return (
        last in _SECRET_WORDS
        or tuple(found[-2:]) in _SECRET_PAIRS
        or last.endswith(_JOINED_SUFFIXES)
    )


def verdict(value: str) -> Verdict:
    """Whether ``value`` is absent or a reference, a placeholder, or a literal."""
    text = _unquoted(value.strip())
    lowered = text.lower()
    if not text or "[[" in text or lowered in _FLAGS or lowered.startswith(_REFERENCES):
        return Verdict.REFERENCE
    if (
        lowered in _PLACEHOLDERS
        or (text.startswith("<") and text.endswith(">"))
        or lowered.startswith(("your_", "your-", "my_"))
        or len(set(lowered)) == 1
    ):
        return Verdict.PLACEHOLDER
    return Verdict.LITERAL


def url_password(value: str) -> bool:
    """True when ``value`` is a URL whose user info holds a literal password."""
    parts = _split(value)
    if parts is None or "@" not in parts.netloc:
        return False
    userinfo = parts.netloc.rsplit("@", 1)[0]
    _, colon, password = userinfo.partition(":")
    return bool(colon) and verdict(password) is not Verdict.REFERENCE


def url_query_secret(value: str) -> bool:
    """True when ``value`` is a URL with a literal ``token=``/``key=``-style query."""
    parts = _split(value)
    if parts is None or not parts.query:
        return False
    for pair in parts.query.split("&"):
        name, _, given = pair.partition("=")
        if name.lower() in _QUERY_SECRETS and verdict(given) is not Verdict.REFERENCE:
            return True
    return False


def looks_random(segment: str) -> bool:
    """True for a long token-like path segment (a webhook id, a topic)."""
    if len(segment) < 16:
        return False
    classes = (
        any(c.islower() for c in segment),
        any(c.isupper() for c in segment),
        any(c.isdigit() for c in segment),
    )
    return sum(classes) >= 2


def host_and_path(value: str) -> tuple[str, str] | None:
    """The lower-case host and the path of a URL, or None when it is not one."""
    parts = _split(value)
    if parts is None:
        return None
    return (parts.hostname or "").lower(), parts.path


def variable_name(key: str) -> str:
    """The Variable name suggested for ``key``: ``db.password`` -> ``DB_PASSWORD``."""
    name = "_".join(words(key)).upper()
    return name if name and not name[0].isdigit() else f"SECRET_{name}"


def _split(value: str) -> SplitResult | None:
    text = _unquoted(value.strip())
    if "://" not in text or "[[" in text:
        return None
    try:
        return urlsplit(text)
    except ValueError:
        return None


def _unquoted(text: str) -> str:
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        return text[1:-1].strip()
    return text
