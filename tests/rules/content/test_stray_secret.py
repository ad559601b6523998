"""KG702 stray-secret: secrets where plaintext-secret (KG701) does not look."""

from __future__ import annotations

import hashlib
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from komodo_guard.komodo.model import load
from komodo_guard.report import json_format, text_format
from komodo_guard.report.interface import LintResult
from komodo_guard.rules.content import plaintext_secret
from komodo_guard.rules.content.stray_secret import RULE
from komodo_guard.rules.engine import run_rules
from komodo_guard.rules.interface import FailureClass, RuleOptions, Severity
from komodo_guard.workspace.collect import collect
from tests.conftest import TreeFactory
from tests.rules.lintkit import findings, hits

STACK = '[[stack]]\nname = "db"\n[stack.config]\nserver = "nas"\n'
SWALLOWED = (
    STACK
    + '[stack.config.pre_deploy]\ncommand = "./prepare.sh"\n'
    + 'environment = """\nNODE_ENV=production\nPOSTGRES_PASSWORD=hunter2hunter2\n'
    + 'DATABASE_URL=postgres://app:hunter2hunter2@db:5432/app\n"""\n'
)


def test_environment_swallowed_by_a_sub_table(make_tree: TreeFactory) -> None:
    root = make_tree({"a.toml": SWALLOWED})
    assert hits(root, RULE) == [("a.toml", 9, 1, "KG702"), ("a.toml", 10, 1, "KG702")]
    first, second = findings(root, RULE)
    assert first.severity is Severity.WARNING
    assert first.failure_class is FailureClass.EXPOSURE
    assert first.message.startswith(
        "`POSTGRES_PASSWORD` in `pre_deploy.environment` of stack 'db' holds a "
        "literal secret value; Komodo ignores `environment` there: the "
        "[stack.config.pre_deploy] header on line 5 swallowed it"
    )
    assert "a URL with a password" in second.message
    assert "rotate" in first.hint


def test_environment_written_above_the_config_table(make_tree: TreeFactory) -> None:
    text = '[[stack]]\nname = "db"\nenvironment = "DB_PASSWORD=hunter2hunter2"\n'
    root = make_tree({"a.toml": text + "[stack.config]\n"})
    assert hits(root, RULE) == [("a.toml", 3, 15, "KG702")]
    (found,) = findings(root, RULE)
    assert "it belongs in [stack.config]" in found.message


def test_misspelt_keys(make_tree: TreeFactory) -> None:
    text = (
        STACK
        + 'webhook_secrt = "s3cr3tvalue99"\n'
        + 'envirnoment = """\nAPI_TOKEN=abc123xyz789\n"""\n'
    )
    root = make_tree({"a.toml": text})
    assert hits(root, RULE) == [("a.toml", 5, 17, "KG702"), ("a.toml", 7, 1, "KG702")]
    webhook, env = findings(root, RULE)
    assert "`webhook_secrt` of stack 'db'" in webhook.message
    assert "did you mean `webhook_secret`?" in webhook.message
    assert "`API_TOKEN` in `envirnoment`" in env.message


def test_table_that_is_no_resource(make_tree: TreeFactory) -> None:
    text = (
        '[[git_account]]\nname = "me"\n[git_account.config]\n'
        'token = "ghp_abc123DEF456"\n'
    )
    root = make_tree({"a.toml": STACK + text})
    assert hits(root, RULE) == [("a.toml", 8, 9, "KG702")]
    (found,) = findings(root, RULE)
    assert "`token` of [[git_account]]" in found.message
    assert "Komodo ignores the whole `git_account` table" in found.message


def test_fields_komodo_reads_but_kg701_does_not(make_tree: TreeFactory) -> None:
    text = (
        STACK
        + 'pre_deploy.command = "DB_PASSWORD=hunter2hunter2 ./backup.sh"\n'
        + 'file_contents = """\nservices:\n  db:\n    environment:\n'
        + "      POSTGRES_PASSWORD: hunter2hunter2\n"
        + '"""\n'
    )
    root = make_tree({"a.toml": text})
    assert hits(root, RULE) == [("a.toml", 5, 22, "KG702"), ("a.toml", 10, 7, "KG702")]
    command, compose = findings(root, RULE)
    assert "`DB_PASSWORD` in `pre_deploy.command` of stack 'db'" in command.message
    assert "`POSTGRES_PASSWORD` in `file_contents` of stack 'db'" in compose.message
    assert "plaintext-secret does not check this key" in compose.message


def test_references_prose_and_plain_values_pass(make_tree: TreeFactory) -> None:
    text = (
        STACK.replace('name = "db"', 'name = "db"\ndescription = "PASSWORD: in the UI"')
        + 'extra_args = ["--env", "DB_PASSWORD=[[DB_PASSWORD]]"]\n'
        + 'file_contents = """\nservices:\n  db:\n    environment:\n'
        + "      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD}\n      TZ: UTC\n"
        + '"""\n'
        + "[stack.config.pre_deploy]\n"
        + 'environment = "DB_PASSWORD=[[DB_PASSWORD]]"\n'
    )
    assert hits(make_tree({"a.toml": text}), RULE) == []


def test_places_kg701_reads_are_left_to_it(make_tree: TreeFactory) -> None:
    text = (
        STACK
        + 'webhook_secret = "s3cr3tvalue99"\n'
        + 'environment = "DB_PASSWORD=hunter2hunter2"\n'
        + '[[server]]\nname = "nas"\n[server.config]\npasskey = "abc123xyz789"\n'
        + '[[variable]]\nname = "TOKEN"\nvalue = "abc123xyz789"\n'
        + '[[deployment]]\nname = "d"\n[deployment.config]\n'
        + 'environment = [{ variable = "REDIS_PASSWORD", value = "abc123xyz789" }]\n'
        + '[[alerter]]\nname = "a"\n[alerter.config]\n'
        + 'endpoint.type = "Custom"\n'
        + 'endpoint.params.url = "https://u:pw123456@h/x"\n'
    )
    root = make_tree({"a.toml": text})
    assert hits(root, RULE) == []
    assert len(hits(root, plaintext_secret.RULE)) == 6


def test_never_at_a_line_kg701_reports(make_tree: TreeFactory) -> None:
    text = SWALLOWED.replace(
        "[stack.config.pre_deploy]",
        'environment = "API_KEY=abc123xyz789"\n[stack.config.pre_deploy]',
    )
    root = make_tree({"a.toml": text})
    ours = {(path, line) for path, line, _, _ in hits(root, RULE)}
    theirs = {(path, line) for path, line, _, _ in hits(root, plaintext_secret.RULE)}
    assert ours
    assert theirs
    assert not ours & theirs


def test_disabled(make_tree: TreeFactory) -> None:
    assert hits(make_tree({"a.toml": SWALLOWED}), RULE, disabled=[RULE.code]) == []


def test_corpus_repo29_swallowed_environment(shared: Path) -> None:
    root = shared / "corpus/real/repo29"
    assert hits(root, RULE) == [
        ("stacks.toml", 27, 1, "KG702"),
        ("stacks.toml", 29, 1, "KG702"),
    ]


# Secrets in every kind of place this rule reads; none may leak into any output.
_TEMPLATE = '''[[stack]]
name = "db"
description = "x"
environment = "DB_PASSWORD={v}"
[stack.config]
webhook_secrt = "{v}"
envirnoment = """
API_TOKEN={v}
"""
pre_deploy.command = "DB_PASSWORD={v} ./backup.sh"
file_contents = """
services:
  db:
    environment:
      - POSTGRES_PASSWORD={v}
      - DATABASE_URL=postgres://u:{v}@db/app
"""
[stack.config.post_deploy]
environment = """
SECRET_KEY={v}
"""
[[git_account]]
name = "me"
token = "{v}"
url = "https://me:{v}@git.example.org/x"
'''
_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghjkmnpqrstuvwxyz0123456789-+.%~"


def _outputs(root: Path) -> tuple[list[str], list[str]]:
    workspace = collect(root, load(None))
    found = run_rules(workspace, [RULE], RuleOptions())
    assert len(found) == 9, "every planted secret must be found"
    result = LintResult(
        root=str(root),
        komodo_version="2.3.2",
        findings=tuple(found),
        files_checked=len(workspace.toml_files),
        resources=len(workspace.resources),
    )
    words = [f.message for f in found] + [f.hint for f in found]
    return [json_format.render(result), text_format.render(result)], words


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(value=st.text(alphabet=_ALPHABET, min_size=45, max_size=80))
def test_no_value_prefix_length_or_hash_reaches_any_output(value: str) -> None:
    prefix = value[:8]
    assume(prefix not in _TEMPLATE and value.strip("-+.%~") == value)
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "a.toml").write_text(_TEMPLATE.format(v=value), encoding="utf-8")
        rendered, words = _outputs(root)
    digests = [
        hashlib.new(name, value.encode()).hexdigest()[:8]
        for name in ("md5", "sha1", "sha256")
    ]
    for text in rendered:
        assert value not in text
        assert prefix not in text
        assert not any(digest in text for digest in digests)
    assert not any(str(len(value)) in word for word in words)
