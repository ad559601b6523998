"""Writing one setting of Komodo Core's config file or its env file."""

from __future__ import annotations

import json
import logging
import os
import stat
import tempfile
import tomllib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from komodo_guard.secrets.core_write import write_core_config
from komodo_guard.secrets.value import SecretValue
from komodo_guard.secrets.writers import WriteError

CONFIG = """\
## Komodo Core config (a shortened core.config.toml)
title = "Komodo"   # shown in the browser tab

host = "https://komodo.example.com"
port = 9120
webhook_secret = "old-webhook"
keep_stats_for_days = 14
lock_login_credentials_for = ["admin"]

[database]
## Mongo URI (wins over address, username and password)
uri = ""
address = "mongo:27017"
username = 'admin'
password = 'the-old-password'   # rotated by komodo-guard
app_name = "komodo_core"

[[git_provider]]
domain = "github.com"
accounts = [{ username = "bot", token = "ghp_old" }]
"""
COMPOSE_ENV = """\
# Komodo compose.env
COMPOSE_KOMODO_IMAGE_TAG=2
KOMODO_DATABASE_USERNAME=admin
KOMODO_DATABASE_PASSWORD=the-old-password
export KOMODO_WEBHOOK_SECRET='old secret'
"""
AWKWARD = [
    'with "double" quotes',
    "it's single",
    "back\\slash \\n \\u0041",
    "unicode é ü 😀 ✓",
    "dollar $HOME ${X}",
    "  spaces  ",
    "multi\nline\r\n",
    "tab\there",
    "\x00\x1b\x7f",
    "'''",
    '"""',
    "# not a comment",
]


def config(folder: Path, text: str = CONFIG, name: str = "core.config.toml") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def listing(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir())


# core.config.toml -------------------------------------------------------------


def test_toml_keeps_everything_but_the_value(tmp_path: Path) -> None:
    path = config(tmp_path)
    path.chmod(0o640)
    value = SecretValue("n3w-password")
    assert write_core_config(path, "database.password", value)
    expected = CONFIG.replace("'the-old-password'", "'n3w-password'")
    assert path.read_text(encoding="utf-8") == expected
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    backup = tmp_path / "core.config.toml.bak"
    assert backup.read_text(encoding="utf-8") == CONFIG
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600


def test_toml_basic_string_stays_basic(tmp_path: Path) -> None:
    path = config(tmp_path)
    assert write_core_config(path, "webhook_secret", SecretValue("new-hook"))
    expected = CONFIG.replace('"old-webhook"', '"new-hook"')
    assert path.read_text(encoding="utf-8") == expected


def test_toml_literal_that_cannot_hold_the_value(tmp_path: Path) -> None:
    path = config(tmp_path)
    assert write_core_config(path, "database.password", SecretValue("it's"))
    line = """password = "it's"   # rotated by komodo-guard\n"""
    expected = CONFIG.replace(
        "password = 'the-old-password'   # rotated by komodo-guard\n", line
    )
    assert path.read_text(encoding="utf-8") == expected


@pytest.mark.parametrize("text", AWKWARD)
def test_toml_awkward_values_round_trip(tmp_path: Path, text: str) -> None:
    path = config(tmp_path)
    before = tomllib.loads(CONFIG)
    assert write_core_config(path, "database.password", SecretValue(text))
    after = tomllib.loads(path.read_text(encoding="utf-8"))
    assert after["database"].pop("password") == text
    before["database"].pop("password")
    assert after == before
    changed = [
        (old, new)
        for old, new in zip(
            CONFIG.splitlines(), path.read_text().splitlines(), strict=True
        )
        if old != new
    ]
    assert [old for old, _ in changed] == [
        "password = 'the-old-password'   # rotated by komodo-guard"
    ]


def test_toml_nested_and_inline_tables(tmp_path: Path) -> None:
    text = 'database.password = "a"\nkeys = { webhook = { secret = "b" } } # c\n'
    path = config(tmp_path, text)
    assert write_core_config(path, "database.password", SecretValue("x"))
    assert write_core_config(path, "keys.webhook.secret", SecretValue("y"))
    assert path.read_text() == (
        'database.password = "x"\nkeys = { webhook = { secret = "y" } } # c\n'
    )


def test_toml_twice_is_harmless(tmp_path: Path) -> None:
    path = config(tmp_path)
    value = SecretValue("again")
    assert write_core_config(path, "database.password", value)
    written = path.read_bytes()
    assert not write_core_config(path, "database.password", value)
    assert path.read_bytes() == written
    assert (tmp_path / "core.config.toml.bak").read_text() == CONFIG


def test_toml_holding_the_value_writes_nothing(tmp_path: Path) -> None:
    path = config(tmp_path)
    assert not write_core_config(
        path, "database.password", SecretValue("the-old-password")
    )
    assert path.read_text() == CONFIG
    assert listing(tmp_path) == ["core.config.toml"]


@pytest.mark.parametrize(
    "key", ["database.pasword", "jwt_secret", "nowhere.password", "title.sub"]
)
def test_toml_absent_key_is_refused(tmp_path: Path, key: str) -> None:
    path = config(tmp_path)
    with pytest.raises(WriteError, match=rf"has no key `{key}`; rotate changes"):
        write_core_config(path, key, SecretValue("x"))
    assert path.read_text() == CONFIG
    assert listing(tmp_path) == ["core.config.toml"]


@pytest.mark.parametrize(
    "key", ["port", "database", "lock_login_credentials_for", "git_provider"]
)
def test_toml_value_not_a_string_is_refused(tmp_path: Path, key: str) -> None:
    path = config(tmp_path)
    with pytest.raises(WriteError):
        write_core_config(path, key, SecretValue("x"))
    assert path.read_text() == CONFIG
    assert listing(tmp_path) == ["core.config.toml"]


def test_toml_not_a_string_message(tmp_path: Path) -> None:
    with pytest.raises(WriteError, match="`port` is not a string"):
        write_core_config(config(tmp_path), "port", SecretValue("x"))


def test_toml_parse_error_does_not_quote_the_file(tmp_path: Path) -> None:
    path = config(tmp_path, "[database]\npassword = 'Zq~leaked-secret\n")
    with pytest.raises(WriteError) as caught:
        write_core_config(path, "database.password", SecretValue("x"))
    assert str(caught.value) == f"{path}: not valid TOML"
    assert caught.value.__cause__ is None
    assert caught.value.__suppress_context__


# compose.env ------------------------------------------------------------------


def test_env_key(tmp_path: Path) -> None:
    path = config(tmp_path, COMPOSE_ENV, "compose.env")
    value = SecretValue("new secret $x")
    assert write_core_config(path, "KOMODO_WEBHOOK_SECRET", value)
    assert path.read_text() == COMPOSE_ENV.replace("'old secret'", "'new secret $x'")
    assert (tmp_path / "compose.env.bak").read_text() == COMPOSE_ENV


def test_env_alias_spelling_is_written(tmp_path: Path) -> None:
    text = "KOMODO_MONGO_USERNAME=admin\nKOMODO_MONGO_PASSWORD=old\n"
    path = config(tmp_path, text, "compose.env")
    assert write_core_config(path, "KOMODO_DATABASE_PASSWORD", SecretValue("nu"))
    assert path.read_text() == "KOMODO_MONGO_USERNAME=admin\nKOMODO_MONGO_PASSWORD=nu\n"


def test_env_both_spellings_are_written(tmp_path: Path) -> None:
    text = "KOMODO_DATABASE_PASSWORD=old\nA=1\nKOMODO_MONGO_PASSWORD=old\n"
    path = config(tmp_path, text, "compose.env")
    assert write_core_config(path, "KOMODO_MONGO_PASSWORD", SecretValue("nu"))
    assert path.read_text() == (
        "KOMODO_DATABASE_PASSWORD=nu\nA=1\nKOMODO_MONGO_PASSWORD=nu\n"
    )
    assert (tmp_path / "compose.env.bak").read_text() == text
    assert not write_core_config(path, "KOMODO_DATABASE_PASSWORD", SecretValue("nu"))


@pytest.mark.parametrize(
    ("text", "key", "named"),
    [
        (
            "KOMODO_DATABASE_PASSWORD_FILE=/run/secrets/db\n",
            "KOMODO_DATABASE_PASSWORD",
            "sets KOMODO_DATABASE_PASSWORD_FILE",
        ),
        (
            "KOMODO_MONGO_PASSWORD_FILE=/run/secrets/db\nKOMODO_DATABASE_PASSWORD=x\n",
            "KOMODO_DATABASE_PASSWORD",
            "sets KOMODO_MONGO_PASSWORD_FILE",
        ),
        (
            "KOMODO_JWT_SECRET_FILE=/run/secrets/jwt\n",
            "KOMODO_JWT_SECRET_FILE",
            "KOMODO_JWT_SECRET_FILE names a file",
        ),
    ],
)
def test_env_file_variant_is_refused(
    tmp_path: Path, text: str, key: str, named: str
) -> None:
    path = config(tmp_path, text, "compose.env")
    with pytest.raises(WriteError, match=named):
        write_core_config(path, key, SecretValue("nu"))
    assert path.read_text() == text
    assert listing(tmp_path) == ["compose.env"]


def test_env_absent_key_is_refused(tmp_path: Path) -> None:
    path = config(tmp_path, COMPOSE_ENV, "compose.env")
    with pytest.raises(WriteError, match="does not set KOMODO_JWT_SECRET"):
        write_core_config(path, "KOMODO_JWT_SECRET", SecretValue("nu"))
    assert listing(tmp_path) == ["compose.env"]


def test_env_twice_is_harmless(tmp_path: Path) -> None:
    path = config(tmp_path, COMPOSE_ENV, "compose.env")
    value = SecretValue("again")
    assert write_core_config(path, "KOMODO_DATABASE_PASSWORD", value)
    written = path.read_bytes()
    assert not write_core_config(path, "KOMODO_DATABASE_PASSWORD", value)
    assert path.read_bytes() == written


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(WriteError, match="cannot read: No such file"):
        write_core_config(tmp_path / "core.config.toml", "a", SecretValue("x"))


# Replacing the file -----------------------------------------------------------

ENV_KEY = "KOMODO_DATABASE_PASSWORD"


@pytest.mark.parametrize(
    ("name", "text", "key"),
    [
        ("core.config.toml", CONFIG, "database.password"),
        ("compose.env", COMPOSE_ENV, ENV_KEY),
    ],
)
def test_a_symbolic_link_is_written_through(
    tmp_path: Path, name: str, text: str, key: str
) -> None:
    (tmp_path / "etc").mkdir()
    target = config(tmp_path / "etc", text, name)
    link = tmp_path / name
    link.symlink_to(target)
    assert write_core_config(link, key, SecretValue("l1nk"))
    assert link.is_symlink()
    assert "l1nk" in target.read_text()
    assert (tmp_path / "etc" / f"{name}.bak").read_text() == text
    assert listing(tmp_path) == sorted(["etc", name])
    assert listing(tmp_path / "etc") == [name, f"{name}.bak"]


NOBODY = 65534


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root")
@pytest.mark.parametrize(
    ("name", "text", "key"),
    [
        ("core.config.toml", CONFIG, "database.password"),
        ("compose.env", f"{ENV_KEY}=a\nKOMODO_MONGO_PASSWORD=a\n", ENV_KEY),
    ],
)
def test_owner_and_group_are_kept(
    tmp_path: Path, name: str, text: str, key: str
) -> None:
    path = config(tmp_path, text, name)
    os.chown(path, NOBODY, NOBODY)
    path.chmod(0o640)
    assert write_core_config(path, key, SecretValue("0wn"))
    status = path.stat()
    assert (status.st_uid, status.st_gid, stat.S_IMODE(status.st_mode)) == (
        NOBODY,
        NOBODY,
        0o640,
    )
    backup = (tmp_path / f"{name}.bak").stat()
    assert (backup.st_uid, backup.st_gid) == (NOBODY, NOBODY)
    assert (tmp_path / f"{name}.bak").read_text() == text


@pytest.mark.parametrize(
    ("name", "text", "key"),
    [
        ("core.config.toml", CONFIG, "database.password"),
        ("compose.env", COMPOSE_ENV, ENV_KEY),
    ],
)
def test_an_owner_that_cannot_be_kept_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, text: str, key: str
) -> None:
    path = config(tmp_path, text, name)
    owner = path.stat().st_uid
    monkeypatch.setattr(os, "geteuid", lambda: owner + 4242)
    with pytest.raises(WriteError, match=f"{path} belongs to uid {owner}, gid "):
        write_core_config(path, key, SecretValue("x"))
    assert path.read_text() == text
    assert listing(tmp_path) == [name]


# Secrecy ----------------------------------------------------------------------

VALUES = st.text(
    alphabet=st.characters(codec="utf-8", include_characters="\"'\\$ \t\n#="),
    min_size=10,
    max_size=40,
).map(lambda text: "Zq~" + text)


def leak_forms(value: str) -> set[str]:
    return {value, json.dumps(value)[1:-1], repr(value)[1:-1], "Zq~"}


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(value=VALUES, toml=st.booleans())
def test_value_reaches_only_the_config_file(
    value: str,
    toml: bool,
    capfd: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    caplog.clear()
    capfd.readouterr()
    produced: list[str] = []
    name = "core.config.toml" if toml else "compose.env"
    key = "database.password" if toml else "KOMODO_DATABASE_PASSWORD"
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        path = config(folder, CONFIG if toml else COMPOSE_ENV, name)
        try:
            assert write_core_config(path, key, SecretValue(value))
        except WriteError as error:  # a dotenv line cannot hold ' or a newline
            produced.append(str(error))
            assert not toml
        produced.append("\n".join(listing(folder)))
        produced += [
            item.read_text(errors="replace")
            for item in folder.iterdir()
            if item.name not in (name, name + ".bak")
        ]
    captured = capfd.readouterr()
    produced += [captured.out, captured.err, caplog.text]
    for form in leak_forms(value):
        for text in produced:
            assert form not in text
