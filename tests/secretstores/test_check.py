"""``secrets check``: comparison, login order, blanked Variables, exit codes."""

from __future__ import annotations

from pathlib import Path

import pytest

from komodo_guard.komodo.model import load
from komodo_guard.secrets.blanked import blanked_variables
from komodo_guard.secrets.model import Blanked, CellState
from komodo_guard.testing.mongo import FakeMongo, MongoUser
from komodo_guard.workspace.collect import collect
from tests.host.fakedocker import FakeContainer
from tests.secretstores.storekit import (
    FakeGithub,
    check,
    github_api,
    make_age_key,
    named_engine,
    sops_encrypt,
    states,
    write_map,
)


def env_places(*files: str, source: str = "") -> str:
    places = ",\n".join(
        f'  {{kind = "env-file", file = "{name}", key = "PASS"'
        + (", source = true" if name == source else "")
        + "}"
        for name in files
    )
    return f'[[secrets.secret]]\nname = "pass"\nplaces = [\n{places},\n]\n'


def env(folder: Path, name: str, value: str | None) -> None:
    text = f"PASS={value}\n" if value is not None else "OTHER=1\n"
    (folder / name).write_text(text)


def test_all_agree(tmp_path: Path) -> None:
    for name in ("a.env", "b.env", "c.env"):
        env(tmp_path, name, "same-value")
    result = check(write_map(tmp_path, env_places("a.env", "b.env", "c.env")))
    assert states(result) == [["same A", "same A", "same A"]]
    assert result.secrets[0].reference.startswith("the majority (3 of 3")
    assert result.exit_code == 0


def test_majority_and_missing(tmp_path: Path) -> None:
    env(tmp_path, "a.env", "old")
    env(tmp_path, "b.env", "new")
    env(tmp_path, "c.env", "new")
    env(tmp_path, "d.env", None)
    result = check(write_map(tmp_path, env_places("a.env", "b.env", "c.env", "d.env")))
    assert states(result) == [["different A", "same B", "same B", "missing"]]
    assert result.secrets[0].cells[0].reason == (
        "holds value A, not the reference value B"
    )
    assert result.exit_code == 1


def test_the_source_wins_over_the_majority(tmp_path: Path) -> None:
    env(tmp_path, "a.env", "rotated")
    env(tmp_path, "b.env", "old")
    env(tmp_path, "c.env", "old")
    text = env_places("a.env", "b.env", "c.env", source="a.env")
    result = check(write_map(tmp_path, text))
    assert states(result) == [["same A", "different B", "different B"]]
    assert result.secrets[0].reference == "the source, a.env: PASS"
    assert result.secrets[0].cells[0].source


def test_a_missing_source_falls_back_to_the_majority(tmp_path: Path) -> None:
    env(tmp_path, "a.env", None)
    env(tmp_path, "b.env", "v")
    env(tmp_path, "c.env", "v")
    result = check(
        write_map(tmp_path, env_places("a.env", "b.env", "c.env", source="a.env"))
    )
    assert states(result) == [["missing", "same A", "same A"]]
    assert result.secrets[0].reference.startswith(
        "the source a.env: PASS holds no value, so the majority"
    )


def test_a_tie_has_no_reference(tmp_path: Path) -> None:
    env(tmp_path, "a.env", "one")
    env(tmp_path, "b.env", "two")
    result = check(write_map(tmp_path, env_places("a.env", "b.env")))
    assert states(result) == [["different A", "different B"]]
    assert "no majority among 2 distinct values" in result.secrets[0].reference
    assert result.exit_code == 1


def test_an_unreadable_place_is_exit_2(tmp_path: Path) -> None:
    env(tmp_path, "a.env", "one")
    env(tmp_path, "b.env", "two")
    result = check(write_map(tmp_path, env_places("a.env", "b.env", "gone.env")))
    assert result.secrets[0].cells[2].state is CellState.UNREADABLE
    assert "gone.env: cannot read" in result.secrets[0].cells[2].reason
    assert result.secrets[0].status == "incomplete"
    assert result.exit_code == 2


MONGO_MAP = """\
[[secrets.secret]]
name = "db"
places = [
  {{kind = "env-file", file = "a.env", key = "PASS"}},
  {{kind = "env-file", file = "b.env", key = "PASS"}},
  {{kind = "env-file", file = "c.env", key = "PASS"}},
  {{kind = "mongodb-user", host = "127.0.0.1", port = {port}, user = "admin"}},
]
"""


def mongo_check(tmp_path: Path, values: tuple[str, str, str], accepted: str):  # type: ignore[no-untyped-def]
    for name, value in zip(("a.env", "b.env", "c.env"), values, strict=True):
        env(tmp_path, name, value)
    with FakeMongo([MongoUser("admin", accepted)], iterations=4096) as mongo:
        result = check(write_map(tmp_path, MONGO_MAP.format(port=mongo.port)))
        # pymongo starts SCRAM inside hello (speculative); one saslContinue a login.
        logins = mongo.commands.count("saslContinue")
    return result, logins


def test_the_database_is_tried_with_the_reference_first(tmp_path: Path) -> None:
    result, logins = mongo_check(tmp_path, ("new", "new", "old"), accepted="new")
    assert states(result)[0][3] == "verified A"
    assert logins == 1
    assert result.exit_code == 1  # c.env differs


def test_the_database_holds_the_minority_value(tmp_path: Path) -> None:
    result, logins = mongo_check(tmp_path, ("new", "new", "old"), accepted="old")
    cell = result.secrets[0].cells[3]
    assert (cell.state, cell.value, cell.drift) == (CellState.VERIFIED, "B", True)
    assert "not the reference value A" in cell.reason
    assert logins == 2
    assert result.exit_code == 1


def test_the_database_refuses_every_value(tmp_path: Path) -> None:
    result, logins = mongo_check(tmp_path, ("x", "y", "y"), accepted="z")
    cell = result.secrets[0].cells[3]
    assert cell.state is CellState.REFUSED
    assert cell.reason.startswith("refused all 2 distinct values found")
    assert logins == 2
    assert result.exit_code == 1


def test_agreeing_places_and_a_verified_database(tmp_path: Path) -> None:
    result, logins = mongo_check(tmp_path, ("v", "v", "v"), accepted="v")
    assert states(result) == [["same A", "same A", "same A", "verified A"]]
    assert logins == 1
    assert result.exit_code == 0


def test_a_database_with_nothing_to_try(tmp_path: Path) -> None:
    text = (
        '[[secrets.secret]]\nname = "db"\nplaces = [\n'
        '  {kind = "env-file", file = "none.env", key = "PASS"},\n'
        '  {kind = "mongodb-user", host = "127.0.0.1", port = 9, user = "u"},\n]\n'
    )
    env(tmp_path, "none.env", None)
    result = check(write_map(tmp_path, text))
    cell = result.secrets[0].cells[1]
    assert cell.state is CellState.UNREADABLE
    assert cell.reason == "no value was found in the other places to log in with"


def test_every_kind_in_one_run(tmp_path: Path) -> None:
    key = make_age_key(tmp_path)
    plain = tmp_path / "plain.yaml"
    plain.write_text("komodo:\n  db_password: the-db-pass\n")
    sops_encrypt(plain, key, tmp_path / "secrets.yaml")
    (tmp_path / "compose.env").write_text("KOMODO_DATABASE_PASSWORD=the-db-pass\n")
    (tmp_path / "core.config.toml").write_text('[database]\npassword = "stale"\n')
    fake = FakeGithub(
        secrets={"/repos/acme/ops/actions/secrets/DB": "2026-02-02T02:02:02Z"}
    )
    container = FakeContainer(
        "komodo-core-1", env=["KOMODO_DATABASE_PASSWORD=the-db-pass"]
    )
    with (
        named_engine([container]) as engine,
        github_api(fake),
        FakeMongo([MongoUser("admin", "the-db-pass")], iterations=4096) as mongo,
    ):
        text = f"""\
[[secrets.secret]]
name = "komodo-db"
places = [
  {{kind = "sops", file = "secrets.yaml", key = "komodo.db_password", source = true}},
  {{kind = "core-config", file = "compose.env", key = "KOMODO_DATABASE_PASSWORD"}},
  {{kind = "core-config", file = "core.config.toml", key = "database.password"}},
  {{kind = "container", container = "komodo-core-1",
    variable = "KOMODO_DATABASE_PASSWORD"}},
  {{kind = "mongodb-user", host = "127.0.0.1", port = {mongo.port}, user = "admin"}},
  {{kind = "github-secret", repo = "acme/ops", name = "DB"}},
  {{kind = "komodo-variable", variable = "DB"}},
]
"""
        result = check(
            write_map(tmp_path, text),
            {"SOPS_AGE_KEY_FILE": str(key.path), "GITHUB_TOKEN": fake.token},
            docker_socket=engine.socket,
            github_api=fake.url,
        )
    assert states(result) == [
        [
            "same A",
            "same A",
            "different B",
            "same A",
            "verified A",
            "exists",
            "unreadable",
        ]
    ]
    cells = result.secrets[0].cells
    assert cells[5].changed is not None
    assert cells[0].changed is not None
    assert cells[3].changed is not None
    assert result.exit_code == 2


TREE = {
    "komodo/sync.toml": (
        '[[resource_sync]]\nname = "infra"\n[resource_sync.config]\n'
        'repo = "acme/ops"\nresource_path = ["komodo"]\ninclude_variables = true\n'
    ),
    "komodo/variables.toml": (
        '[[variable]]\nname = "DB_PASSWORD"\nis_secret = true\n\n'
        '[[variable]]\nname = "DOMAIN"\nvalue = "example.net"\n\n'
        '[[variable]]\nname = "FILLED"\nis_secret = true\nvalue = "[[x]]"\n'
    ),
}


def test_blanked_secret_variables(make_tree) -> None:  # type: ignore[no-untyped-def]
    root = make_tree(TREE)
    workspace = collect(root, load(None))
    assert blanked_variables(workspace) == (
        Blanked("DB_PASSWORD", "komodo/variables.toml", 1, ("infra",)),
    )


def test_no_include_variables_blanks_nothing(make_tree) -> None:  # type: ignore[no-untyped-def]
    tree = dict(TREE)
    tree["komodo/sync.toml"] = tree["komodo/sync.toml"].replace(
        "include_variables = true", "include_variables = false"
    )
    assert blanked_variables(collect(make_tree(tree), load(None))) == ()


def test_a_blanked_variable_is_drift_on_its_secret(tmp_path: Path) -> None:
    text = (
        '[[secrets.secret]]\nname = "db"\n'
        'places = [{kind = "env-file", file = "a.env", key = "PASS"}]\n'
    )
    env(tmp_path, "a.env", "v")
    blank = Blanked("PASS", "komodo/variables.toml", 1, ("infra",))
    from komodo_guard.secrets.check import check_secrets
    from komodo_guard.secrets.places.interface import Context
    from komodo_guard.secrets.secretmap import load_secret_map

    secret_map = load_secret_map(write_map(tmp_path, text))
    result = check_secrets(secret_map, Context(tmp_path, {}), blanked=(blank,))
    assert result.secrets[0].blanked == ()
    assert result.exit_code == 1
    mapped = text.replace(
        '{kind = "env-file", file = "a.env", key = "PASS"}',
        '{kind = "env-file", file = "a.env", key = "PASS"}, '
        '{kind = "komodo-variable", variable = "PASS"}',
    )
    secret_map = load_secret_map(write_map(tmp_path, mapped))
    result = check_secrets(secret_map, Context(tmp_path, {}), blanked=(blank,))
    assert result.secrets[0].blanked == (blank,)


@pytest.mark.parametrize("jobs", [1, 8])
def test_many_secrets_read_concurrently(tmp_path: Path, jobs: int) -> None:
    lines = [f"K{n}=v{n}" for n in range(40)]
    (tmp_path / "a.env").write_text("\n".join(lines) + "\n")
    (tmp_path / "b.env").write_text("\n".join(lines[:-1]) + "\nK39=changed\n")
    text = "".join(
        f'[[secrets.secret]]\nname = "s{n}"\nplaces = [\n'
        f'  {{kind = "env-file", file = "a.env", key = "K{n}", source = true}},\n'
        f'  {{kind = "env-file", file = "b.env", key = "K{n}"}},\n]\n'
        for n in range(40)
    )
    from komodo_guard.secrets.check import check_secrets
    from komodo_guard.secrets.places.interface import Context
    from komodo_guard.secrets.secretmap import load_secret_map

    secret_map = load_secret_map(write_map(tmp_path, text))
    result = check_secrets(secret_map, Context(tmp_path, {}), jobs=jobs)
    assert [row.status for row in result.secrets] == ["agree"] * 39 + ["drift"]
