from __future__ import annotations

from komodo_guard.host.model import Remote
from komodo_guard.rules.host.remote_credentials import RULE
from tests.rules.host.hostkit import checkout, codes, host, run

ORIGIN = Remote("origin", "https://github.com/acme/app.git", credentials=True)


def test_failing_names_the_file_not_the_token() -> None:
    found = run(RULE, host([checkout(remotes=(ORIGIN,))]))

    assert codes(found) == [("/etc/komodo/stacks/app/.git/config", "KG1206", "warning")]
    assert found[0].message == (
        "the URL of remote `origin` (https://github.com/acme/app.git) stores a "
        "password or token in plain text"
    )


def test_passing() -> None:
    clean = Remote("origin", "https://github.com/acme/app.git", credentials=False)

    assert run(RULE, host([checkout(remotes=(clean,))])) == []


def test_disabled() -> None:
    assert run(RULE, host([checkout(remotes=(ORIGIN,))]), disabled=[RULE.code]) == []
