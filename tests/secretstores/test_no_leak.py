"""Property tests: no secret value, prefix, suffix, length mask or hash of it
reaches any output format, log line (DEBUG included), exception or file.

Each example generates secrets, puts them in real stores (an env file, a SOPS
file made by sops, a container on a Docker Engine fake, Core's Variables in
the emulator, a MongoDB stand-in with SCRAM), runs ``secrets check`` in every
format to standard output and to a file, and greps everything produced.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import shutil
import string
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from komodo_guard.cli.main import UsageError
from komodo_guard.cli.secrets import secrets_check
from komodo_guard.live.fingerprint import fingerprint
from komodo_guard.secrets.places.interface import Context, StoreError
from komodo_guard.secrets.places.sops import SopsPlace
from komodo_guard.secrets.sops import SopsError
from komodo_guard.testing import CoreEmulator, Scenario
from komodo_guard.testing.mongo import FakeMongo, MongoUser
from tests.host.fakedocker import FakeContainer
from tests.secretstores.storekit import make_age_key, named_engine, sops_encrypt

FIXED_KEY = b"k" * 32
MARK, END = "Kx7", "Zw8"
# Characters a dotenv value, a YAML scalar and an env var all keep as written.
ALPHABET = string.ascii_letters + string.digits + "!%&()*+,-./:;<=>?@[]^_{|}~éß€中"
# Marked at both ends, so a 6-character prefix or suffix is distinctive.
SECRETS = st.text(alphabet=ALPHABET, min_size=9, max_size=40).map(
    lambda text: MARK + text + END
)
EXAMPLES = settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def forbidden(value: str) -> set[str]:
    """Every text that would betray ``value``."""
    raw = value.encode()
    digests = {
        digest(raw).hexdigest()
        for digest in (hashlib.md5, hashlib.sha1, hashlib.sha256, hashlib.sha512)
    }
    keyed = fingerprint(FIXED_KEY, value)
    return {
        value,
        value[:6],
        value[-6:],
        quote(value, safe=""),
        base64.b64encode(raw).decode(),
        "#" * len(value),
        keyed,
        keyed[:16],
        *digests,
        *(digest.upper() for digest in digests),
    }


def assert_clean(texts: list[str], values: list[str]) -> None:
    for value in values:
        for fragment in forbidden(value):
            for text in texts:
                assert fragment not in text, f"a form of a secret leaked: {fragment!r}"


@contextmanager
def folder() -> Iterator[Path]:
    path = Path(tempfile.mkdtemp(prefix="kg-leak-"))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


MAP = """\
[[secrets.secret]]
name = "db"
places = [
  {{kind = "env-file", file = "compose.env", key = "DB_PASSWORD", source = true}},
  {{kind = "sops", file = "secrets.yaml", key = "db.password"}},
  {{kind = "container", container = "app-1", variable = "DB_PASSWORD"}},
  {{kind = "komodo-variable", variable = "DB_PASSWORD"}},
  {{kind = "mongodb-user", host = "127.0.0.1", port = {port}, user = "admin"}},
]
"""


@pytest.fixture(autouse=True)
def fixed_key(monkeypatch: pytest.MonkeyPatch) -> None:
    """A known fingerprint key, so the test can look for the fingerprints."""
    monkeypatch.setattr("komodo_guard.secrets.check.new_key", lambda: FIXED_KEY)


@given(first=SECRETS, second=SECRETS, admin=st.booleans())
@EXAMPLES
def test_check_never_shows_a_secret(
    first: str,
    second: str,
    admin: bool,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assume(first != second)
    caplog.clear()
    caplog.set_level(logging.DEBUG)
    capsys.readouterr()
    with folder() as base:
        key = make_age_key(base)
        (base / "compose.env").write_text(f"DB_PASSWORD={first}\n")
        plain = base / "plain.yaml"
        plain.write_text(f"db:\n  password: '{second}'\n")
        sops_encrypt(plain, key, base / "secrets.yaml")
        plain.unlink()
        scenario = Scenario(
            variables=[{"name": "DB_PASSWORD", "value": first, "is_secret": True}]
        )
        with (
            named_engine([FakeContainer("app-1", env=[f"DB_PASSWORD={second}"])]) as e,
            CoreEmulator(scenario, admin=admin, api_key="K-l", api_secret="S-l") as c,
            FakeMongo([MongoUser("admin", second)], iterations=4096) as mongo,
        ):
            (base / "map.toml").write_text(MAP.format(port=mongo.port))
            monkeypatch.setenv("SOPS_AGE_KEY_FILE", str(key.path))
            monkeypatch.setenv("KOMODO_API_KEY", "K-l")
            monkeypatch.setenv("KOMODO_API_SECRET", "S-l")
            runs = [(fmt, None) for fmt in ("text", "json", "markdown")]
            runs.append(("json", base / "report.json"))
            codes = [
                secrets_check(
                    base,
                    map_file=base / "map.toml",
                    fmt=fmt,
                    komodo=c.url,
                    docker_socket=e.socket,
                    output=output,
                )
                for fmt, output in runs
            ]
        reports = [path.read_text() for path in base.glob("report.*")]
    out, err = capsys.readouterr()
    assert set(codes) == {1 if admin else 2}
    assert len(reports) == 1
    assert "different" in out
    assert_clean([out, err, caplog.text, *reports], [first, second])


@given(value=SECRETS)
@EXAMPLES
def test_errors_never_quote_a_secret(
    value: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.clear()
    caplog.set_level(logging.DEBUG)
    messages: list[str] = []
    with folder() as base:
        key = make_age_key(base)
        plain = base / "plain.yaml"
        plain.write_text(f"db:\n  password: '{value}'\n  note_unencrypted: x\n")
        path = sops_encrypt(plain, key, base / "s.yaml")
        # Edit a clear value by hand (MAC), then move an encrypted value (AAD).
        edited = path.read_text().replace("note_unencrypted: x", "note_unencrypted: y")
        path.write_text(edited)
        context = Context(base, {"SOPS_AGE_KEY_FILE": str(key.path)})
        for place in (SopsPlace("s.yaml", ("db", "password")),):
            with pytest.raises(StoreError) as caught:
                place.read(context)
            messages.append(str(caught.value))
        broken = base / "broken.yaml"
        broken.write_text(f"a: [{value}\n")
        (base / "bad.env").write_text(f"{value}\n")
        for target in (broken, base / "bad.env", plain):
            with pytest.raises((SopsError, StoreError)) as error:
                SopsPlace(target.name, ("a",)).read(context)
            messages.append(str(error.value))
        (base / "map.toml").write_text(
            f'[[secrets.secret]]\nname = "x"\nplaces = [{{kind = "{value}"}}]\n'
        )
        with pytest.raises(UsageError) as usage:
            secrets_check(base, map_file=base / "map.toml")
        assert MARK in str(usage.value)  # the map itself is not a secret store
    assert "MAC mismatch" in messages[0]
    assert_clean([*messages, caplog.text], [value])
