"""KG701 plaintext-secret: secret values written in resource files."""

from __future__ import annotations

from pathlib import Path

import pytest

from komodo_guard.rules.content.plaintext_secret import RULE
from komodo_guard.rules.interface import Severity
from tests.conftest import TreeFactory
from tests.rules.lintkit import findings, hits

_ENV = '''[[stack]]
name = "immich"
[stack.config]
environment = """
  DB_USERNAME = immich
  DB_PASSWORD = s3cr3t-Value
  JWT_SECRET = [[IMMICH_JWT_SECRET]]
  ADMIN_PASSWORD = changeme
  PASSWORD_FILE = /run/secrets/db
  API_TOKEN = ${API_TOKEN}
  DATABASE_URL = postgres://user:hunter2x@db/app
"""
'''


def test_env_block_secrets_point_at_their_lines(make_tree: TreeFactory) -> None:
    root = make_tree({"s.toml": _ENV})
    found = findings(root, RULE)
    assert hits(root, RULE) == [
        ("s.toml", 6, 3, "KG701"),
        ("s.toml", 8, 3, "KG701"),
        ("s.toml", 11, 3, "KG701"),
    ]
    assert "`DB_PASSWORD`" in found[0].message
    assert "use [[VARIABLE]] (a secret Variable)" in found[0].hint
    assert "placeholder" in found[1].message
    assert "URL with a password" in found[2].message
    for finding in found:
        for value in ("s3cr3t", "changeme", "hunter2x"):
            assert value not in finding.message + finding.hint


def test_references_pass(make_tree: TreeFactory) -> None:
    text = '''[[stack]]
name = "a"
[stack.config]
environment = """
DB_PASSWORD=[[DB_PASSWORD]]
TOKEN_TTL=3600
PASSWORD_FILE=/run/secrets/pw
API_KEY=
"""
'''
    assert hits(make_tree({"s.toml": text}), RULE) == []


def test_disabled(make_tree: TreeFactory) -> None:
    assert hits(make_tree({"s.toml": _ENV}), RULE, disabled=[RULE.code]) == []


def test_secret_args_are_secrets_whatever_the_key(make_tree: TreeFactory) -> None:
    root = make_tree(
        {
            "b.toml": '[[build]]\nname = "b"\n[build.config]\n'
            + 'secret_args = "NPMRC=abcdef"\n'
        }
    )
    assert hits(root, RULE) == [("b.toml", 4, 16, "KG701")]


def test_array_form_entries(make_tree: TreeFactory) -> None:
    root = make_tree(
        {
            "d.toml": '[[deployment]]\nname = "d"\n[deployment.config]\n'
            'environment = [{ variable = "REDIS_PASSWORD", value = "abc123" }]\n'
        }
    )
    assert [h[1] for h in hits(root, RULE)] == [4]


def test_secret_variable_with_value(make_tree: TreeFactory) -> None:
    root = make_tree(
        {
            "v.toml": '[[variable]]\nname = "PG_PASSWORD"\nvalue = "x1y2z3"\n'
            "is_secret = true\n\n"
            '[[variable]]\nname = "TZ"\nvalue = "UTC"\n\n'
            '[[variable]]\nname = "EMPTY_SECRET"\nvalue = ""\nis_secret = true\n'
        }
    )
    found = findings(root, RULE)
    assert len(found) == 1
    assert "'PG_PASSWORD'" in found[0].message


def test_secret_variable_points_at_its_value(make_tree: TreeFactory) -> None:
    root = make_tree(
        {
            "v.toml": '[[variable]]\nname = "PG_PASSWORD"\n'
            + 'value = "x1y2z3"\nis_secret = true\n'
        }
    )
    assert hits(root, RULE) == [("v.toml", 3, 1, "KG701")]


def test_passkeys_and_webhook_secrets(make_tree: TreeFactory) -> None:
    root = make_tree(
        {
            "r.toml": '[[server]]\nname = "s"\n[server.config]\nenabled = true\n'
            'passkey = "abcdefgh"\n\n'
            '[[builder]]\nname = "b"\n[builder.config]\ntype = "Url"\n'
            'params = { address = "https://b:8120", passkey = "qwerty12" }\n\n'
            '[[stack]]\nname = "st"\n[stack.config]\nwebhook_secret = "[[HOOK]]"\n'
        }
    )
    found = findings(root, RULE)
    assert [h[1] for h in hits(root, RULE)] == [5, 11, 16]
    assert "not interpolated" in found[2].message


@pytest.mark.parametrize(
    ("url", "severity"),
    [
        ("https://ntfy.sh/my-random-topic", Severity.WARNING),
        ("https://hooks.slack.com/services/T000/B000/XXXX", Severity.WARNING),
        (
            "https://api.pushover.net/1/messages.json?token=abc&user=def",
            Severity.WARNING,
        ),
        ("https://u:pw@alerts.example.com/hook", Severity.WARNING),
        ("http://192.0.2.9:8123/api/webhook/-lgi0RggidZ3nFqXQmQx", Severity.INFO),
    ],
)
def test_alerter_urls(make_tree: TreeFactory, url: str, severity: Severity) -> None:
    root = make_tree(
        {
            "a.toml": '[[alerter]]\nname = "a"\n[alerter.config]\nenabled = true\n'
            f'endpoint.type = "Custom"\nendpoint.params.url = "{url}"\n'
        }
    )
    found = findings(root, RULE)
    assert [(f.location.line if f.location else 0, f.severity) for f in found] == [
        (6, severity)
    ]


def test_interpolated_alerter_url_passes(make_tree: TreeFactory) -> None:
    root = make_tree(
        {
            "a.toml": '[[alerter]]\nname = "a"\n[alerter.config]\nenabled = true\n'
            'endpoint.params.url = "https://ntfy.sh/[[NTFY_TOPIC]]"\n'
        }
    )
    assert hits(root, RULE) == []


@pytest.mark.parametrize(
    ("repo", "path", "line"),
    [
        ("repo23", "komodo/stacks.toml", 681),
        ("repo23", "services/tubearchivist/stack.toml", 26),
        ("repo27", "komodo.toml", 379),
        ("repo27", "komodo.toml", 383),
        ("repo41", "komodo/resources.toml", 308),
    ],
)
def test_corpus_must_report(shared: Path, repo: str, path: str, line: int) -> None:
    found = findings(shared / "corpus" / "real" / repo, RULE)
    at_line = [
        f
        for f in found
        if f.location and (f.location.path, f.location.line) == (path, line)
    ]
    assert len(at_line) == 1
    assert at_line[0].severity is Severity.WARNING


def test_corpus_lan_webhook_is_info_at_most(shared: Path) -> None:
    found = findings(shared / "corpus" / "real" / "repo41", RULE)
    at_290 = [f for f in found if f.location and f.location.line == 290]
    assert [f.severity for f in at_290] in ([], [Severity.INFO])
