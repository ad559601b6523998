"""``komodo-guard secrets rotate NAME``: a new value for one secret, everywhere.

Without a flag: pre-flight, then every step of the plan, then a check of
every place (:mod:`komodo_guard.secrets.rotate`). ``--dry-run`` prints the
plan (places and order, never a value) and changes nothing. ``--resume``
finishes a rotation a crash or an error interrupted; ``--rollback`` puts the
old value back wherever it was changed. ``--new-value-file`` takes the new
value from a file (its first line) instead of a random one.

After the places are written, each affected Stack is deployed on Komodo Core
and its deploy followed (``--komodo`` or ``[komodo] url``, with
``KOMODO_API_KEY``/``KOMODO_API_SECRET``): the Stacks Core says use the
secret (:mod:`komodo_guard.secrets.affected`) and any named with
``--redeploy STACK`` (repeatable). ``--no-search`` keeps to the named ones.
``--resume`` and ``--rollback`` redeploy the Stacks the journal recorded.

The journal is ``.komodo-guard/rotate-NAME.journal`` in the folder of the
map file unless ``--journal`` names another; see
:mod:`komodo_guard.secrets.journal` for how its values are encrypted.

Exit 0 when every place holds the value it should; 1 when every step ran
but a place does not hold (or accept) it (drift, the journal is kept); 2 when
the command could not complete (a wrong map, a failed pre-flight, a step
that failed, no journal to resume). A message on standard error says whether
a journal was left, and whether to ``--resume`` or ``--rollback``.
"""

from __future__ import annotations

import os
import re
import signal
import sys
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from pathlib import Path

from komodo_guard.cli.main import UsageError
from komodo_guard.cli.run import load_settings
from komodo_guard.cli.secrets import secret_map_at, with_core
from komodo_guard.config import find_config
from komodo_guard.secrets.affected import find_affected
from komodo_guard.secrets.journal import DEFAULT_FOLDER, Journal
from komodo_guard.secrets.places.interface import Context
from komodo_guard.secrets.rotate import (
    FILE_PLACES,
    Plan,
    RotateError,
    Rotation,
    VerifyError,
    plan_rotation,
    preflight,
    same,
    unusable,
)
from komodo_guard.secrets.secretmap import SecretMap
from komodo_guard.secrets.value import SecretValue

DEFAULT_TIMEOUT = 10.0
_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]")


def secrets_rotate(
    name: str,
    *,
    config: Path | None = None,
    map_file: Path | None = None,
    dry_run: bool = False,
    resume: bool = False,
    rollback: bool = False,
    journal_file: Path | None = None,
    new_value_file: Path | None = None,
    komodo: str | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    redeploy: Sequence[str] = (),
    search: bool = True,
    docker_socket: str | None = None,
) -> int:
    """Rotate secret ``name`` of the map; the exit code."""
    if sum((dry_run, resume, rollback)) > 1:
        raise UsageError("give at most one of --dry-run, --resume, --rollback")
    if new_value_file is not None and (resume or rollback):
        raise UsageError("--new-value-file starts a rotation; drop --resume/--rollback")
    map_path = map_file or config or find_config(Path.cwd())
    secret_map = secret_map_at(map_path)
    spec = next((item for item in secret_map.secrets if item.name == name), None)
    if spec is None:
        known = ", ".join(item.name for item in secret_map.secrets)
        raise UsageError(f"no secret {name!r} in the map (it has: {known})")
    try:
        plan_rotation(spec, redeploy)
    except RotateError as error:
        raise UsageError(str(error)) from None
    new = _read_new_value(new_value_file) if new_value_file else None
    journal = Journal(journal_file or default_journal(secret_map, name), os.environ)
    try:
        with ExitStack() as stack:
            stack.enter_context(_terminated_as_interrupt())
            context = Context(
                base=secret_map.base,
                environ=os.environ,
                timeout=timeout,
                docker_socket=docker_socket,
                github_api=secret_map.github_api,
                sops=secret_map.sops,
            )
            settings = load_settings(secret_map.base, config)
            context = with_core(context, komodo, settings, stack)
            # On --resume/--rollback the Stacks come from the journal; the
            # search still names the Deployments and Builds left to the operator.
            found = find_affected(spec, context) if search else None
            plan = plan_rotation(spec, redeploy, found)
            if dry_run:
                sys.stdout.write(plan.render())
                return _dry_run(plan, context, new)
            rotation = Rotation(plan, context, journal, _say)
            try:
                if resume:
                    rotation.resume()
                elif rollback:
                    rotation.rollback()
                else:
                    rotation.start(new)
            except VerifyError as error:
                sys.stderr.write(f"error: {error}\n")
                return 1
            except RotateError as error:
                sys.stderr.write(f"error: {error}\n")
                return 2
            _say_what_is_left(rotation.plan, context, rolled_back=rollback)
    except KeyboardInterrupt:
        sys.stderr.write(f"interrupted: {_left(journal)}\n")
        return 130
    return 0


def _say_what_is_left(plan: Plan, context: Context, *, rolled_back: bool) -> None:
    """The chores rotate leaves to the operator, and the ``.bak`` copies."""
    for chore in plan.file_chores if rolled_back else plan.chores:
        _say(f"now: {chore}")
    kept = _backups(plan, context)
    if kept:
        held = "the value rolled back" if rolled_back else "the value it replaced"
        after = "" if rolled_back else " once the new value works"
        _say(
            f"copies kept (mode 0600, they hold {held}): {', '.join(kept)}; "
            f"delete them{after}"
        )


def _dry_run(plan: Plan, context: Context, new: SecretValue | None) -> int:
    """Run the pre-flight (reads and logins, no writes) and check a given new
    value against every place; 0 when both pass."""
    try:
        current = preflight(plan, context)
    except RotateError as error:
        sys.stdout.write(f"{error}\n")
        return 2
    problems = unusable(plan, new) if new is not None else ()
    if new is not None and same(current, new):
        problems = ("it is the same as the current one", *problems)
    if problems:
        sys.stdout.write(
            "the new value does not suit every place:\n  "
            + "\n  ".join(problems)
            + "\n"
        )
        return 2
    sys.stdout.write("pre-flight passed: every place holds the same value\n")
    return 0


@contextmanager
def _terminated_as_interrupt() -> Iterator[None]:
    """SIGTERM ends the rotation as Ctrl-C does: with the journal's state said."""

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _left(journal: Journal) -> str:
    """What an interrupted run left, and what to do next."""
    if not journal.exists():
        return "nothing was changed"
    return (
        f"the journal {journal.path} is kept: --resume finishes the rotation, "
        "--rollback undoes it"
    )


def _backups(plan: Plan, context: Context) -> list[str]:
    """The ``.bak`` copies beside the files the rotation wrote."""
    found: list[str] = []
    for step in plan.steps:
        place = step.place
        if isinstance(place, FILE_PLACES):
            target = context.file(place.file).resolve()
            backup = target.with_name(target.name + ".bak")
            if backup.exists():
                found.append(str(backup))
    return list(dict.fromkeys(found))


def default_journal(secret_map: SecretMap, name: str) -> Path:
    """Where the journal of secret ``name`` is kept by default."""
    return secret_map.base / DEFAULT_FOLDER / f"rotate-{_UNSAFE.sub('_', name)}.journal"


def _read_new_value(path: Path) -> SecretValue:
    """The first line of ``path`` (ended by ``\\n`` or ``\\r\\n`` only), without
    a UTF-8 byte order mark; a usage error for an empty value or one with
    blanks around it, which a dotenv line or a shell would not keep."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or "not UTF-8 text"
        raise UsageError(f"{path}: cannot read the new value: {reason}") from None
    first = text.split("\n", 1)[0].removesuffix("\r")
    if not first:
        raise UsageError(f"{path}: the first line (the new value) is empty")
    if first != first.strip():
        raise UsageError(
            f"{path}: the new value starts or ends with a blank; remove it (blanks "
            "around a value are lost or kept differently by each store)"
        )
    return SecretValue(first)


def _say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()
