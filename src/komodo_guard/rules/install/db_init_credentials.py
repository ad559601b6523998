"""Database init credentials that differ from Core's, or that cannot change.

MongoDB creates its root user from ``MONGO_INITDB_ROOT_USERNAME`` /
``MONGO_INITDB_ROOT_PASSWORD``, and Postgres (behind FerretDB) from
``POSTGRES_USER`` / ``POSTGRES_PASSWORD``, only on the first start with an
empty data volume; afterwards these variables are ignored. Core logs in with
``KOMODO_DATABASE_USERNAME`` / ``KOMODO_DATABASE_PASSWORD``.

* When the tree gives the database and Core different values (compared in
  memory, never shown), Core cannot log in: "SCRAM failure" / "password
  authentication failed", and Core exits at start-up. This is what happens
  when the password in ``compose.env`` is changed after the database was
  initialised (Komodo issue #516). Error.
* Otherwise, a reminder on the database's init password: changing it later
  in the files breaks the login the same way, unless the password is first
  changed inside the database. Info.

Failing::

    services:
      mongo:
        image: mongo:8
        environment:
          MONGO_INITDB_ROOT_USERNAME: admin
          MONGO_INITDB_ROOT_PASSWORD: ${OLD_DB_PASSWORD}
      core:
        image: ghcr.io/moghtech/komodo-core:2
        environment:
          KOMODO_DATABASE_USERNAME: admin
          KOMODO_DATABASE_PASSWORD: ${KOMODO_DATABASE_PASSWORD}

Passing (info only)::

    services:
      mongo:
        image: mongo:8
        environment:
          MONGO_INITDB_ROOT_USERNAME: ${KOMODO_DATABASE_USERNAME}
          MONGO_INITDB_ROOT_PASSWORD: ${KOMODO_DATABASE_PASSWORD}
      core:
        image: ghcr.io/moghtech/komodo-core:2
        env_file: ./compose.env
"""

from __future__ import annotations

from collections.abc import Iterator

from komodo_guard.rules.install.common import at, install_of, once, where
from komodo_guard.rules.interface import (
    FailureClass,
    Finding,
    RuleInfo,
    RuleOptions,
    Severity,
)
from komodo_guard.workspace.install import (
    CoreInstall,
    DatabaseService,
    InstallFiles,
    Setting,
)
from komodo_guard.workspace.model import Workspace

PAIRS = (
    ("init_username", "db_username", "user"),
    ("init_password", "db_password", "password"),
)


def check(
    rule: RuleInfo, workspace: Workspace, options: RuleOptions
) -> Iterator[Finding]:
    """Mismatches per database and Core; else one reminder per database."""
    install = install_of(workspace)
    found = []
    for database in install.databases:
        mismatches = list(_mismatches(rule, database, _cores_for(install, database)))
        found.extend(mismatches)
        password = database.settings.get("init_password")
        if not mismatches and password is not None:
            found.append(_reminder(rule, database, password))
    yield from once(found)


def _cores_for(install: InstallFiles, database: DatabaseService) -> list[CoreInstall]:
    same_file = list(install.cores_of(database.compose_path))
    return same_file or [core for core in install.cores if core.service is None]


def _mismatches(
    rule: RuleInfo, database: DatabaseService, cores: list[CoreInstall]
) -> Iterator[Finding]:
    for init_name, core_name, word in PAIRS:
        init = database.settings.get(init_name)
        for core in cores:
            used = core.settings.get(core_name)
            if "db_uri" in core.settings or init is None or used is None:
                continue
            first, second = _known(init), _known(used)
            if first is not None and second is not None and first != second:
                yield rule.finding(
                    f"{where(init)} of {database.label} and {where(used)} of "
                    f"{core.label} give different database {word}s (values not "
                    "shown): Core cannot log in to its database",
                    location=at(init.place),
                    hint=(
                        "if the database is already initialised, set the "
                        f"{word} inside it (or recreate its volume), then make "
                        "both read the same variable"
                    ),
                )


def _known(setting: Setting) -> str | None:
    """The value to compare, None when it is unknown or read from a file."""
    return None if setting.from_file else setting.value


def _reminder(rule: RuleInfo, database: DatabaseService, password: Setting) -> Finding:
    return rule.finding(
        f"`{password.key}` of {database.label} only takes effect on the "
        "database's first start: changing it (or the variable it reads) later "
        "breaks Core's login",
        location=at(password.place),
        severity=Severity.INFO,
        hint=(
            "to rotate it, change the password inside the database first, then "
            "in the files, and redeploy Core"
        ),
    )


RULE = RuleInfo(
    code="KG909",
    name="db-init-credentials",
    severity=Severity.ERROR,
    failure_class=FailureClass.SECRET_DRIFT,
    doc=__doc__ or "",
    checker=check,
)
