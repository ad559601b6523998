"""Identity: volatile parts of a message do not change it; what tells two
problems apart does."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from komodo_guard.rules.interface import Location, ResourceRef, Severity
from komodo_guard.watch.identity import identity, normalise
from tests.watch.helpers import pending, stack_down, unread


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("pending for 2 days", "pending for 3 days"),
        ("pending for 2 days 4 hours", "pending for 12 minutes"),
        ("failing for less than a minute", "failing for 1 hour, 5 minutes"),
        ("since 2026-11-29 04:12: HTTP 502", "since 2026-12-01 17:40: HTTP 503"),
        ("since 2026-11-29T04:12:00Z", "since 2026-11-30T01:02:03.5+01:00"),
        ("at 04:12", "at 23:59:59"),
        ("1 failed run", "3 failed runs"),
        ("came back 1 time (2 outages)", "came back 4 times (1 outage)"),
        (
            "deployed commit abc1234, git has 0fe4d2e9",
            "deployed commit 9f8e7d6, git has 123abcd",
        ),
        ("backed up 2 days ago (limit 7 days)", "backed up 8 days ago (limit 7 days)"),
    ],
)
def test_volatile_parts_are_normalised(first: str, second: str) -> None:
    assert normalise(first) == normalise(second)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("stack 'web2' is exited", "stack 'web3' is exited"),
        ("stack 'web' is exited", "stack 'web' is unhealthy"),
        ("key `port_80` is unknown", "key `port_81` is unknown"),
        ('path "compose-2026-11.yaml" missing', 'path "compose-2026-12.yaml" missing'),
        ("rule KG1004 could not run", "rule KG1005 could not run"),
        ("Komodo v2.3.1 only", "Komodo v2.4.1 only"),
    ],
)
def test_what_names_a_problem_is_kept(first: str, second: str) -> None:
    assert normalise(first) != normalise(second)


def test_apostrophes_in_words_do_not_protect_numbers() -> None:
    assert normalise("Core's database was backed up 3 days ago") == normalise(
        "Core's database was backed up 4 days ago"
    )


def test_identity_is_readable_and_stable() -> None:
    key = identity(pending(days=2))
    assert re.fullmatch(r"KG1001:resource_sync/homelab:[0-9a-f]{12}", key)
    assert identity(pending(days=9)) == key


def test_line_and_column_do_not_matter_but_the_file_does() -> None:
    here = pending(path="syncs.toml", line=3)
    moved = replace(here, location=Location("syncs.toml", 40, 7))
    elsewhere = replace(here, location=Location("other.toml", 3, 1))
    assert identity(here) == identity(moved)
    assert identity(here) != identity(elsewhere)
    assert identity(pending(path="syncs.toml")).split(":")[1] == "resource_sync/homelab"
    unnamed = replace(here, resource=None)
    assert identity(unnamed).split(":")[1] == "syncs.toml"
    assert identity(replace(unnamed, location=None)).split(":")[1] == "-"


def test_resource_code_and_problem_tell_findings_apart() -> None:
    assert identity(pending("homelab")) != identity(pending("media"))
    assert identity(stack_down("exited")) != identity(stack_down("unhealthy"))
    other_rule = replace(pending(), code="KG1002")
    assert identity(other_rule) != identity(pending())
    other_kind = replace(pending(), resource=ResourceRef("stack", "homelab"))
    assert identity(other_kind) != identity(pending())


def test_severity_and_hint_do_not_matter() -> None:
    first = pending(severity=Severity.WARNING)
    assert identity(first) == identity(
        replace(first, severity=Severity.ERROR, hint="another hint")
    )


def test_could_not_check_is_keyed_by_what_not_why() -> None:
    assert identity(unread("alerters", "HTTP 403")) == identity(
        unread("alerters", "timed out after 10 s")
    )
    assert identity(unread("alerters")) != identity(unread("stacks"))


durations = st.lists(
    st.tuples(
        st.integers(0, 10_000), st.sampled_from(["day", "days", "hours", "minute"])
    ),
    min_size=1,
    max_size=3,
).map(lambda parts: " ".join(f"{n} {unit}" for n, unit in parts))


@given(first=durations, second=durations, count=st.integers(0, 10**6))
def test_any_duration_and_count_give_one_identity(
    first: str, second: str, count: int
) -> None:
    base = pending()
    one = replace(base, message=f"pending for {first}; {count} runs failed")
    other = replace(base, message=f"pending for {second}; 1 run failed")
    assert identity(one) == identity(other)


names = st.text(
    alphabet=st.characters(categories=["Ll", "Nd"], max_codepoint=127),
    min_size=1,
    max_size=12,
)


@given(first=names, second=names)
def test_distinct_quoted_names_give_distinct_identities(
    first: str, second: str
) -> None:
    base = replace(pending(), resource=None)
    one = replace(base, message=f"stack {first!r} is exited for 2 days")
    other = replace(base, message=f"stack {second!r} is exited for 5 days")
    assert (identity(one) == identity(other)) == (first == second)
