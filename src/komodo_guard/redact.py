"""Masking credentials in log text before any of it is shown.

Komodo replaces the values of the secrets it interpolated with ``<NAME>``,
but the commands it runs print what they like: git echoes remote URLs with
their token, ``docker login -p`` and ``mysql -p`` carry passwords, scripts
dump environments. Everything the history shows of a log goes through
:func:`redact` first; :func:`one_line` gives the short, redacted form a
report can quote.

Redaction errs on the side of masking: a masked word that was not a secret
costs a little readability, a secret that survives costs a rotation.
"""

from __future__ import annotations

import re
from collections.abc import Callable

MASK = "***"

# Words that name a secret when a value follows them: ``DB_PASSWORD=``,
# ``"api_key": "``, ``GITHUB_TOKEN:``, ``pw: ``. The word ends the key, so
# ``passed:`` or ``tokens:`` are left alone.
_SECRET_WORD = (
    r"(?:password|passwd|passphrase|pwd|pw|pass|secret|token|api[_-]?key"
    r"|access[_-]?key|private[_-]?key|secret[_-]?key|credentials?)"
)

# ``user:password@``, the password possibly holding unescaped ``/`` or ``@``
# (masked up to the last ``@``), or a bare ``token@``.
_URL_USERINFO = re.compile(
    r"(?i)\b([a-z][a-z0-9+.-]*://)(?:[^\s/?#'\"@:]+:[^\s'\"]*|[^\s/?#'\"]*)@"
)
_PAIR = re.compile(
    rf"""(?ix)
    (?<![\w.-])(?P<key>[\w.-]*?{_SECRET_WORD}(?:[_-]?(?:file|id))?)
    (?P<sep>["']?\s*[:=]\s*)
    (?!(?:YES|NO)\))  # MySQL's "(using password: YES)" names no secret
    (?:"(?P<dq>[^"\n]*)"|'(?P<sq>[^'\n]*)'|(?P<bare>[^\s"',;&]+))
    """
)
_AUTH_HEADER = re.compile(
    r"(?i)\b((?:proxy-)?authorization\s*[:=]\s*)"
    r"(?:(?:bearer|basic|token|digest)\s+)?\S+"
)
_BEARER = re.compile(r"(?i)\b(bearer\s+)[^\s\"',;]+")
_LONG_OPTION = re.compile(
    r"(?i)(?<![\w-])(--(?:password|passwd|pass|token|secret|api-key|access-key)"
    r"(?:=|\s+))(?:\"[^\"\n]*\"|'[^'\n]*'|\S+)"
)
# ``-p`` is also compose's project flag and docker's port flag: those stay.
_SHORT_P = re.compile(
    r"(?<![\w-])(?<!compose )(-p)(\s*)(\"[^\"\n]*\"|'[^'\n]*'|[^\s\"']+)"
)
_PORTS = re.compile(
    r"(?:[\d.]+:)?\d{1,5}(?:-\d{1,5})?(?::\d{1,5}(?:-\d{1,5})?)?(?:/(?:tcp|udp|sctp))?"
)
_AFTER_WORD = re.compile(
    r"(?i)\b(token|secret|password|passwd|key|apikey|credentials?|auth)s?\b"
    r"([\s:=\"'`]{1,4}(?:(?:is|was|of)\s+)?)([A-Za-z0-9+/_=-]{16,})"
)
# Words that follow "password is/was" in ordinary messages, not secrets:
# common participles ("changed", "expiring") and a few adjectives and
# adverbs, in lower case only. A closed list: any word ending in "ed" would
# let a value such as ``aaaaaaed`` through.
_PLAIN = (
    "accepted|changed|checked|computed|configured|defined|denied|encrypted"
    "|expired|found|generated|hashed|ignored|missing|needed|provided|rejected"
    "|required|reused|rotated|saved|specified|stored|supplied|truncated"
    "|updated|verified|expiring|changing|incorrect|wrong|invalid|valid|empty"
    "|blank|not|too|correct|set|unset|reset|null|none|nil|the|a|an|ok"
    "|mandatory|weak|short|long|used|given|different|same|also|still|now"
    "|only|never|always|already"
)
# A password in prose: ``(password was PGPASS-4444)``, ``the pw is: x``. The
# value ends at spaces, quotes, brackets and separators; a word that reads as
# the rest of a sentence ("password is incorrect") is kept.
_PROSE = re.compile(
    r"(?i)\b(password|passwd|passphrase|pw)(\s+(?:is|was)(?:\s*:\s*|\s+))"
    rf"(?!(?-i:{_PLAIN})[.,;:!?)]*(?:\s|$))"
    r"(?:\"[^\"\n]*\"|'[^'\n]*'|[^\s\"',;()\[\]]+)"
)
# A credential in a URL's query: ``?token=…``, ``&sig=…`` (signed URLs, webhooks).
_QUERY_SECRET = re.compile(
    r"(?i)([?&;](?:access_token|api_?key|apikey|auth|key|password|secret|sig"
    r"|signature|token)=)[^&;#\s]+"
)
_AWS_KEY_ID = re.compile(r"\b(?:AKIA|ASIA|ABIA|ACCA|AIDA|AROA)[A-Z0-9]{16}\b")
_KNOWN_TOKENS = re.compile(
    r"\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_\w{20,}|glpat-[\w-]{20,}"
    r"|xox[abprs]-[\w-]{10,}|eyJ[\w-]{8,}\.eyJ[\w-]{8,}\.[\w-]+)"
)
_PRIVATE_KEY = re.compile(
    r"-----BEGIN [A-Z ]*PRIVATE KEY-----.*?(?:-----END [A-Z ]*PRIVATE KEY-----|\Z)",
    re.DOTALL,
)
# Komodo colours its own log lines with HTML spans (lib/formatting/src/lib.rs).
_TAGS = re.compile(r"</?(?:span|b|strong|i|em|code|pre|div)\b[^<>\n]{0,200}>")
_SPACE = re.compile(r"\s+")


def _pair(match: re.Match[str]) -> str:
    quote = '"' if match["dq"] is not None else "'" if match["sq"] is not None else ""
    return f"{match['key']}{match['sep']}{quote}{MASK}{quote}"


def _short_p(match: re.Match[str]) -> str:
    if _PORTS.fullmatch(match[3]):
        return match[0]
    return f"{match[1]}{match[2]}{MASK}"


_Replacement = str | Callable[[re.Match[str]], str]

# Each step runs only when one of its triggers (lower case) is in the text:
# a substring test is far cheaper than a case-insensitive search, and every
# match of the step's pattern contains one of them. A step only masks, so it
# never makes a trigger appear: the text is tested once, before the first.
_STEPS: tuple[tuple[re.Pattern[str], _Replacement, tuple[str, ...]], ...] = (
    (_PRIVATE_KEY, "-----PRIVATE KEY " + MASK + "-----", ("-----begin ",)),
    (_URL_USERINFO, rf"\1{MASK}@", ("://",)),
    (_QUERY_SECRET, rf"\1{MASK}", ("=",)),
    (_AUTH_HEADER, rf"\1{MASK}", ("authorization",)),
    (_BEARER, rf"\1{MASK}", ("bearer",)),
    (_LONG_OPTION, rf"\1{MASK}", ("--",)),
    (_SHORT_P, _short_p, ("-p",)),
    (_PAIR, _pair, ("pass", "pw", "secret", "token", "key", "credential")),
    (_PROSE, rf"\1\2{MASK}", ("pass", "pw")),
    (
        _AFTER_WORD,
        rf"\1\2{MASK}",
        ("token", "secret", "pass", "key", "credential", "auth"),
    ),
    (_AWS_KEY_ID, MASK, ("akia", "asia", "abia", "acca", "aida", "aroa")),
    (_KNOWN_TOKENS, MASK, ("gh", "github_pat_", "glpat-", "xox", "eyj")),
)

_TRIGGERS = frozenset(trigger for *_, triggers in _STEPS for trigger in triggers)


def redact(text: str) -> str:
    """``text`` with every credential-looking value replaced by ``***``.

    Covers URL userinfo (``https://user:token@host``), credentials in a
    URL's query (``?token=``, ``&sig=``), ``key=value`` and
    ``key: value`` pairs whose key names a password, token, secret or key,
    a password in prose (``password was X``, ``pw is X``),
    ``Authorization``/``Bearer`` headers, ``--password``/``-p`` arguments,
    long token-like strings after such words, AWS access key ids, well-known
    token formats (GitHub, GitLab, Slack, JWT) and private key blocks.
    """
    lowered = text.lower()
    present = {trigger for trigger in _TRIGGERS if trigger in lowered}
    if not present:
        return text
    for pattern, replacement, triggers in _STEPS:
        if not present.isdisjoint(triggers):
            text = pattern.sub(replacement, text)
    return text


def untagged(text: str) -> str:
    """``text`` without Komodo's HTML colour spans."""
    return _TAGS.sub("", text)


def squeezed(line: str) -> str:
    """``line`` with runs of spaces and tabs collapsed to one space."""
    return _SPACE.sub(" ", line).strip()


def meaningful(line: str) -> bool:
    """Whether a line says anything: it holds a letter or digit."""
    return any(char.isalnum() for char in line)


def cut(line: str, limit: int) -> str:
    """``line`` shortened to ``limit`` characters, ending in ``…`` if cut."""
    return line if len(line) <= limit else line[: max(limit - 1, 0)] + "…"


def one_line(text: str, limit: int = 160) -> str:
    """The first meaningful line of ``text``, untagged, redacted and cut to
    ``limit`` characters; empty when nothing in ``text`` is meaningful."""
    for line in redact(untagged(text)).splitlines():
        shown = squeezed(line)
        if meaningful(shown):
            return cut(shown, limit)
    return ""
