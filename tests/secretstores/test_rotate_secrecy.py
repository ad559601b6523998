"""No value of a rotated secret, old or new, reaches standard output, standard
error, a log record (at DEBUG), an exception or the journal file in clear."""

from __future__ import annotations

import logging
import string
import tempfile
from pathlib import Path
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from komodo_guard.cli.rotate import default_journal, secrets_rotate
from komodo_guard.secrets.journal import Journal
from komodo_guard.secrets.places.interface import Context
from komodo_guard.secrets.rotate import RotateError, Rotation, plan_rotation
from komodo_guard.secrets.secretmap import load_secret_map
from komodo_guard.secrets.value import SecretValue
from komodo_guard.testing.mongo import FakeMongo, MongoUser
from tests.secretstores.test_rotate import MAP

ALPHABET = "".join(
    sorted(set(string.printable) - set(string.whitespace) - set("'\"\\"))
)
VALUES = (
    st.text(alphabet=ALPHABET, min_size=12, max_size=40)
    .filter(lambda text: len(set(text)) >= 4)  # "000000000000" is in pymongo ids
    .map(lambda text: "Zq~" + text)
)


def forms(value: str) -> set[str]:
    return {value, quote(value, safe=""), repr(value)[1:-1]}


def setup(folder: Path, port: int, old: str) -> Path:
    (folder / "compose.env").write_text(f"KOMODO_DATABASE_PASSWORD='{old}'\n")
    (folder / "periphery.env").write_text(f"A=1\nDB_PASSWORD='{old}'\n")
    path = folder / "komodo-guard.toml"
    path.write_text(MAP.format(port=port))
    return path


@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(old=VALUES, new=VALUES)
def test_no_value_escapes(
    old: str,
    new: str,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    if old == new:
        return
    caplog.set_level(logging.DEBUG)
    caplog.clear()
    capsys.readouterr()
    produced: list[str] = []
    with (
        tempfile.TemporaryDirectory() as temporary,
        FakeMongo([MongoUser("komodo", old, "admin")]) as mongo,
    ):
        folder = Path(temporary)
        map_path = setup(folder, mongo.port, old)
        journal = Journal(default_journal(load_secret_map(map_path), "db"), {})

        def snapshot(line: str) -> None:
            produced.append(line)
            if journal.exists():
                produced.append(journal.path.read_text())
            if line.startswith("step 2/3"):  # the last step will fail
                (folder / "periphery.env").unlink()
                (folder / "periphery.env").mkdir()

        plan = plan_rotation(load_secret_map(map_path).secrets[0])
        rotation = Rotation(plan, Context(folder, {}, timeout=5), journal, snapshot)
        new_file = folder / "new.txt"
        new_file.write_text(new + "\n")
        with pytest.raises(RotateError) as caught:
            rotation.start(SecretValue(new))
        produced.append(str(caught.value))
        produced.append(journal.path.read_text())
        (folder / "periphery.env").rmdir()
        (folder / "periphery.env").write_text(f"DB_PASSWORD='{old}'\n")
        assert secrets_rotate("db", search=False, map_file=map_path, rollback=True) == 0
        assert secrets_rotate("db", search=False, map_file=map_path, dry_run=True) == 0
        assert (
            secrets_rotate(
                "db", search=False, map_file=map_path, new_value_file=new_file
            )
            == 0
        )
        # a failing pre-flight: the copies now disagree
        (folder / "periphery.env").write_text(f"DB_PASSWORD='{old}'\n")
        assert secrets_rotate("db", search=False, map_file=map_path) == 2
    out, err = capsys.readouterr()
    produced += [out, err]
    produced += [record.getMessage() for record in caplog.records]
    everything = "\n".join(produced)
    assert "every place holds the new value" in everything
    assert '"status": "started"' in everything  # the journal was looked at
    for value in (old, new):
        for form in forms(value):
            assert form not in everything
