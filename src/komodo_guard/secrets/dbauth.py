"""Check and change database users' passwords by logging in, never by reading.

Komodo Core logs in to MongoDB (or to FerretDB, whose data lives in a
PostgreSQL role) with ``KOMODO_DATABASE_USERNAME`` and
``KOMODO_DATABASE_PASSWORD``. The only honest test that a copy of that
password still matches the database is a login: `verify_mongodb` runs SCRAM
and a ``ping`` through pymongo, `verify_postgres` opens a psycopg connection.
`set_mongodb_password` and `set_postgres_password` log in with the current
password, change it on the server (``updateUser`` on the user itself;
``ALTER ROLE`` with a client-side SCRAM verifier sent as a quoted literal),
then log in again with the new password to prove the change.

Every outcome is an `AuthResult`: ``verified``; ``refused`` when the server
was reached and said no (wrong password, unknown user, no ``pg_hba.conf``
entry, no right to change the password); ``unreachable`` when the password
could not be checked (no answer within the timeout, connection refused, TLS
trouble, a server that lets the role in without asking for a password).

The password never reaches a reason or a log line: connections are built from
keyword arguments, never from a URI holding the password, and an error text
that contains the password in any common encoding is withheld whole. pymongo
and psycopg are imported on first use, so loading this module stays cheap.
Each login or command waits at most ``timeout`` seconds (libpq rounds up to
whole seconds and waits at least 2).
"""

from __future__ import annotations

import contextlib
import json
import logging
import math
import os
import re
import socket
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import quote, quote_plus

from komodo_guard.secrets.value import SecretValue

if TYPE_CHECKING:
    import psycopg
    from pymongo import MongoClient
    from pymongo.errors import PyMongoError

log = logging.getLogger(__name__)

AuthState = Literal["verified", "refused", "unreachable"]
WITHHELD = "the error text is withheld because it contained the password"
_MONGO_AUTH_FAILED = 18
_PG_PREFIX = re.compile(r"^connection failed: connection to server at .*? failed: ")
_PG_TEXT_STATES = (
    (re.compile(r"password authentication failed"), "28P01"),
    (re.compile(r"no pg_hba\.conf entry|pg_hba\.conf rejects"), "28000"),
    (re.compile(r'role ".*" (does not exist|is not permitted to log in)'), "28000"),
    (re.compile(r'database ".*" does not exist'), "3D000"),
)
"""English server texts of a refused startup: libpq keeps no SQLSTATE for them."""


@dataclass(frozen=True)
class MongoPlace:
    """A MongoDB user: where the server is and which user to log in as."""

    host: str
    port: int
    user: str
    auth_source: str = "admin"
    tls: bool = False


@dataclass(frozen=True)
class PostgresPlace:
    """A PostgreSQL role: where the server is and which role to log in as."""

    host: str
    port: int
    user: str
    database: str = "postgres"
    sslmode: str = "prefer"


@dataclass(frozen=True)
class AuthResult:
    """How a login went; `reason` explains it (empty for a plain success)."""

    state: AuthState
    reason: str = ""


def _password_forms(text: str) -> set[str]:
    """The ways an error text could quote a password: raw, URL, repr, JSON."""
    forms = {
        text,
        quote(text, safe=""),
        quote_plus(text),
        repr(text)[1:-1],
        json.dumps(text)[1:-1],
        repr(text.encode())[2:-1],
    }
    return {form for form in forms if form}


def scrub(text: str, *secrets: SecretValue) -> str:
    """`text`, or `WITHHELD` if it holds any of `secrets` in any common form."""
    for secret in secrets:
        if any(form in text for form in _password_forms(secret.reveal())):
            return WITHHELD
    return text


def _first_line(text: str, limit: int = 300) -> str:
    line = text.strip().splitlines()[0] if text.strip() else ""
    return line if len(line) <= limit else line[: limit - 1] + "…"


def _seconds(timeout: float) -> str:
    return f"{timeout:g} s"


def _outcome(where: str, result: AuthResult) -> AuthResult:
    log.debug("%s: %s", where, " ".join(filter(None, (result.state, result.reason))))
    return result


# MongoDB ---------------------------------------------------------------------


def _mongo_where(place: MongoPlace) -> str:
    return f"MongoDB at {place.host}:{place.port}"


def _mongo_client(
    place: MongoPlace, password: SecretValue, timeout: float
) -> MongoClient[dict[str, Any]]:
    from pymongo import MongoClient

    milliseconds = max(1, round(timeout * 1000))
    host = f"[{place.host}]" if ":" in place.host else place.host
    return MongoClient(
        host=host,
        port=place.port,
        username=place.user,
        password=password.reveal(),
        authSource=place.auth_source,
        tls=place.tls,
        directConnection=True,
        connect=False,
        appname="komodo-guard",
        timeoutMS=milliseconds,
        serverSelectionTimeoutMS=milliseconds,
        connectTimeoutMS=milliseconds,
    )


def _mongo_failure(
    place: MongoPlace, error: PyMongoError, timeout: float, *secrets: SecretValue
) -> AuthResult:
    from pymongo.errors import ConnectionFailure, OperationFailure

    where = _mongo_where(place)
    if isinstance(error, OperationFailure):
        if error.code == _MONGO_AUTH_FAILED:
            return AuthResult(
                "refused",
                f"{where} refused the login of user `{place.user}` on database "
                f"`{place.auth_source}` (AuthenticationFailed, code 18)",
            )
        details = error.details or {}
        text = scrub(str(details.get("errmsg", error)), *secrets)
        name = details.get("codeName", "error")
        return AuthResult(
            "refused", f"{where} answered {name} (code {error.code}): {text}"
        )
    text = scrub(str(error), *secrets).split(", Timeout:")[0]
    text = _first_line(text.split(" (configured timeouts")[0])
    if isinstance(error, ConnectionFailure):
        return AuthResult(
            "unreachable",
            f"could not reach {where} within {_seconds(timeout)}: {text}",
        )
    return AuthResult("unreachable", f"could not log in to {where}: {text}")


MongoAction = Callable[["MongoClient[dict[str, Any]]"], object]


def _mongo_session(
    place: MongoPlace, password: SecretValue, timeout: float, action: MongoAction
) -> AuthResult:
    """Log in as `place`'s user with `password` and run `action`."""
    from pymongo.errors import PyMongoError

    try:
        client = _mongo_client(place, password, timeout)
    except (PyMongoError, TypeError, ValueError) as error:
        text = _first_line(scrub(str(error), password))
        return AuthResult(
            "unreachable", f"cannot connect to {_mongo_where(place)}: {text}"
        )
    try:
        action(client)
    except PyMongoError as error:
        return _mongo_failure(place, error, timeout, password)
    except (ValueError, IndexError):
        # pymongo's SASLprep refuses the password before sending anything
        # (IndexError: pymongo 4.x fails so on one that maps to nothing).
        return AuthResult(
            "refused",
            "the password holds characters that SCRAM-SHA-256 does not allow "
            "(SASLprep, RFC 4013), so MongoDB can never accept it",
        )
    finally:
        client.close()
    return AuthResult("verified")


def _ping(client: MongoClient[dict[str, Any]]) -> object:
    return client.admin.command("ping")


def mongodb_password_problem(value: SecretValue) -> str | None:
    """Why MongoDB would refuse ``value`` as a SCRAM password (SASLprep
    prohibits control characters such as a tab, and symbols such as emoji);
    None when it accepts it."""
    from pymongo.saslprep import saslprep

    try:
        saslprep(value.reveal())
    except ValueError:
        return (
            "MongoDB refuses it (SASLprep prohibits characters such as tabs, "
            "control characters and emoji)"
        )
    return None


def verify_mongodb(
    place: MongoPlace, password: SecretValue, *, timeout: float = 5.0
) -> AuthResult:
    """Whether `password` logs `place`'s user in to MongoDB (SCRAM, then ``ping``)."""
    result = _mongo_session(place, password, timeout, _ping)
    return _outcome(_mongo_where(place), result)


def set_mongodb_password(
    place: MongoPlace,
    current: SecretValue,
    new: SecretValue,
    *,
    timeout: float = 5.0,
) -> AuthResult:
    """Change the user's own password with ``updateUser``, logged in with `current`.

    ``verified`` means a second login with `new` succeeded afterwards.
    """

    def update(client: MongoClient[dict[str, Any]]) -> object:
        from pymongo.errors import OperationFailure, PyMongoError

        client.admin.command("ping")  # the login: a failure here changes nothing
        try:
            database = client[place.auth_source]
            return database.command("updateUser", place.user, pwd=new.reveal())
        except OperationFailure:
            raise
        except PyMongoError as error:
            raise _InDoubtError(_first_line(scrub(str(error), current, new))) from None

    return _change(
        _mongo_where(place),
        lambda: _mongo_session(place, current, timeout, update),
        lambda: verify_mongodb(place, new, timeout=timeout),
        new,
    )


class _InDoubtError(Exception):
    """A change was sent but its answer was lost: it may have been applied."""


_EMPTY_NEW = AuthResult(
    "refused", "not changed: the new password is empty, and no login would accept it"
)


def _change(
    where: str,
    change: Callable[[], AuthResult],
    check: Callable[[], AuthResult],
    new: SecretValue,
) -> AuthResult:
    """Run `change`, then prove it with `check`, a login with the `new` password."""
    if not new:
        return _outcome(where, _EMPTY_NEW)
    try:
        changed = change()
    except _InDoubtError as doubt:
        return _outcome(where, _settle(str(doubt), check()))
    if changed.state != "verified":
        reason = scrub(changed.reason, new)
        return _outcome(where, AuthResult(changed.state, f"not changed: {reason}"))
    return _outcome(where, _confirm(check()))


def _settle(lost: str, check: AuthResult) -> AuthResult:
    """What a login with the new password says about a change whose answer was lost."""
    if check.state == "verified":
        return AuthResult(
            "verified",
            f"the answer to the change was lost ({lost}); the new password logs in",
        )
    return AuthResult(
        "unreachable",
        f"the change was sent but its answer was lost ({lost}), and the new "
        f"password does not log in ({check.reason}): the old one most likely "
        "still holds; check both before retrying",
    )


def _confirm(check: AuthResult) -> AuthResult:
    """The result of the login that follows a password change."""
    if check.state == "verified":
        return check
    return AuthResult(
        check.state,
        "the server accepted the change, but logging in with the new password "
        f"failed: {check.reason}",
    )


# PostgreSQL -------------------------------------------------------------------


def _pg_where(place: PostgresPlace) -> str:
    return f"PostgreSQL at {place.host}:{place.port}"


def _pg_connect(
    place: PostgresPlace, password: SecretValue, timeout: float
) -> psycopg.Connection[Any]:
    import psycopg

    return psycopg.connect(
        host=place.host,
        port=place.port,
        user=place.user,
        password=password.reveal(),
        dbname=place.database,
        sslmode=place.sslmode,
        connect_timeout=max(2, math.ceil(timeout)),
        # An empty password would otherwise be looked up in ~/.pgpass.
        passfile=os.devnull,
        application_name="komodo-guard",
        # The server gives up on a statement (a lock wait) by itself in time.
        options=f"-c statement_timeout={max(1, round(timeout * 1000))}",
        autocommit=True,
        # Never send the password in clear, whatever pg_hba.conf asks for.
        require_auth="!password",
        # Set empty so libpq does not take it from PGHOSTADDR: the password
        # goes to the host of the map and nowhere else.
        hostaddr="",
    )


@contextlib.contextmanager
def _deadline(connection: psycopg.Connection[Any], timeout: float) -> Iterator[None]:
    """Cut `connection` if the block runs longer than `timeout` seconds.

    psycopg has no timeout for a statement; a server that stops answering
    would otherwise hold the caller forever. The socket is shut down through
    a duplicate of its descriptor, so a late timer can never hit another one.
    """
    duplicate = socket.socket(fileno=os.dup(connection.pgconn.socket))
    timer = threading.Timer(timeout, _cut, [duplicate])
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()
        timer.join()
        duplicate.close()


def _cut(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)


def _pg_state(error: psycopg.Error) -> str | None:
    if error.sqlstate:
        return error.sqlstate
    text = str(error)
    return next(
        (state for marker, state in _PG_TEXT_STATES if marker.search(text)), None
    )


def _pg_failure(
    place: PostgresPlace, error: psycopg.Error, timeout: float, *secrets: SecretValue
) -> AuthResult:
    import psycopg.errors

    where = _pg_where(place)
    text = _first_line(_PG_PREFIX.sub("", scrub(str(error), *secrets)))
    if isinstance(error, psycopg.errors.ConnectionTimeout):
        return AuthResult(
            "unreachable", f"no answer from {where} within {_seconds(timeout)}"
        )
    if _CLEARTEXT in str(error):
        return AuthResult(
            "unreachable",
            f"{where} asks for the password of role `{place.user}` in clear text "
            "(pg_hba.conf method `password`), which komodo-guard never sends: use "
            "scram-sha-256",
        )
    match _pg_state(error):
        case "28P01":
            return AuthResult(
                "refused",
                f"{where} refused the password of role `{place.user}` "
                "(28P01 invalid_password)",
            )
        case "28000":
            return AuthResult(
                "refused", f"{where} refused role `{place.user}` (28000): {text}"
            )
        case "3D000":
            return AuthResult(
                "unreachable",
                f"{where} has no database `{place.database}` (3D000): name an "
                "existing database for this place",
            )
    used_password = error.pgconn is not None and error.pgconn.used_password
    return AuthResult("refused" if used_password else "unreachable", f"{where}: {text}")


_CLEARTEXT = "server requested a cleartext password"
"""libpq's words when ``require_auth`` stops a cleartext password request."""
_PG_TROUBLE_CLASSES = ("08", "53", "57", "58")
"""SQLSTATE classes of trouble, not refusal: connection exception, insufficient
resources, operator intervention (a terminated backend), system error."""


def _pg_statement_state(code: str) -> AuthState:
    return "unreachable" if code[:2] in _PG_TROUBLE_CLASSES else "refused"


PostgresAction = Callable[["psycopg.Connection[Any]"], object]


def _pg_session(
    place: PostgresPlace,
    password: SecretValue,
    timeout: float,
    action: PostgresAction,
) -> AuthResult:
    """Log in as `place`'s role with `password` and run `action`."""
    import psycopg

    if os.environ.get("PGSERVICE"):
        # A service file may name another host, port or user for this login.
        return AuthResult(
            "unreachable",
            f"{_pg_where(place)}: PGSERVICE is set, so libpq would take connection "
            "settings from a service file; unset it to check this role",
        )
    try:
        connection = _pg_connect(place, password, timeout)
    except psycopg.Error as error:
        return _pg_failure(place, error, timeout, password)
    with connection:
        if not connection.pgconn.used_password:
            return AuthResult(
                "unreachable",
                f"{_pg_where(place)} let role `{place.user}` in without asking for "
                "a password (trust in pg_hba.conf), so the password was not checked",
            )
        try:
            with _deadline(connection, timeout):
                action(connection)
        except psycopg.Error as error:
            text = _first_line(scrub(str(error), password))
            code = error.sqlstate or "no SQLSTATE"
            reason = f"{_pg_where(place)} answered {code}: {text}"
            return AuthResult(_pg_statement_state(code), reason)
    return AuthResult("verified")


def verify_postgres(
    place: PostgresPlace, password: SecretValue, *, timeout: float = 5.0
) -> AuthResult:
    """Whether `password` logs `place`'s role in to PostgreSQL."""
    result = _pg_session(place, password, timeout, lambda connection: None)
    return _outcome(_pg_where(place), result)


def set_postgres_password(
    place: PostgresPlace,
    current: SecretValue,
    new: SecretValue,
    *,
    timeout: float = 5.0,
) -> AuthResult:
    """Change the role's own password with ``ALTER ROLE``, logged in with `current`.

    libpq turns `new` into a verifier for the server's ``password_encryption``
    (as psql's ``\\password`` does), so the plain password never reaches the
    server or its statement log; the verifier is sent as a quoted literal.
    ``verified`` means a second login with `new` succeeded afterwards.
    """

    def alter(connection: psycopg.Connection[Any]) -> object:
        import psycopg
        from psycopg import sql

        # Asked here rather than by libpq, whose query would block unbounded.
        row = connection.execute("SHOW password_encryption").fetchone()
        algorithm = str(row[0] if row else "scram-sha-256").encode()
        verifier = connection.pgconn.encrypt_password(
            new.reveal().encode(), place.user.encode(), algorithm
        )
        statement = sql.SQL("ALTER ROLE {} PASSWORD {}").format(
            sql.Identifier(place.user), sql.Literal(verifier.decode("ascii"))
        )
        try:
            return connection.execute(statement)
        except psycopg.Error as error:
            if error.sqlstate:  # the server answered: nothing changed
                raise
            raise _InDoubtError(_first_line(scrub(str(error), current, new))) from None

    return _change(
        _pg_where(place),
        lambda: _pg_session(place, current, timeout, alter),
        lambda: verify_postgres(place, new, timeout=timeout),
        new,
    )
