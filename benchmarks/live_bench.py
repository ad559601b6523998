"""Speed of a full live snapshot against a large emulated Komodo Core.

Generates a Core of 1,000 stacks over 20 servers, 200 ResourceSyncs (about one
in ten pending), 20,000 Updates over 30 days (about 5% failures, in streaks of
one stack and operation, with the logs such failures leave), procedures,
actions, alerters and variables. It serves that scenario from the Core emulator
on 127.0.0.1, in a child process, answering every request after
``--latency`` seconds (20 ms: a Core across a LAN or a VPN), and then measures:

* ``collect_snapshot`` with its default concurrency, ``--repeat`` times (the
  median is reported against the 2-second target);
* a naive sequential client written here, the way an ad-hoc script reads the
  same facts: one thread, every list once, ``GetStack`` for every stack,
  ``GetResourceSync`` for every sync, ``ListUpdates`` page after page following
  ``next_page``, and ``GetUpdate`` for every failed update.

For each it prints the wall time and the requests the emulator served by type;
then the peak resident memory of this process (the clients) and of the
emulator. Run it from the project root::

    .venv/bin/python benchmarks/live_bench.py [--repeat N] [--latency S]
        [--concurrency N] [--no-naive]

Exit code: 0 when the snapshot meets the target, 1 when it does not, 2 when the
snapshot came back incomplete.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import resource
import statistics
import sys
import time
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from komodo_guard.live.client import CoreClient
from komodo_guard.live.snapshot import (
    DEFAULT_CONCURRENCY,
    LiveSnapshot,
    collect_snapshot,
)
from komodo_guard.testing import CoreEmulator, Scenario

TARGET_S = 2.0
KEY, SECRET = "bench-key", "bench-secret"
DAY_MS = 86_400_000
WINDOW_DAYS = 30
SERVERS, STACKS, SYNCS, UPDATES = 20, 1000, 200, 20_000
FAILURE_STREAMS = 150
"""Stacks that go through a failure streak in the window (~1,000 failures)."""

# Failure logs as Komodo records them, one per incident kind.
FAILURES: list[tuple[str, str, str]] = [
    (
        "Git Pull",
        "git pull --rebase=false --force origin main",
        "error: The following untracked working tree files would be overwritten "
        "by merge:\n\tstacks/{name}/compose.yaml\nPlease move or remove them "
        "before you merge.\nAborting",
    ),
    (
        "Compose Pull",
        "docker compose -p {name} -f compose.yaml pull",
        'Error response from daemon: Head "https://ghcr.io/v2/example-org/{name}/'
        'manifests/latest": unauthorized: authentication required',
    ),
    (
        "Compose Pull",
        "docker compose -p {name} -f compose.yaml pull",
        "Error response from daemon: manifest for example-org/{name}:1.9.3 not "
        "found: manifest unknown: manifest unknown",
    ),
    (
        "Compose Up",
        "docker compose -p {name} -f compose.yaml up -d",
        'service "db" depends on undefined service "cache": invalid compose project',
    ),
    (
        "Validate Files",
        "",
        "Failed to read stacks/{name}/compose.yaml: No such file or directory "
        "(os error 2)",
    ),
    (
        "Compose Up",
        "docker compose -p {name} -f compose.yaml up -d",
        "Container {name}-db-1  Error\ndependency failed to start: container "
        "{name}-db-1 is unhealthy\nFATAL: password authentication failed for "
        'user "app"',
    ),
    (
        "Pre Deploy",
        "sh ./scripts/migrate.sh",
        "./scripts/migrate.sh: line 4: pg_dump: command not found",
    ),
]


def scenario(now_ms: int, seed: int = 4) -> Scenario:
    """The benchmark's Core: deterministic for a given ``seed``."""
    rng = random.Random(seed)
    servers = [
        {
            "name": f"node-{i:02}",
            "region": f"rack-{i // 5}",
            "address": f"https://node-{i:02}.lan.example.net:8120",
            "state": "NotOk" if i == 7 else "Ok",
            "periphery_version": "2.2.0" if i == 3 else "2.3.2",
        }
        for i in range(SERVERS)
    ]
    stacks = [_stack(i, rng) for i in range(STACKS)]
    return Scenario(
        version="2.3.2",
        core_info={"title": "Bench Komodo", "webhook_base_url": "https://k.example"},
        servers=servers,
        stacks=stacks,
        deployments=[
            {"name": f"job-{i:02}", "server": f"node-{i % SERVERS:02}"}
            for i in range(40)
        ],
        syncs=[_sync(i, rng) for i in range(SYNCS)],
        procedures=[{"name": f"proc-{i:02}", "last_run_ago": "6h"} for i in range(40)],
        actions=[{"name": f"action-{i:02}"} for i in range(15)],
        alerters=[
            {
                "name": "ntfy",
                "enabled": True,
                "endpoint": {"type": "Ntfy", "params": {"url": "https://n.example"}},
                "alert_types": ["ServerUnreachable", "StackStateChange"],
            },
            {"name": "discord", "endpoint": {"type": "Discord", "params": {}}},
        ],
        builds=[{"name": f"image-{i:02}"} for i in range(10)],
        repos=[{"name": f"repo-{i:02}", "server": "node-00"} for i in range(5)],
        builders=[{"name": "local"}],
        swarms=[{"name": "lab", "servers": ["node-00", "node-01"]}],
        variables=[
            {
                "name": f"VAR_{i:03}",
                "value": f"value-{i}-{rng.getrandbits(64):x}",
                "is_secret": i % 5 == 0,
            }
            for i in range(120)
        ],
        updates=list(_updates(now_ms, stacks, rng)),
    )


def _stack(index: int, rng: random.Random) -> dict[str, Any]:
    name = f"app-{index:04}"
    stack: dict[str, Any] = {
        "name": name,
        "server": f"node-{index % SERVERS:02}",
        "repo": "example-org/homelab",
        "run_directory": f"stacks/{name}",
        "services": [f"svc{n}" for n in range(rng.randint(1, 3))],
        "deployed_hash": "4f2a9c1",
    }
    roll = rng.random()
    if roll < 0.03:
        stack["state"] = "unhealthy"
    elif roll < 0.04:
        stack["state"] = "down"
    if rng.random() < 0.05:
        stack["latest_hash"] = "b71e0d3"
        stack["changed_files"] = ["compose.yaml"]
    if rng.random() < 0.01:
        stack["remote_errors"] = ["compose.override.yaml"]
    return stack


def _sync(index: int, rng: random.Random) -> dict[str, Any]:
    sync: dict[str, Any] = {
        "name": f"sync-{index:03}",
        "repo": "example-org/homelab",
        "resource_path": [f"komodo/{index:03}"],
        "last_sync_hash": "4f2a9c1",
        "last_sync_ago": f"{rng.randint(1, 200)}h",
    }
    if index % 10 == 0:
        sync["pending_hash"] = "b71e0d3"
        sync["pending"] = [
            {"type": "Stack", "name": f"app-{rng.randrange(STACKS):04}", "op": "Update"}
            for _ in range(rng.randint(1, 4))
        ]
    if index % 50 == 7:
        sync["pending_error"] = "failed to clone repo: authentication failed"
    return sync


def _updates(
    now_ms: int, stacks: list[dict[str, Any]], rng: random.Random
) -> Iterator[dict[str, Any]]:
    """~19,000 routine updates, then ~1,000 failures in streaks (with logs) and
    the success that ended most of them."""
    since = now_ms - WINDOW_DAYS * DAY_MS
    streaks = list(_streaks(since, now_ms, stacks, rng))
    routine = UPDATES - len(streaks)
    operations = ["DeployStack"] * 6 + ["RunSync", "RunProcedure", "UpdateStack"]
    for _ in range(routine):
        operation = rng.choice(operations)
        if operation == "RunSync":
            target = {"type": "ResourceSync", "name": f"sync-{rng.randrange(SYNCS):03}"}
        elif operation == "RunProcedure":
            target = {"type": "Procedure", "name": f"proc-{rng.randrange(40):02}"}
        else:
            target = {"type": "Stack", "name": rng.choice(stacks)["name"]}
        yield {
            "operation": operation,
            "target": target,
            "start_ts": rng.randrange(since, now_ms),
            "operator": "000000000000000000000003" if rng.random() < 0.3 else "u1",
        }
    yield from streaks


def _streaks(
    since: int, now_ms: int, stacks: list[dict[str, Any]], rng: random.Random
) -> Iterator[dict[str, Any]]:
    for stack in rng.sample(stacks, FAILURE_STREAMS):
        name = stack["name"]
        stage, command, stderr = rng.choice(FAILURES)
        start = rng.randrange(since, now_ms - 2 * DAY_MS)
        target = {"type": "Stack", "name": name}
        for _ in range(rng.randint(3, 11)):
            start += rng.randrange(1, 8) * 3_600_000
            yield {
                "operation": "DeployStack",
                "target": target,
                "start_ts": min(start, now_ms - 1),
                "success": False,
                "operator": "000000000000000000000003",
                "logs": [
                    {
                        "stage": stage,
                        "command": command.format(name=name),
                        "stderr": stderr.format(name=name),
                        "success": False,
                    }
                ],
            }
        if rng.random() < 0.8:
            yield {
                "operation": "DeployStack",
                "target": target,
                "start_ts": min(start + 3_600_000, now_ms - 1),
                "logs": [{"stage": "Compose Up", "stdout": "Container started"}],
            }


# -- the emulator, in a child process ---------------------------------------------


def _serve(built: Scenario, latency: float, pipe: Connection) -> None:
    core = CoreEmulator(built, api_key=KEY, api_secret=SECRET, latency=latency)
    core.start()
    pipe.send(core.url)
    while (command := pipe.recv()) != "stop":
        if command == "counts":
            pipe.send(Counter(call for _, call in core.requests))
            core.requests.clear()
    core.stop()
    pipe.send(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


class Emulated:
    """The emulator running in a forked child, asked for counts over a pipe."""

    def __init__(self, built: Scenario, latency: float) -> None:
        self._pipe, child = multiprocessing.Pipe()
        context = multiprocessing.get_context("fork")
        self._process = context.Process(target=_serve, args=(built, latency, child))
        self._process.start()
        self.url: str = self._pipe.recv()

    def counts(self) -> Counter[str]:
        """Requests served since the last call, by request type."""
        self._pipe.send("counts")
        found: Counter[str] = self._pipe.recv()
        return found

    def stop(self) -> int:
        """Stop the child; its peak RSS in KiB."""
        self._pipe.send("stop")
        peak: int = self._pipe.recv()
        self._process.join(timeout=10)
        return peak


# -- the two clients ----------------------------------------------------------------


def naive(url: str, now_ms: int) -> dict[str, int]:
    """What an ad-hoc script does: one request after the other."""
    found: dict[str, int] = {}
    with httpx.Client(
        base_url=url, headers={"x-api-key": KEY, "x-api-secret": SECRET}, timeout=30
    ) as http:

        def read(request: str, params: dict[str, Any]) -> Any:
            answer = http.post(f"/read/{request}", json=params)
            answer.raise_for_status()
            return answer.json()

        read("GetVersion", {})
        read("GetCoreInfo", {})
        for request in (
            "ListServers",
            "ListDeployments",
            "ListProcedures",
            "ListActions",
            "ListFullAlerters",
            "ListVariables",
            "ListBuilds",
            "ListRepos",
            "ListBuilders",
            "ListSwarms",
        ):
            read(request, {"limit": 0})
        stacks = read("ListStacks", {"limit": 0})
        found["stacks"] = len([read("GetStack", {"stack": s["id"]}) for s in stacks])
        syncs = read("ListResourceSyncs", {"limit": 0})
        for sync in syncs:
            read("GetResourceSync", {"sync": sync["id"]})
        found["syncs"] = len(syncs)
        since = now_ms - WINDOW_DAYS * DAY_MS
        updates: list[dict[str, Any]] = []
        page: int | None = 0
        while page is not None:
            query = {"start_ts": {"$gte": since}}
            answer = read("ListUpdates", {"query": query, "page": page})
            updates += answer["updates"]
            page = answer["next_page"]
        found["updates"] = len(updates)
        failed = [u for u in updates if u["success"] is False]
        found["logs"] = len([read("GetUpdate", {"id": u["id"]}) for u in failed])
        read("ListAlerts", {"query": {"resolved": False}, "page": 0})
    return found


def snapshot(url: str, now_ms: int, concurrency: int) -> LiveSnapshot:
    with CoreClient(url, KEY, SECRET) as client:
        return collect_snapshot(
            client,
            window_days=WINDOW_DAYS,
            concurrency=concurrency,
            now=_datetime(now_ms),
        )


def _datetime(ms: int) -> datetime:
    return datetime.fromtimestamp(ms / 1000, UTC)


# -- the run -------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5, help="snapshot runs (5)")
    parser.add_argument(
        "--latency", type=float, default=0.02, help="seconds per request (0.02)"
    )
    parser.add_argument(
        "--concurrency",
        type=int,
        default=DEFAULT_CONCURRENCY,
        help=f"snapshot concurrency (the default, {DEFAULT_CONCURRENCY})",
    )
    parser.add_argument(
        "--no-naive", action="store_true", help="skip the naive client (~1 min)"
    )
    args = parser.parse_args(argv)

    now_ms = int(time.time() * 1000)
    began = time.perf_counter()
    built = scenario(now_ms)
    failures = sum(1 for u in built.updates if u.get("success") is False)
    print(
        f"scenario: {len(built.servers)} servers, {len(built.stacks)} stacks, "
        f"{len(built.syncs)} syncs, {len(built.updates)} updates "
        f"({failures} failed), built in {time.perf_counter() - began:.2f} s"
    )
    core = Emulated(built, args.latency)
    try:
        code = _measure(core, args, now_ms)
    finally:
        emulator_kib = core.stop()
    client_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        f"peak RSS: clients {client_kib / 1024:.0f} MiB, "
        f"emulator {emulator_kib / 1024:.0f} MiB; load average "
        f"{' '.join(f'{load:.1f}' for load in os.getloadavg())} "
        f"on {os.cpu_count()} CPUs"
    )
    return code


def _measure(core: Emulated, args: argparse.Namespace, now_ms: int) -> int:
    core.counts()
    times: list[float] = []
    taken: LiveSnapshot | None = None
    served: Counter[str] = Counter()
    for _ in range(args.repeat):
        began = time.perf_counter()
        taken = snapshot(core.url, now_ms, args.concurrency)
        times.append(time.perf_counter() - began)
        served = core.counts()
    assert taken is not None
    median = statistics.median(times)
    total = sum(served.values())
    logged = sum(1 for u in taken.updates if u.logs)
    print(
        f"\nsnapshot (concurrency {args.concurrency}): median {median:.3f} s of "
        f"{args.repeat} ({', '.join(f'{t:.3f}' for t in times)}); "
        f"{total} requests, at {args.latency * 1000:g} ms each at least "
        f"{total * args.latency / args.concurrency:.2f} s"
    )
    print(f"  {_by_call(served)}")
    print(
        f"  read {len(taken.stacks)} stacks, {len(taken.syncs)} syncs, "
        f"{len(taken.updates)} updates ({logged} with logs), "
        f"{len(taken.variables)} variables; incomplete: {len(taken.incomplete)}"
    )
    for entry in taken.incomplete:
        print(f"  ! {entry.call} {entry.resource}: {entry.reason}")

    if not args.no_naive:
        began = time.perf_counter()
        found = naive(core.url, now_ms)
        spent = time.perf_counter() - began
        served = core.counts()
        print(
            f"\nnaive sequential client: {spent:.2f} s, {sum(served.values())} "
            f"requests ({spent / median:.0f}x the snapshot); read {found}"
        )
        print(f"  {_by_call(served)}")

    met = median < TARGET_S
    print(f"\ntarget: snapshot under {TARGET_S:g} s: {'met' if met else 'MISSED'}")
    if taken.incomplete:
        return 2
    return 0 if met else 1


def _by_call(served: Counter[str]) -> str:
    return ", ".join(f"{call} {count}" for call, count in served.most_common())


if __name__ == "__main__":
    sys.exit(main())
