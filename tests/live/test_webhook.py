"""The webhook secret's resolution order, the listener URL, signing and sending."""

from __future__ import annotations

import dataclasses
import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from komodo_guard.live.webhook import (
    PLACEHOLDERS,
    ListenerRefusedError,
    SecretPlaces,
    WebhookError,
    listener_url,
    resolve_secret,
    send,
    signed_push,
)
from komodo_guard.secrets.value import SecretValue
from komodo_guard.testing import CoreEmulator, Fault, Scenario
from komodo_guard.testing.listener import authentic

FILE_SECRET = "from-the-file-Qw3r"
RESOURCE_SECRET = "from-the-stack-Zx8c"
ENV_SECRET = "from-the-env-Ty6u"
COMPOSE_SECRET = "from-compose-env-Io1p"
CONFIG_SECRET = "from-core-config-As4d"


@pytest.fixture
def every_place(tmp_path: Path) -> SecretPlaces:
    """Every place holds a different secret; the usual files under tmp_path."""
    (tmp_path / "secret").write_text(f"  {FILE_SECRET}\n")
    (tmp_path / "komodo").mkdir()
    (tmp_path / "komodo" / "compose.env").write_text(
        f"KOMODO_HOST=https://k.test\nKOMODO_WEBHOOK_SECRET={COMPOSE_SECRET}\n"
    )
    (tmp_path / "komodo" / "core.config.toml").write_text(
        f'host = "https://k.test"\nwebhook_secret = "{CONFIG_SECRET}"\n'
    )
    return SecretPlaces(
        secret_file=tmp_path / "secret",
        resource_secret=SecretValue(RESOURCE_SECRET),
        resource_label="stack",
        environ={"KOMODO_WEBHOOK_SECRET": ENV_SECRET},
        folder=tmp_path,
    )


def without(places: SecretPlaces, *names: str) -> SecretPlaces:
    changes: dict[str, Any] = {}
    for name in names:
        changes[name] = {} if name == "environ" else None
    return dataclasses.replace(places, **changes)


@pytest.mark.parametrize(
    ("dropped", "secret", "source"),
    [
        ((), FILE_SECRET, "--secret-file {root}/secret"),
        (("secret_file",), RESOURCE_SECRET, "the stack's own webhook_secret"),
        (("secret_file", "resource_secret"), ENV_SECRET, "$KOMODO_WEBHOOK_SECRET"),
        (
            ("secret_file", "resource_secret", "environ"),
            COMPOSE_SECRET,
            "{root}/komodo/compose.env (KOMODO_WEBHOOK_SECRET)",
        ),
    ],
)
def test_the_first_place_holding_a_secret_wins(
    every_place: SecretPlaces,
    tmp_path: Path,
    dropped: tuple[str, ...],
    secret: str,
    source: str,
) -> None:
    found = resolve_secret(without(every_place, *dropped))
    assert found.secret.reveal() == secret
    assert found.source.startswith(source.format(root=tmp_path))


def test_core_config_is_last(every_place: SecretPlaces, tmp_path: Path) -> None:
    (tmp_path / "komodo" / "compose.env").write_text("KOMODO_HOST=https://k.test\n")
    places = without(every_place, "secret_file", "resource_secret", "environ")
    found = resolve_secret(places)
    assert found.secret.reveal() == CONFIG_SECRET
    assert found.source == f"{tmp_path}/komodo/core.config.toml (webhook_secret)"


def test_compose_env_beside_the_caller_is_found_too(tmp_path: Path) -> None:
    (tmp_path / "compose.env").write_text(f"KOMODO_WEBHOOK_SECRET='{COMPOSE_SECRET}'\n")
    found = resolve_secret(SecretPlaces(folder=tmp_path))
    assert found.secret.reveal() == COMPOSE_SECRET


def test_explicit_files_replace_the_usual_places(tmp_path: Path) -> None:
    env = tmp_path / "elsewhere.env"
    env.write_text(f"export KOMODO_WEBHOOK_SECRET={COMPOSE_SECRET}\n")
    config = tmp_path / "core.toml"
    config.write_text(f'webhook_secret = "{CONFIG_SECRET}"\n')
    found = resolve_secret(SecretPlaces(compose_env=env, folder=tmp_path / "none"))
    assert found.secret.reveal() == COMPOSE_SECRET
    found = resolve_secret(SecretPlaces(core_config=config, folder=tmp_path / "none"))
    assert found.secret.reveal() == CONFIG_SECRET


@pytest.mark.parametrize("flag", ["secret_file", "compose_env", "core_config"])
def test_an_explicit_file_that_is_missing_is_an_error(
    tmp_path: Path, flag: str
) -> None:
    places = SecretPlaces(**{flag: tmp_path / "missing"}, folder=tmp_path)  # type: ignore[arg-type]
    with pytest.raises(WebhookError, match="missing"):
        resolve_secret(places)


def test_an_empty_secret_file_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "s").write_text("\n")
    with pytest.raises(WebhookError, match="is empty"):
        resolve_secret(SecretPlaces(secret_file=tmp_path / "s"))


def test_nothing_found_names_every_place_tried(tmp_path: Path) -> None:
    with pytest.raises(WebhookError) as caught:
        resolve_secret(SecretPlaces(folder=tmp_path))
    message = str(caught.value)
    for place in ("--secret-file", "$KOMODO_WEBHOOK_SECRET", "komodo/compose.env"):
        assert place in message
    assert "komodo/core.config.toml" in message


@pytest.mark.parametrize("placeholder", sorted(PLACEHOLDERS))
@pytest.mark.parametrize("place", ["env", "compose", "config", "file"])
def test_placeholders_are_refused_wherever_found(
    tmp_path: Path, placeholder: str, place: str
) -> None:
    places = {
        "env": lambda: SecretPlaces(environ={"KOMODO_WEBHOOK_SECRET": placeholder}),
        "compose": lambda: _write_and_place(
            tmp_path / "compose.env", f"KOMODO_WEBHOOK_SECRET={placeholder}\n", tmp_path
        ),
        "config": lambda: _write_and_place(
            tmp_path / "core.config.toml",
            f'webhook_secret = "{placeholder}"\n',
            tmp_path,
        ),
        "file": lambda: _write_and_place(tmp_path / "s", placeholder, tmp_path, "s"),
    }[place]()
    with pytest.raises(WebhookError, match="sample value Komodo ships") as caught:
        resolve_secret(places)
    assert placeholder not in str(caught.value)


def _write_and_place(
    path: Path, text: str, folder: Path, as_file: str | None = None
) -> SecretPlaces:
    path.write_text(text)
    if as_file:
        return SecretPlaces(secret_file=folder / as_file, folder=folder)
    return SecretPlaces(folder=folder)


def test_a_placeholder_stops_the_search_rather_than_falling_through(
    every_place: SecretPlaces,
) -> None:
    places = without(every_place, "secret_file", "resource_secret")
    places = dataclasses.replace(
        places, environ={"KOMODO_WEBHOOK_SECRET": "a_random_secret"}
    )
    with pytest.raises(WebhookError, match=r"\$KOMODO_WEBHOOK_SECRET"):
        resolve_secret(places)


def test_compose_env_secret_file_is_read_when_this_host_has_it(tmp_path: Path) -> None:
    (tmp_path / "hook").write_text(FILE_SECRET + "\n")
    (tmp_path / "compose.env").write_text(
        f"KOMODO_WEBHOOK_SECRET=ignored\nKOMODO_WEBHOOK_SECRET_FILE={tmp_path}/hook\n"
    )
    found = resolve_secret(SecretPlaces(folder=tmp_path))
    assert found.secret.reveal() == FILE_SECRET
    assert "KOMODO_WEBHOOK_SECRET_FILE" in found.source


def test_compose_env_secret_file_inside_the_container_is_explained(
    tmp_path: Path,
) -> None:
    (tmp_path / "compose.env").write_text(
        "KOMODO_WEBHOOK_SECRET_FILE=/run/secrets/no-such-komodo-hook\n"
    )
    with pytest.raises(WebhookError, match=r"inside its container.*--secret-file"):
        resolve_secret(SecretPlaces(folder=tmp_path))


def test_compose_env_value_built_from_variables_is_refused(tmp_path: Path) -> None:
    (tmp_path / "compose.env").write_text("KOMODO_WEBHOOK_SECRET=${HOOK}\n")
    with pytest.raises(
        WebhookError, match=r"compose.env:1: KOMODO_WEBHOOK_SECRET is built"
    ):
        resolve_secret(SecretPlaces(folder=tmp_path))


def test_compose_env_dollars_are_unescaped(tmp_path: Path) -> None:
    (tmp_path / "compose.env").write_text("KOMODO_WEBHOOK_SECRET=ab$$cd-long-one\n")
    assert (
        resolve_secret(SecretPlaces(folder=tmp_path)).secret.reveal()
        == "ab$cd-long-one"
    )


def test_bad_core_config_names_the_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "core.config.toml").write_text('webhook_secret = "unclosed\n')
    with pytest.raises(WebhookError, match=r"core.config.toml: not valid TOML.*line 1"):
        resolve_secret(SecretPlaces(folder=tmp_path))


# -- URL, signature, sending -------------------------------------------------------


@pytest.mark.parametrize(
    ("provider", "kind", "name", "branch", "path"),
    [
        ("github", "stack", "web", "", "/listener/github/stack/web/deploy"),
        ("gitlab", "sync", "infra", "", "/listener/gitlab/sync/infra/sync"),
        (
            "github",
            "procedure",
            "nightly",
            "",
            "/listener/github/procedure/nightly/__ANY__",
        ),
        ("github", "action", "a b", "dev", "/listener/github/action/a%20b/dev"),
        ("github", "build", "app", "", "/listener/github/build/app"),
        ("github", "repo", "cfg", "", "/listener/github/repo/cfg/pull"),
    ],
)
def test_listener_urls(
    provider: str, kind: str, name: str, branch: str, path: str
) -> None:
    assert listener_url("https://k.test/", provider, kind, name, branch) == (
        f"https://k.test{path}"
    )


def test_a_whole_listener_url_is_used_as_given() -> None:
    url = "https://k.test/listener/github/stack/abc123/deploy"
    assert listener_url(url, "github", "stack", "web", "") == url


@pytest.mark.parametrize(
    ("base", "kind", "message"),
    [
        ("k.test", "stack", "must start with http"),
        ("https://k.test", "deployment", "no webhook route for a deployment"),
    ],
)
def test_bad_listener_urls(base: str, kind: str, message: str) -> None:
    with pytest.raises(WebhookError, match=message):
        listener_url(base, "github", kind, "x", "")


@pytest.mark.parametrize("provider", ["github", "gitlab"])
def test_the_push_authenticates_as_core_checks_it(provider: str) -> None:
    secret = SecretValue("s3cret-for-signing")
    push = signed_push("https://k.test/x", provider, secret, "release")
    headers = {k.lower(): v for k, v in push.headers.items()}
    assert json.loads(push.body) == {"ref": "refs/heads/release"}
    assert authentic(provider, "s3cret-for-signing", headers, push.body)
    assert not authentic(provider, "another-secret", headers, push.body)
    assert "s3cret" not in repr(push)


@pytest.fixture
def listening() -> Iterator[CoreEmulator]:
    scene = Scenario(
        servers=[{"name": "h", "address": "https://h:8120", "enabled": True}],
        stacks=[{"name": "web", "server": "h"}],
        webhook_secret="the-right-one",
    )
    with CoreEmulator(scene) as core:
        yield core


def test_sending_a_good_push(listening: CoreEmulator) -> None:
    secret = SecretValue("the-right-one")
    url = listener_url(listening.url, "github", "stack", "web", "")
    send(signed_push(url, "github", secret, "main"), secret, timeout=5)
    assert listening.state.updates[-1]["operation"] == "DeployStack"


@pytest.mark.parametrize(
    ("url_path", "status", "message"),
    [
        ("/listener/github/stack/web/deploy", 401, "invalid webhook signature"),
        ("/listener/github/stack/nope/deploy", 400, "did not find any stack"),
    ],
)
def test_refusals_carry_status_and_core_text(
    listening: CoreEmulator, url_path: str, status: int, message: str
) -> None:
    secret = SecretValue("the-wrong-one")
    push = signed_push(listening.url + url_path, "github", secret, "main")
    with pytest.raises(ListenerRefusedError, match=message) as caught:
        send(push, secret, timeout=5)
    assert caught.value.status == status


def test_an_unreachable_listener(listening: CoreEmulator) -> None:
    listening.inject("listener", Fault("reset"))
    secret = SecretValue("the-right-one")
    push = signed_push(
        listening.url + "/listener/github/stack/web/deploy", "github", secret, "main"
    )
    with pytest.raises(WebhookError, match="cannot reach"):
        send(push, secret, timeout=5)


def test_a_listener_that_never_answers(listening: CoreEmulator) -> None:
    listening.inject("listener", Fault("hang"))
    secret = SecretValue("the-right-one")
    push = signed_push(
        listening.url + "/listener/github/stack/web/deploy", "github", secret, "main"
    )
    with pytest.raises(WebhookError, match="may or may not have been received"):
        send(push, secret, timeout=0.3)


# -- no secret anywhere -------------------------------------------------------------

secrets = st.text(
    alphabet=st.characters(min_codepoint=33, max_codepoint=126),
    min_size=16,
    max_size=48,
).map(lambda text: f"~{text}~")
"""Framed by ``~``, which no message holds, so a secret never coincides with
fixed text (Hypothesis also draws from the code's own strings)."""


def echoing(request: httpx.Request) -> httpx.Response:
    """A listener that echoes every header and the body in its error."""
    echoed = f"{dict(request.headers)} {request.content!r}"
    return httpx.Response(401, json={"error": echoed, "trace": [echoed]})


def assert_hidden(secret: str, *texts: str) -> None:
    for text in texts:
        assert secret not in text
        assert secret[:8] not in text
        assert secret[-8:] not in text


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(secret=secrets, provider=st.sampled_from(["github", "gitlab"]))
def test_no_secret_in_errors_or_logs(
    secret: str, provider: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    caplog.clear()
    found = resolve_secret(SecretPlaces(environ={"KOMODO_WEBHOOK_SECRET": secret}))
    push = signed_push("http://127.0.0.1:9/listener/x", provider, found.secret, "main")
    with pytest.raises(WebhookError) as caught:
        send(push, found.secret, timeout=5, transport=httpx.MockTransport(echoing))
    assert_hidden(
        secret,
        str(caught.value),
        repr(caught.value),
        repr(found),
        repr(push),
        caplog.text,
    )


def test_the_echo_really_carries_the_secret() -> None:
    """Guard against a vacuous property: unscrubbed, the token would show."""
    push = signed_push(
        "http://127.0.0.1:9/x", "gitlab", SecretValue("tok-visible"), "m"
    )
    request = httpx.Request("POST", push.url, headers=push.headers, content=push.body)
    assert "tok-visible" in echoing(request).text


env_safe = st.text(
    alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.+/=",
    min_size=16,
    max_size=48,
).map(lambda text: f"~{text}~")


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(secret=env_safe, where=st.sampled_from(["compose", "config", "file"]))
def test_no_secret_read_from_files_in_sources_or_errors(
    secret: str, where: str, caplog: pytest.LogCaptureFixture, tmp_path: Path
) -> None:
    caplog.set_level(logging.DEBUG)
    caplog.clear()
    folder = tmp_path / where
    folder.mkdir(exist_ok=True)
    text = {
        "compose": f"KOMODO_WEBHOOK_SECRET={secret}\n",
        "config": f'webhook_secret = "{secret}"\n',
        "file": secret,
    }[where]
    name = {"compose": "compose.env", "config": "core.config.toml", "file": "s"}[where]
    (folder / name).write_text(text)
    places = SecretPlaces(
        secret_file=folder / "s" if where == "file" else None, folder=folder
    )
    found = resolve_secret(places)
    assert found.secret.reveal() == secret
    assert_hidden(secret, found.source, repr(found), caplog.text)
