"""``secrets rotate`` on env files and a MongoDB user: plan, pre-flight, the
steps, verify, resume and rollback (in this process; crashes are in
``test_rotate_crash.py``)."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from komodo_guard.cli.main import UsageError
from komodo_guard.cli.rotate import default_journal, secrets_rotate
from komodo_guard.secrets.dbauth import MongoPlace, verify_mongodb
from komodo_guard.secrets.journal import Journal
from komodo_guard.secrets.places.envfile import EnvFilePlace
from komodo_guard.secrets.places.interface import Context, Found
from komodo_guard.secrets.rotate import (
    RotateError,
    Rotation,
    VerifyError,
    plan_rotation,
)
from komodo_guard.secrets.secretmap import load_secret_map
from komodo_guard.secrets.value import SecretValue
from komodo_guard.testing.mongo import FakeMongo, MongoUser

OLD = "the-initial-password"
MAP = """\
[[secrets.secret]]
name = "db"

[[secrets.secret.places]]
kind = "env-file"
file = "compose.env"
key = "KOMODO_DATABASE_PASSWORD"
source = true

[[secrets.secret.places]]
kind = "mongodb-user"
host = "127.0.0.1"
port = {port}
user = "komodo"

[[secrets.secret.places]]
kind = "env-file"
file = "periphery.env"
key = "DB_PASSWORD"
"""
COMPOSE = f"# Komodo\nKOMODO_HOST=https://komodo.example\nKOMODO_DATABASE_PASSWORD={OLD}\nTZ=UTC\n"
PERIPHERY = f"export DB_PASSWORD='{OLD}'\nOTHER=1"


@pytest.fixture
def mongo() -> Iterator[FakeMongo]:
    with FakeMongo([MongoUser("komodo", OLD, "admin")]) as server:
        yield server


def make_setup(folder: Path, port: int, *, extra: str = "") -> Path:
    (folder / "compose.env").write_text(COMPOSE)
    (folder / "compose.env").chmod(0o640)
    (folder / "periphery.env").write_text(PERIPHERY)
    path = folder / "komodo-guard.toml"
    path.write_text(MAP.format(port=port) + extra)
    return path


@pytest.fixture
def setup(tmp_path: Path, mongo: FakeMongo) -> Path:
    return make_setup(tmp_path, mongo.port)


def env_value(folder: Path, file: str, key: str) -> str:
    reading = EnvFilePlace(file, key).read(Context(folder, {}))
    assert isinstance(reading, Found)
    return reading.value.reveal()


def values(folder: Path, port: int) -> tuple[str, str, str]:
    """Both env copies, and which of old/other the MongoDB user accepts."""
    first = env_value(folder, "compose.env", "KOMODO_DATABASE_PASSWORD")
    second = env_value(folder, "periphery.env", "DB_PASSWORD")
    place = MongoPlace("127.0.0.1", port, "komodo")
    accepts = verify_mongodb(place, SecretValue(first)).state
    return first, second, accepts


def test_plan_puts_database_users_first_and_dry_run_shows_no_value(
    setup: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert secrets_rotate("db", search=False, map_file=setup, dry_run=True) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert "1. change the password of MongoDB user komodo@127.0.0.1:" in lines[2]
    assert "write compose.env: KOMODO_DATABASE_PASSWORD" in lines[3]
    assert "write periphery.env: DB_PASSWORD" in lines[4]
    assert "verify every place" in lines[5]
    assert OLD not in out
    assert env_value(setup.parent, "compose.env", "KOMODO_DATABASE_PASSWORD") == OLD
    assert not default_journal(load_secret_map(setup), "db").exists()


def test_container_places_follow_and_sops_places_come_after_env_files(
    tmp_path: Path,
) -> None:
    path = tmp_path / "komodo-guard.toml"
    path.write_text(
        '[[secrets.secret]]\nname = "a"\nplaces = [\n'
        '  {kind = "env-file", file = "x.env", key = "K"},\n'
        '  {kind = "container", container = "komodo-core", variable = "K"},\n]\n'
        '[[secrets.secret]]\nname = "b"\nplaces = [\n'
        '  {kind = "sops", file = "s.yaml", key = "k"},\n'
        '  {kind = "env-file", file = "x.env", key = "K"},\n]\n'
        '[[secrets.secret]]\nname = "c"\nplaces = [\n'
        '  {kind = "container", container = "komodo-core", variable = "K"},\n]\n'
    )
    secret_map = load_secret_map(path)
    plan = plan_rotation(secret_map.secrets[0])
    assert plan.labels == ("x.env: K",)
    assert "not changed: container" in plan.render()
    second = plan_rotation(secret_map.secrets[1])
    assert second.labels == ("x.env: K", "s.yaml: k")
    assert "afterwards: commit and push s.yaml if it is kept in git" in second.render()
    with pytest.raises(RotateError, match="no place that rotate can write"):
        plan_rotation(secret_map.secrets[2])


def test_rotation_changes_every_place_and_removes_the_journal(
    setup: Path, mongo: FakeMongo, capsys: pytest.CaptureFixture[str]
) -> None:
    assert secrets_rotate("db", search=False, map_file=setup) == 0
    first, second, accepts = values(setup.parent, mongo.port)
    assert first == second != OLD
    assert len(first) == 43  # token_urlsafe(32)
    assert accepts == "verified"
    place = MongoPlace("127.0.0.1", mongo.port, "komodo")
    assert verify_mongodb(place, SecretValue(OLD)).state == "refused"
    out = capsys.readouterr().out
    assert "step 3/3" in out
    assert "every place holds the new value" in out
    assert first not in out
    assert OLD not in out
    assert not default_journal(load_secret_map(setup), "db").exists()
    assert not (setup.parent / ".komodo-guard" / "rotate-db.journal.key").exists()
    # the rest of each file is kept, the old file is the backup
    compose = (setup.parent / "compose.env").read_text()
    assert compose == COMPOSE.replace(OLD, first)
    assert stat.S_IMODE((setup.parent / "compose.env").stat().st_mode) == 0o640
    assert (setup.parent / "compose.env.bak").read_text() == COMPOSE
    assert stat.S_IMODE((setup.parent / "compose.env.bak").stat().st_mode) == 0o600
    assert (setup.parent / "periphery.env").read_text() == (
        f"export DB_PASSWORD={first}\nOTHER=1"
    )


def test_new_value_can_come_from_a_file(setup: Path, mongo: FakeMongo) -> None:
    given = setup.parent / "new.txt"
    given.write_text("chosen-by-the-operator_1\n")
    assert secrets_rotate("db", search=False, map_file=setup, new_value_file=given) == 0
    assert values(setup.parent, mongo.port) == (
        "chosen-by-the-operator_1",
        "chosen-by-the-operator_1",
        "verified",
    )


def test_preflight_refuses_disagreeing_copies_and_changes_nothing(
    setup: Path, mongo: FakeMongo, capsys: pytest.CaptureFixture[str]
) -> None:
    (setup.parent / "periphery.env").write_text("DB_PASSWORD=something-else\n")
    assert secrets_rotate("db", search=False, map_file=setup) == 2
    err = capsys.readouterr().err
    assert "pre-flight" in err
    assert "periphery.env: DB_PASSWORD: holds a different" in err
    assert "something-else" not in err
    assert OLD not in err
    place = MongoPlace("127.0.0.1", mongo.port, "komodo")
    assert verify_mongodb(place, SecretValue(OLD)).state == "verified"
    assert not default_journal(load_secret_map(setup), "db").exists()


def test_preflight_refuses_when_the_database_rejects_the_current_value(
    tmp_path: Path,
) -> None:
    with FakeMongo([MongoUser("komodo", "not-the-file-value", "admin")]) as other:
        path = make_setup(tmp_path, other.port)
        plan = plan_rotation(load_secret_map(path).secrets[0])
        rotation = Rotation(
            plan, Context(tmp_path, {}, timeout=5), Journal(tmp_path / "j", {})
        )
        with pytest.raises(RotateError, match=r"MongoDB user komodo.*refused"):
            rotation.start()
    assert env_value(tmp_path, "compose.env", "KOMODO_DATABASE_PASSWORD") == OLD


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write any file")
def test_preflight_refuses_a_read_only_env_file(
    setup: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (setup.parent / "periphery.env").chmod(0o400)
    assert secrets_rotate("db", search=False, map_file=setup) == 2
    assert "periphery.env: DB_PASSWORD: the file or its folder is not writable" in (
        capsys.readouterr().err
    )


def test_unreachable_database_fails_preflight(tmp_path: Path) -> None:
    with FakeMongo([]) as gone:
        port = gone.port
    path = make_setup(tmp_path, port)
    assert secrets_rotate("db", search=False, map_file=path, timeout=1) == 2
    assert env_value(tmp_path, "compose.env", "KOMODO_DATABASE_PASSWORD") == OLD


def test_a_left_journal_blocks_a_new_rotation(
    setup: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    journal = default_journal(load_secret_map(setup), "db")
    journal.parent.mkdir()
    journal.write_text("{}")
    assert secrets_rotate("db", search=False, map_file=setup) == 2
    assert "--resume" in capsys.readouterr().err


def test_resume_or_rollback_without_a_journal_is_an_error(
    setup: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert secrets_rotate("db", search=False, map_file=setup, resume=True) == 2
    assert secrets_rotate("db", search=False, map_file=setup, rollback=True) == 2
    assert "no interrupted rotation" in capsys.readouterr().err


def test_usage_errors(setup: Path) -> None:
    with pytest.raises(UsageError, match="at most one"):
        secrets_rotate("db", search=False, map_file=setup, resume=True, rollback=True)
    with pytest.raises(UsageError, match="no secret 'nope'"):
        secrets_rotate("nope", map_file=setup)


def failing_rotation(setup: Path, mongo: FakeMongo) -> tuple[Rotation, Journal]:
    """A rotation whose last step fails: periphery.env becomes a folder."""
    plan = plan_rotation(load_secret_map(setup).secrets[0])
    journal = Journal(setup.parent / "state" / "db.journal", {})
    folder = setup.parent

    def progress(line: str) -> None:
        if line.startswith("step 2/3"):
            (folder / "periphery.env").unlink()
            (folder / "periphery.env").mkdir()

    context = Context(folder, {}, timeout=5)
    return Rotation(plan, context, journal, progress), journal


def test_a_failed_step_keeps_the_journal_and_resume_finishes(
    setup: Path, mongo: FakeMongo
) -> None:
    rotation, journal = failing_rotation(setup, mongo)
    with pytest.raises(RotateError, match=r"periphery\.env.*--resume") as caught:
        rotation.start()
    assert OLD not in str(caught.value)
    assert journal.read().statuses == ("done", "done", "started")
    (setup.parent / "periphery.env").rmdir()
    (setup.parent / "periphery.env").write_text(PERIPHERY)
    assert (
        secrets_rotate(
            "db", search=False, map_file=setup, resume=True, journal_file=journal.path
        )
        == 0
    )
    first, second, accepts = values(setup.parent, mongo.port)
    assert first == second != OLD
    assert accepts == "verified"
    assert not journal.exists()


def test_rollback_restores_the_old_value_in_reverse_order(
    setup: Path, mongo: FakeMongo, capsys: pytest.CaptureFixture[str]
) -> None:
    rotation, journal = failing_rotation(setup, mongo)
    with pytest.raises(RotateError):
        rotation.start()
    (setup.parent / "periphery.env").rmdir()
    (setup.parent / "periphery.env").write_text(PERIPHERY)
    capsys.readouterr()
    assert (
        secrets_rotate(
            "db", search=False, map_file=setup, rollback=True, journal_file=journal.path
        )
        == 0
    )
    assert values(setup.parent, mongo.port) == (OLD, OLD, "verified")
    out = capsys.readouterr().out
    assert (
        out.index("undo step 3") < out.index("undo step 2") < out.index("undo step 1")
    )
    assert not journal.exists()


def test_redeploy_without_a_core_url_changes_nothing(
    setup: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("KOMODO_URL", raising=False)
    assert secrets_rotate("db", search=False, map_file=setup, redeploy=["app"]) == 2
    assert "cannot redeploy" in capsys.readouterr().err
    assert env_value(setup.parent, "compose.env", "KOMODO_DATABASE_PASSWORD") == OLD


def test_a_place_changed_behind_the_rotation_is_drift(
    setup: Path, mongo: FakeMongo, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = plan_rotation(load_secret_map(setup).secrets[0])
    journal = Journal(default_journal(load_secret_map(setup), "db"), {})
    compose = setup.parent / "compose.env"

    def progress(line: str) -> None:
        if line.startswith("step 3/3"):
            compose.write_text("KOMODO_DATABASE_PASSWORD=tampered-value\n")

    rotation = Rotation(plan, Context(setup.parent, {}, timeout=5), journal, progress)
    with pytest.raises(VerifyError, match="KOMODO_DATABASE_PASSWORD: does not hold"):
        rotation.start()
    assert journal.read().statuses == ("done", "done", "done")
    assert secrets_rotate("db", search=False, map_file=setup, resume=True) == 1
    captured = capsys.readouterr()
    assert "compose.env: KOMODO_DATABASE_PASSWORD: does not hold" in captured.err
    assert "tampered-value" not in captured.err
    assert captured.out == ""


def test_a_new_value_equal_to_the_current_one_is_refused(
    setup: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    given = setup.parent / "new.txt"
    given.write_text(OLD + "\n")
    assert secrets_rotate("db", search=False, map_file=setup, new_value_file=given) == 2
    assert "the same as the current one" in capsys.readouterr().err
    assert not default_journal(load_secret_map(setup), "db").exists()


def test_an_empty_new_value_file_is_a_usage_error(setup: Path) -> None:
    given = setup.parent / "new.txt"
    given.write_text("\n")
    with pytest.raises(UsageError, match="the new value\\) is empty"):
        secrets_rotate("db", search=False, map_file=setup, new_value_file=given)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("  padded-value-123\n", "starts or ends with a blank"),
        ("\n", "is empty"),
    ],
)
def test_a_new_value_file_is_read_strictly(
    tmp_path: Path, text: str, message: str
) -> None:
    path = env_secret(tmp_path, "x.env")
    given = tmp_path / "new.txt"
    given.write_text(text)
    with pytest.raises(UsageError, match=message):
        secrets_rotate("a", search=False, map_file=path, new_value_file=given)


def test_a_byte_order_mark_is_not_part_of_the_new_value(tmp_path: Path) -> None:
    path = env_secret(tmp_path, "x.env")
    given = tmp_path / "new.txt"
    given.write_bytes("\ufeffnew-value-1234\u2028ignored\n".encode())
    assert secrets_rotate("a", search=False, map_file=path, new_value_file=given) == 2
    given.write_bytes("\ufeffnew-value-1234\r\nsecond line\n".encode())
    assert secrets_rotate("a", search=False, map_file=path, new_value_file=given) == 0
    assert (tmp_path / "x.env").read_text() == "K=new-value-1234\n"
    assert (tmp_path / ".komodo-guard" / ".gitignore").read_text().endswith("*\n")


@pytest.mark.parametrize(
    ("file", "text", "key", "message"),
    [
        (
            "compose.env",
            "KOMODO_DATABASE_PASSWORD=old-value-0000\n"
            "KOMODO_DATABASE_URI=mongodb://admin:old-value-0000@db:27017\n",
            "KOMODO_DATABASE_PASSWORD",
            "also sets KOMODO_DATABASE_URI",
        ),
        (
            "core.config.toml",
            '[database]\npassword = "old-value-0000"\n'
            'uri = "mongodb://admin:old-value-0000@db:27017"\n',
            "database.password",
            "also sets database.uri",
        ),
    ],
)
def test_a_database_uri_beside_the_password_stops_the_preflight(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    file: str,
    text: str,
    key: str,
    message: str,
) -> None:
    path = tmp_path / "komodo-guard.toml"
    path.write_text(
        '[[secrets.secret]]\nname = "db"\nplaces = [\n'
        f'  {{kind = "core-config", file = "{file}", key = "{key}"}},\n]\n'
    )
    (tmp_path / file).write_text(text)
    assert secrets_rotate("db", search=False, map_file=path) == 2
    assert message in capsys.readouterr().err
    assert (tmp_path / file).read_text() == text


def test_a_url_holding_the_value_as_its_password_stops_the_preflight(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "komodo-guard.toml"
    path.write_text(
        '[[secrets.secret]]\nname = "db"\nplaces = [\n'
        '  {kind = "env-file", file = "compose.env", key = "KOMODO_DB_PASSWORD"},\n]\n'
    )
    text = (
        "KOMODO_DB_PASSWORD=old-value-0000\n"
        "KOMODO_DATABASE_URI=mongodb://admin:old-value-0000@db:27017/\n"
    )
    (tmp_path / "compose.env").write_text(text)
    assert secrets_rotate("db", search=False, map_file=path) == 2
    err = capsys.readouterr().err
    assert "KOMODO_DATABASE_URI holds the value as the password of a URL" in err
    assert "old-value-0000" not in err
    assert (tmp_path / "compose.env").read_text() == text


def test_a_blocked_file_lock_stops_the_preflight(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = env_secret(tmp_path, "a.env", "b.env")
    (tmp_path / ".b.env.lock").mkdir()
    assert secrets_rotate("a", search=False, map_file=path) == 2
    assert "b.env: K: " in capsys.readouterr().err
    assert (tmp_path / "a.env").read_text() == "K=old-value-0000\n"


def test_a_journal_in_a_folder_of_the_users_own_adds_no_gitignore(
    tmp_path: Path,
) -> None:
    path = env_secret(tmp_path, "a.env")
    ops = tmp_path / "ops"
    ops.mkdir()
    code = secrets_rotate(
        "a", search=False, map_file=path, journal_file=ops / "rot.journal"
    )
    assert code == 0
    assert not (ops / ".gitignore").exists()


def test_dry_run_refuses_a_new_value_equal_to_the_current_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = env_secret(tmp_path, "a.env")
    given = tmp_path / "new.txt"
    given.write_text("old-value-0000\n")
    code = secrets_rotate(
        "a", search=False, map_file=path, dry_run=True, new_value_file=given
    )
    assert code == 2
    assert "it is the same as the current one" in capsys.readouterr().out


def env_secret(folder: Path, *files: str) -> Path:
    """A map with secret ``a`` in key ``K`` of each env file of ``files``, each
    holding ``old-value-0000``; the map's path."""
    for name in files:
        (folder / name).write_text("K=old-value-0000\n")
    places = "".join(
        f'  {{kind = "env-file", file = "{name}", key = "K"}},\n' for name in files
    )
    path = folder / "komodo-guard.toml"
    path.write_text(f'[[secrets.secret]]\nname = "a"\nplaces = [\n{places}]\n')
    return path
