"""Core's database address from its settings: the URI parsed, the password
dropped."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from hypothesis import given
from hypothesis import strategies as st

from komodo_guard.secrets.dbaddress import (
    DatabaseAddress,
    Setting,
    database_address,
    parse_hosts,
    parse_uri,
)
from komodo_guard.secrets.value import SecretValue


def uri(text: str) -> DatabaseAddress | None:
    return parse_uri(SecretValue(text))


def test_a_full_uri() -> None:
    assert uri(
        "mongodb://komodo:pw@db.lan:27018/?authSource=komodo&tls=true"
    ) == DatabaseAddress("db.lan", 27018, "komodo", "komodo", tls=True)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mongodb://db.lan", DatabaseAddress("db.lan")),
        ("mongodb://a%40b:p%3Aw@h:1/", DatabaseAddress("h", 1, "a@b")),
        ("mongodb://u:p@h1:1,h2:2/app", DatabaseAddress("h1", 1, "u", "app")),
        (
            "mongodb://u:p@h/app?authSource=admin",
            DatabaseAddress("h", None, "u", "admin"),
        ),
        ("mongodb://u:p@[::1]:27017", DatabaseAddress("::1", 27017, "u")),
        ("mongodb://u:p@h?ssl=true", DatabaseAddress("h", None, "u", tls=True)),
        ("mongodb://u:p%2Fw%40x@h:2/", DatabaseAddress("h", 2, "u")),
        (
            "mongodb://u:p@db.example:27018/?authSource=other&appName=me@x",
            DatabaseAddress("db.example", 27018, "u", "other"),
        ),
        ("mongodb://u:p@h?appName=me@x", DatabaseAddress("h", None, "u")),
        ("mongodb://u:p@h:3#frag@x", DatabaseAddress("h", 3, "u")),
        ("mongodb://h:4/app?x=a@b", DatabaseAddress("h", 4, None, "app")),
        (
            "mongodb://u:p@h/?AUTHSOURCE=a&authSource=b&TLS=TRUE",
            DatabaseAddress("h", None, "u", "a", tls=True),
        ),
        ("mongodb://u:p@h/?tls=false&ssl=true", DatabaseAddress("h", None, "u")),
        (
            "mongodb+srv://u:p@c.example.net/",
            DatabaseAddress("c.example.net", None, "u", tls=True, srv=True),
        ),
        (
            "mongodb+srv://u:p@c.example.net/?tls=false",
            DatabaseAddress("c.example.net", None, "u", srv=True),
        ),
    ],
)
def test_uri_forms(text: str, expected: DatabaseAddress) -> None:
    assert uri(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "postgres://u:p@h:1/",
        "db.lan:27017",
        "mongodb://u:p@h:port/",
        "mongodb://u:p@/",
        # A "/" in the password must be percent-encoded: unencoded, it ends
        # the authority (as the drivers read it), leaving no host.
        "mongodb://u:p/w@h:2/",
    ],
)
def test_not_a_mongodb_uri(text: str) -> None:
    assert uri(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mongo:27017", ("mongo", 27017)),
        ("mongo", ("mongo", None)),
        ("a:1,b:2", ("a", 1)),
        ("[fd00::1]:27017", ("fd00::1", 27017)),
        ("mongo:0", None),
        ("mongo:70000", None),
        ("[fd00::1", None),
        ("", None),
    ],
)
def test_hosts(text: str, expected: tuple[str, int | None] | None) -> None:
    assert parse_hosts(text) == expected


def test_the_uri_wins_and_takes_the_user_name_setting_when_it_has_none() -> None:
    found = database_address(
        [
            Setting("KOMODO_DATABASE_ADDRESS", "other:1", "a.env"),
            Setting("KOMODO_DATABASE_USERNAME", "komodo", "a.env"),
            Setting("KOMODO_MONGO_URI", SecretValue("mongodb://db:2"), "b.env"),
        ]
    )
    assert found == DatabaseAddress(
        "db",
        2,
        "komodo",
        sources=("KOMODO_MONGO_URI in b.env", "KOMODO_DATABASE_USERNAME in a.env"),
    )


def test_the_address_and_user_name_when_the_uri_does_not_parse() -> None:
    found = database_address(
        [
            Setting("KOMODO_DATABASE_URI", SecretValue("not a uri"), "a.env"),
            Setting("KOMODO_MONGO_ADDRESS", "mongo:27017", "a.env"),
            Setting("KOMODO_MONGO_USERNAME", "root", "a.env"),
            Setting("KOMODO_DATABASE_ADDRESS", "first:1", "b.env"),
        ]
    )
    assert (found.host, found.port, found.user) == ("first", 1, "root")
    assert found.sources == (
        "KOMODO_DATABASE_ADDRESS in b.env",
        "KOMODO_MONGO_USERNAME in a.env",
    )


def test_the_first_setting_of_a_key_counts() -> None:
    found = database_address(
        [
            Setting("KOMODO_DATABASE_ADDRESS", "one:1", "a.env"),
            Setting("KOMODO_DATABASE_ADDRESS", "two:2", "b.env"),
        ]
    )
    assert (found.host, found.port, found.user) == ("one", 1, None)


def test_no_settings() -> None:
    assert database_address([]) == DatabaseAddress()


# The marker keeps a generated password from being a piece of the fixed text
# around it (``KOMODO_D`` is in every repr that names its setting).
_PASSWORDS = (
    st.text(alphabet=st.characters(codec="ascii"), min_size=8)
    .filter(lambda text: text.strip() and len(set(text)) > 4)
    .map(lambda text: "Zq~" + text)
)


@given(password=_PASSWORDS, scheme=st.sampled_from(["mongodb", "mongodb+srv"]))
def test_the_password_never_leaves(password: str, scheme: str) -> None:
    encoded = quote(password, safe="")
    text = f"{scheme}://komodo:{encoded}@db.lan:27017/?authSource=admin&appName=a@b"
    found = database_address([Setting("KOMODO_DATABASE_URI", SecretValue(text), "e")])
    assert password not in repr(found)
    assert encoded not in repr(found)
    assert (found.host, found.port, found.user) == ("db.lan", 27017, "komodo")
