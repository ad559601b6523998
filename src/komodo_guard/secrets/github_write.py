"""Write a GitHub Actions secret: sealed for GitHub, then uploaded.

GitHub accepts a secret's value only encrypted for it. Each scope (a
repository, one of its environments, an organisation) has a curve25519 public
key (``GET .../secrets/public-key``); the value is sealed with it in a
libsodium sealed box, which only the holder of the private key (GitHub) can
open, and ``PUT`` to the secret's path carries the sealed text (base64) and
the key's id. The value therefore never crosses the wire in clear.

An organisation secret also says which repositories may use it, and its
``PUT`` must say so again: the secret's current ``visibility`` is read first
and, when it is ``selected``, its repository ids (every page), so a rotation
never widens or narrows who can use the secret. An organisation secret that
does not exist yet is refused: who may use it is the operator's decision.

The token comes from the environment variable named by the place's
``token_env`` and needs write access to the scope's Actions secrets. Every
request waits at most ``context.timeout`` seconds. Failures are
:class:`WriteError`, naming the secret and the HTTP status; an error text is
withheld whole if it holds the value, the sealed value or the token.
"""

from __future__ import annotations

import base64
import itertools
import logging
from dataclasses import dataclass
from typing import Any

import httpx
from nacl.public import PublicKey as CurvePublicKey
from nacl.public import SealedBox

from komodo_guard.secrets.dbauth import scrub
from komodo_guard.secrets.places.github import API_VERSION, GithubSecretPlace
from komodo_guard.secrets.places.interface import Context
from komodo_guard.secrets.value import SecretValue
from komodo_guard.secrets.writers import WriteError

log = logging.getLogger(__name__)

PER_PAGE = 100
VISIBILITIES = ("all", "private", "selected")
_TOKEN_CHARACTERS = frozenset(map(chr, range(0x21, 0x7F)))


@dataclass(frozen=True)
class PublicKey:
    """A scope's public key: its id (repeated in the ``PUT``) and 32 raw bytes."""

    key_id: str
    key: bytes


class _GithubError(Exception):
    """Why GitHub could not be used, without the secret's label."""


@dataclass(frozen=True)
class _Session:
    """One secret, its context and the token that writes it."""

    place: GithubSecretPlace
    context: Context
    token: SecretValue


def public_key(place: GithubSecretPlace, context: Context) -> PublicKey:
    """The public key of the secret's scope (repository, environment, org)."""
    try:
        return _public_key(_session(place, context))
    except _GithubError as error:
        raise WriteError(f"{place.label}: {error}") from None


def writable(place: GithubSecretPlace, context: Context) -> str | None:
    """Pre-flight: None when the token can fetch the public key (and, for an org
    secret, its visibility and selected repositories); else why not, in one line
    (no value, no token)."""
    try:
        session = _session(place, context)
        _public_key(session)
        if place.org:
            _audience(session)
    except _GithubError as error:
        return str(error)
    return None


def write_github_secret(
    place: GithubSecretPlace, value: SecretValue, context: Context
) -> None:
    """Seal ``value`` with the scope's public key and ``PUT`` it to the secret."""
    try:
        _write(_session(place, context), value)
    except _GithubError as error:
        raise WriteError(f"{place.label}: {error}") from None


def _seal(key: PublicKey, value: SecretValue) -> str:
    """``value`` in a sealed box for ``key``, base64 as GitHub expects it."""
    try:
        plain = value.reveal().encode("utf-8")
    except UnicodeEncodeError:
        raise _GithubError("the value is not valid UTF-8 text") from None
    sealed = SealedBox(CurvePublicKey(key.key)).encrypt(plain)
    return base64.b64encode(sealed).decode("ascii")


def _write(session: _Session, value: SecretValue) -> None:
    key = _public_key(session)
    sealed = _seal(key, value)
    body: dict[str, Any] = {"encrypted_value": sealed, "key_id": key.key_id}
    if session.place.org:
        body.update(_audience(session))
    endpoint = session.place.endpoint
    hidden = (value, SecretValue(sealed))
    response = _send(session, "PUT", endpoint, body=body, hidden=hidden)
    if response.status_code not in (201, 204):
        raise _refusal(session, response, f"PUT {endpoint}", *hidden)
    done = "created" if response.status_code == 201 else "updated"
    log.debug("%s: %s (HTTP %s)", session.place.label, done, response.status_code)


def _session(place: GithubSecretPlace, context: Context) -> _Session:
    token = context.environ.get(place.token_env, "")
    if not token:
        raise _GithubError(
            f"{place.token_env} is not set: export a GitHub token that can write "
            f"the Actions secrets of {place.owner}"
        )
    if not set(token) <= _TOKEN_CHARACTERS:
        raise _GithubError(
            f"{place.token_env} does not hold a GitHub token (it has spaces, line "
            "breaks or characters outside ASCII)"
        )
    return _Session(place, context, SecretValue(token))


def _public_key(session: _Session) -> PublicKey:
    endpoint = session.place.endpoint.rsplit("/", 1)[0] + "/public-key"
    body = _get(session, endpoint)
    key_id, key = body.get("key_id"), body.get("key")
    if not isinstance(key_id, str) or not key_id or not isinstance(key, str):
        raise _GithubError(f"GET {endpoint}: the answer has no `key_id` and `key`")
    try:
        raw = base64.b64decode(key, validate=True)
    except ValueError:  # binascii.Error, or text outside ASCII
        raise _GithubError(f"GET {endpoint}: the public key is not base64") from None
    if len(raw) != CurvePublicKey.SIZE:
        raise _GithubError(
            f"GET {endpoint}: the public key has {len(raw)} bytes, expected "
            f"{CurvePublicKey.SIZE}"
        )
    return PublicKey(key_id, raw)


def _audience(session: _Session) -> dict[str, Any]:
    """The org secret's ``visibility`` (and selected repository ids), as is."""
    place = session.place
    response = _send(session, "GET", place.endpoint)
    if response.status_code == 404:
        raise _GithubError(
            f"GitHub has no secret {place.name} in org {place.owner} (or the token "
            "cannot see it); create it with the visibility it needs, then rotate"
        )
    action = f"GET {place.endpoint}"
    if response.status_code != 200:
        raise _refusal(session, response, action)
    visibility = _json(response, action).get("visibility")
    if visibility not in VISIBILITIES:
        raise _GithubError(
            f"GET {place.endpoint}: GitHub did not say which repositories may use "
            f"the secret (`visibility` is not one of {', '.join(VISIBILITIES)})"
        )
    if visibility != "selected":
        return {"visibility": visibility}
    ids = _selected(session)
    log.debug("%s: keeping %d selected repositories", place.label, len(ids))
    return {"visibility": visibility, "selected_repository_ids": ids}


def _selected(session: _Session) -> list[int]:
    endpoint = session.place.endpoint + "/repositories"
    ids: list[int] = []
    total: object = None
    for page in itertools.count(1):
        params = {"per_page": PER_PAGE, "page": page}
        body = _get(session, endpoint, params)
        total, found = body.get("total_count"), _repository_ids(body)
        if found is None or not isinstance(total, int):
            raise _GithubError(
                f"GET {endpoint}: the answer is not a list of repositories"
            )
        ids.extend(found)
        if len(found) < PER_PAGE or len(ids) >= total:
            break
    if len(ids) != total or len(set(ids)) != len(ids):
        raise _GithubError(
            f"GET {endpoint}: the selected repositories changed while they were "
            "read; try again"
        )
    return ids


def _repository_ids(body: dict[str, Any]) -> list[int] | None:
    """The ``id`` of every repository of one page; None when one has none."""
    repositories = body.get("repositories")
    if not isinstance(repositories, list):
        return None
    ids: list[int] = []
    for item in repositories:
        found = item.get("id") if isinstance(item, dict) else None
        if not isinstance(found, int) or isinstance(found, bool):
            return None
        ids.append(found)
    return ids


def _get(
    session: _Session, endpoint: str, params: dict[str, int] | None = None
) -> dict[str, Any]:
    """The JSON object GitHub answers to a ``GET`` that must succeed."""
    response = _send(session, "GET", endpoint, params=params)
    action = f"GET {endpoint}"
    if response.status_code != 200:
        raise _refusal(session, response, action)
    return _json(response, action)


def _send(
    session: _Session,
    method: str,
    endpoint: str,
    *,
    params: dict[str, int] | None = None,
    body: dict[str, Any] | None = None,
    hidden: tuple[SecretValue, ...] = (),
) -> httpx.Response:
    context = session.context
    headers = {
        "Accept": "application/vnd.github+json",
        "Authorization": f"Bearer {session.token.reveal()}",
        "X-GitHub-Api-Version": API_VERSION,
    }
    url = context.github_api.rstrip("/") + endpoint
    try:
        return httpx.request(
            method,
            url,
            headers=headers,
            params=params,
            json=body,
            timeout=context.timeout,
        )
    except httpx.TimeoutException:
        raise _GithubError(
            f"{method} {url}: no answer from GitHub within {context.timeout:g} s"
        ) from None
    except httpx.HTTPError as error:
        text = _one_line(scrub(str(error), session.token, *hidden))
        raise _GithubError(f"{method} {url}: cannot reach GitHub: {text}") from None


def _refusal(
    session: _Session, response: httpx.Response, action: str, *hidden: SecretValue
) -> _GithubError:
    status = response.status_code
    if status in (401, 403):
        return _GithubError(
            f"GitHub refused the token from {session.place.token_env} (HTTP "
            f"{status} to {action}): it needs write access to Actions secrets"
        )
    if status == 404:
        return _GithubError(
            f"{action}: HTTP 404: GitHub has no such {_scope(session.place)} (or "
            "the token cannot see it)"
        )
    message = _message(response)
    said = f": {scrub(message, session.token, *hidden)}" if message else ""
    return _GithubError(f"{action}: HTTP {status}{said}")


def _scope(place: GithubSecretPlace) -> str:
    if place.org:
        return f"organisation {place.owner}"
    if place.environment:
        return f"environment {place.environment} in repository {place.owner}"
    return f"repository {place.owner}"


def _message(response: httpx.Response) -> str:
    """The first line of GitHub's ``message``, or nothing."""
    try:
        body: Any = response.json()
    except ValueError:
        return ""
    message = body.get("message") if isinstance(body, dict) else None
    return _one_line(message) if isinstance(message, str) else ""


def _json(response: httpx.Response, action: str) -> dict[str, Any]:
    try:
        body: Any = response.json()
    except ValueError:
        body = None
    if not isinstance(body, dict):
        raise _GithubError(f"{action}: the answer is not a JSON object")
    return body


def _one_line(text: str, limit: int = 200) -> str:
    line = text.strip().splitlines()[0] if text.strip() else ""
    return line if len(line) <= limit else line[: limit - 1] + "…"
