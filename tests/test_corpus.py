"""The main job on real input: every tree of ../shared/corpus/real.

No crash, no hang, every "must report" of ``corpus/EXPECTED.md`` reported at its line
with one of the expected rules, and nothing of the "must not report" list.
"""

from __future__ import annotations

import signal
from collections.abc import Iterator
from functools import cache
from types import FrameType

import pytest

from komodo_guard.komodo.model import load
from komodo_guard.rules.engine import run_rules
from komodo_guard.rules.interface import Finding, RuleOptions, Severity
from komodo_guard.rules.registry import STATIC_RULES
from komodo_guard.workspace.collect import collect
from tests.conftest import SHARED

REAL = SHARED / "corpus" / "real"
HANG_SECONDS = 60

# The 25 `auto_update = true` lines written above [stack.config] in repo31.
REPO31_AUTO_UPDATE = (
    *(12, 33, 50, 66, 78, 96, 115, 127, 139, 158, 176, 188, 207),
    *(229, 246, 258, 270, 286, 307, 319, 334, 351, 367, 381, 396),
)

# (repo, file, line, codes of which one must be reported there)
MUST_REPORT: list[tuple[str, str, int, set[str]]] = [
    ("repo32", "komodo/resources.toml", 14, {"KG101"}),
    ("repo32", "komodo/resources.toml", 20, {"KG101"}),
    *[("repo32", "komodo/resources.toml", n, {"KG102"}) for n in (47, 62, 77, 92)],
    *[("repo32", "komodo/resources.toml", n, {"KG103"}) for n in (48, 63, 78, 93)],
    *[("repo32", "komodo/resources.toml", n, {"KG404"}) for n in (49, 64, 79, 94)],
    *[("repo32", "komodo/resources.toml", n, {"KG102"}) for n in (50, 65, 80, 95)],
    ("repo29", "stacks.toml", 21, {"KG102"}),
    ("repo29", "stacks.toml", 23, {"KG102"}),
    ("repo29", "stacks.toml", 14, {"KG404"}),
    ("repo29", "stacks.toml", 15, {"KG102", "KG404"}),
    ("repo29", "stacks.toml", 6, {"KG210"}),
    ("repo06", "komodo/resources.toml", 173, {"KG601"}),
    ("repo34", "komodo/resource-sync.toml", 29, {"KG501"}),
    *[("repo31", "komodo/stacks.toml", n, {"KG102"}) for n in REPO31_AUTO_UPDATE],
    ("repo26", "komodo/stacks/edge/stack.toml", 7, {"KG102"}),
    ("repo22", "komodo.toml", 33, {"KG210"}),
    ("repo22", "komodo.toml", 36, {"KG403"}),
    ("repo15", "stacks.toml", 767, {"KG401"}),
    ("repo15", "stacks.toml", 1021, {"KG401"}),
    ("repo23", "komodo/stacks.toml", 681, {"KG701"}),
    ("repo23", "services/tubearchivist/stack.toml", 26, {"KG701"}),
    ("repo27", "komodo.toml", 379, {"KG701"}),
    ("repo27", "komodo.toml", 383, {"KG701"}),
    ("repo41", "komodo/resources.toml", 308, {"KG701"}),
    *[
        ("repo08", f"services/{path}/stack.toml", 2, {"KG201"})
        for path in (
            "caddy/caddy-sequoia",
            "caddy/sequoia",
            "caddy/home",
            "caddy/vps",
            "nebula-sync/home",
            "nebula-sync/sequoia",
        )
    ],
]

# (repo, file, lines, forbidden codes; "error" forbids any error-severity finding)
MUST_NOT_REPORT: list[tuple[str, str, tuple[int, ...], set[str]]] = [
    ("repo22", "komodo.toml", (30,), {"error"}),
    ("repo31", "komodo/stacks.toml", (14,), {"error", "KG102", "KG105"}),
    ("repo28", "stacks/caddy/komodo.toml", (5,), {"error"}),
    ("repo03", "deploy.toml", (12, 13), {"error"}),
    ("repo08", "services/caddy/caddy-sequoia/stack.toml", (34,), {"error"}),
    *[
        ("repo11", f"komodo/stacks/{name}.toml", (13,), {"KG302", "KG303"})
        for name in ("litellm", "librechat", "model-hotel", "newt", "pangolin")
    ],
    ("repo36", "stacks/canary-secret-bad/komodo.toml", (26,), {"KG302", "KG303"}),
    ("repo21", "compose/asteri-auth/compose.yaml", (23, 24, 41, 42, 94, 95), {"KG811"}),
    ("repo28", "stacks/caddy/compose.yaml", (13, 14, 15), {"KG811"}),
    ("repo28", "stacks/caddy/komodo.toml", (10,), {"KG401"}),
    ("repo21", "komodo/resources.toml", (64, 286, 307), {"KG401"}),
    ("repo28", "stacks/caddy/komodo.toml", (17,), {"KG103", "KG104"}),
    ("repo28", "stacks/recyclarr/komodo.toml", (18,), {"KG103", "KG104"}),
    ("repo14", "komodo.toml", (355, 520, 597), {"error"}),
    ("repo27", "komodo.toml", (472,), {"error"}),
    ("repo20", "komodo-lisa.toml", (15,), {"KG201"}),
    ("repo20", "komodo-lovelace.toml", (16,), {"KG201"}),
    ("repo28", "komodo/procedures.toml", (9, 11), {"KG601"}),
    ("repo22", "komodo.toml", (6,), {"KG601"}),
    ("repo02", "komodo/procedures.toml", (8, 9, 10), {"KG601"}),
    ("repo36", "komodo/procedures.toml", (9, 10, 11), {"KG601", "KG101", "KG102"}),
    ("repo23", "komodo/config.toml", (22,), {"KG102", "KG105"}),
    ("repo13", "komodo/komodo.toml", (70,), {"KG102", "KG105"}),
    ("repo39", "komodo.toml", (148,), {"KG102", "KG105"}),
    ("repo06", "komodo/resources.toml", (45, 94), {"KG001", "KG101", "KG102", "KG103"}),
    ("repo28", "stacks/caddy/komodo.toml", (20,), {"KG101", "KG102"}),
    ("repo37", "komodo/sync.toml", (477, 544, 640), {"KG103"}),
    ("repo22", "komodo.toml", tuple(range(17, 24)), {"KG001"}),
    ("repo32", "komodo/resources.toml", (110, 113, 119, 122), {"KG102"}),
]


class _HangError(Exception):
    pass


def _alarm(signum: int, frame: FrameType | None) -> None:
    raise _HangError


def repos() -> list[str]:
    """Every corpus tree, or none when ../shared is missing (the test then skips)."""
    return sorted(p.name for p in REAL.iterdir() if p.is_dir()) if REAL.is_dir() else []


@cache
def lint(repo: str, version: str | None = None) -> tuple[Finding, ...]:
    """All findings for one corpus tree, with a hang guard."""
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(HANG_SECONDS)
    try:
        workspace = collect(REAL / repo, load(version))
        return tuple(run_rules(workspace, STATIC_RULES, RuleOptions()))
    except _HangError:
        pytest.fail(f"{repo}: lint did not finish within {HANG_SECONDS} s")
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def at(findings: tuple[Finding, ...], path: str, line: int) -> Iterator[Finding]:
    """Findings located at ``path:line``."""
    for finding in findings:
        location = finding.location
        if location and location.path == path and location.line == line:
            yield finding


@pytest.mark.usefixtures("shared")
@pytest.mark.parametrize("repo", repos() or ["(corpus missing)"])
def test_every_tree_lints_without_crashing(repo: str) -> None:
    findings = lint(repo)
    crashed = [f for f in findings if f.code == "KG000"]
    assert not crashed, [f.message for f in crashed]


@pytest.mark.usefixtures("shared")
@pytest.mark.parametrize(("repo", "path", "line", "codes"), MUST_REPORT)
def test_must_report(repo: str, path: str, line: int, codes: set[str]) -> None:
    found = {f.code for f in at(lint(repo), path, line)}
    assert found & codes, f"{repo}/{path}:{line}: expected one of {codes}, got {found}"


@pytest.mark.usefixtures("shared")
@pytest.mark.parametrize(("repo", "path", "lines", "forbidden"), MUST_NOT_REPORT)
def test_must_not_report(
    repo: str, path: str, lines: tuple[int, ...], forbidden: set[str]
) -> None:
    for line in lines:
        for finding in at(lint(repo), path, line):
            is_error = finding.severity is Severity.ERROR
            assert finding.code not in forbidden, f"{path}:{line}: {finding}"
            assert not ("error" in forbidden and is_error), f"{path}:{line}: {finding}"


@pytest.mark.usefixtures("shared")
def test_toml_1_1_inline_table_is_an_error_only_for_komodo_1() -> None:
    for_1x = {f.code for f in at(lint("repo22", "1.19"), "komodo.toml", 18)}
    assert "KG001" in for_1x


@pytest.mark.usefixtures("shared")
def test_stacks_with_compose_files_missing_in_repo32() -> None:
    missing = [f for f in lint("repo32") if f.code == "KG401"]
    assert len(missing) >= 4, [str(f) for f in missing]


@pytest.mark.usefixtures("shared")
def test_files_of_another_layout_are_said_once() -> None:
    unsynced = [f for f in lint("repo23") if f.code == "KG004"]
    paths = [f.location.path for f in unsynced if f.location]
    assert len(paths) == len(set(paths)) == 16
