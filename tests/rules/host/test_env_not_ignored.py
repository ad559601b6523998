from __future__ import annotations

from komodo_guard.rules.host.env_not_ignored import RULE
from tests.rules.host.hostkit import checkout, codes, host, run


def test_failing_points_at_the_file() -> None:
    found = run(RULE, host([checkout(unignored_env_files=(".env", "deploy/.env"))]))

    assert codes(found) == [
        ("/etc/komodo/stacks/app/.env", "KG1207", "warning"),
        ("/etc/komodo/stacks/app/deploy/.env", "KG1207", "warning"),
    ]
    assert "add `.env` to the repository's .gitignore" in found[0].hint


def test_passing() -> None:
    assert run(RULE, host([checkout()])) == []


def test_disabled() -> None:
    state = host([checkout(unignored_env_files=(".env",))])

    assert run(RULE, state, disabled=[RULE.code]) == []
