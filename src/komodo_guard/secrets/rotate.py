"""``secrets rotate``: give one secret a new value in every place, crash-safely.

The plan orders the places so a failure leaves the fewest broken logins:
database users first (``mongodb-user``, ``postgres-user``: the password is
changed on the server, logged in with the old one), then files on this host
(``env-file``, ``core-config``), then ``sops`` files (re-encrypted by the
``sops`` binary with the file's own recipients), then ``komodo-variable``
places, then ``github-secret`` places (sealed with the repository's public
key), then a deploy of each affected Stack (``DeployStack``, followed until
Core says it is complete), then a check that every place holds (or accepts)
the new value. A ``container`` place takes the new value with its Stack's
deploy. The affected Stacks are those the caller names and those
:mod:`komodo_guard.secrets.affected` finds on Core. Core reads its own config
only when it starts, and a SOPS file lives in git: the plan ends with what is
left to the operator (restart Core, commit the file).

Pre-flight, before any write: every place that holds a value is read (the
containers too) and all must hold the same one (the current value); every
file and its folder must be writable by a process that can keep its owner,
with no database URI beside a database password; a ``sops`` new enough must
be found; the GitHub token must be able to fetch the public key; every
database user must accept the current value; the search for Stacks must
have run; Core must know every Stack to redeploy. The new value is random
(``secrets.token_urlsafe(32)``) unless one is given, and must suit every
place (:func:`unusable`) before the journal is written.

Each step is recorded in the journal (:mod:`komodo_guard.secrets.journal`)
as ``started`` before it runs and ``done`` after, and the journal's lock is
held for the whole run. Every step can run twice safely: a file or Variable
is written again, a database user that already accepts the new password is
left alone, a Stack is deployed again. So ``resume`` runs every step not
``done``; ``rollback`` puts the old value back, in reverse order, in every
place whose step started, deploys again each Stack whose deploy started
(a deploy that fails again is reported, not retried forever), and checks the
old value everywhere. Containers whose Stack was redeployed are verified
with the places.

For crash tests only: when the environment variable
``KOMODO_GUARD_ROTATE_CRASH`` is ``N:started`` or ``N:done`` (N from 1), the
process kills itself with SIGKILL right after the journal records that
status for step N.
"""

from __future__ import annotations

import contextlib
import hmac
import os
import secrets
import signal
import tomllib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import unquote, urlsplit

from komodo_guard.live import trigger
from komodo_guard.live.errors import CoreError
from komodo_guard.secrets import dbauth, github_write
from komodo_guard.secrets.affected import Search, Use
from komodo_guard.secrets.core_write import write_core_config
from komodo_guard.secrets.dbauth import scrub
from komodo_guard.secrets.journal import Journal, JournalError, Record, StepStatus
from komodo_guard.secrets.places.container import ContainerPlace
from komodo_guard.secrets.places.core_config import CoreConfigPlace
from komodo_guard.secrets.places.envfile import EnvFilePlace
from komodo_guard.secrets.places.github import GithubSecretPlace
from komodo_guard.secrets.places.interface import (
    AuthPlace,
    Context,
    Found,
    Memo,
    Place,
    Present,
    StoreError,
    ValuePlace,
)
from komodo_guard.secrets.places.komodo_variable import KomodoVariablePlace
from komodo_guard.secrets.places.mongodb import MongoUserPlace
from komodo_guard.secrets.places.postgres import PostgresUserPlace
from komodo_guard.secrets.places.sops import SopsPlace
from komodo_guard.secrets.secretmap import SecretSpec
from komodo_guard.secrets.sops_write import find_sops, write_sops_value
from komodo_guard.secrets.value import SecretValue
from komodo_guard.secrets.writers import (
    Original,
    WriteError,
    check_owner,
    env_value_problem,
    locked,
    read_original,
    write_env_file,
    write_komodo_variable,
)
from komodo_guard.workspace.envfile import dotenv_entries

CRASH_ENV = "KOMODO_GUARD_ROTATE_CRASH"
_ORDER: dict[type, int] = {
    MongoUserPlace: 0,
    PostgresUserPlace: 0,
    EnvFilePlace: 1,
    CoreConfigPlace: 1,
    SopsPlace: 2,
    KomodoVariablePlace: 3,
    GithubSecretPlace: 4,
}
FILE_PLACES = (EnvFilePlace, CoreConfigPlace, SopsPlace)
"""The place kinds rotate writes as files on this host (a `.bak` kept)."""
_STACK = "Stack "
Progress = Callable[[str], None]
_POLLING = trigger.Polling()


class RotateError(Exception):
    """The rotation cannot start or go on; the message never holds a value."""


class VerifyError(RotateError):
    """Every step ran, but a place does not hold (or accept) the value it should."""


@dataclass(frozen=True)
class Step:
    """One place to change, with what is done to it."""

    place: Place

    @property
    def action(self) -> str:
        """What the step does, in words."""
        if isinstance(self.place, AuthPlace):
            return "change the password of"
        if isinstance(self.place, KomodoVariablePlace):
            return "update"
        if isinstance(self.place, SopsPlace):
            return "re-encrypt"
        if isinstance(self.place, GithubSecretPlace):
            return "seal and upload"
        return "write"

    @property
    def label(self) -> str:
        """The place, as the map names it."""
        return self.place.label


@dataclass(frozen=True)
class Plan:
    """The steps of one secret's rotation, in order, the places left to a
    redeploy, why each Stack is redeployed, and what the search for Stacks
    could not look at."""

    secret: str
    steps: tuple[Step, ...]
    follows: tuple[ContainerPlace, ...] = ()
    redeploy: tuple[str, ...] = ()
    reasons: tuple[Use, ...] = ()
    unsearched: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    others: tuple[str, ...] = ()

    @property
    def redeployed_containers(self) -> tuple[ContainerPlace, ...]:
        """The container places whose Stack is redeployed: their container
        is created again with the new value, so it is verified."""
        names = {
            use.container
            for use in self.reasons
            if use.container and use.stack in self.redeploy
        }
        return tuple(place for place in self.follows if place.container in names)

    @property
    def labels(self) -> tuple[str, ...]:
        """Each step's place, then each Stack to redeploy, as the journal
        records them."""
        stacks = tuple(f"{_STACK}{name}" for name in self.redeploy)
        return (*(step.label for step in self.steps), *stacks)

    def render(self) -> str:
        """The plan as text: places and order, never a value."""
        lines = [f"rotation plan for secret {self.secret}:"]
        lines.append("  0. pre-flight: read every place, log in to every database")
        for number, step in enumerate(self.steps, 1):
            lines.append(f"  {number}. {step.action} {step.label}")
        for number, name in enumerate(self.redeploy, len(self.steps) + 1):
            lines.append(f"  {number}. redeploy Stack {name} and follow the deploy")
            lines += [
                f"       ({use.reason})" for use in self.reasons if use.stack == name
            ]
        last = len(self.labels) + 1
        lines.append(f"  {last}. verify every place holds the new value")
        lines += [
            f"  not changed: {place.label} (takes the new value when its stack is "
            "redeployed)"
            for place in self.follows
            if place not in self.redeployed_containers
        ]
        lines += [
            f"  cannot start: {problem} (or pass --no-search)"
            for problem in self.unsearched
        ]
        lines += [f"  note: {note}" for note in self.notes]
        lines += [f"  afterwards: {chore}" for chore in self.chores]
        return "\n".join(lines) + "\n"

    @property
    def file_chores(self) -> tuple[str, ...]:
        """What the files rotate wrote still need: a commit, Core's restart."""
        chores: list[str] = []
        for step in self.steps:
            place = step.place
            if isinstance(place, SopsPlace):
                chores.append(f"commit and push {place.file} if it is kept in git")
            elif isinstance(place, CoreConfigPlace):
                chores.append(
                    f"restart Komodo Core: it reads {place.file} only when it starts"
                )
        return tuple(dict.fromkeys(chores))

    @property
    def chores(self) -> tuple[str, ...]:
        """What the operator does after the rotation, which rotate cannot."""
        chores = list(self.file_chores)
        chores += [
            f"container {place.container} still holds the old value: redeploy the "
            "Stack it belongs to (or name it with --redeploy next time)"
            for place in self.follows
            if place not in self.redeployed_containers
        ]
        chores += self.others
        return tuple(dict.fromkeys(chores))


def plan_rotation(
    spec: SecretSpec, redeploy: Sequence[str] = (), search: Search | None = None
) -> Plan:
    """The plan for ``spec``, then a deploy of each Stack of ``redeploy`` and
    of each Stack ``search`` found; RotateError when no place can be written
    (only containers, which take the value from a deploy)."""
    writable = [place for place in spec.places if not isinstance(place, ContainerPlace)]
    if not writable:
        raise RotateError(f"secret {spec.name}: no place that rotate can write")
    # By kind, then by name: the order does not depend on how the map lists them.
    ordered = sorted(writable, key=lambda place: (_ORDER[type(place)], place.label))
    follows = tuple(place for place in spec.places if isinstance(place, ContainerPlace))
    found = search or Search()
    stacks = tuple(dict.fromkeys((*redeploy, *found.stacks)))
    return Plan(
        spec.name,
        tuple(Step(place) for place in ordered),
        follows,
        stacks,
        found.uses,
        found.problems,
        found.notes,
        found.others,
    )


def new_value() -> SecretValue:
    """A fresh random value: 32 random bytes, URL-safe base64."""
    return SecretValue(secrets.token_urlsafe(32))


def unusable(plan: Plan, value: SecretValue) -> tuple[str, ...]:
    """Why some place of ``plan`` cannot hold ``value`` (empty: every place
    can), found before anything is written."""
    problems: list[str] = []
    for step in plan.steps:
        place = step.place
        if isinstance(place, EnvFilePlace) or (
            isinstance(place, CoreConfigPlace) and not place.is_toml
        ):
            reason = env_value_problem(value)
        elif isinstance(place, MongoUserPlace):
            reason = dbauth.mongodb_password_problem(value)
        elif isinstance(place, PostgresUserPlace):
            reason = "it holds a NUL character" if "\0" in value.reveal() else None
        else:
            reason = None
        if reason:
            problems.append(f"{step.label}: cannot hold the new value: {reason}")
    return tuple(problems)


def preflight(plan: Plan, context: Context) -> SecretValue:
    """The current value, once every place holds it and every database user
    accepts it; RotateError naming the places otherwise."""
    fresh = replace(context, memo=Memo())
    current: SecretValue | None = None
    problems: list[str] = [
        f"{problem}; pass --no-search to rotate without looking"
        for problem in plan.unsearched
    ]
    places = [step.place for step in plan.steps] + list(plan.follows)
    for place in places:
        if not isinstance(place, ValuePlace):
            continue
        try:
            reading = place.read(fresh)
        except StoreError as error:
            problems.append(f"{place.label}: cannot be read: {error}")
            continue
        unwritable = _unwritable(place, fresh)
        if unwritable:
            problems.append(f"{place.label}: {unwritable}")
        elif isinstance(reading, Present):
            continue
        elif not isinstance(reading, Found):
            problems.append(f"{place.label}: holds no value")
        elif current is None:
            current = reading.value
        elif not same(current, reading.value):
            problems.append(f"{place.label}: holds a different value")
    problems += _missing_stacks(plan, context)
    if current is None and not problems:
        problems.append("no place holds the current value (needed to log in)")
    if current is not None:
        problems += _uris_holding(plan, fresh, current)
        problems += [
            f"{step.label}: {outcome}"
            for step in plan.steps
            if isinstance(step.place, AuthPlace)
            for outcome in [_refusal(step.place, current, fresh)]
            if outcome
        ]
    if problems or current is None:
        raise RotateError(
            f"pre-flight for secret {plan.secret} failed, nothing was changed:\n  "
            + "\n  ".join(problems)
            + "\n(run `komodo-guard secrets check` to see every copy)"
        )
    return current


def _missing_stacks(plan: Plan, context: Context) -> list[str]:
    """Why each Stack to redeploy cannot be: no Core, or Core does not know it."""
    if not plan.redeploy:
        return []
    if context.core is None:
        return [f"cannot redeploy: {context.core_problem}"]
    problems: list[str] = []
    for name in plan.redeploy:
        try:
            context.core.read("GetStack", {"stack": name})
        except CoreError as error:
            problems.append(f"Stack {name}: {error}")
    return problems


def _unwritable(place: Place, context: Context) -> str:
    """Why ``place`` cannot be written; empty when it can, as far as can be
    told without writing."""
    if isinstance(place, FILE_PLACES):
        path = Path(os.path.realpath(context.file(place.file)))
        if not _writable(path):
            return "the file or its folder is not writable"
        try:
            original = _original(place, context)
            check_owner(original)
            with locked(path, wait=0):
                pass
        except WriteError as error:
            return str(error)
        if isinstance(place, EnvFilePlace | CoreConfigPlace):
            return _uri_wins(place.key, original.text, toml=_is_toml(place))
    if isinstance(place, SopsPlace):
        try:
            find_sops(context.environ, context.sops)
        except WriteError as error:
            return str(error)
    if isinstance(place, GithubSecretPlace):
        return github_write.writable(place, context) or ""
    return ""


@dataclass(frozen=True)
class _DatabaseKeys:
    """How Core's database settings are spelled in one kind of file."""

    passwords: tuple[str, ...]
    uris: tuple[str, ...]
    address: str
    username: str


_ENV_KEYS = _DatabaseKeys(
    ("KOMODO_DATABASE_PASSWORD", "KOMODO_MONGO_PASSWORD"),
    ("KOMODO_DATABASE_URI", "KOMODO_MONGO_URI"),
    "KOMODO_DATABASE_ADDRESS",
    "KOMODO_DATABASE_USERNAME",
)
_TOML_KEYS = _DatabaseKeys(
    ("database.password",), ("database.uri",), "database.address", "database.username"
)


def _uri_wins(key: str, text: str, *, toml: bool) -> str:
    """Why rotating Core's database password in this env or TOML file would
    not be enough: the file also sets a URI, whose password Core uses instead."""
    keys = _TOML_KEYS if toml else _ENV_KEYS
    if key not in keys.passwords:
        return ""
    uri = next(
        (
            name
            for name, value in _settings(text, toml=toml)
            if name in keys.uris and value
        ),
        None,
    )
    if uri is None:
        return ""
    return (
        f"the file also sets {uri}, whose password Core uses instead and which "
        f"rotate cannot rewrite: replace it with {keys.address} (and "
        f"{keys.username}), then rotate"
    )


def _is_toml(place: EnvFilePlace | CoreConfigPlace) -> bool:
    return isinstance(place, CoreConfigPlace) and place.is_toml


def _original(
    place: EnvFilePlace | CoreConfigPlace | SopsPlace, context: Context
) -> Original:
    """The file of ``place`` as it is now, read once per pre-flight."""
    path = Path(os.path.realpath(context.file(place.file)))
    return context.memo.get(("original", path), lambda: read_original(path))


def _uris_holding(plan: Plan, context: Context, current: SecretValue) -> list[str]:
    """Settings of the map's files that hold ``current`` as the password of a
    URL (``KOMODO_DATABASE_URI=mongodb://admin:PASSWORD@db``, whatever the
    key): rotate cannot rewrite a password inside a URL, and whatever reads it
    would keep the old one."""
    problems: list[str] = []
    for step in plan.steps:
        place = step.place
        if not isinstance(place, EnvFilePlace | CoreConfigPlace):
            continue
        try:
            text = _original(place, context).text
        except WriteError:
            continue
        for key, value in _settings(text, toml=_is_toml(place)):
            if "://" not in value or "@" not in value:
                continue
            password = urlsplit(value).password
            if password is not None and same(SecretValue(unquote(password)), current):
                problems.append(
                    f"{place.file}: {key} holds the value as the password of a URL, "
                    "which rotate cannot rewrite: split it into separate settings "
                    "(e.g. KOMODO_DATABASE_ADDRESS and _PASSWORD), then rotate"
                )
    return list(dict.fromkeys(problems))


def _settings(text: str, *, toml: bool) -> list[tuple[str, str]]:
    """Every (key, string value) of a dotenv or TOML text."""
    if not toml:
        return [(entry.key, entry.value or "") for entry in dotenv_entries(text)]
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return []
    found: list[tuple[str, str]] = []

    def walk(node: object, prefix: str) -> None:
        if isinstance(node, dict):
            for name, child in node.items():
                walk(child, f"{prefix}{name}.")
        elif isinstance(node, str):
            found.append((prefix.rstrip("."), node))

    walk(data, "")
    return found


def _writable(path: Path) -> bool:
    """Whether ``path`` can be replaced: a temporary file goes in its folder."""
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


def same(left: SecretValue, right: SecretValue) -> bool:
    """Whether two values are equal, compared in constant time."""
    return hmac.compare_digest(left.reveal().encode(), right.reveal().encode())


def _refusal(place: AuthPlace, value: SecretValue, context: Context) -> str:
    outcome = place.verify(value, context)
    if outcome.state == "verified":
        return ""
    return f"{outcome.state} ({outcome.reason})" if outcome.reason else outcome.state


def verify(plan: Plan, context: Context, value: SecretValue) -> tuple[str, ...]:
    """The places that do not hold (or accept) ``value``, with the reason."""
    fresh = replace(context, memo=Memo())
    problems: list[str] = []
    for place in [step.place for step in plan.steps] + list(plan.redeployed_containers):
        if isinstance(place, AuthPlace):
            refusal = _refusal(place, value, fresh)
            problems += [f"{place.label}: {refusal}"] if refusal else []
        elif isinstance(place, ValuePlace):
            problems += _holds(place.label, place, value, fresh)
    return tuple(problems)


def _holds(
    label: str, place: ValuePlace, value: SecretValue, context: Context
) -> list[str]:
    """Why ``place`` does not hold ``value``; empty when it does."""
    try:
        reading = place.read(context)
    except StoreError as error:
        return [f"{label}: cannot be read: {error}"]
    if isinstance(reading, Found) and same(reading.value, value):
        return []
    if isinstance(reading, Present):
        # GitHub never gives a value back: the upload's answer was the check.
        return []
    return [f"{label}: does not hold the expected value"]


class Rotation:
    """Runs a plan against the stores, keeping the journal."""

    def __init__(
        self,
        plan: Plan,
        context: Context,
        journal: Journal,
        progress: Progress = lambda line: None,
        polling: trigger.Polling = _POLLING,
    ) -> None:
        self.plan = plan
        self.context = context
        self.journal = journal
        self.progress = progress
        self.polling = polling
        self._crash = context.environ.get(CRASH_ENV, "")

    def start(self, new: SecretValue | None = None) -> None:
        """Rotate from scratch: pre-flight, then every step, then verify."""
        with self._locked():
            self._start(new)

    def resume(self) -> None:
        """Finish the journal's rotation (or its rollback, if one was begun)."""
        with self._locked():
            record = self._load()
            if record.mode == "rollback":
                self._backward(record)
            else:
                self._forward(record)

    def rollback(self) -> None:
        """Put the old value back in every place the journal changed."""
        with self._locked():
            record = self._load()
            self._backward(replace(record, mode="rollback"))

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        """The journal's lock, held for the whole run: a --resume or
        --rollback cannot run beside the rotation it would undo."""
        try:
            with self.journal.locked(self.plan.secret):
                yield
        except JournalError as error:
            raise RotateError(str(error)) from None

    def _start(self, new: SecretValue | None) -> None:
        if self.journal.exists():
            raise RotateError(
                f"secret {self.plan.secret}: an earlier rotation left the journal "
                f"{self.journal.path}; finish it with --resume or undo it with "
                "--rollback (if it cannot be read, its key lost: run `secrets "
                "check`, put every place right by hand, then delete the journal)"
            )
        old = preflight(self.plan, self.context)
        chosen = new if new is not None else new_value()
        if not chosen:
            raise RotateError("the new value is empty")
        if same(old, chosen):
            raise RotateError("the new value is the same as the current one")
        problems = unusable(self.plan, chosen)
        if problems:
            raise RotateError(
                "the new value does not suit every place, nothing was changed:\n  "
                + "\n  ".join(problems)
            )
        first: StepStatus = "pending"
        pending = (first,) * len(self.plan.labels)
        record = Record(
            self.plan.secret,
            self.plan.labels,
            pending,
            old,
            chosen,
        )
        self._save(record, first=True)
        self._forward(record)

    def _forward(self, record: Record) -> None:
        total = len(self.plan.labels)
        for index in range(total):
            if record.statuses[index] == "done":
                continue
            record = self._mark(record, index, "started")
            done = self._run(index, record.old, record.new)
            record = self._mark(record, index, "done")
            self.progress(f"step {index + 1}/{total}: {done}: done")
        problems = verify(self.plan, self.context, record.new)
        if problems:
            raise VerifyError(
                "the new value was written, but not every place holds it:\n  "
                + "\n  ".join(problems)
                + f"\nthe journal {self.journal.path} is kept: --resume retries, "
                "--rollback restores the old value"
            )
        self.journal.remove()
        self.progress(f"secret {self.plan.secret}: every place holds the new value")

    def _backward(self, record: Record) -> None:
        self._save(record)
        for index in reversed(range(len(self.plan.steps))):
            if record.statuses[index] not in ("started", "done"):
                continue
            step = self.plan.steps[index]
            self._apply(step, record.new, record.old)
            record = self._mark(record, index, "undone")
            self.progress(f"undo step {index + 1}: {step.label}: old value restored")
        failed: list[str] = []
        for index in range(len(self.plan.steps), len(self.plan.labels)):
            if record.statuses[index] not in ("started", "done"):
                continue
            try:
                done = self._run(index, record.new, record.old)
            except RotateError as error:
                # Every place already holds the old value again: a Stack that
                # will not deploy must not keep the rollback from ending.
                failed.append(
                    str(error).replace(self._kept_journal(), "").rstrip("; \n")
                )
                done = f"redeploy {self.plan.labels[index]}: failed"
            record = self._mark(record, index, "undone")
            self.progress(f"undo step {index + 1}: {done} with the old value")
        problems = verify(self.plan, self.context, record.old)
        if problems:
            raise VerifyError(
                "the old value was restored, but not every place holds it:\n  "
                + "\n  ".join(problems)
                + f"\nthe journal {self.journal.path} is kept: --resume retries"
            )
        self.journal.remove()
        if failed:
            raise VerifyError(
                "every place holds the old value again, but a redeploy with it "
                "failed (deploy it yourself once it is fixed):\n  "
                + "\n  ".join(failed)
            )
        self.progress(f"secret {self.plan.secret}: every place holds the old value")

    def _run(self, index: int, current: SecretValue, target: SecretValue) -> str:
        """Run step ``index`` (a place, or a Stack's deploy); what was done."""
        if index < len(self.plan.steps):
            step = self.plan.steps[index]
            self._apply(step, current, target)
            return f"{step.action} {step.label}"
        name = self.plan.redeploy[index - len(self.plan.steps)]
        self._redeploy(name, current, target)
        return f"redeploy Stack {name}"

    def _redeploy(self, name: str, *values: SecretValue) -> None:
        """Deploy Stack ``name`` and follow the deploy to its end."""
        core = self.context.core
        if core is None:
            raise RotateError(
                f"Stack {name}: {self.context.core_problem}; {self._kept_journal()}"
            )
        try:
            ident = trigger.start(core, trigger.KINDS["stack"], name, if_changed=False)
            self.progress(
                f"deploying Stack {name}: following Update {ident} (for at most "
                f"{self.polling.wait / 60:g} min)"
            )
            followed = trigger.follow(core, ident, self.polling)
        except CoreError as error:
            text = scrub(str(error), *values)
            raise RotateError(f"Stack {name}: {text}; {self._kept_journal()}") from None
        if followed.outcome is not trigger.Outcome.SUCCESS:
            reason = f" ({scrub(followed.reason, *values)})" if followed.reason else ""
            stages = [
                scrub(
                    f"{stage.stage}: {(stage.stderr or stage.stdout or ('',))[-1]}",
                    *values,
                )
                for stage in trigger.failed_stages(followed.update)
            ]
            detail = "".join(f"\n    failed stage {line}" for line in stages)
            raise RotateError(
                f"Stack {name}: the deploy {followed.outcome.value}{reason} "
                f"(Update {ident}){detail}\n" + self._kept_journal()
            )

    def _apply(self, step: Step, current: SecretValue, target: SecretValue) -> None:
        """Make ``step``'s place hold ``target``; running it twice is harmless."""
        place = step.place
        try:
            if isinstance(place, MongoUserPlace):
                server = place.server
                self._set_password(
                    step,
                    lambda: dbauth.verify_mongodb(
                        server, target, timeout=self.context.timeout
                    ),
                    lambda: dbauth.set_mongodb_password(
                        server, current, target, timeout=self.context.timeout
                    ),
                )
            elif isinstance(place, PostgresUserPlace):
                role = place.role
                self._set_password(
                    step,
                    lambda: dbauth.verify_postgres(
                        role, target, timeout=self.context.timeout
                    ),
                    lambda: dbauth.set_postgres_password(
                        role, current, target, timeout=self.context.timeout
                    ),
                )
            elif isinstance(place, EnvFilePlace):
                write_env_file(self.context.file(place.file), place.key, target)
            elif isinstance(place, CoreConfigPlace):
                write_core_config(self.context.file(place.file), place.key, target)
            elif isinstance(place, SopsPlace):
                write_sops_value(
                    self.context.file(place.file),
                    place.key,
                    place.format,
                    target,
                    self.context.environ,
                    find_sops(self.context.environ, self.context.sops),
                )
            elif isinstance(place, GithubSecretPlace):
                github_write.write_github_secret(place, target, self.context)
            elif isinstance(place, KomodoVariablePlace):
                if self.context.core is None:
                    raise RotateError(
                        f"{step.label}: {self.context.core_problem}; "
                        + self._kept_journal()
                    )
                write_komodo_variable(self.context.core, place.variable, target)
        except WriteError as error:
            raise RotateError(f"{error}; {self._kept_journal()}") from None

    def _set_password(
        self,
        step: Step,
        check: Callable[[], dbauth.AuthResult],
        change: Callable[[], dbauth.AuthResult],
    ) -> None:
        if check().state == "verified":
            return
        result = change()
        if result.state != "verified":
            raise RotateError(
                f"{step.label}: {result.state}: {result.reason}; "
                + self._kept_journal()
            )

    def _kept_journal(self) -> str:
        return (
            f"the journal {self.journal.path} is kept: --resume retries, "
            "--rollback restores the old value"
        )

    def _load(self) -> Record:
        if not self.journal.exists():
            raise RotateError(
                f"secret {self.plan.secret}: no journal at {self.journal.path}: "
                "there is no interrupted rotation to resume or roll back"
            )
        try:
            record = self.journal.read()
        except JournalError as error:
            raise RotateError(str(error)) from None
        places = tuple(step.label for step in self.plan.steps)
        started = record.places[: len(places)]
        stacks = record.places[len(places) :]
        if (
            record.secret != self.plan.secret
            or started != places
            or not all(label.startswith(_STACK) for label in stacks)
        ):
            raise RotateError(
                f"the journal {self.journal.path} is for secret {record.secret} "
                "with other places than the map has now; give the same map as "
                "when it started"
            )
        # The Stacks to redeploy are the ones the rotation started with.
        redeploy = tuple(label.removeprefix(_STACK) for label in stacks)
        if redeploy != self.plan.redeploy:
            reasons = tuple(use for use in self.plan.reasons if use.stack in redeploy)
            self.plan = replace(self.plan, redeploy=redeploy, reasons=reasons)
        return record

    def _mark(self, record: Record, index: int, status: StepStatus) -> Record:
        marked = record.with_status(index, status)
        self._save(marked)
        if self._crash == f"{index + 1}:{status}":
            os.kill(os.getpid(), signal.SIGKILL)
        return marked

    def _save(self, record: Record, *, first: bool = False) -> None:
        try:
            self.journal.write(record, first=first)
        except JournalError as error:
            raise RotateError(str(error)) from None
