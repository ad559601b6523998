"""Komodo's webhook listener from the outside: the secret, the URL, a signed push.

Core's listener (FACTS §4) takes ``POST <base>/listener/<github|gitlab>/
<resource>/<id-or-name>/<execution>``. GitHub style carries
``X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the body>``, GitLab style
``X-Gitlab-Token: <secret>``. The key is the resource's own ``webhook_secret``
when set, else Core's (``KOMODO_WEBHOOK_SECRET``). A stack or sync only acts
when the body's ``ref`` names its branch; a procedure or action when it names
the branch in the URL (``__ANY__`` accepts every branch).

The secret is looked for in this order, the first place holding one wins:

1. ``--secret-file FILE`` (its text, surrounding whitespace removed);
2. the resource's own ``webhook_secret``, when an API key can read it from
   Core (Core checks that one, whatever else is set);
3. the ``KOMODO_WEBHOOK_SECRET`` environment variable;
4. ``compose.env`` on this host (``--compose-env``, else
   ``komodo/compose.env`` or ``compose.env`` in the current folder, where
   Komodo's install guide puts it): ``KOMODO_WEBHOOK_SECRET``, or the file
   ``KOMODO_WEBHOOK_SECRET_FILE`` names when this host can read it;
5. Core's config file (``--core-config``, else ``komodo/core.config.toml`` or
   ``core.config.toml``): ``webhook_secret``.

Environment beats the config file because Core reads it that way. The place
used is reported by name, never the value; Komodo's sample values
(:data:`PLACEHOLDERS`) are refused, since anyone can sign with them.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import httpx

from komodo_guard.live.errors import trim
from komodo_guard.secrets.value import SecretValue
from komodo_guard.workspace.envfile import DotenvEntry, dotenv_entries

log = logging.getLogger(__name__)

ENV_VARIABLE = "KOMODO_WEBHOOK_SECRET"
FILE_VARIABLE = "KOMODO_WEBHOOK_SECRET_FILE"
CONFIG_KEY = "webhook_secret"
PLACEHOLDERS = frozenset({"a_random_secret", "a_random_webhook_secret"})
"""Komodo's sample webhook secrets (compose.env, core.config.toml)."""
COMPOSE_ENV_PLACES = (Path("komodo/compose.env"), Path("compose.env"))
CORE_CONFIG_PLACES = (Path("komodo/core.config.toml"), Path("core.config.toml"))
PROVIDERS = ("github", "gitlab")
ANY_BRANCH = "__ANY__"
DEFAULT_BRANCH = "main"
"""Komodo's default ``branch`` for stacks, syncs, builds and repos."""
MAX_SECRET_BYTES = 64 * 1024

_ROUTES: Mapping[str, str | None] = {
    "sync": "sync",
    "stack": "deploy",
    "repo": "pull",
    "build": "",
    "procedure": None,
    "action": None,
}
"""Execution segment per resource; "" none (build), None the branch."""
_UNRESOLVED = re.compile(r"\$(?:\{|[A-Za-z_])")
_REDACTED = "••••"


class WebhookError(Exception):
    """The webhook could not be sent: no usable secret, no URL, or refused.

    Messages name places and keys, never a secret value.
    """


class ListenerRefusedError(WebhookError):
    """The listener answered with an error status."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Resolved:
    """A webhook secret and the place it came from (``$KOMODO_WEBHOOK_SECRET``)."""

    secret: SecretValue = field(repr=False)
    source: str


@dataclass(frozen=True)
class SecretPlaces:
    """Where to look for the webhook secret, in :func:`resolve_secret`'s order.

    ``compose_env`` / ``core_config`` given explicitly must exist; otherwise
    Komodo's usual places under ``folder`` are tried.
    """

    secret_file: Path | None = None
    resource_secret: SecretValue | None = field(default=None, repr=False)
    resource_label: str = "resource"
    environ: Mapping[str, str] = field(default_factory=dict, repr=False)
    compose_env: Path | None = None
    core_config: Path | None = None
    folder: Path = Path()


@dataclass(frozen=True)
class Push:
    """A signed push event ready to send; ``headers`` hold the signature."""

    url: str
    body: bytes
    headers: Mapping[str, str] = field(repr=False)


def resolve_secret(places: SecretPlaces) -> Resolved:
    """The webhook secret from the first place holding one; placeholders are
    refused. Raises :class:`WebhookError` naming what was tried."""
    finders: tuple[Callable[[SecretPlaces], Resolved | None], ...] = (
        _from_secret_file,
        _from_resource,
        _from_environment,
        _from_compose_env,
        _from_core_config,
    )
    for finder in finders:
        found = finder(places)
        if found is not None:
            return _checked(found)
    raise WebhookError(
        "no webhook secret found: tried --secret-file, the resource's own "
        f"webhook_secret, ${ENV_VARIABLE}, compose.env "
        f"({_tried(places.compose_env, COMPOSE_ENV_PLACES)}) and Core's config "
        f"file ({_tried(places.core_config, CORE_CONFIG_PLACES)}); pass "
        f"--secret-file FILE or export {ENV_VARIABLE}"
    )


def listener_url(base: str, provider: str, kind: str, ident: str, branch: str) -> str:
    """The listener URL for ``kind`` ``ident``; ``base`` is Core's
    ``webhook_base_url`` (or a whole listener URL, used as it is)."""
    if not base.startswith(("http://", "https://")):
        raise WebhookError(f"listener URL {base!r} must start with http:// or https://")
    if "/listener/" in base:
        return base
    if provider not in PROVIDERS:
        raise WebhookError(f"provider {provider!r} is not one of github, gitlab")
    if kind not in _ROUTES:
        raise WebhookError(
            f"Komodo has no webhook route for a {kind}; webhooks exist for "
            f"{', '.join(_ROUTES)}"
        )
    segment = _ROUTES[kind]
    parts = [provider, kind, quote(ident, safe="")]
    if segment is None:
        parts.append(quote(branch or ANY_BRANCH, safe=""))
    elif segment:
        parts.append(segment)
    return f"{base.rstrip('/')}/listener/{'/'.join(parts)}"


def signed_push(url: str, provider: str, secret: SecretValue, branch: str) -> Push:
    """A push of ``branch`` to ``url``, signed (github) or with the token (gitlab)."""
    body = json.dumps({"ref": f"refs/heads/{branch}"}).encode()
    headers = {"Content-Type": "application/json", "User-Agent": "komodo-guard"}
    if provider == "gitlab":
        headers |= {"X-Gitlab-Event": "Push Hook", "X-Gitlab-Token": secret.reveal()}
    else:
        digest = hmac.new(secret.reveal().encode(), body, hashlib.sha256).hexdigest()
        headers |= {"X-GitHub-Event": "push", "X-Hub-Signature-256": f"sha256={digest}"}
    return Push(url, body, headers)


def send(
    push: Push,
    secret: SecretValue,
    *,
    timeout: float,
    transport: httpx.BaseTransport | None = None,
) -> None:
    """POST ``push`` once; :class:`ListenerRefusedError` for an error status,
    :class:`WebhookError` when the listener cannot be reached."""
    try:
        with httpx.Client(timeout=timeout, transport=transport) as client:
            response = client.post(push.url, content=push.body, headers=push.headers)
    except httpx.TimeoutException as error:
        raise WebhookError(
            f"{push.url}: no answer within {timeout:g} s; the webhook may or "
            "may not have been received"
        ) from error
    except httpx.HTTPError as error:
        detail = _scrub(str(error), secret)
        raise WebhookError(f"cannot reach {push.url}: {detail}") from error
    if response.status_code >= 400:
        detail = _scrub(_error_text(response), secret)
        raise ListenerRefusedError(
            f"{push.url}: listener answered {response.status_code}: {detail}",
            response.status_code,
        )


def _from_secret_file(places: SecretPlaces) -> Resolved | None:
    if places.secret_file is None:
        return None
    text = _read(places.secret_file, "--secret-file").strip()
    if not text:
        raise WebhookError(f"--secret-file {places.secret_file} is empty")
    return Resolved(SecretValue(text), f"--secret-file {places.secret_file}")


def _from_resource(places: SecretPlaces) -> Resolved | None:
    if not places.resource_secret:
        return None
    source = f"the {places.resource_label}'s own webhook_secret (read from Core)"
    return Resolved(places.resource_secret, source)


def _from_environment(places: SecretPlaces) -> Resolved | None:
    value = places.environ.get(ENV_VARIABLE, "")
    if not value:
        return None
    return Resolved(SecretValue(value), f"${ENV_VARIABLE}")


def _from_compose_env(places: SecretPlaces) -> Resolved | None:
    path = _chosen(places.compose_env, COMPOSE_ENV_PLACES, places.folder)
    if path is None:
        return None
    entries = {e.key: e for e in dotenv_entries(_read(path, "compose.env"))}
    pointer = entries.get(FILE_VARIABLE)
    if pointer is not None and pointer.value:
        return _from_pointed_file(path, pointer.value)
    entry = entries.get(ENV_VARIABLE)
    if entry is None or entry.value is None:
        log.debug("%s sets no %s: looking further", path, ENV_VARIABLE)
        return None
    value = _literal(path, entry)
    if not value:
        return None
    return Resolved(SecretValue(value), f"{path} ({ENV_VARIABLE})")


def _from_pointed_file(env_file: Path, pointed: str) -> Resolved:
    target = Path(pointed)
    if not target.is_file():
        raise WebhookError(
            f"{env_file} sets {FILE_VARIABLE}: Core reads the webhook secret from "
            f"{pointed} inside its container, which this host cannot read; pass "
            "that file with --secret-file"
        )
    text = _read(target, FILE_VARIABLE).strip()
    if not text:
        raise WebhookError(
            f"{target} (named by {FILE_VARIABLE} in {env_file}) is empty"
        )
    return Resolved(
        SecretValue(text), f"{target} (named by {FILE_VARIABLE} in {env_file})"
    )


def _from_core_config(places: SecretPlaces) -> Resolved | None:
    path = _chosen(places.core_config, CORE_CONFIG_PLACES, places.folder)
    if path is None:
        return None
    try:
        data = tomllib.loads(_read(path, "Core's config file"))
    except tomllib.TOMLDecodeError as error:
        raise WebhookError(f"{path}: not valid TOML: {error}") from None
    value = data.get(CONFIG_KEY)
    if value is None or value == "":
        log.debug("%s sets no %s", path, CONFIG_KEY)
        return None
    if not isinstance(value, str):
        raise WebhookError(f"{path}: `{CONFIG_KEY}` must be a string")
    return Resolved(SecretValue(value), f"{path} ({CONFIG_KEY})")


def _checked(found: Resolved) -> Resolved:
    if found.secret.reveal() in PLACEHOLDERS:
        raise WebhookError(
            f"the webhook secret from {found.source} is a sample value Komodo "
            "ships in compose.env / core.config.toml, so anyone can sign webhooks "
            "with it: set a random KOMODO_WEBHOOK_SECRET for Core first, then "
            "pass it here"
        )
    return found


def _chosen(given: Path | None, usual: tuple[Path, ...], folder: Path) -> Path | None:
    if given is not None:
        if not given.is_file():
            raise WebhookError(f"{given}: no such file")
        return given
    for candidate in usual:
        path = folder / candidate
        if path.is_file():
            return path
        log.debug("no %s here", path)
    return None


def _tried(given: Path | None, usual: tuple[Path, ...]) -> str:
    return str(given) if given is not None else ", ".join(map(str, usual))


def _read(path: Path, what: str) -> str:
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_SECRET_BYTES + 1)
    except OSError as error:
        raise WebhookError(f"{what} {path}: cannot read: {error.strerror}") from None
    if len(raw) > MAX_SECRET_BYTES:
        raise WebhookError(f"{what} {path}: larger than {MAX_SECRET_BYTES} bytes")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise WebhookError(f"{what} {path}: not UTF-8 text") from None


def _literal(path: Path, entry: DotenvEntry) -> str:
    """The entry's value as compose passes it; an error when it interpolates."""
    value = entry.value or ""
    if not entry.expands:
        return value
    if _UNRESOLVED.search(value.replace("$$", "")):
        raise WebhookError(
            f"{path}:{entry.line}: {entry.key} is built from other variables, "
            "which this host cannot resolve; pass the secret with --secret-file"
        )
    return value.replace("$$", "$")


def _error_text(response: httpx.Response) -> str:
    try:
        body = json.loads(response.content)
    except ValueError:
        return trim(response.text or "(empty body)")
    if isinstance(body, dict) and "error" in body:
        return trim(str(body["error"]))
    return trim(response.text)


def _scrub(text: str, secret: SecretValue) -> str:
    """``text`` without the secret, also as JSON or Python would escape it
    (a proxy echoing the request's headers)."""
    revealed = secret.reveal()
    if not revealed:
        return text
    forms = {revealed, json.dumps(revealed)[1:-1], repr(revealed)[1:-1]}
    for form in sorted(forms, key=len, reverse=True):
        text = text.replace(form, _REDACTED)
    return text
