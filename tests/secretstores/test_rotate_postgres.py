"""``secrets rotate`` on a real PostgreSQL role (``.ci/postgres``) and an env
file: rotate, and roll back after a failed step."""

from __future__ import annotations

from pathlib import Path

import pytest

from komodo_guard.secrets.dbauth import verify_postgres
from komodo_guard.secrets.journal import Journal
from komodo_guard.secrets.places.envfile import EnvFilePlace
from komodo_guard.secrets.places.interface import Context, Found
from komodo_guard.secrets.rotate import RotateError, Rotation, plan_rotation
from komodo_guard.secrets.secretmap import load_secret_map
from komodo_guard.secrets.value import SecretValue
from tests.secretstores.conftest import PostgresRole

MAP = """\
[[secrets.secret]]
name = "pg"
places = [
  {{kind = "env-file", file = "a.env", key = "PG_PASSWORD"}},
  {{kind = "postgres-user", host = "{host}", port = {port}, user = "{user}"}},
  {{kind = "env-file", file = "b.env", key = "PG_PASSWORD"}},
]
"""


def setup(folder: Path, role: PostgresRole) -> Rotation:
    for name in ("a.env", "b.env"):
        (folder / name).write_text(f"PG_PASSWORD={role.password}\n")
    path = folder / "komodo-guard.toml"
    place = role.place
    path.write_text(MAP.format(host=place.host, port=place.port, user=place.user))
    plan = plan_rotation(load_secret_map(path).secrets[0])
    assert plan.labels[0].startswith("PostgreSQL user")
    return Rotation(plan, Context(folder, {}, timeout=5), Journal(folder / "j", {}))


def env(folder: Path, name: str) -> str:
    reading = EnvFilePlace(name, "PG_PASSWORD").read(Context(folder, {}))
    assert isinstance(reading, Found)
    return reading.value.reveal()


def test_rotation_changes_the_role_and_the_files(
    tmp_path: Path, postgres_role: PostgresRole
) -> None:
    setup(tmp_path, postgres_role).start()
    new = env(tmp_path, "a.env")
    assert env(tmp_path, "b.env") == new
    assert new != postgres_role.password
    place = postgres_role.place
    assert verify_postgres(place, SecretValue(new)).state == "verified"
    old = SecretValue(postgres_role.password)
    assert verify_postgres(place, old).state == "refused"


def test_rollback_restores_the_role_password(
    tmp_path: Path, postgres_role: PostgresRole
) -> None:
    rotation = setup(tmp_path, postgres_role)

    def progress(line: str) -> None:
        if line.startswith("step 2/3"):  # the last step will fail
            (tmp_path / "b.env").unlink()

    rotation.progress = progress
    with pytest.raises(RotateError, match=r"b\.env: cannot read"):
        rotation.start()
    assert rotation.journal.read().statuses == ("done", "done", "started")
    (tmp_path / "b.env").write_text(f"PG_PASSWORD={postgres_role.password}\n")
    rotation.rollback()
    assert env(tmp_path, "a.env") == postgres_role.password
    old = SecretValue(postgres_role.password)
    assert verify_postgres(postgres_role.place, old).state == "verified"
    assert not rotation.journal.exists()
