"""``secrets check``: read every place, compare by keyed fingerprint, build the matrix.

Reading: every place whose value can be read is read concurrently (at most
``jobs`` at a time); each value is wrapped in a :class:`SecretValue` by its
place and reduced here to an HMAC fingerprint under a key that is random for
this run and kept in memory only (:mod:`komodo_guard.live.fingerprint`).

Comparing: the reference value of a secret is the value of its place marked
``source = true`` when that place could be read, else the value most places
hold (no reference when two values tie). Each place is ``same`` or
``different`` from it, ``missing`` or ``unreadable``; GitHub says ``exists``.

Authenticating: a database user is tried with the distinct values found in
the other places of the same secret, the reference first, then the others
from the most common; it stops at the first value accepted or at the first
sign the server cannot be reached, so no value is tried twice and none more
than needed. ``verified`` with a value other than the reference is drift: the
places holding the reference would fail to log in.

Once the matrix is built the values are dropped; the result holds none.
"""

from __future__ import annotations

import logging
import string
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace

from komodo_guard.live.fingerprint import fingerprint, new_key
from komodo_guard.secrets.model import Blanked, Cell, CellState, CheckResult, SecretRow
from komodo_guard.secrets.places.interface import (
    Absent,
    AuthOutcome,
    AuthPlace,
    Context,
    Found,
    Place,
    Present,
    Reading,
    StoreError,
    ValuePlace,
)
from komodo_guard.secrets.places.komodo_variable import KomodoVariablePlace
from komodo_guard.secrets.secretmap import SecretMap, SecretSpec
from komodo_guard.secrets.value import SecretValue

log = logging.getLogger(__name__)

DEFAULT_JOBS = 8
Slot = tuple[int, int]
"""(secret index, place index) in the map."""


@dataclass(frozen=True)
class Seen:
    """What reading one place gave: a reading (with the value's fingerprint
    when a value was found), or why it could not be read."""

    reading: Reading | None
    fingerprint: str = ""
    problem: str = ""


@dataclass(frozen=True)
class Tried:
    """What a database answered: the last outcome (None when there was no
    value to try), the fingerprint of the accepted value, how many were tried."""

    outcome: AuthOutcome | None
    fingerprint: str = ""
    tries: int = 0


Observation = Seen | Tried


def check_secrets(
    secret_map: SecretMap,
    context: Context,
    *,
    jobs: int = DEFAULT_JOBS,
    blanked: tuple[Blanked, ...] = (),
) -> CheckResult:
    """Read, authenticate and compare every secret of the map."""
    key = new_key()
    readable = list(_slots(secret_map, ValuePlace))
    asked = list(_slots(secret_map, AuthPlace))
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:

        def read(slot: Slot) -> Seen:
            return observe(_place(secret_map, slot), context, key)

        seen = dict(zip(readable, pool.map(read, readable), strict=True))
        values = dict(_values(seen))

        def ask(slot: Slot) -> Tried:
            return _ask(secret_map, slot, seen, values, context)

        tried = dict(zip(asked, pool.map(ask, asked), strict=True))
    values.clear()
    observations: dict[Slot, Observation] = {**seen, **tried}
    rows = tuple(
        build_row(
            secret,
            [observations[(index, number)] for number in range(len(secret.places))],
            blanked,
        )
        for index, secret in enumerate(secret_map.secrets)
    )
    return CheckResult(rows, blanked, map_file=secret_map.file)


def _slots(secret_map: SecretMap, kind: type) -> Iterator[Slot]:
    for index, secret in enumerate(secret_map.secrets):
        for number, place in enumerate(secret.places):
            if isinstance(place, kind):
                yield index, number


def _place(secret_map: SecretMap, slot: Slot) -> Place:
    return secret_map.secrets[slot[0]].places[slot[1]]


def observe(place: Place, context: Context, key: bytes) -> Seen:
    """Read one place; its value becomes a fingerprint under ``key``."""
    assert isinstance(place, ValuePlace)
    try:
        reading = place.read(context)
    except StoreError as error:
        log.debug("%s: unreadable", place.label)
        return Seen(None, problem=str(error))
    except Exception as error:
        # A bug or an unwrapped library error: its text may quote the value.
        log.debug("%s: unexpected %s", place.label, type(error).__name__)
        return Seen(
            None,
            problem=f"unexpected {type(error).__name__} while reading (its text is "
            "withheld: it may quote the value); please report it",
        )
    log.debug("%s: %s", place.label, type(reading).__name__.lower())
    if isinstance(reading, Found):
        return Seen(reading, fingerprint(key, reading.value.reveal()))
    return Seen(reading)


def _values(
    seen: Mapping[Slot, Seen],
) -> Iterator[tuple[tuple[int, str], SecretValue]]:
    """Each distinct value of each secret, by (secret index, fingerprint)."""
    for (index, _), one in seen.items():
        if isinstance(one.reading, Found):
            yield (index, one.fingerprint), one.reading.value


def _ask(
    secret_map: SecretMap,
    slot: Slot,
    seen: Mapping[Slot, Seen],
    values: Mapping[tuple[int, str], SecretValue],
    context: Context,
) -> Tried:
    """Try the secret's distinct values on one database, reference first."""
    place = _place(secret_map, slot)
    assert isinstance(place, AuthPlace)
    secret = secret_map.secrets[slot[0]]
    ordered = candidates(secret, _secret_observations(secret, slot[0], seen))
    outcome: AuthOutcome | None = None
    for tries, digest in enumerate(ordered, start=1):
        outcome = _verify(place, values[(slot[0], digest)], context)
        log.debug("%s: try %d: %s", place.label, tries, outcome.state)
        if outcome.state != "refused":
            return Tried(outcome, digest if outcome.state == "verified" else "", tries)
    return Tried(outcome, "", len(ordered))


def _secret_observations(
    secret: SecretSpec, index: int, seen: Mapping[Slot, Seen]
) -> list[Observation]:
    return [
        seen.get((index, number), Tried(None)) for number in range(len(secret.places))
    ]


def _verify(place: AuthPlace, value: SecretValue, context: Context) -> AuthOutcome:
    try:
        return place.verify(value, context)
    except Exception as error:
        # dbauth wraps its errors; anything else may quote the value.
        log.debug("%s: unexpected %s", place.label, type(error).__name__)
        return AuthOutcome(
            "unreachable",
            f"unexpected {type(error).__name__} while logging in (its text is "
            "withheld); please report it",
        )


def candidates(secret: SecretSpec, observed: Sequence[Observation]) -> list[str]:
    """Fingerprints to try on a database: the reference first, then the
    others from the most common (ties in map order)."""
    counts = Counter(_fingerprints(observed))
    reference, _ = choose_reference(secret, observed)
    first = {digest: number for number, digest in enumerate(counts)}
    return sorted(
        counts,
        key=lambda digest: (digest != reference, -counts[digest], first[digest]),
    )


def _fingerprints(observed: Sequence[Observation]) -> Iterator[str]:
    for one in observed:
        if isinstance(one, Seen) and one.fingerprint:
            yield one.fingerprint


def choose_reference(
    secret: SecretSpec, observed: Sequence[Observation]
) -> tuple[str | None, str]:
    """The fingerprint the places are compared with, and how it was chosen."""
    counts = Counter(_fingerprints(observed))
    note = ""
    for place, one in zip(secret.places, observed, strict=True):
        if place.source and isinstance(one, Seen):
            if one.fingerprint:
                return one.fingerprint, f"the source, {place.label}"
            note = f"the source {place.label} holds no value, so "
    if not counts:
        return None, note + "no place holds a value"
    ranked = counts.most_common()
    if len(ranked) > 1 and ranked[0][1] == ranked[1][1]:
        return None, note + (
            f"no majority among {len(ranked)} distinct values; mark the right copy "
            "with source = true"
        )
    held, total = ranked[0][1], sum(counts.values())
    return ranked[0][0], note + f"the majority ({held} of {total} places with a value)"


def letters(observed: Sequence[Observation]) -> dict[str, str]:
    """A letter per distinct value, in map order (A, B, ... then V27, V28)."""
    names: dict[str, str] = {}
    for digest in _fingerprints(observed):
        if digest not in names:
            count = len(names)
            names[digest] = (
                string.ascii_uppercase[count] if count < 26 else f"V{count + 1}"
            )
    return names


def build_row(
    secret: SecretSpec, observed: Sequence[Observation], blanked: tuple[Blanked, ...]
) -> SecretRow:
    """The matrix row of one secret, from what its places gave (pure)."""
    reference, how = choose_reference(secret, observed)
    names = letters(observed)
    cells = tuple(
        _cell(place, one, reference, names)
        for place, one in zip(secret.places, observed, strict=True)
    )
    variables = {
        place.variable
        for place in secret.places
        if isinstance(place, KomodoVariablePlace)
    }
    mine = tuple(entry for entry in blanked if entry.variable in variables)
    return SecretRow(secret.name, cells, how, mine)


def _cell(
    place: Place, one: Observation, reference: str | None, names: Mapping[str, str]
) -> Cell:
    base = Cell(place.kind, place.store, place.label, CellState.UNREADABLE)
    if isinstance(one, Tried):
        return _auth_cell(base, one, reference, names)
    match one.reading:
        case None:
            return replace(base, reason=one.problem)
        case Absent(reason=reason):
            return replace(base, state=CellState.MISSING, reason=reason, drift=True)
        case Present(changed=changed):
            return replace(base, state=CellState.EXISTS, changed=changed)
        case Found(changed=changed):
            letter = names[one.fingerprint]
            same = one.fingerprint == reference
            return replace(
                base,
                state=CellState.SAME if same else CellState.DIFFERENT,
                value=letter,
                changed=changed,
                source=place.source,
                drift=not same,
                reason="" if same else _differs(letter, reference, names),
            )
    raise AssertionError(f"unknown reading {one.reading!r}")


def _differs(letter: str, reference: str | None, names: Mapping[str, str]) -> str:
    if reference is None:
        return f"holds value {letter}; the places disagree with no majority"
    return f"holds value {letter}, not the reference value {names[reference]}"


def _auth_cell(
    base: Cell, tried: Tried, reference: str | None, names: Mapping[str, str]
) -> Cell:
    outcome = tried.outcome
    if outcome is None:
        return replace(
            base, reason="no value was found in the other places to log in with"
        )
    if outcome.state == "unreachable":
        return replace(base, state=CellState.UNREACHABLE, reason=outcome.reason)
    if outcome.state == "refused":
        plural = "value" if tried.tries == 1 else "distinct values"
        return replace(
            base,
            state=CellState.REFUSED,
            drift=True,
            reason=f"refused all {tried.tries} {plural} found: {outcome.reason}",
        )
    letter = names[tried.fingerprint]
    other = reference is not None and tried.fingerprint != reference
    reason = (
        f"accepts value {letter}, not the reference value {names[reference]}: "
        "the places holding the reference would fail to log in"
        if other and reference is not None
        else f"accepts value {letter}"
    )
    return replace(
        base, state=CellState.VERIFIED, value=letter, drift=other, reason=reason
    )
