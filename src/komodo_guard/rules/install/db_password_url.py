"""A database password with characters that break the connection URL.

Core builds its MongoDB connection string from the username and password
(``mongodb://USER:PASSWORD@ADDRESS``), and Komodo's FerretDB compose file
writes ``FERRETDB_POSTGRESQL_URL: postgres://USER:PASSWORD@postgres:5432/``.
Neither percent-encodes the password, so one holding a URL-reserved character
(``@ : / ? # [ ] %``) splits the URL in the wrong place: the database sees
another user or host and Core fails with "SCRAM failure: password
authentication failed" (Komodo issue #516).

Severity: warning, on the line that sets the password. The message names the
class of characters, never the password or which characters it holds.
Not reported when Core is given a full ``KOMODO_DATABASE_URI`` (which you
encode yourself) or reads the password from a file.

Failing::

    KOMODO_DATABASE_PASSWORD=p@ss:word

Passing::

    KOMODO_DATABASE_PASSWORD=Xb3kq9TfW2mZ8rLp
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TypeGuard

from komodo_guard.rules.install.common import at, install_of, once, where
from komodo_guard.rules.interface import (
    FailureClass,
    Finding,
    RuleInfo,
    RuleOptions,
    Severity,
)
from komodo_guard.workspace.install import Setting
from komodo_guard.workspace.model import Workspace

RESERVED = frozenset("@:/?#[]%")


def check(
    rule: RuleInfo, workspace: Workspace, options: RuleOptions
) -> Iterator[Finding]:
    """Passwords Core or FerretDB put into a URL, with reserved characters."""
    install = install_of(workspace)
    found = []
    for core in install.cores:
        password = core.settings.get("db_password")
        if "db_uri" not in core.settings and _unsafe(password):
            found.append(_finding(rule, password, "Core's connection string"))
    for database in install.databases:
        password = database.settings.get("init_password")
        if "url" in database.settings and _unsafe(password):
            found.append(_finding(rule, password, "FERRETDB_POSTGRESQL_URL"))
    yield from once(found)


def _unsafe(setting: Setting | None) -> TypeGuard[Setting]:
    if setting is None or setting.value is None or setting.from_file:
        return False
    return not RESERVED.isdisjoint(setting.value)


def _finding(rule: RuleInfo, setting: Setting, url: str) -> Finding:
    return rule.finding(
        f"{where(setting)}: the database password contains URL-reserved "
        f"characters (one or more of @ : / ? # [ ] %) and goes into {url} "
        "without encoding, so the database login fails",
        location=at(setting.origin),
        hint=(
            "use a password of letters and digits (e.g. `openssl rand -hex 24`); "
            "change it inside the database first if it is already initialised"
        ),
    )


RULE = RuleInfo(
    code="KG908",
    name="db-password-url-characters",
    severity=Severity.WARNING,
    failure_class=FailureClass.INVALID_CONFIG,
    doc=__doc__ or "",
    checker=check,
)
