"""Anyone who reaches Core's login page can create a local account.

With ``KOMODO_LOCAL_AUTH=true`` the login page offers username and password,
and unless registration is disabled it also offers "sign up". The account
starts disabled until an admin enables it, but it exists, shows up in the user
list, and one wrong click enables it. With ``KOMODO_ENABLE_NEW_USERS=true``
every new account is enabled at once: anyone who can reach Core is a user.

Registration counts as disabled when ``KOMODO_DISABLE_USER_REGISTRATION`` is
``true``, or (2.2 and later) ``KOMODO_DISABLE_LOCAL_USER_REGISTRATION`` is
``true``; the latter wins when it is set.

Severity: warning; error when new users are enabled automatically.

Failing::

    KOMODO_LOCAL_AUTH=true
    KOMODO_DISABLE_USER_REGISTRATION=false

Passing::

    KOMODO_LOCAL_AUTH=true
    KOMODO_DISABLE_USER_REGISTRATION=true
"""

from __future__ import annotations

from collections.abc import Iterator

from komodo_guard.komodo.versions import KomodoVersion
from komodo_guard.rules.install.common import at, cores, flag, once, where
from komodo_guard.rules.interface import (
    FailureClass,
    Finding,
    RuleInfo,
    RuleOptions,
    Severity,
)
from komodo_guard.workspace.install import CoreInstall
from komodo_guard.workspace.model import Workspace

LOCAL_SWITCH_SINCE = KomodoVersion(2, 2, 0)
HINT = (
    "create the accounts you need, then set "
    "KOMODO_DISABLE_USER_REGISTRATION=true (and keep KOMODO_ENABLE_NEW_USERS="
    "false)"
)


def check(
    rule: RuleInfo, workspace: Workspace, options: RuleOptions
) -> Iterator[Finding]:
    """One finding per Core with local auth and open registration."""
    since = workspace.model.version >= LOCAL_SWITCH_SINCE
    found = []
    for core in cores(workspace):
        local = core.settings.get("local_auth")
        if local is None or flag(local) is not True:
            continue
        if _registration_disabled(core, local_switch=since) is not False:
            continue
        auto = flag(core.settings.get("enable_new_users")) is True
        found.append(
            rule.finding(
                f"{where(local)} turns on local login and registration is not "
                "disabled: "
                + (
                    "with KOMODO_ENABLE_NEW_USERS=true anyone who reaches Core "
                    "can sign up and is enabled at once"
                    if auto
                    else "anyone who reaches Core can create an account "
                    "(disabled until an admin enables it)"
                ),
                location=at(local.origin),
                severity=Severity.ERROR if auto else None,
                hint=HINT,
            )
        )
    yield from once(found)


def _registration_disabled(core: CoreInstall, *, local_switch: bool) -> bool | None:
    """True/False as Core decides it; None when it depends on an unknown value."""
    names: tuple[str, ...] = ("disable_user_registration",)
    if local_switch:
        names = ("disable_local_user_registration", *names)
    for name in names:
        setting = core.settings.get(name)
        if setting is not None:
            return flag(setting)
    return False


RULE = RuleInfo(
    code="KG906",
    name="open-registration",
    severity=Severity.WARNING,
    failure_class=FailureClass.EXPOSURE,
    doc=__doc__ or "",
    checker=check,
)
