"""``secrets rotate`` on a secret kept in every kind of place it writes, with
the Stacks to redeploy found on Core by themselves (see :mod:`rotatekit`)."""

from __future__ import annotations

import contextlib
import io
import logging
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from komodo_guard.cli.rotate import secrets_rotate
from tests.secretstores.rotatekit import OLD, EveryKind, every_kind


@pytest.fixture
def kinds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[EveryKind]:
    with every_kind(tmp_path) as setup:
        for name, value in setup.environ.items():
            monkeypatch.setenv(name, value)
        monkeypatch.chdir(tmp_path)
        yield setup


def rotate(kinds: EveryKind, **options: Any) -> int:
    return secrets_rotate(
        "api", map_file=kinds.map_path, komodo=kinds.core.url, timeout=5, **options
    )


def test_dry_run_plans_every_kind_and_finds_the_stacks(
    kinds: EveryKind, capsys: pytest.CaptureFixture[str]
) -> None:
    assert rotate(kinds, dry_run=True) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[2:9] == [
        "  1. write core.config.toml: secrets.API_TOKEN",
        "  2. write stacks/app/compose.env: API_TOKEN",
        "  3. re-encrypt secrets/app.sops.yaml: api.token",
        "  4. update Komodo Variable API_TOKEN",
        "  5. seal and upload GitHub acme/homelab: API_TOKEN",
        "  6. redeploy Stack app and follow the deploy",
        "       (its environment uses [[API_TOKEN]])",
    ]
    assert (
        f"(its folder on the host holds {kinds.folder}/stacks/app/compose.env)" in out
    )
    assert "  7. redeploy Stack worker and follow the deploy" in out
    assert "(container worker-1 belongs to its compose project)" in out
    assert "Stack web" not in out
    assert "afterwards: commit and push secrets/app.sops.yaml" in out
    assert "afterwards: restart Komodo Core" in out
    assert (
        "afterwards: Deployment cache: environment uses [[API_TOKEN]]; redeploy it "
        "after the rotation (komodo-guard trigger deployment cache)"
    ) in out
    assert (
        "afterwards: Build image: build_args uses [[API_TOKEN]]; run it again, "
        "then redeploy what runs its image"
    ) in out
    assert "plain" not in out
    assert OLD not in out
    assert set(kinds.values().values()) == {OLD}
    assert kinds.deployed() == []


def test_rotation_writes_every_place_and_redeploys_the_users(
    kinds: EveryKind, capsys: pytest.CaptureFixture[str]
) -> None:
    assert rotate(kinds) == 0
    values = kinds.values()
    new = values["env-file"]
    assert new != OLD
    assert values == dict.fromkeys(values, new)
    names = kinds.stack_ids()
    assert sorted(names[ident] for ident in kinds.deployed()) == ["app", "worker"]
    captured = capsys.readouterr()
    assert "now: commit and push secrets/app.sops.yaml" in captured.out
    assert "now: restart Komodo Core" in captured.out
    assert "copies kept (mode 0600, they hold the value it replaced): " in captured.out
    assert "compose.env.bak" in captured.out
    for text in (captured.out, captured.err):
        assert OLD not in text
        assert new not in text
    config = (kinds.folder / "core.config.toml").read_text()
    assert "# used by stacks as [[API_TOKEN]]" in config
    assert 'OTHER = "keep-me"' in config
    assert not list(kinds.folder.glob(".komodo-guard/*.journal"))


def test_no_search_redeploys_only_the_named_stacks(kinds: EveryKind) -> None:
    assert rotate(kinds, search=False, redeploy=("web",)) == 0
    names = kinds.stack_ids()
    assert [names[ident] for ident in kinds.deployed()] == ["web"]


def test_rollback_after_a_failed_deploy_restores_every_place(
    kinds: EveryKind, capsys: pytest.CaptureFixture[str]
) -> None:
    app = kinds.core.state.find("stacks", "app")
    app["deploy_fails"] = True
    assert rotate(kinds) == 2
    err = capsys.readouterr().err
    assert "Stack app: the deploy failed" in err
    assert "(Update " in err
    assert "\n    failed stage " in err
    assert "--rollback" in err
    assert set(kinds.values().values()) != {OLD}
    app["deploy_fails"] = False
    assert rotate(kinds, rollback=True) == 0
    assert set(kinds.values().values()) == {OLD}


NEW_VALUES = st.text(
    alphabet=st.characters(
        codec="utf-8",
        exclude_categories=("Cs", "Cc", "Zl", "Zp"),
        exclude_characters="'\x85",
    ),
    min_size=12,
    max_size=40,
).filter(lambda text: len(set(text)) >= 6 and text.strip() == text)


@settings(max_examples=6, deadline=None)
@given(new=NEW_VALUES)
def test_no_value_leaks_from_a_rotation_of_every_kind(new: str) -> None:
    """Generated new values (any printable Unicode a dotenv line can hold)
    go into every store and nowhere else: not in output, log records at
    DEBUG, the GitHub wire, or any other file left in the folder."""
    with tempfile.TemporaryDirectory() as name, every_kind(Path(name)) as kinds:
        value_file = kinds.folder / "new.txt"
        value_file.write_text(new + "\n", encoding="utf-8")
        records: list[str] = []
        handler = logging.Handler(logging.DEBUG)
        handler.emit = lambda record: records.append(record.getMessage())  # type: ignore[method-assign]
        root = logging.getLogger()
        old_level = root.level
        root.addHandler(handler)
        root.setLevel(logging.DEBUG)
        out, err = io.StringIO(), io.StringIO()
        try:
            with (
                mock.patch.dict(os.environ, kinds.environ),
                contextlib.redirect_stdout(out),
                contextlib.redirect_stderr(err),
            ):
                code = rotate(kinds, new_value_file=value_file)
        finally:
            root.removeHandler(handler)
            root.setLevel(old_level)
        assert code == 0, err.getvalue()
        value_file.unlink()
        assert set(kinds.values().values()) == {new}
        stores = {
            "stacks/app/compose.env",
            "core.config.toml",
            "secrets/app.sops.yaml",
        }
        for text in (out.getvalue(), err.getvalue(), *records):
            assert new not in text
            assert OLD not in text
        for path in kinds.folder.rglob("*"):
            relative = path.relative_to(kinds.folder).as_posix()
            if path.is_file() and relative.removesuffix(".bak") not in stores:
                assert new.encode() not in path.read_bytes(), relative
        assert not any(call.plaintext for call in kinds.github.calls)


def test_a_container_that_disagrees_stops_the_preflight(
    kinds: EveryKind, capsys: pytest.CaptureFixture[str]
) -> None:
    kinds.core.container.env = ["API_TOKEN=something-else-entirely"]  # type: ignore[union-attr]
    assert rotate(kinds) == 2
    err = capsys.readouterr().err
    assert "container worker-1: API_TOKEN: holds a different value" in err
    assert set(kinds.values().values()) == {OLD}


def test_the_recreated_container_is_verified(
    kinds: EveryKind,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # A deploy that does not recreate the container leaves it on the old value.
    monkeypatch.setattr(kinds.core, "container", None)
    assert rotate(kinds) == 1
    err = capsys.readouterr().err
    assert "container worker-1: API_TOKEN: does not hold the expected value" in err


def test_without_core_the_rotation_stops_unless_told_not_to_search(
    kinds: EveryKind, capsys: pytest.CaptureFixture[str]
) -> None:
    code = secrets_rotate(
        "api", map_file=kinds.map_path, komodo="http://127.0.0.1:9", timeout=1
    )
    assert code == 2
    err = capsys.readouterr().err
    assert "the Stacks using it were not looked for" in err
    assert "pass --no-search" in err
    assert set(kinds.values().values()) == {OLD}


def test_a_new_value_a_dotenv_file_cannot_hold_changes_nothing(
    kinds: EveryKind, capsys: pytest.CaptureFixture[str]
) -> None:
    value_file = kinds.folder / "new.txt"
    value_file.write_text("it's-a-new-value-123\n")
    assert rotate(kinds, new_value_file=value_file) == 2
    err = capsys.readouterr().err
    assert "stacks/app/compose.env: API_TOKEN: cannot hold the new value" in err
    assert "nothing was changed" in err
    assert set(kinds.values().values()) == {OLD}
    assert not list(kinds.folder.glob(".komodo-guard/*.journal"))


def test_a_rollback_ends_even_when_a_stack_will_not_deploy(
    kinds: EveryKind, capsys: pytest.CaptureFixture[str]
) -> None:
    kinds.core.state.find("stacks", "app")["deploy_fails"] = True
    assert rotate(kinds) == 2
    assert rotate(kinds, rollback=True) == 1
    err = capsys.readouterr().err
    assert "every place holds the old value again, but a redeploy" in err
    assert "Stack app: the deploy failed" in err
    assert set(kinds.values().values()) == {OLD}
    assert not list(kinds.folder.glob(".komodo-guard/*.journal"))


def test_a_rollback_cannot_run_beside_the_rotation_it_undoes(
    kinds: EveryKind, capsys: pytest.CaptureFixture[str]
) -> None:
    from komodo_guard.cli.rotate import default_journal
    from komodo_guard.secrets.journal import Journal
    from komodo_guard.secrets.secretmap import load_secret_map

    journal = Journal(default_journal(load_secret_map(kinds.map_path), "api"), {})
    with journal.locked("api"):
        assert rotate(kinds, rollback=True) == 2
    err = capsys.readouterr().err
    assert f"a rotation of secret api is running (pid {os.getpid()})" in err


def test_dry_run_also_runs_the_preflight(
    kinds: EveryKind, capsys: pytest.CaptureFixture[str]
) -> None:
    assert rotate(kinds, dry_run=True, redeploy=("nosuch",)) == 2
    out = capsys.readouterr().out
    assert "Stack nosuch:" in out
    assert "pre-flight for secret api failed, nothing was changed" in out


def test_a_linked_env_file_is_rotated_through_its_link(kinds: EveryKind) -> None:
    link = kinds.folder / "stacks" / "app" / "compose.env"
    target = kinds.folder / "real.env"
    target.write_bytes(link.read_bytes())
    link.unlink()
    link.symlink_to(target)
    assert rotate(kinds) == 0
    assert link.is_symlink()
    assert (kinds.folder / "real.env.bak").exists()
    assert OLD not in target.read_text()
    assert set(kinds.values().values()) == {kinds.values()["env-file"]}


def test_dry_run_checks_a_given_new_value(
    kinds: EveryKind, capsys: pytest.CaptureFixture[str]
) -> None:
    value_file = kinds.folder / "new.txt"
    value_file.write_text("it's-a-new-value-123\n")
    assert rotate(kinds, dry_run=True, new_value_file=value_file) == 2
    out = capsys.readouterr().out
    assert "the new value does not suit every place" in out
    assert "stacks/app/compose.env: API_TOKEN: cannot hold the new value" in out


def test_no_search_says_the_container_still_holds_the_old_value(
    kinds: EveryKind, capsys: pytest.CaptureFixture[str]
) -> None:
    assert rotate(kinds, search=False) == 0
    out = capsys.readouterr().out
    assert "now: container worker-1 still holds the old value" in out
    assert kinds.deployed() == []
