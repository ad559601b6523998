"""``komodo-guard trigger KIND NAME``: start work on Core and follow it to its end.

Through the API (the default) the execute call names its Update at once;
through the webhook listener (``--via webhook``) a signed push is sent and,
when an API key can read Core, the Update it started is found and followed.
See ``docs/trigger.md``.

Exit codes: 0 the work succeeded (or was started and not waited for), 1 it
failed (or some batch items were refused), 2 it could not start (unknown
resource, refused key, Core or listener unreachable, no usable webhook
secret) or the wait ran out before it ended.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from komodo_guard.cli.livecheck import LiveOptions, core_client, core_url
from komodo_guard.cli.main import CoreUnavailableError, UsageError
from komodo_guard.config import Config, ConfigError, find_config, load_config
from komodo_guard.live.client import KEY_VARIABLE, SECRET_VARIABLE
from komodo_guard.live.errors import CoreError
from komodo_guard.live.trigger import (
    CLOCK_SKEW_MS,
    DEFAULT_WAIT,
    KINDS,
    Followed,
    Kind,
    Outcome,
    Polling,
    failed_stages,
    find_webhook_update,
    follow,
    names_by_id,
    recent_ids,
    resource_id,
    start,
    start_batch,
    webhook_query,
)
from komodo_guard.live.webhook import (
    ANY_BRANCH,
    DEFAULT_BRANCH,
    ListenerRefusedError,
    Resolved,
    SecretPlaces,
    WebhookError,
    listener_url,
    resolve_secret,
    send,
    signed_push,
)
from komodo_guard.secrets.value import SecretValue

if TYPE_CHECKING:
    from komodo_guard.live.client import CoreClient

log = logging.getLogger(__name__)

EXIT_OK, EXIT_FAILED, EXIT_NOT_DONE = 0, 1, 2
FIND_WAIT = 60.0
"""Seconds to look for the Update a webhook started before giving up."""


@dataclass(frozen=True)
class WebhookFlags:
    """How to reach the listener and where its secret lives."""

    listener_url: str | None = None
    provider: str = "github"
    branch: str | None = None
    secret_file: Path | None = None
    compose_env: Path | None = None
    core_config: Path | None = None


@dataclass(frozen=True)
class TriggerFlags:
    """What to start and how long to follow it."""

    via: str = "api"
    if_changed: bool = False
    pattern: str | None = None
    wait: float = DEFAULT_WAIT
    no_wait: bool = False
    webhook: WebhookFlags = field(default_factory=WebhookFlags)


@dataclass(frozen=True)
class Facts:
    """What Core says about the resource a webhook targets."""

    ident: str
    branch: str
    secret: SecretValue | None = field(repr=False)
    enabled: bool


def trigger(
    kind_name: str,
    name: str | None,
    *,
    flags: TriggerFlags,
    live: LiveOptions,
    config: Path | None = None,
) -> int:
    """Start ``kind_name`` ``name`` (or every match of ``flags.pattern``) and
    follow it; the exit code (see the module's documentation)."""
    kind = _kind(kind_name)
    _check_target(kind, name, flags)
    settings = _settings(config)
    if flags.via == "webhook":
        return _via_webhook(kind, name or "", flags, live, settings)
    with core_client(live, settings) as client:
        _reachable(client)
        if flags.pattern is not None:
            return _batch(client, kind, flags.pattern, flags)
        return _single(client, kind, name or "", flags)


def _kind(kind_name: str) -> Kind:
    kind = KINDS.get(kind_name)
    if kind is None:
        raise UsageError(
            f"cannot trigger a {kind_name!r}: choose one of {', '.join(KINDS)}"
        )
    return kind


def _check_target(kind: Kind, name: str | None, flags: TriggerFlags) -> None:
    if flags.via not in ("api", "webhook"):
        raise UsageError(f"--via {flags.via!r}: choose api or webhook")
    if name is None and flags.pattern is None:
        raise UsageError(f"name the {kind.name} to run, or give --pattern")
    if name is not None and flags.pattern is not None:
        raise UsageError(f"name one {kind.name}, or give --pattern, not both")
    if flags.pattern is not None and flags.via == "webhook":
        raise UsageError("--pattern works through the API only, not --via webhook")
    try:
        kind.call(batch=flags.pattern is not None, if_changed=flags.if_changed)
    except ValueError as error:
        raise UsageError(str(error)) from error


def _settings(config: Path | None) -> Config:
    try:
        return load_config(config or find_config(Path.cwd()))
    except ConfigError as error:
        raise UsageError(str(error)) from error


def _reachable(client: CoreClient) -> None:
    try:
        client.version()
    except CoreError as error:
        raise CoreUnavailableError(str(error)) from error


# -- through the API -------------------------------------------------------------


def _single(client: CoreClient, kind: Kind, name: str, flags: TriggerFlags) -> int:
    call = kind.call(if_changed=flags.if_changed)
    label = f"{call} of {kind.name} {name!r}"
    try:
        ident = start(client, kind, name, if_changed=flags.if_changed)
    except CoreError as error:
        raise CoreUnavailableError(f"could not start {label}: {error}") from error
    _out(f"started {label}: Update {ident}")
    if flags.no_wait:
        _out("not following it (--no-wait)")
        return EXIT_OK
    return _report(_follow(client, ident, flags.wait), label)


def _batch(client: CoreClient, kind: Kind, pattern: str, flags: TriggerFlags) -> int:
    call = kind.call(batch=True, if_changed=flags.if_changed)
    try:
        started = start_batch(client, kind, pattern, if_changed=flags.if_changed)
    except CoreError as error:
        raise CoreUnavailableError(f"could not start {call}: {error}") from error
    for refused in started.refused:
        _out(f"not started: {kind.name} {refused.name!r}: {refused.error}")
    if not started.started:
        about = "refused every match" if started.refused else "matched nothing"
        _err(f"{call} {pattern!r} {about}: nothing started")
        return EXIT_NOT_DONE
    _out(f"started {call} {pattern!r}: {len(started.started)} Update(s)")
    if flags.no_wait:
        _out("not following them (--no-wait): " + ", ".join(started.started))
        return EXIT_FAILED if started.refused else EXIT_OK
    codes = _follow_all(client, kind, started.started, flags.wait)
    worst = max(codes, default=EXIT_OK)
    return max(worst, EXIT_FAILED) if started.refused else worst


def _follow_all(
    client: CoreClient, kind: Kind, idents: tuple[str, ...], wait: float
) -> list[int]:
    names = _names(client, kind)
    deadline = time.monotonic() + wait
    codes = []
    for ident in idents:
        left = max(deadline - time.monotonic(), 0.0)
        followed = _follow(client, ident, left)
        target = str((followed.update.get("target") or {}).get("id", ""))
        operation = str(followed.update.get("operation") or kind.execute)
        label = f"{operation} of {kind.name} {names.get(target, target)!r}"
        codes.append(_report(followed, label))
    return codes


def _names(client: CoreClient, kind: Kind) -> dict[str, str]:
    try:
        return names_by_id(client, kind)
    except CoreError as error:
        log.info("could not name the batch's %ss (%s): showing ids", kind.name, error)
        return {}


# -- through the webhook listener ------------------------------------------------


def _via_webhook(
    kind: Kind, name: str, flags: TriggerFlags, live: LiveOptions, settings: Config
) -> int:
    hook = flags.webhook
    with _optional_client(live, settings) as client:
        facts = _facts(client, kind, name) if client is not None else None
        base = _listener_base(hook, client, live)
        resolved = _secret(hook, kind, name, facts)
        _out(f"webhook secret from {resolved.source}")
        url_branch, body_branch = _branches(kind, hook, facts)
        url = _url(base, hook.provider, kind, name, url_branch)
        since = _now_ms() - CLOCK_SKEW_MS
        query = webhook_query(kind, facts.ident, since) if facts else None
        known = _known(client, query)
        _send(url, hook.provider, resolved, body_branch, live.timeout)
        _out(f"sent a push of branch {body_branch!r} to {url}: the listener took it")
        if client is None or query is None:
            _out(
                "sent, not followed (no API key: export "
                f"{KEY_VARIABLE} and {SECRET_VARIABLE} to follow it)"
            )
            return EXIT_OK
        if flags.no_wait:
            _out("not following it (--no-wait)")
            return EXIT_OK
        return _follow_webhook(client, kind, name, query, known, flags.wait)


@contextlib.contextmanager
def _optional_client(
    live: LiveOptions, settings: Config
) -> Iterator[CoreClient | None]:
    """A Core client when an API key and a Core URL are at hand, else None."""
    has_key = all(os.environ.get(v) for v in (KEY_VARIABLE, SECRET_VARIABLE))
    if not live.demo and not has_key:
        log.info("no API key in the environment: the webhook will not be followed")
        yield None
        return
    if not live.demo:
        try:
            core_url(live.komodo, settings)
        except UsageError as error:
            log.info("no Core to follow the webhook with: %s", error)
            yield None
            return
    with core_client(live, settings) as client:
        yield client


def _facts(client: CoreClient, kind: Kind, name: str) -> Facts:
    try:
        resource = client.read(kind.getter, {kind.name: name})
    except CoreError as error:
        raise CoreUnavailableError(
            f"could not read {kind.name} {name!r} from Core: {error}"
        ) from error
    config = resource.get("config") if isinstance(resource, dict) else None
    config = config if isinstance(config, dict) else {}
    own = config.get("webhook_secret")
    return Facts(
        ident=resource_id(resource),
        branch=_branch_of(client, config),
        secret=SecretValue(own) if isinstance(own, str) and own else None,
        enabled=config.get("webhook_enabled", True) is not False,
    )


def _branch_of(client: CoreClient, config: dict[str, Any]) -> str:
    """The branch Core compares a push with: the linked Repo's when set."""
    linked = config.get("linked_repo")
    if isinstance(linked, str) and linked:
        try:
            repo = client.read("GetRepo", {"repo": linked})
            branch = (repo.get("config") or {}).get("branch")
            if isinstance(branch, str) and branch:
                return branch
        except (CoreError, AttributeError) as error:
            log.warning("could not read linked repo %r: %s", linked, error)
    branch = config.get("branch")
    return branch if isinstance(branch, str) and branch else DEFAULT_BRANCH


def _listener_base(
    hook: WebhookFlags, client: CoreClient | None, live: LiveOptions
) -> str:
    if hook.listener_url:
        return hook.listener_url
    if client is not None and live.demo:
        return client.url
    if client is None:
        raise UsageError(
            "no listener URL: pass --listener-url URL (Core's webhook_base_url), "
            f"or export {KEY_VARIABLE} and {SECRET_VARIABLE} so it can be read "
            "from Core"
        )
    try:
        info = client.read("GetCoreInfo", {})
    except CoreError as error:
        raise CoreUnavailableError(str(error)) from error
    base = info.get("webhook_base_url") if isinstance(info, dict) else None
    if not isinstance(base, str) or not base:
        raise UsageError(
            "Core reports no webhook_base_url (nor a host): pass --listener-url URL"
        )
    return base


def _secret(hook: WebhookFlags, kind: Kind, name: str, facts: Facts | None) -> Resolved:
    if facts is not None and not facts.enabled:
        raise UsageError(
            f"{kind.name} {name!r} has webhook_enabled = false: Core would accept "
            "the webhook and ignore it; trigger it through the API instead"
        )
    places = SecretPlaces(
        secret_file=hook.secret_file,
        resource_secret=facts.secret if facts is not None else None,
        resource_label=kind.name,
        environ=os.environ,
        compose_env=hook.compose_env,
        core_config=hook.core_config,
    )
    try:
        return resolve_secret(places)
    except WebhookError as error:
        raise UsageError(str(error)) from error


def _branches(kind: Kind, hook: WebhookFlags, facts: Facts | None) -> tuple[str, str]:
    """The branch in the URL (procedures, actions) and the one pushed."""
    if kind.name in ("procedure", "action"):
        return hook.branch or ANY_BRANCH, hook.branch or DEFAULT_BRANCH
    if hook.branch:
        return "", hook.branch
    if facts is None:
        log.info("pushing branch %s, Komodo's default (pass --branch)", DEFAULT_BRANCH)
    return "", facts.branch if facts is not None else DEFAULT_BRANCH


def _url(base: str, provider: str, kind: Kind, name: str, branch: str) -> str:
    try:
        return listener_url(base, provider, kind.name, name, branch)
    except WebhookError as error:
        raise UsageError(str(error)) from error


def _known(client: CoreClient | None, query: dict[str, Any] | None) -> frozenset[str]:
    if client is None or query is None:
        return frozenset()
    try:
        return recent_ids(client, query)
    except CoreError as error:
        raise CoreUnavailableError(str(error)) from error


def _send(
    url: str, provider: str, resolved: Resolved, branch: str, timeout: float
) -> None:
    push = signed_push(url, provider, resolved.secret, branch)
    try:
        send(push, resolved.secret, timeout=timeout)
    except ListenerRefusedError as error:
        if error.status == 401:
            raise CoreUnavailableError(
                f"{error}; the webhook secret from {resolved.source} is not the "
                "one Core checks for this resource (its own webhook_secret, else "
                "Core's KOMODO_WEBHOOK_SECRET)"
            ) from error
        raise CoreUnavailableError(str(error)) from error
    except WebhookError as error:
        raise CoreUnavailableError(str(error)) from error


def _follow_webhook(
    client: CoreClient,
    kind: Kind,
    name: str,
    query: dict[str, Any],
    known: frozenset[str],
    wait: float,
) -> int:
    finding = Polling(wait=min(FIND_WAIT, wait))
    try:
        ident = find_webhook_update(client, query, known, finding)
    except CoreError as error:
        raise CoreUnavailableError(str(error)) from error
    if ident is None:
        _err(
            f"the listener took the webhook, but no Update of {kind.name} {name!r} "
            f"started within {finding.wait:g} s: Core ignores pushes of another "
            "branch than the resource's, and webhooks of a resource with "
            "webhook_enabled = false"
        )
        return EXIT_NOT_DONE
    _out(f"the webhook started Update {ident}")
    label = f"webhook run of {kind.name} {name!r}"
    return _report(_follow(client, ident, wait), label)


# -- reporting -----------------------------------------------------------------


def _follow(client: CoreClient, ident: str, wait: float) -> Followed:
    """Follow one Update; on Ctrl-C, say that it goes on without us."""
    try:
        return follow(client, ident, Polling(wait=wait), _stage)
    except KeyboardInterrupt:
        _err(f"stopped following Update {ident}; it goes on running on Core")
        raise


def _report(followed: Followed, label: str) -> int:
    ident = followed.update_id
    match followed.outcome:
        case Outcome.SUCCESS:
            _out(f"{label} succeeded{_took(followed)} (Update {ident})")
            return EXIT_OK
        case Outcome.FAILED:
            _out(f"{label} failed{_took(followed)} (Update {ident})")
            for line in _failure_lines(followed):
                _out(line)
            return EXIT_FAILED
        case Outcome.TIMED_OUT:
            _err(
                f"{label} had not ended when the wait ran out; Update {ident} may "
                "still finish: follow it in Core's Updates, or wait longer with --wait"
            )
        case Outcome.LOST:
            _err(
                f"lost Core while following {label}: {followed.reason}; Update "
                f"{ident} may still finish"
            )
    return EXIT_NOT_DONE


def _failure_lines(followed: Followed) -> list[str]:
    lines = []
    for stage in failed_stages(followed.update):
        lines.append(f"  failed stage {stage.stage!r}")
        if stage.command:
            lines.append(f"    $ {stage.command}")
        lines.extend(f"    stderr | {line}" for line in stage.stderr)
        lines.extend(f"    stdout | {line}" for line in stage.stdout)
    return lines


def _took(followed: Followed) -> str:
    begin, end = followed.update.get("start_ts"), followed.update.get("end_ts")
    if isinstance(begin, int) and isinstance(end, int) and end >= begin:
        return f" in {(end - begin) / 1000:.1f} s"
    return ""


def _stage(stage: str) -> None:
    if sys.stderr.isatty():
        sys.stderr.write(f"  stage: {stage}\n")
        sys.stderr.flush()
    else:
        log.info("stage: %s", stage)


def _now_ms() -> int:
    return int(time.time() * 1000)


def _out(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def _err(line: str) -> None:
    sys.stderr.write(f"komodo-guard: {line}\n")
    sys.stderr.flush()
