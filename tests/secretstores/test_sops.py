"""The in-process SOPS decrypter against files made by the real sops binary."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from komodo_guard.secrets.sops import (
    SopsError,
    age_identities,
    decrypt_file,
    format_of,
)
from tests.secretstores.storekit import (
    AgeKey,
    make_age_key,
    sops_decrypt,
    sops_encrypt,
)

YAML = """\
database:
  password: "p@ss: w0rd #1"
  port: 27017
tokens:
  - first-token
  - second-token
enabled: true
ratio: 1.5
"""
DOTENV = "KOMODO_DATABASE_PASSWORD=envpass\n# a comment\nMULTI=a\\nb\n"
JSON = '{"webhook": {"secret": "json-secret", "n": 3}, "none": null}'


@pytest.fixture
def key(tmp_path: Path) -> AgeKey:
    return make_age_key(tmp_path)


def encrypted(tmp_path: Path, key: AgeKey, name: str, text: str) -> Path:
    plain = tmp_path / f"plain-{name}"
    plain.write_text(text)
    return sops_encrypt(plain, key, tmp_path / name)


def values(path: Path, key: AgeKey) -> dict[tuple[str | int, ...], str]:
    document = decrypt_file(path, age_identities({"SOPS_AGE_KEY_FILE": str(key.path)}))
    return {keys: value.reveal() for keys, value in document.values.items()}


def test_yaml_values_match_real_sops(tmp_path: Path, key: AgeKey) -> None:
    path = encrypted(tmp_path, key, "secrets.yaml", YAML)
    found = values(path, key)
    assert found == {
        ("database", "password"): "p@ss: w0rd #1",
        ("database", "port"): "27017",
        ("tokens", 0): "first-token",
        ("tokens", 1): "second-token",
        ("enabled",): "true",
        ("ratio",): "1.5",
    }
    real = yaml.safe_load(sops_decrypt(path, key))
    assert real["database"]["password"] == found[("database", "password")]
    assert real["tokens"] == [found[("tokens", 0)], found[("tokens", 1)]]


def test_dotenv_and_json(tmp_path: Path, key: AgeKey) -> None:
    env = encrypted(tmp_path, key, "compose.env", DOTENV)
    assert values(env, key) == {
        ("KOMODO_DATABASE_PASSWORD",): "envpass",
        ("MULTI",): "a\nb",
    }
    document = encrypted(tmp_path, key, "secrets.json", JSON)
    assert values(document, key) == {
        ("webhook", "secret"): "json-secret",
        ("webhook", "n"): "3",
    }
    assert json.loads(sops_decrypt(document, key))["webhook"]["secret"] == (
        "json-secret"
    )


def test_lastmodified_and_recipients(tmp_path: Path, key: AgeKey) -> None:
    path = encrypted(tmp_path, key, "secrets.yaml", YAML)
    document = decrypt_file(path, age_identities({"SOPS_AGE_KEY": key.identity}))
    assert document.recipients == (key.recipient,)
    assert document.lastmodified is not None
    assert document.lastmodified.tzinfo is not None


def test_unencrypted_suffix_leaves_are_in_the_mac(tmp_path: Path, key: AgeKey) -> None:
    text = "db:\n  port_unencrypted: 5432\n  on_unencrypted: true\n  password: pw\n"
    path = encrypted(tmp_path, key, "suffix.yaml", text)
    assert "port_unencrypted: 5432" in path.read_text()
    assert values(path, key)[("db", "password")] == "pw"


def test_mac_only_encrypted_from_creation_rules(tmp_path: Path, key: AgeKey) -> None:
    (tmp_path / ".sops.yaml").write_text(
        "creation_rules:\n"
        f"  - age: {key.recipient}\n"
        '    encrypted_regex: "^password$"\n'
        "    mac_only_encrypted: true\n"
    )
    plain = tmp_path / "rules.yaml"
    plain.write_text("db:\n  host: mongo\n  password: pw\n")
    path = sops_encrypt(plain, key, tmp_path / "out.yaml", cwd=tmp_path)
    assert "mac_only_encrypted: true" in path.read_text()
    assert values(path, key) == {("db", "host"): "mongo", ("db", "password"): "pw"}


def test_a_value_edited_by_hand_fails_the_mac(tmp_path: Path, key: AgeKey) -> None:
    text = "db:\n  host_unencrypted: mongo\n  password: pw\n"
    path = encrypted(tmp_path, key, "edited.yaml", text)
    path.write_text(
        path.read_text().replace("host_unencrypted: mongo", "host_unencrypted: evil")
    )
    with pytest.raises(SopsError, match="MAC mismatch"):
        values(path, key)


def test_a_value_moved_to_another_key_does_not_decrypt(
    tmp_path: Path, key: AgeKey
) -> None:
    path = encrypted(tmp_path, key, "moved.yaml", "a: one\nb: two\n")
    lines = path.read_text().splitlines()
    first = next(i for i, line in enumerate(lines) if line.startswith("a: "))
    second = next(i for i, line in enumerate(lines) if line.startswith("b: "))
    lines[first], lines[second] = "a: " + lines[second][3:], "b: " + lines[first][3:]
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(SopsError, match="the value at `a` does not decrypt"):
        values(path, key)


def test_another_identity_cannot_open_it(tmp_path: Path, key: AgeKey) -> None:
    path = encrypted(tmp_path, key, "secrets.yaml", YAML)
    other = make_age_key(tmp_path, "other.txt")
    with pytest.raises(SopsError, match=re.escape(key.recipient)) as caught:
        decrypt_file(path, age_identities({"SOPS_AGE_KEY_FILE": str(other.path)}))
    assert other.identity not in str(caught.value)


def test_identities_from_the_default_key_file(tmp_path: Path, key: AgeKey) -> None:
    home = tmp_path / "home"
    (home / ".config" / "sops" / "age").mkdir(parents=True)
    (home / ".config" / "sops" / "age" / "keys.txt").write_text(key.path.read_text())
    assert len(age_identities({"HOME": str(home)})) == 1
    # XDG_CONFIG_HOME wins over ~/.config, as in sops.
    assert len(age_identities({"XDG_CONFIG_HOME": str(home / ".config")})) == 1
    with pytest.raises(SopsError):
        age_identities({"HOME": str(home), "XDG_CONFIG_HOME": str(tmp_path)})


def test_no_identity_says_where_it_looked(tmp_path: Path) -> None:
    with pytest.raises(SopsError, match="SOPS_AGE_KEY_FILE") as caught:
        age_identities({"HOME": str(tmp_path)})
    assert str(tmp_path) in str(caught.value)


def test_a_bad_key_line_is_named_without_its_text(tmp_path: Path) -> None:
    bad = tmp_path / "keys.txt"
    bad.write_text("# comment\nAGE-SECRET-KEY-NOTREALLYAKEY\n")
    with pytest.raises(SopsError, match="line 2 is not an age identity") as caught:
        age_identities({"SOPS_AGE_KEY_FILE": str(bad)})
    assert "NOTREALLY" not in str(caught.value)


def test_not_a_sops_file(tmp_path: Path, key: AgeKey) -> None:
    plain = tmp_path / "plain.yaml"
    plain.write_text("password: visible-in-clear\n")
    with pytest.raises(SopsError, match="not a SOPS file") as caught:
        values(plain, key)
    assert "visible-in-clear" not in str(caught.value)


def test_invalid_yaml_does_not_quote_the_file(tmp_path: Path, key: AgeKey) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("a: [unclosed-secret-text\n")
    with pytest.raises(SopsError, match="not valid YAML") as caught:
        values(broken, key)
    assert "unclosed-secret-text" not in str(caught.value)


@pytest.mark.parametrize(
    ("name", "expected"),
    [("a.yaml", "yaml"), ("a.YML", "yaml"), ("a.json", "json"), (".env", "dotenv")],
)
def test_format_by_extension(name: str, expected: str) -> None:
    assert format_of(Path(name)) == expected


def test_unknown_extension_asks_for_a_format() -> None:
    with pytest.raises(SopsError, match="set format"):
        format_of(Path("secrets.ini"))
    assert format_of(Path("secrets.ini"), "dotenv") == "dotenv"
