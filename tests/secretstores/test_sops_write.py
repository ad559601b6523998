"""Writing one key of a SOPS file with the real sops binary and real age keys."""

from __future__ import annotations

import json
import logging
import os
import stat
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from komodo_guard.secrets.sops import age_identities, decrypt_file
from komodo_guard.secrets.sops_write import (
    MIN_SOPS,
    find_sops,
    sops_index,
    write_sops_value,
)
from komodo_guard.secrets.value import SecretValue
from komodo_guard.secrets.writers import WriteError
from tests.secretstores.storekit import (
    AgeKey,
    make_age_key,
    sops_binary,
    sops_decrypt,
)

YAML = """\
database:
  password: old-password
  port: 27017
tokens:
  - first-token
  - second-token
note_unencrypted: left in clear
"""
JSON = '{"webhook": {"secret": "old-secret", "n": 3}, "other": "kept"}'
DOTENV = "KOMODO_DATABASE_PASSWORD=old-password\nKOMODO_OTHER=kept\n"
AWKWARD = [
    'with "double" quotes',
    "it's single",
    "back\\slash and \\n escape",
    "unicode é ü 😀 ✓",
    "dollar $HOME ${X} $$",
    "  spaces  inside  ",
    "multi\nline",
    "123",
    "true",
]


def encrypt(plain_text: str, target: Path, *recipients: str) -> Path:
    """``plain_text`` encrypted by the real sops for ``recipients`` into
    ``target`` (the format from its extension)."""
    plain = target.with_name("plain-" + target.name)
    plain.write_text(plain_text, encoding="utf-8")
    done = subprocess.run(
        [sops_binary(), "encrypt", "--age", ",".join(recipients), str(plain)],
        env={"PATH": os.environ.get("PATH", ""), "SOPS_DISABLE_VERSION_CHECK": "1"},
        capture_output=True,
        check=False,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr.decode()
    plain.unlink()
    target.write_bytes(done.stdout)
    return target


def environ(key: AgeKey) -> dict[str, str]:
    return {"PATH": os.environ.get("PATH", ""), "SOPS_AGE_KEY_FILE": str(key.path)}


def values(path: Path, key: AgeKey, fmt: str | None = None) -> dict[object, str]:
    document = decrypt_file(path, age_identities(environ(key)), fmt)
    return {keys: value.reveal() for keys, value in document.values.items()}


def fake_sops(folder: Path, body: str, name: str = "sops") -> str:
    """An executable Python script standing in for sops."""
    folder.mkdir(exist_ok=True)
    script = folder / name
    script.write_text(f"#!{sys.executable}\nimport json, subprocess, sys\n{body}\n")
    script.chmod(0o755)
    return str(script)


def listing(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir())


@pytest.fixture
def key(tmp_path: Path) -> AgeKey:
    return make_age_key(tmp_path, "age.txt")


@pytest.fixture
def store(tmp_path: Path) -> Path:
    folder = tmp_path / "store"
    folder.mkdir()
    return folder


@pytest.fixture
def binary() -> str:
    return find_sops({"PATH": os.environ.get("PATH", "")}, sops_binary())


def test_yaml_nested_key(store: Path, key: AgeKey, binary: str) -> None:
    path = encrypt(YAML, store / "secrets.yaml", key.recipient)
    path.chmod(0o640)
    original = path.read_bytes()
    before = values(path, key)

    new = SecretValue("n3w-pässword")
    assert write_sops_value(
        path, ("database", "password"), None, new, environ(key), binary
    )

    after = values(path, key)
    assert after == {**before, ("database", "password"): "n3w-pässword"}
    real = yaml.safe_load(sops_decrypt(path, key))
    assert real["database"] == {"password": "n3w-pässword", "port": 27017}
    assert real["tokens"] == ["first-token", "second-token"]
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    backup = store / "secrets.yaml.bak"
    assert backup.read_bytes() == original
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    assert listing(store) == ["secrets.yaml", "secrets.yaml.bak"]


def test_list_item(store: Path, key: AgeKey, binary: str) -> None:
    path = encrypt(YAML, store / "secrets.yaml", key.recipient)
    write_sops_value(path, ("tokens", 1), None, SecretValue("t2"), environ(key), binary)
    assert yaml.safe_load(sops_decrypt(path, key))["tokens"] == ["first-token", "t2"]


def test_json(store: Path, key: AgeKey, binary: str) -> None:
    path = encrypt(JSON, store / "secrets.json", key.recipient)
    value = SecretValue('j"s\\on é')
    assert write_sops_value(
        path, ("webhook", "secret"), None, value, environ(key), binary
    )
    real = json.loads(sops_decrypt(path, key))
    assert real == {"webhook": {"secret": 'j"s\\on é', "n": 3}, "other": "kept"}


def test_dotenv(store: Path, key: AgeKey, binary: str) -> None:
    path = encrypt(DOTENV, store / "core.env", key.recipient)
    value = SecretValue("d0t $env 'x'")
    name = ("KOMODO_DATABASE_PASSWORD",)
    assert write_sops_value(path, name, None, value, environ(key), binary)
    assert values(path, key) == {name: "d0t $env 'x'", ("KOMODO_OTHER",): "kept"}
    assert "KOMODO_OTHER=kept" in sops_decrypt(path, key)


def test_explicit_format(store: Path, key: AgeKey, binary: str) -> None:
    path = encrypt(YAML, store / "secrets.yaml", key.recipient)
    renamed = path.rename(store / "secrets.sops")
    value = SecretValue("fmt")
    keys = ("database", "password")
    assert write_sops_value(renamed, keys, "yaml", value, environ(key), binary)
    assert values(renamed, key, "yaml")[keys] == "fmt"


@pytest.mark.parametrize("text", AWKWARD)
def test_awkward_values_round_trip(
    store: Path, key: AgeKey, binary: str, text: str
) -> None:
    path = encrypt(YAML, store / "secrets.yaml", key.recipient)
    keys = ("database", "password")
    assert write_sops_value(path, keys, None, SecretValue(text), environ(key), binary)
    assert values(path, key)[keys] == text
    assert yaml.safe_load(sops_decrypt(path, key))["database"]["password"] == text


def test_two_recipients_kept(store: Path, key: AgeKey, tmp_path: Path) -> None:
    second = make_age_key(tmp_path, "second.txt")
    path = encrypt(YAML, store / "secrets.yaml", key.recipient, second.recipient)
    binary = sops_binary()
    keys = ("database", "password")
    write_sops_value(path, keys, None, SecretValue("both"), environ(key), binary)
    for each in (key, second):
        assert yaml.safe_load(sops_decrypt(path, each))["database"]["password"] == (
            "both"
        )
    recipients = [
        entry["recipient"] for entry in yaml.safe_load(path.read_text())["sops"]["age"]
    ]
    assert sorted(recipients) == sorted([key.recipient, second.recipient])


def test_twice_is_harmless(store: Path, key: AgeKey, binary: str) -> None:
    path = encrypt(YAML, store / "secrets.yaml", key.recipient)
    keys = ("database", "password")
    value = SecretValue("again")
    assert write_sops_value(path, keys, None, value, environ(key), binary)
    written = path.read_bytes()
    backup = (store / "secrets.yaml.bak").read_bytes()
    assert not write_sops_value(path, keys, None, value, environ(key), binary)
    assert path.read_bytes() == written
    assert (store / "secrets.yaml.bak").read_bytes() == backup


def test_holding_the_value_writes_nothing(
    store: Path, key: AgeKey, binary: str
) -> None:
    path = encrypt(YAML, store / "secrets.yaml", key.recipient)
    original = path.read_bytes()
    keys = ("database", "password")
    value = SecretValue("old-password")
    assert not write_sops_value(path, keys, None, value, environ(key), binary)
    assert path.read_bytes() == original
    assert listing(store) == ["secrets.yaml"]


def test_absent_key_is_refused(store: Path, key: AgeKey, binary: str) -> None:
    path = encrypt(YAML, store / "secrets.yaml", key.recipient)
    original = path.read_bytes()
    keys = ("database", "user")
    with pytest.raises(WriteError, match=r"has no key `database\.user`"):
        write_sops_value(path, keys, None, SecretValue("x"), environ(key), binary)
    assert path.read_bytes() == original
    assert listing(store) == ["secrets.yaml"]


def test_hand_edited_file_is_refused(store: Path, key: AgeKey, binary: str) -> None:
    path = encrypt(YAML, store / "secrets.yaml", key.recipient)
    path.write_text(path.read_text().replace("left in clear", "edited by hand"))
    original = path.read_bytes()
    keys = ("database", "password")
    with pytest.raises(WriteError, match="MAC mismatch"):
        write_sops_value(path, keys, None, SecretValue("x"), environ(key), binary)
    assert path.read_bytes() == original
    assert listing(store) == ["secrets.yaml"]


def test_no_identity_opens_the_file(
    store: Path, key: AgeKey, tmp_path: Path, binary: str
) -> None:
    path = encrypt(YAML, store / "secrets.yaml", key.recipient)
    stranger = make_age_key(tmp_path, "stranger.txt")
    keys = ("database", "password")
    with pytest.raises(WriteError, match="none of the age identities can open it"):
        write_sops_value(path, keys, None, SecretValue("x"), environ(stranger), binary)
    with pytest.raises(WriteError, match="no age identity found"):
        write_sops_value(path, keys, None, SecretValue("x"), {"PATH": ""}, binary)


def test_key_with_bracket_is_refused(store: Path, key: AgeKey, binary: str) -> None:
    path = encrypt('"a[b": old\n', store / "secrets.yaml", key.recipient)
    with pytest.raises(WriteError, match="cannot address a key holding `\\[`"):
        write_sops_value(path, ("a[b",), None, SecretValue("x"), environ(key), binary)


def test_sops_index() -> None:
    assert sops_index(("database", "password")) == '["database"]["password"]'
    assert sops_index(("tokens", 0)) == '["tokens"][0]'
    # sops strips the quotes and takes the rest as written: no JSON escapes.
    assert sops_index(('a"b', "c\\d")) == '["a"b"]["c\\d"]'


# Replacing the file ----------------------------------------------------------


def test_a_symbolic_link_is_written_through(
    store: Path, key: AgeKey, binary: str
) -> None:
    (store / "real").mkdir()
    target = encrypt(YAML, store / "real" / "secrets.yaml", key.recipient)
    target.chmod(0o640)
    original = target.read_bytes()
    link = store / "secrets.yaml"
    link.symlink_to(Path("real") / "secrets.yaml")
    keys = ("database", "password")
    assert write_sops_value(link, keys, None, SecretValue("l1nk"), environ(key), binary)
    assert link.is_symlink()
    assert values(target, key)[keys] == "l1nk"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert (store / "real" / "secrets.yaml.bak").read_bytes() == original
    assert listing(store) == ["real", "secrets.yaml"]
    assert listing(store / "real") == ["secrets.yaml", "secrets.yaml.bak"]


NOBODY = 65534


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root")
def test_owner_and_group_are_kept(store: Path, key: AgeKey, binary: str) -> None:
    path = encrypt(YAML, store / "secrets.yaml", key.recipient)
    os.chown(path, NOBODY, NOBODY)
    path.chmod(0o640)
    keys = ("database", "password")
    assert write_sops_value(path, keys, None, SecretValue("0wn"), environ(key), binary)
    status = path.stat()
    assert (status.st_uid, status.st_gid, stat.S_IMODE(status.st_mode)) == (
        NOBODY,
        NOBODY,
        0o640,
    )
    backup = (store / "secrets.yaml.bak").stat()
    assert (backup.st_uid, backup.st_gid) == (NOBODY, NOBODY)
    assert values(path, key)[keys] == "0wn"


def test_an_owner_that_cannot_be_kept_is_refused(
    store: Path, key: AgeKey, binary: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = encrypt(YAML, store / "secrets.yaml", key.recipient)
    original = path.read_bytes()
    owner = path.stat().st_uid
    monkeypatch.setattr(os, "geteuid", lambda: owner + 4242)
    keys = ("database", "password")
    with pytest.raises(WriteError, match=f"{path} belongs to uid {owner}, gid "):
        write_sops_value(path, keys, None, SecretValue("x"), environ(key), binary)
    assert path.read_bytes() == original
    assert listing(store) == ["secrets.yaml"]


@pytest.mark.parametrize("succeed", [True, False])
def test_a_temporary_that_cannot_be_removed_hides_nothing(
    store: Path,
    key: AgeKey,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    succeed: bool,
) -> None:
    path = encrypt(YAML, store / "secrets.yaml", key.recipient)
    binary = sops_binary() if succeed else fake_sops(tmp_path / "bin", "exit(3)")
    unlink = os.unlink

    def refused(target: object, *args: object, **kwargs: object) -> None:
        if str(target).endswith(".sops-tmp"):  # the folder turned read-only
            raise PermissionError(13, "Permission denied", str(target))
        unlink(target, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "unlink", refused)
    keys = ("database", "password")
    if succeed:
        assert write_sops_value(
            path, keys, None, SecretValue("v"), environ(key), binary
        )
        assert values(path, key)[keys] == "v"
    else:
        with pytest.raises(WriteError, match=r"sops set failed \(exit 3\)"):
            write_sops_value(path, keys, None, SecretValue("v"), environ(key), binary)


def test_copies_a_killed_run_left_are_removed(
    store: Path, key: AgeKey, binary: str
) -> None:
    path = encrypt(YAML, store / "secrets.yaml", key.recipient)
    leftovers = [".secrets.yaml.0123456789ab.sops-tmp", ".secrets.yaml.bak.77.tmp"]
    kept = [
        ".secrets.yaml.0123456789AB.sops-tmp",
        ".secrets.yaml.0123456789a.sops-tmp",
        ".secrets.yaml.notes.sops-tmp",
        ".other.yaml.0123456789ab.sops-tmp",
        "secrets.yaml.0123456789ab.sops-tmp",
    ]
    for name in leftovers + kept:
        (store / name).write_bytes(path.read_bytes())
    keys = ("database", "password")
    assert write_sops_value(path, keys, None, SecretValue("v"), environ(key), binary)
    assert listing(store) == sorted(["secrets.yaml", "secrets.yaml.bak", *kept])


def test_sops_sees_only_the_environment_it_needs(
    store: Path, key: AgeKey, tmp_path: Path
) -> None:
    path = encrypt(YAML, store / "secrets.yaml", key.recipient)
    dump = tmp_path / "environments.jsonl"
    probe = fake_sops(
        tmp_path / "bin",
        f"import os\nwith open({str(dump)!r}, 'a') as out:\n"
        "    out.write(json.dumps(dict(os.environ)) + '\\n')\n"
        "if '--version' in sys.argv: print('sops 3.11.0')\nelse: sys.exit(1)",
    )
    needed = {
        **environ(key),
        "HOME": str(tmp_path / "home"),
        "TMPDIR": str(tmp_path),
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "GNUPGHOME": str(tmp_path / "gnupg"),
        "SOPS_PGP_FP": "0000000000000000000000000000000000000000",
    }
    unrelated = {
        "GITHUB_TOKEN": "ghp_Zq~token",
        "KOMODO_API_SECRET": "Zq~secret",
        "AWS_SECRET_ACCESS_KEY": "Zq~aws",
        "PYTHONPATH": str(tmp_path),
        "XSOPS_TRAP": "1",
    }
    everything = {**needed, **unrelated, "SOPS_DISABLE_VERSION_CHECK": "0"}
    assert find_sops(everything, probe) == probe
    with pytest.raises(WriteError, match=r"sops set failed \(exit 1\)"):
        write_sops_value(
            path, ("database", "password"), None, SecretValue("v"), everything, probe
        )
    seen = [json.loads(line) for line in dump.read_text().splitlines()]
    expected = {**needed, "SOPS_DISABLE_VERSION_CHECK": "1"}
    assert seen == [expected, expected]


# Finding the binary ----------------------------------------------------------


def test_find_sops_on_path(tmp_path: Path) -> None:
    folder = Path(sops_binary()).parent
    assert find_sops({"PATH": str(folder)}) == str(folder / "sops")


def test_find_sops_missing(tmp_path: Path) -> None:
    with pytest.raises(WriteError, match="sops binary is not on PATH"):
        find_sops({"PATH": str(tmp_path)})
    with pytest.raises(WriteError, match=r"cannot run .*nowhere/sops"):
        find_sops({}, str(tmp_path / "nowhere" / "sops"))


def test_find_sops_too_old(tmp_path: Path) -> None:
    old = fake_sops(tmp_path / "bin", 'print("sops 3.8.1")')
    with pytest.raises(WriteError, match=r"is sops 3\.8\.1; .* needs sops 3\.10"):
        find_sops({"PATH": str(tmp_path / "bin")})
    with pytest.raises(WriteError, match=r"sops 3\.8\.1"):
        find_sops({}, old)
    assert MIN_SOPS == (3, 10)


def test_find_sops_turns_the_version_check_off(tmp_path: Path) -> None:
    checked = fake_sops(
        tmp_path / "bin",
        'import os\nif os.environ.get("SOPS_DISABLE_VERSION_CHECK") != "1":\n'
        '    print("would ask GitHub"); sys.exit(3)\nprint("sops 3.11.0 (latest)")',
    )
    assert find_sops({"SOPS_DISABLE_VERSION_CHECK": "0"}, checked) == checked


def test_find_sops_without_a_version(tmp_path: Path) -> None:
    silent = fake_sops(tmp_path / "bin", 'print("hello")')
    with pytest.raises(WriteError, match="did not print a sops version"):
        find_sops({}, silent)


# sops misbehaving ------------------------------------------------------------

ECHO_STDIN = "sys.stderr.write('bad: ' + sys.stdin.read() + '\\n'); sys.exit(1)"
ECHO_VALUE = "sys.stderr.write('bad: ' + json.load(sys.stdin) + '\\n'); sys.exit(1)"


@pytest.mark.parametrize("body", [ECHO_STDIN, ECHO_VALUE])
# A trailing space once escaped: the line was trimmed before it was scrubbed.
@pytest.mark.parametrize("secret", ['Zq~ "quoted" é \\ $x', "Zq~trailing ", "Zq~" * 80])
def test_failing_sops_hides_the_value(
    store: Path, key: AgeKey, tmp_path: Path, body: str, secret: str
) -> None:
    path = encrypt(YAML, store / "secrets.yaml", key.recipient)
    original = path.read_bytes()
    failing = fake_sops(tmp_path / "bin", body)
    keys = ("database", "password")
    with pytest.raises(WriteError) as caught:
        write_sops_value(path, keys, None, SecretValue(secret), environ(key), failing)
    text = str(caught.value)
    assert "sops set failed (exit 1)" in text
    assert f"{path}: database.password" in text
    for form in (secret, json.dumps(secret)[1:-1], "Zq~"):
        assert form not in text
    assert path.read_bytes() == original
    assert listing(store) == ["secrets.yaml"]


def test_sops_set_runs_with_the_version_check_off(
    store: Path, key: AgeKey, tmp_path: Path
) -> None:
    path = encrypt(YAML, store / "secrets.yaml", key.recipient)
    probe = fake_sops(
        tmp_path / "bin",
        "import os\nsaid = os.environ.get('SOPS_DISABLE_VERSION_CHECK', 'unset')\n"
        "sys.stderr.write('check=' + said + '\\n'); sys.exit(4)",
    )
    on = {**environ(key), "SOPS_DISABLE_VERSION_CHECK": "0"}
    with pytest.raises(WriteError, match=r"\(exit 4\): check=1$"):
        write_sops_value(
            path, ("database", "password"), None, SecretValue("v-1"), on, probe
        )


def test_failing_sops_shows_its_line(store: Path, key: AgeKey, tmp_path: Path) -> None:
    path = encrypt(YAML, store / "secrets.yaml", key.recipient)
    failing = fake_sops(
        tmp_path / "bin", "sys.stderr.write('  no key to open it  \\nmore\\n'); exit(2)"
    )
    with pytest.raises(WriteError, match=r"\(exit 2\): no key to open it$"):
        write_sops_value(
            path,
            ("database", "password"),
            None,
            SecretValue("v"),
            environ(key),
            failing,
        )


def test_slow_sops_times_out(store: Path, key: AgeKey, tmp_path: Path) -> None:
    path = encrypt(YAML, store / "secrets.yaml", key.recipient)
    slow = fake_sops(tmp_path / "bin", "import time\ntime.sleep(20)")
    with pytest.raises(WriteError, match=r"did not finish within 0\.5 s"):
        write_sops_value(
            path,
            ("database", "password"),
            None,
            SecretValue("v"),
            environ(key),
            slow,
            timeout=0.5,
        )
    assert listing(store) == ["secrets.yaml"]


def wrapper(folder: Path, after: str) -> str:
    """A sops that runs the real one, then ``after`` with FILE set to the file
    it was given (to break the result in a chosen way)."""
    real = sops_binary()
    return fake_sops(
        folder,
        f"done = subprocess.run([{real!r}, *sys.argv[1:]])\n"
        "if done.returncode: sys.exit(done.returncode)\n"
        f"FILE = sys.argv[-2]\nREAL = {real!r}\n{after}",
    )


def _changes_another_key(tmp_path: Path) -> str:
    return (
        "subprocess.run([REAL, 'set', '--input-type', 'yaml',"
        " '--output-type', 'yaml', '--value-stdin', FILE, '[\"tokens\"][0]'],"
        " input=b'\"changed\"', check=True)"
    )


def _adds_a_recipient(tmp_path: Path) -> str:
    extra = make_age_key(tmp_path, "extra.txt")
    return (
        "subprocess.run([REAL, 'rotate', '--in-place', '--input-type', 'yaml',"
        f" '--output-type', 'yaml', '--add-age', {extra.recipient!r}, FILE],"
        " check=True)"
    )


def _writes_garbage(tmp_path: Path) -> str:
    return (
        "text = open(FILE).read().replace('left in clear', 'tampered')\n"
        "open(FILE, 'w').write(text)"
    )


@pytest.mark.parametrize(
    ("meddle", "message"),
    [
        (_changes_another_key, "sops changed other keys"),
        (_adds_a_recipient, "sops changed the file's recipients"),
        (_writes_garbage, "fails its MAC check; nothing was replaced"),
    ],
)
def test_a_sops_that_does_more_than_asked_is_refused(
    store: Path,
    key: AgeKey,
    tmp_path: Path,
    meddle: Callable[[Path], str],
    message: str,
) -> None:
    path = encrypt(YAML, store / "secrets.yaml", key.recipient)
    original = path.read_bytes()
    meddling = wrapper(tmp_path / "bin", meddle(tmp_path))
    with pytest.raises(WriteError, match=message):
        write_sops_value(
            path,
            ("database", "password"),
            None,
            SecretValue("v"),
            environ(key),
            meddling,
        )
    assert path.read_bytes() == original
    assert listing(store) == ["secrets.yaml"]


# Secrecy ---------------------------------------------------------------------

VALUES = st.text(
    alphabet=st.characters(
        codec="utf-8", exclude_categories=["Cc"], include_characters="\"'\\$ \t\n"
    ),
    min_size=10,
    max_size=40,
).map(lambda text: "Zq~" + text)


def leak_forms(value: str) -> set[str]:
    return {value, json.dumps(value)[1:-1], repr(value)[1:-1], "Zq~"}


@pytest.fixture(scope="module")
def sealed() -> Iterator[tuple[AgeKey, bytes]]:
    """One encrypted YAML file (its bytes) and its key, made once."""
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        key = make_age_key(folder, "age.txt")
        data = encrypt(YAML, folder / "secrets.yaml", key.recipient).read_bytes()
        yield key, data


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(value=VALUES, fail=st.booleans())
def test_value_reaches_only_the_sops_file(
    value: str,
    fail: bool,
    sealed: tuple[AgeKey, bytes],
    capfd: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    key, data = sealed
    caplog.set_level(logging.DEBUG)
    caplog.clear()
    capfd.readouterr()
    produced: list[str] = []
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        store = folder / "store"
        store.mkdir()
        path = store / "secrets.yaml"
        path.write_bytes(data)
        binary = fake_sops(folder / "bin", ECHO_VALUE) if fail else sops_binary()
        try:
            written = write_sops_value(
                path,
                ("database", "password"),
                None,
                SecretValue(value),
                environ(key),
                binary,
            )
        except WriteError as error:
            produced.append(str(error))
            assert fail
        else:
            assert written
            assert not fail
            assert values(path, key)[("database", "password")] == value
        produced.append("\n".join(listing(store)))
        produced += [
            item.read_text(errors="replace")
            for item in folder.rglob("*")
            if item.is_file() and item.name not in ("secrets.yaml", "secrets.yaml.bak")
        ]
    captured = capfd.readouterr()
    produced += [captured.out, captured.err, caplog.text]
    for form in leak_forms(value):
        for text in produced:
            assert form not in text
