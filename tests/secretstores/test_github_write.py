"""Writing GitHub Actions secrets, against the stand-in on 127.0.0.1."""

from __future__ import annotations

import base64
import json
import logging
import socket
import string
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from nacl.exceptions import CryptoError
from nacl.public import PrivateKey, SealedBox

from komodo_guard.secrets.github_write import (
    PublicKey,
    public_key,
    writable,
    write_github_secret,
)
from komodo_guard.secrets.places.github import GithubSecretPlace
from komodo_guard.secrets.places.interface import Context, Present
from komodo_guard.secrets.value import SecretValue
from komodo_guard.secrets.writers import WriteError
from tests.secretstores.storekit import FakeGithub, GithubCall, github_api

REPO = "/repos/acme/ops/actions/secrets/DB"
ENVIRONMENT = "/repos/acme/ops/environments/production/secrets/DB"
ORG = "/orgs/acme/actions/secrets/DB"
STAMP = "2026-01-01T00:00:00Z"
VALUE = "n3w-Välue/with+chars="

REPO_PLACE = GithubSecretPlace("acme/ops", "DB")
ENVIRONMENT_PLACE = GithubSecretPlace("acme/ops", "DB", environment="production")
ORG_PLACE = GithubSecretPlace("acme", "DB", org=True)


@pytest.fixture
def fake() -> Iterator[FakeGithub]:
    with github_api(FakeGithub()) as served:
        yield served


def context_for(
    fake: FakeGithub, token: str | None = None, timeout: float = 5.0
) -> Context:
    return Context(
        base=Path("."),
        environ={"GITHUB_TOKEN": fake.token if token is None else token},
        github_api=fake.url,
        timeout=timeout,
    )


def puts(fake: FakeGithub) -> list[GithubCall]:
    return [call for call in fake.calls if call.method == "PUT"]


def sent(call: GithubCall) -> dict[str, object]:
    body = json.loads(call.body)
    assert isinstance(body, dict)
    return body


# Public key -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("place", "path"),
    [
        (REPO_PLACE, "/repos/acme/ops/actions/secrets/public-key"),
        (
            ENVIRONMENT_PLACE,
            "/repos/acme/ops/environments/production/secrets/public-key",
        ),
        (ORG_PLACE, "/orgs/acme/actions/secrets/public-key"),
    ],
)
def test_public_key_of_each_scope(
    fake: FakeGithub, place: GithubSecretPlace, path: str
) -> None:
    key = public_key(place, context_for(fake))
    assert key == PublicKey(fake.key_id, bytes(fake.private_key.public_key))
    (call,) = fake.calls
    assert (call.method, call.path) == ("GET", path)
    assert call.headers["Accept"] == "application/vnd.github+json"
    assert call.headers["Authorization"] == f"Bearer {fake.token}"
    assert call.headers["X-GitHub-Api-Version"] == "2022-11-28"


@pytest.mark.parametrize(
    ("key_text", "key_id", "expected"),
    [
        ("not base64!", "1", "the public key is not base64"),
        ("ключ", "1", "the public key is not base64"),
        (base64.b64encode(bytes(31)).decode(), "1", "has 31 bytes, expected 32"),
        (base64.b64encode(bytes(33)).decode(), "1", "has 33 bytes, expected 32"),
        (None, "", "the answer has no `key_id` and `key`"),
    ],
)
def test_a_malformed_public_key_is_refused(
    fake: FakeGithub, key_text: str | None, key_id: str, expected: str
) -> None:
    fake.key_text, fake.key_id = key_text, key_id
    with pytest.raises(WriteError) as error:
        write_github_secret(REPO_PLACE, SecretValue(VALUE), context_for(fake))
    message = str(error.value)
    assert message.startswith("GitHub acme/ops: DB: GET /repos/acme/ops/")
    assert expected in message
    assert puts(fake) == []
    assert writable(REPO_PLACE, context_for(fake)) == message.removeprefix(
        "GitHub acme/ops: DB: "
    )


# Writing ------------------------------------------------------------------------


def test_a_repository_secret_is_created_then_updated(fake: FakeGithub) -> None:
    context = context_for(fake)
    write_github_secret(REPO_PLACE, SecretValue(VALUE), context)
    write_github_secret(REPO_PLACE, SecretValue(VALUE), context)
    assert fake.values[REPO].reveal() == VALUE
    first, second = puts(fake)
    assert (first.path, first.status, second.status) == (REPO, 201, 204)
    assert sent(first).keys() == {"encrypted_value", "key_id"}
    assert sent(first)["key_id"] == fake.key_id
    assert sent(first)["encrypted_value"] != sent(second)["encrypted_value"]
    assert not any(call.plaintext for call in fake.calls)
    reading = REPO_PLACE.read(context)
    assert isinstance(reading, Present)
    assert reading.changed is not None


def test_an_environment_secret_is_written(fake: FakeGithub) -> None:
    fake.secrets[ENVIRONMENT] = STAMP
    write_github_secret(ENVIRONMENT_PLACE, SecretValue(VALUE), context_for(fake))
    assert fake.values[ENVIRONMENT].reveal() == VALUE
    assert fake.secrets[ENVIRONMENT] != STAMP
    assert [(call.path, call.status) for call in puts(fake)] == [(ENVIRONMENT, 204)]
    assert fake.values.keys() == {ENVIRONMENT}


@pytest.mark.parametrize("visibility", ["all", "private"])
def test_an_org_secret_keeps_its_visibility(fake: FakeGithub, visibility: str) -> None:
    fake.secrets[ORG] = STAMP
    fake.audiences[ORG] = (visibility, [])
    write_github_secret(ORG_PLACE, SecretValue(VALUE), context_for(fake))
    assert fake.values[ORG].reveal() == VALUE
    (call,) = puts(fake)
    assert call.status == 204
    assert sent(call)["visibility"] == visibility
    assert "selected_repository_ids" not in sent(call)
    assert fake.audiences[ORG] == (visibility, [])
    assert not any("/repositories" in call.path for call in fake.calls)


def test_an_org_secret_keeps_its_150_selected_repositories(fake: FakeGithub) -> None:
    ids = list(range(9000, 9150))
    fake.secrets[ORG] = STAMP
    fake.audiences[ORG] = ("selected", list(ids))
    write_github_secret(ORG_PLACE, SecretValue(VALUE), context_for(fake))
    listed = [call.path for call in fake.calls if "/repositories" in call.path]
    assert listed == [
        f"{ORG}/repositories?per_page=100&page=1",
        f"{ORG}/repositories?per_page=100&page=2",
    ]
    (call,) = puts(fake)
    assert sent(call)["selected_repository_ids"] == ids
    assert fake.audiences[ORG] == ("selected", ids)
    assert fake.values[ORG].reveal() == VALUE


def test_an_org_secret_with_no_selected_repositories_stays_so(
    fake: FakeGithub,
) -> None:
    fake.secrets[ORG] = STAMP
    fake.audiences[ORG] = ("selected", [])
    write_github_secret(ORG_PLACE, SecretValue(VALUE), context_for(fake))
    (call,) = puts(fake)
    assert sent(call)["selected_repository_ids"] == []
    assert fake.audiences[ORG] == ("selected", [])


class GrowingGithub(FakeGithub):
    """A stand-in where a repository is selected (first in the list) while
    the pages are read, so a later page repeats an id."""

    def answer(self, path: str, authorization: str) -> tuple[int, dict[str, Any]]:
        status, body = super().answer(path, authorization)
        if "/repositories?" in path:
            self.audiences[ORG][1].insert(0, 10_000 + len(self.audiences[ORG][1]))
        return status, body


def test_selected_repositories_changing_while_read_are_refused() -> None:
    fake = GrowingGithub(secrets={ORG: STAMP}, audiences={ORG: ("selected", [])})
    fake.audiences[ORG][1].extend(range(1, 151))
    with github_api(fake), pytest.raises(WriteError) as error:
        write_github_secret(ORG_PLACE, SecretValue(VALUE), context_for(fake))
    assert str(error.value) == (
        f"GitHub org acme: DB: GET {ORG}/repositories: the selected repositories "
        "changed while they were read; try again"
    )
    assert puts(fake) == []


def test_a_missing_org_secret_is_not_created(fake: FakeGithub) -> None:
    with pytest.raises(WriteError) as error:
        write_github_secret(ORG_PLACE, SecretValue(VALUE), context_for(fake))
    assert str(error.value) == (
        "GitHub org acme: DB: GitHub has no secret DB in org acme (or the token "
        "cannot see it); create it with the visibility it needs, then rotate"
    )
    assert puts(fake) == []


def test_the_fake_wants_visibility_for_an_org_secret(fake: FakeGithub) -> None:
    sealed = SealedBox(fake.private_key.public_key).encrypt(b"x")
    body = {"encrypted_value": base64.b64encode(sealed).decode(), "key_id": "3"}
    headers = {"Authorization": f"Bearer {fake.token}"}
    fake.key_id = "3"
    answer = httpx.put(fake.url + ORG, json=body, headers=headers, timeout=5)
    assert answer.status_code == 422
    answer = httpx.put(
        fake.url + ORG, json={**body, "visibility": "selected"}, headers=headers
    )
    assert answer.status_code == 422
    assert ORG not in fake.values


# Failures -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("setup", "expected"),
    [
        (
            "wrong-token",
            "GitHub acme/ops: DB: GitHub refused the token from GITHUB_TOKEN (HTTP "
            "401 to GET /repos/acme/ops/actions/secrets/public-key): it needs "
            "write access to Actions secrets",
        ),
        (
            "read-only",
            "GitHub acme/ops: DB: GitHub refused the token from GITHUB_TOKEN (HTTP "
            "403 to PUT /repos/acme/ops/actions/secrets/DB): it needs write access "
            "to Actions secrets",
        ),
        (
            "404",
            "GitHub acme/ops: DB: GET /repos/acme/ops/actions/secrets/public-key: "
            "HTTP 404: GitHub has no such repository acme/ops (or the token cannot "
            "see it)",
        ),
        (
            "422",
            "GitHub acme/ops: DB: PUT /repos/acme/ops/actions/secrets/DB: HTTP "
            "422: Fault",
        ),
        (
            "500",
            "GitHub acme/ops: DB: PUT /repos/acme/ops/actions/secrets/DB: HTTP "
            "500: Fault",
        ),
    ],
)
def test_a_refusal_is_one_line_naming_the_secret_and_status(
    fake: FakeGithub, setup: str, expected: str
) -> None:
    token = fake.token
    if setup == "wrong-token":
        token = "ghp_wrong_token_0123456789"
    elif setup == "read-only":
        token = "ghp_read_only_0123456789"
        fake.read_only_tokens.add(token)
    elif setup == "404":
        fake.faults[("GET", "/repos/acme/ops/actions/secrets/public-key")] = 404
    else:
        fake.faults[("PUT", REPO)] = int(setup)
    with pytest.raises(WriteError) as error:
        write_github_secret(REPO_PLACE, SecretValue(VALUE), context_for(fake, token))
    message = str(error.value)
    assert message == expected
    assert token not in message
    assert VALUE not in message
    assert fake.values == {}


def test_an_echoed_token_or_value_is_withheld(fake: FakeGithub) -> None:
    fake.faults[("PUT", REPO)] = 422
    fake.fault_message = f"bad value {VALUE} for {fake.token}"
    with pytest.raises(WriteError) as error:
        write_github_secret(REPO_PLACE, SecretValue(VALUE), context_for(fake))
    message = str(error.value)
    assert message.startswith("GitHub acme/ops: DB: PUT ")
    assert "HTTP 422: the error text is withheld" in message
    assert VALUE not in message
    assert fake.token not in message


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A port that accepts connections (the kernel's backlog) and never answers."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        yield listener.getsockname()[1]


def test_no_answer_within_the_timeout(silent_port: int) -> None:
    context = Context(
        base=Path("."),
        environ={"GITHUB_TOKEN": "ghp_silent_0123456789"},
        github_api=f"http://127.0.0.1:{silent_port}",
        timeout=0.3,
    )
    with pytest.raises(WriteError) as error:
        write_github_secret(REPO_PLACE, SecretValue(VALUE), context)
    assert str(error.value) == (
        f"GitHub acme/ops: DB: GET http://127.0.0.1:{silent_port}/repos/acme/ops/"
        "actions/secrets/public-key: no answer from GitHub within 0.3 s"
    )


def test_github_cannot_be_reached() -> None:
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    context = Context(
        base=Path("."),
        environ={"GITHUB_TOKEN": "ghp_closed_0123456789"},
        github_api=f"http://127.0.0.1:{port}",
        timeout=2,
    )
    with pytest.raises(WriteError, match="cannot reach GitHub") as error:
        write_github_secret(REPO_PLACE, SecretValue(VALUE), context)
    assert "\n" not in str(error.value)
    assert "ghp_closed" not in str(error.value)


@pytest.mark.parametrize(
    ("token", "expected"),
    [
        (
            "",
            "GITHUB_TOKEN is not set: export a GitHub token that can write the "
            "Actions secrets of acme/ops",
        ),
        (
            "ghp_line\nbreak",
            "GITHUB_TOKEN does not hold a GitHub token (it has spaces, line breaks "
            "or characters outside ASCII)",
        ),
        (
            "ghp_ümlaut",
            "GITHUB_TOKEN does not hold a GitHub token (it has spaces, line breaks "
            "or characters outside ASCII)",
        ),
    ],
)
def test_no_usable_token_sends_nothing(
    fake: FakeGithub, token: str, expected: str
) -> None:
    context = context_for(fake, token)
    with pytest.raises(WriteError) as error:
        write_github_secret(REPO_PLACE, SecretValue(VALUE), context)
    assert str(error.value) == f"GitHub acme/ops: DB: {expected}"
    assert writable(REPO_PLACE, context) == expected
    assert fake.calls == []


# Pre-flight ---------------------------------------------------------------------


def test_writable_when_the_key_and_audience_can_be_read(fake: FakeGithub) -> None:
    fake.secrets[ORG] = STAMP
    fake.audiences[ORG] = ("selected", list(range(120)))
    assert writable(REPO_PLACE, context_for(fake)) is None
    assert writable(ORG_PLACE, context_for(fake)) is None
    assert [call.path.partition("?")[0] for call in fake.calls] == [
        "/repos/acme/ops/actions/secrets/public-key",
        "/orgs/acme/actions/secrets/public-key",
        ORG,
        f"{ORG}/repositories",
        f"{ORG}/repositories",
    ]
    assert puts(fake) == []


def test_not_writable_says_why_without_the_label(fake: FakeGithub) -> None:
    assert writable(ORG_PLACE, context_for(fake)) == (
        "GitHub has no secret DB in org acme (or the token cannot see it); "
        "create it with the visibility it needs, then rotate"
    )
    assert writable(REPO_PLACE, context_for(fake, "ghp_nope_0123456789")) == (
        "GitHub refused the token from GITHUB_TOKEN (HTTP 401 to GET "
        "/repos/acme/ops/actions/secrets/public-key): it needs write access to "
        "Actions secrets"
    )
    fake.secrets[ORG] = STAMP
    fake.faults[("GET", f"{ORG}/repositories")] = 500
    fake.audiences[ORG] = ("selected", [1])
    assert writable(ORG_PLACE, context_for(fake)) == (
        f"GET {ORG}/repositories: HTTP 500: Fault"
    )


def test_an_unknown_visibility_is_not_guessed(fake: FakeGithub) -> None:
    fake.secrets[ORG] = STAMP
    fake.audiences[ORG] = ("internal", [])
    reason = writable(ORG_PLACE, context_for(fake))
    assert reason is not None
    assert "`visibility` is not one of all, private, selected" in reason


# Secrecy ------------------------------------------------------------------------

MARKER = "Zq~"  # "~" is in neither base64 nor a URL path GitHub uses
VALUES = st.one_of(
    st.text(alphabet=string.printable, min_size=6, max_size=40),
    st.text(min_size=6, max_size=40),
).map(lambda text: MARKER + text)
TOKENS = st.text(
    alphabet=string.ascii_letters + string.digits + "_", min_size=16, max_size=40
).map(lambda text: "ghp_" + text)


def forms(text: str) -> set[str]:
    return {text, quote(text, safe=""), json.dumps(text)[1:-1], repr(text)[1:-1]}


def leaked(secret: str, texts: list[str]) -> list[str]:
    return [text for text in texts if any(form in text for form in forms(secret))]


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(value=VALUES, token=TOKENS)
def test_neither_value_nor_token_escapes(
    value: str,
    token: str,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    caplog.clear()
    capsys.readouterr()
    errors: list[str] = []
    fake = FakeGithub(token=token)
    fake.secrets[ORG] = STAMP
    fake.audiences[ORG] = ("selected", list(range(101)))
    with github_api(fake):
        good = context_for(fake)
        assert writable(ORG_PLACE, good) is None
        write_github_secret(ORG_PLACE, SecretValue(value), good)
        write_github_secret(REPO_PLACE, SecretValue(value), good)
        fake.faults[("PUT", REPO)] = 422
        fake.fault_message = f"echo {value} {token}"
        bad = context_for(fake, token + "x")
        for place, context in [(REPO_PLACE, good), (REPO_PLACE, bad)]:
            with pytest.raises(WriteError) as error:
                write_github_secret(place, SecretValue(value), context)
            errors.append(str(error.value))
            errors.append(repr(error.value))
        errors.append(str(writable(REPO_PLACE, bad)))

    captured = capsys.readouterr()
    logs = [caplog.text, *(repr(record.args) for record in caplog.records)]
    produced = [*errors, *logs, captured.out, captured.err]
    sealed = [str(sent(call)["encrypted_value"]) for call in puts(fake)]
    assert leaked(value, produced) == []
    assert leaked(token, produced) == []
    assert not any(seal in text for seal in sealed for text in produced)

    assert fake.values[ORG].reveal() == value
    assert fake.values[REPO].reveal() == value
    for call in fake.calls:
        assert not call.plaintext
        assert leaked(value, [call.text()]) == []
        others = {k: v for k, v in call.headers.items() if k != "Authorization"}
        assert leaked(token, [call.path, call.body.decode(), json.dumps(others)]) == []
    stranger = SealedBox(PrivateKey.generate())
    for seal in sealed:
        assert fake.decrypt(seal) == value
        with pytest.raises(CryptoError):
            stranger.decrypt(base64.b64decode(seal))
