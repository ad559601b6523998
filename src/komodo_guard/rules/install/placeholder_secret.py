"""A secret of Komodo's install left at the value Komodo ships.

Komodo's ``compose.env`` and ``core.config.toml`` come with placeholder
secrets: ``KOMODO_WEBHOOK_SECRET=a_random_secret`` (``webhook_secret =
"a_random_webhook_secret"`` in the config file, which the Core image also
bundles as its default), ``KOMODO_JWT_SECRET=a_random_jwt_secret``,
``KOMODO_INIT_ADMIN_PASSWORD=changeme``, the database user ``admin`` with
password ``admin`` (``KOMODO_DB_PASSWORD`` / ``KOMODO_DATABASE_PASSWORD``, and
the ``MONGO_INITDB_ROOT_PASSWORD`` / ``POSTGRES_PASSWORD`` they feed) and, in
1.x, ``KOMODO_PASSKEY=a_random_passkey``. They are public: anyone can forge
webhook calls that deploy and sync, mint login tokens for any user, log in as
the first admin, or open the database.

Severity: error for a placeholder; warning for a Core service in the tree that
sets no webhook secret at all (Core then falls back to the bundled config
file's placeholder); info for an empty or unset JWT secret (Core then makes a
random one at every start, so every restart logs everybody out). The value is
never shown: the finding names the key and the line that sets it.

Failing (``compose.env``)::

    KOMODO_WEBHOOK_SECRET=a_random_secret
    KOMODO_JWT_SECRET=a_random_jwt_secret

Passing::

    KOMODO_WEBHOOK_SECRET_FILE=/run/secrets/komodo_webhook
    KOMODO_JWT_SECRET_FILE=/run/secrets/komodo_jwt
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

from komodo_guard.rules.install.common import at, install_of, once, where
from komodo_guard.rules.interface import (
    FailureClass,
    Finding,
    Location,
    RuleInfo,
    RuleOptions,
    Severity,
)
from komodo_guard.workspace.install import CoreInstall, Setting
from komodo_guard.workspace.model import Workspace

PLACEHOLDERS: Mapping[str, frozenset[str]] = {
    "webhook_secret": frozenset({"a_random_secret", "a_random_webhook_secret"}),
    "jwt_secret": frozenset({"a_random_jwt_secret"}),
    "init_admin_password": frozenset({"changeme"}),
    "passkey": frozenset({"a_random_passkey", "default-passkey"}),
    "db_password": frozenset({"admin"}),
    "init_password": frozenset({"admin"}),
}
WHAT: Mapping[str, str] = {
    "webhook_secret": "webhook secret (anyone can trigger deploys and syncs)",
    "jwt_secret": "JWT secret (anyone can mint a login token)",
    "init_admin_password": "first admin's password",
    "passkey": "Core/Periphery passkey",
    "db_password": "database password",
    "init_password": "database password",
}
HINTS: Mapping[str, str] = {
    "webhook_secret": "generate one (`openssl rand -hex 32`), set it here and in "
    "every git provider's webhook, or pass it with KOMODO_WEBHOOK_SECRET_FILE",
    "jwt_secret": "generate one (`openssl rand -hex 32`) or pass it with "
    "KOMODO_JWT_SECRET_FILE",
    "init_admin_password": "set a strong one before the first start (it is only "
    "used while no user exists), or change the admin's password in the UI and "
    "remove the variable",
    "passkey": "generate one (`openssl rand -hex 32`) and set the same value in "
    "PERIPHERY_PASSKEYS on every Periphery",
    "db_password": "choose a strong password before the database's first start; "
    "once initialised, change it inside the database first (see KG909)",
    "init_password": "choose a strong password before the database's first "
    "start; once initialised, change it inside the database first (see KG909)",
}


def check(
    rule: RuleInfo, workspace: Workspace, options: RuleOptions
) -> Iterator[Finding]:
    """Placeholders, then unset or empty secrets of complete Core services."""
    install = install_of(workspace)
    found: list[Finding] = []
    for core in install.cores:
        found.extend(_placeholders(rule, core.settings.values()))
        found.extend(_unset(rule, core))
    for database in install.databases:
        found.extend(_placeholders(rule, database.settings.values()))
    yield from once(found)


def _placeholders(rule: RuleInfo, settings: Iterable[Setting]) -> Iterator[Finding]:
    for setting in settings:
        if _is_placeholder(setting):
            yield rule.finding(
                f"{where(setting)} is still the shipped placeholder for the "
                f"{WHAT[setting.name]}",
                location=at(setting.origin),
                hint=HINTS[setting.name],
            )


def _is_placeholder(setting: Setting) -> bool:
    if setting.value is None or setting.from_file:
        return False
    value = setting.value.strip()
    if setting.name == "db_uri":
        return ":admin@" in value and "//admin:" in value
    return value in PLACEHOLDERS.get(setting.name, ())


def _unset(rule: RuleInfo, core: CoreInstall) -> Iterator[Finding]:
    jwt = core.settings.get("jwt_secret")
    if jwt is not None and jwt.value == "" and not jwt.from_file:
        yield _no_jwt(rule, f"{where(jwt)} is empty", at(jwt.origin))
    if not core.complete:
        return
    if jwt is None:
        yield _no_jwt(rule, f"{core.label} sets no JWT secret", at(core.place))
    if "webhook_secret" not in core.settings:
        yield rule.finding(
            f"{core.label} sets no webhook secret: Core falls back to the "
            "placeholder of the config file bundled in its image",
            location=at(core.place),
            severity=Severity.WARNING,
            hint=f"set KOMODO_WEBHOOK_SECRET for it; {HINTS['webhook_secret']}",
        )


def _no_jwt(rule: RuleInfo, what: str, location: Location) -> Finding:
    return rule.finding(
        f"{what}: Core makes a random JWT secret at every start, so every "
        "restart logs every user out",
        location=location,
        severity=Severity.INFO,
        hint=f"set KOMODO_JWT_SECRET: {HINTS['jwt_secret']}",
    )


RULE = RuleInfo(
    code="KG901",
    name="install-placeholder-secret",
    severity=Severity.ERROR,
    failure_class=FailureClass.EXPOSURE,
    doc=__doc__ or "",
    checker=check,
)
