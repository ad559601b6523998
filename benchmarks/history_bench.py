"""Speed of the history: classifying a large generated update log.

Generates a month of Komodo Core's update log for a busy install: by default
100,000 Updates over 400 stacks, 60 deployments, 12 ResourceSyncs, 20
procedures, 8 actions and 20 builds, about 10% of them failures carrying
realistic logs (the stages and messages Komodo, git, Docker and databases
print, with compose progress noise around them) spread over every incident
kind, the rest successes without logs, as ``ListUpdates`` returns them. Then,
in this process:

* times ``history_of`` over all of them, ``--repeat`` times (median);
* times the classification of the failed updates alone with
  ``komodo_guard.history.classify.classify`` and with a naive peer written
  here: every regular expression of the same pattern table passed to
  ``re.search`` for every line of every log (Python's ``re`` cache compiles
  each once; there is no joining into one alternation, no skipping of
  ``stdout`` when ``stderr`` decided, no early exit), and checks both agree;
* prints updates per second, the peak RSS of the process and the target.

Run it from the project root::

    .venv/bin/python benchmarks/history_bench.py [--updates N] [--failures F]
        [--repeat N] [--seed N]

Times are medians of wall time and of this process's CPU time; the target is
judged on CPU time, which equals wall time on an idle machine (the work is
single-threaded and does no I/O) and stays honest on a busy one. Exit code: 0
when ``history_of`` handles the updates in under 2 CPU seconds, 1 otherwise.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import resource
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from komodo_guard.history.build import history_of
from komodo_guard.history.classify import classify, deciding_logs
from komodo_guard.history.model import IncidentKind
from komodo_guard.history.patterns import (
    FIXED_KIND,
    OPERATION_KIND,
    PATTERNS,
    PRECEDENCE,
    Field,
)
from komodo_guard.komodo.updates import Log, Target, Update
from komodo_guard.redact import one_line

TARGET_S = 2.0
DAY_MS = 86_400_000
START_MS = 1_793_491_200_000  # 2026-11-01T00:00:00Z

ERROR = '<span style="color: var(--mantine-color-red-6)">ERROR</span>'
TRACE = '\n\n<span style="color: var(--mantine-color-dimmed)">TRACE</span>:'


def compose_noise(name: str, lines: int) -> str:
    """What ``docker compose up`` prints to stderr before the interesting line."""
    states = ("Recreate", "Recreated", "Starting", "Started", "Waiting", "Healthy")
    return "".join(
        f" Container {name}-svc{index % 7}-1  {states[index % len(states)]}\n"
        for index in range(lines)
    )


GIT_OK = (
    Log("Set Git Remote", "git remote set-url origin https://token:<TOKEN>@"
        "github.com/acme/homelab.git", "", "", True),
    Log("Checkout branch", "git checkout -f main", "", "Already on 'main'\n"
        "Your branch is up to date with 'origin/main'.", True),
)  # fmt: skip

FETCHED = (
    "From https://github.com/acme/homelab\n"
    " * branch            main       -> FETCH_HEAD\n"
    "   3f2c1aa..9be41d0  main       -> origin/main\n"
)


@dataclass(frozen=True)
class Shape:
    """A failure's last stage: ``{name}`` is the target's name."""

    kind: IncidentKind
    target: str
    stage: str
    command: str
    stderr: str
    stdout: str = ""
    git: bool = True


SHAPES = (
    Shape(IncidentKind.GIT_PULL_BLOCKED, "Stack", "Git pull",
          "git pull --rebase --force origin main",
          FETCHED + "error: The following untracked working tree files would be "
          "overwritten by checkout:\n\tstacks/{name}/compose.override.yaml\n"
          "Please move or remove them before you switch branches.\nAborting"),
    Shape(IncidentKind.GIT, "Stack", "Clone Repo",
          "git clone https://token:<TOKEN>@github.com/acme/homelab.git "
          "/etc/komodo/stacks/{name} -b main",
          "Cloning into '/etc/komodo/stacks/{name}'...\nremote: Invalid username "
          "or token.\nfatal: Authentication failed for "
          "'https://github.com/acme/homelab.git/'", git=False),
    Shape(IncidentKind.REGISTRY_AUTH, "Stack", "Compose Pull",
          "docker compose -p {name} -f compose.yaml pull",
          " {name} Pulling \n {name} Error unauthorized: authentication required\n"
          "Error response from daemon: unauthorized: authentication required"),
    Shape(IncidentKind.IMAGE_PULL, "Stack", "Compose Pull",
          "docker compose -p {name} -f compose.yaml pull",
          " {name} Pulling \n {name} Error manifest for ghcr.io/acme/{name}:v9.9 "
          "not found: manifest unknown: manifest unknown"),
    Shape(IncidentKind.IMAGE_PULL, "Deployment", "Docker Run",
          "docker run -d --name {name} acme/{name}:2.1",
          "docker: Error response from daemon: toomanyrequests: You have reached "
          "your pull rate limit.", git=False),
    Shape(IncidentKind.DATABASE_AUTH, "Stack", "Post Deploy",
          "docker exec {name}-web-1 python3 manage.py migrate",
          "Traceback (most recent call last):\n  File \"manage.py\", line 10\n"
          "django.db.utils.OperationalError: connection failed: FATAL:  password "
          'authentication failed for user "{name}"'),
    Shape(IncidentKind.DATABASE_AUTH, "Deployment", "Docker Run",
          "docker run -d --name {name} mongo:7",
          "MongoServerError: Authentication failed.\n  code: 18", git=False),
    Shape(IncidentKind.MISSING_FILES, "Stack", "Validate Files", "",
          f"{ERROR}: A file doesn't exist after writing stack.{TRACE}\n\t1: Ensure "
          "the run_directory and all file paths are correct.\n\t2: Missing files: "
          "compose.yaml"),
    Shape(IncidentKind.MISSING_FILES, "Stack", "Compose Config",
          "docker compose -p {name} -f compose.yaml --env-file .env config",
          "env file /etc/komodo/stacks/{name}/stack.env not found: stat "
          "/etc/komodo/stacks/{name}/stack.env: no such file or directory"),
    Shape(IncidentKind.PRE_DEPLOY, "Stack", "Pre Deploy", "sh ./scripts/backup.sh",
          "./scripts/backup.sh: line 4: restic: command not found",
          stdout="Starting backup of /srv/{name}/data"),
    Shape(IncidentKind.POST_DEPLOY, "Stack", "Post Deploy",
          "curl -fsS http://localhost:8080/ping",
          "curl: (7) Failed to connect to localhost port 8080 after 0 ms"),
    Shape(IncidentKind.COMPOSE, "Stack", "Compose Up",
          "docker compose -p {name} -f compose.yaml up -d",
          "{noise}Error response from daemon: driver failed programming external "
          "connectivity on endpoint {name}-svc0-1: Bind for 0.0.0.0:443 failed: "
          "port is already allocated"),
    Shape(IncidentKind.COMPOSE, "Stack", "Compose Up",
          "docker compose -p {name} -f compose.yaml up -d",
          "{noise}dependency failed to start: container {name}-db-1 is unhealthy"),
    Shape(IncidentKind.COMPOSE, "Stack", "Compose Config",
          "docker compose -p {name} -f compose.yaml config",
          "yaml: line 14: mapping values are not allowed in this context"),
    Shape(IncidentKind.SYNC, "ResourceSync", "Task Error", "",
          f"{ERROR}: Found file errors. Cannot execute sync.", git=False),
    Shape(IncidentKind.PROCEDURE, "Procedure", "Execution error", "",
          f"{ERROR}: Failed stage 'deploy' execution after 41.2s{TRACE}\n\t1: "
          f"{ERROR}: Failed on DeployStack(DeployStack {{{{ stack: \"{{name}}\" }}}})",
          git=False),
    Shape(IncidentKind.OTHER, "Build", "Build Error", "",
          f"{ERROR}: Failed to build{TRACE}\n\t1: failed to solve: process "
          '"/bin/sh -c npm ci" did not complete successfully: exit code: 1',
          git=False),
)  # fmt: skip

POPULATION = {
    "Stack": (400, ("DeployStack", "DeployStack", "PullStack", "RestartStack")),
    "Deployment": (60, ("Deploy", "PullDeployment")),
    "ResourceSync": (12, ("RunSync",)),
    "Procedure": (20, ("RunProcedure",)),
    "Action": (8, ("RunAction",)),
    "Build": (20, ("RunBuild",)),
}


def failing_logs(shape: Shape, name: str, rng: random.Random) -> tuple[Log, ...]:
    noise = compose_noise(name, rng.randrange(8, 40))
    last = Log(
        shape.stage,
        shape.command.format(name=name),
        shape.stdout.format(name=name),
        shape.stderr.format(name=name, noise=noise),
        False,
    )
    return (*GIT_OK, last) if shape.git else (last,)


def generate(count: int, failures: float, seed: int) -> list[Update]:
    """``count`` updates over 30 days, ``failures`` of them failed with logs."""
    rng = random.Random(seed)
    targets = {
        kind: [
            Target(kind, f"{index:024x}", f"{kind.lower()}-{index}")
            for index in range(size)
        ]
        for kind, (size, _) in POPULATION.items()
    }
    by_target: dict[str, list[Shape]] = {}
    for shape in SHAPES:
        by_target.setdefault(shape.target, []).append(shape)
    kinds = list(POPULATION)
    weights = [size for size, _ in POPULATION.values()]
    updates: list[Update] = []
    for index in range(count):
        kind = rng.choices(kinds, weights)[0]
        target = rng.choice(targets[kind])
        operation = rng.choice(POPULATION[kind][1])
        at = START_MS + rng.randrange(30 * DAY_MS)
        shapes = by_target.get(kind, [])
        failed = bool(shapes) and rng.random() < failures
        logs = failing_logs(rng.choice(shapes), target.name, rng) if failed else ()
        updates.append(
            Update(
                f"{index:024x}",
                operation,
                at,
                not failed,
                "Complete",
                "admin",
                "66a0000000000000000000aa",
                target,
                at + 30_000,
                logs,
            )
        )
    return updates


def naive_classify(update: Update) -> tuple[IncidentKind, str]:
    """The peer: every pattern searched on its own, line by line, every time."""
    best: tuple[int, str] | None = None
    for log in deciding_logs(update):
        lines = [*log.stderr.splitlines(), *log.stdout.splitlines()]
        for row in PATTERNS:
            if row.stages and not re.fullmatch(row.stages, log.stage, re.I):
                continue
            found: str | None = None
            if row.field is Field.STAGE:
                if re.fullmatch(row.regex, log.stage, re.I):
                    found = log.stderr or log.stdout
            elif row.field is Field.COMMAND:
                if re.search(row.regex, log.command):
                    found = log.stderr or log.stdout
            else:
                found = next((ln for ln in lines if re.search(row.regex, ln)), None)
            rank = PRECEDENCE.index(row.kind)
            if found is not None and (best is None or rank < best[0]):
                best = (rank, f"{log.stage}: {found}")
    fallback = OPERATION_KIND.get(update.operation, IncidentKind.OTHER)
    kind = fallback if best is None else PRECEDENCE[best[0]]
    evidence = one_line(best[1]) if best is not None else ""
    return FIXED_KIND.get(update.operation, kind), evidence


@dataclass(frozen=True)
class Timing:
    """Median wall and CPU seconds of some runs, and the last run's result."""

    wall: float
    cpu: float
    result: object


def timed(job: Callable[[], object], repeat: int) -> Timing:
    """Run ``job`` ``repeat`` times; CPU time is this process's only."""
    walls: list[float] = []
    cpus: list[float] = []
    result: object = None
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        result = job()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return Timing(statistics.median(walls), statistics.median(cpus), result)


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--updates", type=int, default=100_000)
    parser.add_argument("--failures", type=float, default=0.10)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=4)
    args = parser.parse_args(argv)

    updates = generate(args.updates, args.failures, args.seed)
    failed = [update for update in updates if update.failed]
    since, until = START_MS, START_MS + 30 * DAY_MS
    size = sum(len(log.stderr) + len(log.stdout) for u in failed for log in u.logs)
    print(
        f"generated {len(updates):,} updates, {len(failed):,} failed "
        f"({size / 1e6:.1f} MB of failure logs); RSS {peak_rss_mib():.0f} MiB"
    )

    whole = timed(lambda: history_of(updates, since=since, until=until), args.repeat)
    fast = timed(lambda: [classify(u).kind for u in failed], args.repeat)
    naive = timed(lambda: [naive_classify(u) for u in failed], args.repeat)
    assert isinstance(fast.result, list)
    assert isinstance(naive.result, list)
    pairs = zip(fast.result, naive.result, strict=True)
    agree = sum(kind is other for kind, (other, _) in pairs)
    series = getattr(whole.result, "series", ())
    print(f"kinds: {dict(Counter(k.value for k in fast.result).most_common())}")
    print(f"series: {len(series):,}; naive and fast agree on {agree:,}/{len(failed):,}")
    print()
    print(f"{'median of ' + str(args.repeat) + ' runs':<40}{'wall s':>8}{'CPU s':>8}"
          f"{'per CPU s':>12}")  # fmt: skip
    rows = (
        (f"history_of, {len(updates):,} updates", whole, len(updates)),
        (f"classify, {len(failed):,} failed updates", fast, len(failed)),
        (f"naive peer, {len(failed):,} failed updates", naive, len(failed)),
    )
    for label, timing, count in rows:
        print(f"{label:<40}{timing.wall:>8.3f}{timing.cpu:>8.3f}"
              f"{count / timing.cpu:>12,.0f}")  # fmt: skip
    load = os.getloadavg()[0]
    print(f"\nnaive / classify (CPU): {naive.cpu / fast.cpu:.1f}x; peak RSS "
          f"{peak_rss_mib():.0f} MiB; load average {load:.1f} on {os.cpu_count()} "
          "CPUs")  # fmt: skip
    met = whole.cpu < TARGET_S
    print(f"target: history_of under {TARGET_S:.0f} CPU s: {'met' if met else 'MISSED'}"
          " (CPU time equals wall time on an idle machine: the job is single-"
          "threaded and does no I/O)")  # fmt: skip
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
