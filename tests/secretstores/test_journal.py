"""The rotation journal: owner-only, atomic, values encrypted at rest."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from komodo_guard.secrets.journal import (
    PASSPHRASE_ENV,
    Journal,
    JournalError,
    Record,
)
from komodo_guard.secrets.value import SecretValue

OLD = "old-secret-value-4f9a"
NEW = "new-secret-value-b71c"


def record() -> Record:
    return Record(
        "db",
        ("a.env: KEY", "MongoDB user komodo@127.0.0.1:1"),
        ("done", "started"),
        SecretValue(OLD),
        SecretValue(NEW),
    )


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.parametrize("environ", [{}, {PASSPHRASE_ENV: "correct horse"}])
def test_round_trip_keeps_statuses_and_values(
    tmp_path: Path, environ: dict[str, str]
) -> None:
    journal = Journal(tmp_path / "state" / "rotate.journal", environ)
    journal.write(record())
    again = Journal(journal.path, environ).read()
    assert again.secret == "db"
    assert again.places == record().places
    assert again.statuses == ("done", "started")
    assert (again.old.reveal(), again.new.reveal()) == (OLD, NEW)
    assert again.mode == "rotate"


@pytest.mark.parametrize("environ", [{}, {PASSPHRASE_ENV: "correct horse"}])
def test_file_is_owner_only_and_holds_no_value_in_clear(
    tmp_path: Path, environ: dict[str, str]
) -> None:
    journal = Journal(tmp_path / "rotate.journal", environ)
    journal.write(record())
    journal.write(record().with_status(1, "done"))
    assert mode(journal.path) == 0o600
    data = journal.path.read_bytes()
    assert OLD.encode() not in data
    assert NEW.encode() not in data
    assert b'"status": "done"' in data
    assert sorted(path.name for path in tmp_path.iterdir()) == (
        ["rotate.journal"] if environ else ["rotate.journal", "rotate.journal.key"]
    )
    if not environ:
        assert mode(journal.key_file) == 0o600


def test_passphrase_mode_writes_no_key_file_and_needs_the_passphrase(
    tmp_path: Path,
) -> None:
    path = tmp_path / "rotate.journal"
    Journal(path, {PASSPHRASE_ENV: "correct horse"}).write(record())
    assert not Journal(path, {}).key_file.exists()
    with pytest.raises(JournalError, match="cannot decrypt") as caught:
        Journal(path, {PASSPHRASE_ENV: "wrong horse"}).read()
    assert OLD not in str(caught.value)
    assert NEW not in str(caught.value)


def test_a_lost_key_file_makes_the_journal_unreadable(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "rotate.journal", {})
    journal.write(record())
    journal.key_file.unlink()
    with pytest.raises(JournalError, match=r"\.key is missing"):
        Journal(journal.path, {}).read()


def test_a_damaged_journal_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "rotate.journal"
    path.write_text("{not json")
    with pytest.raises(JournalError, match="not a komodo-guard journal"):
        Journal(path, {}).read()


def test_remove_takes_the_journal_and_its_key(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "rotate.journal", {})
    journal.write(record())
    journal.remove()
    assert not journal.exists()
    assert list(tmp_path.iterdir()) == []


def test_its_own_folder_is_kept_out_of_git(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "made" / "rotate.journal", {})
    journal.write(record())
    assert (tmp_path / "made" / ".gitignore").read_text().endswith("\n*\n")
    assert (tmp_path / "made").stat().st_mode & 0o777 == 0o700


def test_rollback_mode_survives_a_round_trip(tmp_path: Path) -> None:
    from dataclasses import replace

    journal = Journal(tmp_path / "rotate.journal", {})
    journal.write(replace(record(), mode="rollback"))
    assert journal.read().mode == "rollback"


@pytest.mark.parametrize("environ", [{}, {PASSPHRASE_ENV: "correct horse"}])
def test_a_first_write_never_replaces_another_rotations_journal(
    tmp_path: Path, environ: dict[str, str]
) -> None:
    journal = Journal(tmp_path / "rotate.journal", environ)
    journal.write(record(), first=True)
    before = journal.path.read_bytes()
    with pytest.raises(JournalError, match="another rotation of secret db"):
        Journal(journal.path, environ).write(record(), first=True)
    assert journal.path.read_bytes() == before
    assert journal.read().new.reveal() == NEW
    assert not [path for path in tmp_path.iterdir() if path.name.endswith(".tmp")]
