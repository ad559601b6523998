"""Soak of ``komodo-guard watch``: 10,000 accelerated cycles over 500 resources.

A Core of 500 resources (400 stacks, 60 ResourceSyncs, 30 deployments, 10
servers) is generated in eight variants that differ in which stacks are down
or behind git, which syncs are pending and which executions failed. Each
variant is read once from the Core emulator on 127.0.0.1 (no latency): its
snapshot and history are then fed to the cycles directly, so a cycle costs
what the watcher costs, not what the network does. The clock is injected and
moves five minutes per cycle (10,000 cycles are about 35 days, so the 14-day
pruning of old cycles runs too); nothing sleeps.

The schedule changes the findings over time: the variant changes every hour
(12 cycles), and every 500th cycle starts four cycles in which Core cannot be
reached (so "cannot check" and "can check again" are sent). Every cycle runs
the live rules over its snapshot.

Two loops are measured, each in a child process of its own:

* ``watch``: the real :class:`~komodo_guard.watch.loop.Watcher` (SQLite state
  and outbox, alerts on two channels whose send is an in-memory stand-in,
  status board and Prometheus metrics updated after each cycle);
* ``naive``: what a cron script does: render the lint JSON report of the
  findings, write it to a file, read the previous run's file back and diff
  the two by (code, resource, message) to decide what to announce.

For each it prints the resident memory (current RSS and the peak so far)
every ``--sample`` cycles with its growth from the first sample, the CPU time
per cycle (mean, p95, max; all threads), the alerts sent, and the size of
the files it keeps. Run it from the project root::

    .venv/bin/python benchmarks/watch_soak.py [--cycles N] [--sample N]

Exit code: 0 when the watcher's memory stayed flat (RSS growth between the
second sample and the last under ``--max-growth-mb``, 5 MB by default), else 1.
"""

from __future__ import annotations

import argparse
import gc
import json
import logging
import multiprocessing
import os
import random
import resource
import secrets
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from komodo_guard.cli.livecheck import CoreRead, LiveOptions, live_findings, read_core
from komodo_guard.config import Config
from komodo_guard.live.client import CoreClient
from komodo_guard.notify.channels import parse_channel
from komodo_guard.notify.interface import DELIVERED, Channel, Outcome
from komodo_guard.notify.message import Alert
from komodo_guard.report import json_format
from komodo_guard.report.interface import LintResult
from komodo_guard.rules.interface import Finding
from komodo_guard.testing import CoreEmulator, Scenario
from komodo_guard.watch.loop import Observation, Watcher
from komodo_guard.watch.metrics import Metrics
from komodo_guard.watch.server import Board
from komodo_guard.watch.settings import Policy
from komodo_guard.watch.settings_file import WatchSettings
from komodo_guard.watch.status import Status

VARIANTS = 8
SERVERS, STACKS, SYNCS, DEPLOYMENTS = 10, 400, 60, 30
EVERY = timedelta(minutes=5)
VARIANT_CYCLES = 12
OUTAGE_EVERY, OUTAGE_CYCLES = 500, 4
T0 = datetime(2027, 1, 4, tzinfo=UTC)
DAY_MS = 86_400_000


def scenario(variant: int, now_ms: int) -> Scenario:
    """One variant of the 500-resource Core (deterministic per variant): the
    same base problems in every variant, and a few of its own."""
    base, rng = random.Random(0), random.Random(variant)
    stacks = []
    for index in range(STACKS):
        stack: dict[str, Any] = {
            "name": f"app-{index:03}",
            "server": f"node-{index % SERVERS:02}",
            "services": ["web"],
            "deployed_hash": "4f2a9c1",
            "latest_hash": "4f2a9c1",
        }
        common, own, pick = base.random(), rng.random(), rng.random()
        roll = common if pick > 0.05 else own
        if roll < 0.02:
            stack["state"] = "down"
        elif roll < 0.06:
            stack["latest_hash"] = "b71e0d3"
            stack["changed_files"] = ["compose.yaml"]
        stacks.append(stack)
    syncs = []
    for index in range(SYNCS):
        sync: dict[str, Any] = {
            "name": f"sync-{index:02}",
            "last_sync_hash": "4f2a9c1",
            "last_sync_ago": "3h",
        }
        common, own = base.random(), rng.random()
        if (common if index % 8 else own) < 0.1:
            sync["pending_hash"] = "b71e0d3"
            sync["pending"] = [
                {
                    "type": "Stack",
                    "name": f"app-{rng.randrange(STACKS):03}",
                    "op": "Update",
                }
            ]
        syncs.append(sync)
    updates = [
        {
            "operation": "DeployStack",
            "target": {"type": "Stack", "name": f"app-{rng.randrange(STACKS):03}"},
            "start_ts": now_ms - rng.randrange(1, 7 * DAY_MS),
            "success": rng.random() > 0.03,
        }
        for _ in range(600)
    ]
    updates.append(
        {
            "operation": "BackupCoreDatabase",
            "target": {"type": "System", "id": ""},
            "start_ts": now_ms - DAY_MS,
        }
    )
    return Scenario(
        servers=[
            {"name": f"node-{i:02}", "address": f"https://node-{i:02}:8120"}
            for i in range(SERVERS)
        ],
        stacks=stacks,
        syncs=syncs,
        deployments=[
            {"name": f"job-{i:02}", "server": f"node-{i % SERVERS:02}"}
            for i in range(DEPLOYMENTS)
        ],
        alerters=[
            {
                "name": "ntfy",
                "enabled": True,
                "endpoint": {"type": "Ntfy", "params": {"url": "https://n.example"}},
            }
        ],
        updates=updates,
    )


def read_variants() -> list[CoreRead]:
    """Each variant's snapshot and history, read once from the emulator."""
    now_ms = int(time.time() * 1000)
    reads = []
    for variant in range(VARIANTS):
        key, secret = secrets.token_hex(8), secrets.token_hex(8)
        with (
            CoreEmulator(
                scenario(variant, now_ms), api_key=key, api_secret=secret
            ) as core,
            CoreClient(core.url, key, secret) as client,
        ):
            reads.append(read_core(client, LiveOptions(quiet=True)))
    return reads


def schedule(index: int) -> int | None:
    """The variant of cycle ``index``, or ``None`` when Core is down."""
    if index % OUTAGE_EVERY < OUTAGE_CYCLES and index >= OUTAGE_EVERY:
        return None
    return (index // VARIANT_CYCLES) % VARIANTS


@dataclass
class Result:
    """What one child measured."""

    name: str
    samples: list[tuple[int, float, float]] = field(default_factory=list)
    """(cycle, current RSS MB, peak RSS MB)."""
    cpu: list[float] = field(default_factory=list)
    alerts: int = 0
    files_bytes: int = 0
    wall: float = 0.0


def rss_mb() -> float:
    with open("/proc/self/statm") as stream:
        pages = int(stream.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


Step = Callable[[int], None]


def measure(name: str, cycles: int, sample: int, run: Step) -> Result:
    result = Result(name)
    began = time.monotonic()
    for index in range(cycles):
        cpu = time.process_time()
        run(index)
        result.cpu.append(time.process_time() - cpu)
        if index % sample == sample - 1 or index == 0:
            result.samples.append((index + 1, rss_mb(), peak_mb()))
    result.wall = time.monotonic() - began
    return result


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now


def run_watch(reads: list[CoreRead], folder: Path, cycles: int, sample: int) -> Result:
    config = Config()
    sent: list[int] = [0]

    def send(channel: Channel, alert: Alert) -> Outcome:
        sent[0] += 1
        return DELIVERED

    channels = tuple(
        parse_channel(
            i, {"type": "webhook", "name": n, "url": f"http://127.0.0.1:9/{n}"}
        )
        for i, n in enumerate(("ops", "phone"))
    )
    settings = WatchSettings(
        config=config,
        interval=EVERY,
        cycle_timeout=timedelta(minutes=4),
        state_path=folder / "watch.sqlite",
        outbox_path=folder / "outbox.sqlite",
        policy=Policy(),
        channels=channels,
    )
    clock = Clock()
    current: list[int | None] = [0]

    def check() -> Observation:
        variant = current[0]
        if variant is None:
            return Observation(checked=False, reason="GetVersion: cannot reach Core")
        read = reads[variant]
        found = live_findings(read, None, config)
        return Observation(tuple(found), snapshot=read.snapshot)

    watcher = Watcher(
        settings,
        check,
        send,
        board=Board(Status(interval=EVERY)),
        metrics=Metrics(),
        clock=clock,
    )

    def step(index: int) -> None:
        current[0] = schedule(index)
        watcher.cycle()
        clock.now += EVERY

    try:
        result = measure("watch", cycles, sample, step)
    finally:
        watcher.close()
    result.alerts = sent[0]
    result.files_bytes = sum(p.stat().st_size for p in folder.iterdir())
    return result


def run_naive(reads: list[CoreRead], folder: Path, cycles: int, sample: int) -> Result:
    """The cron script: render the JSON report, diff it with the last one."""
    config = Config()
    report = folder / "last.json"
    sent = [0]

    def key(finding: dict[str, Any]) -> tuple[str, str, str]:
        resource = finding.get("resource") or {}
        return (
            finding["code"],
            json.dumps(resource, sort_keys=True),
            finding["message"],
        )

    def step(index: int) -> None:
        variant = schedule(index)
        if variant is None:
            return  # the script fails and says nothing
        read = reads[variant]
        found: list[Finding] = live_findings(read, None, config)
        result = LintResult(
            root="",
            komodo_version="2.3.2",
            findings=tuple(found),
            files_checked=0,
            resources=0,
            live=read.summary,
        )
        text = json_format.render(result)
        before = json.loads(report.read_text()) if report.exists() else {"findings": []}
        now = json.loads(text)
        old = {key(f) for f in before["findings"]}
        new = {key(f) for f in now["findings"]}
        sent[0] += 2 * (len(new - old) + len(old - new))  # two channels
        temporary = report.with_suffix(".tmp")
        temporary.write_text(text)
        temporary.replace(report)

    result = measure("naive", cycles, sample, step)
    result.alerts = sent[0]
    result.files_bytes = sum(p.stat().st_size for p in folder.iterdir())
    return result


def child(name: str, cycles: int, sample: int, pipe: Connection) -> None:
    logging.disable(logging.WARNING)  # the planned outages log a line each
    reads = read_variants()
    gc.collect()
    with tempfile.TemporaryDirectory(prefix=f"kg-soak-{name}-") as folder:
        runner = run_watch if name == "watch" else run_naive
        pipe.send(runner(reads, Path(folder), cycles, sample))
    pipe.close()


def run_child(name: str, cycles: int, sample: int) -> Result:
    context = multiprocessing.get_context("fork")
    parent, end = context.Pipe(duplex=False)
    process = context.Process(target=child, args=(name, cycles, sample, end))
    process.start()
    end.close()
    result: Result = parent.recv()
    process.join()
    return result


def report(result: Result) -> None:
    cpu_ms = [c * 1000 for c in result.cpu]
    p95 = statistics.quantiles(cpu_ms, n=20)[-1]
    print(f"\n== {result.name}: {len(result.cpu)} cycles in {result.wall:.1f} s wall")
    print("  cycle     RSS MB   peak MB")
    for cycle, rss, peak in result.samples:
        print(f"  {cycle:>6}   {rss:7.1f}   {peak:7.1f}")
    first, second, last = result.samples[0], result.samples[1], result.samples[-1]
    print(
        f"  RSS growth: {last[1] - second[1]:+.1f} MB from cycle {second[0]} to "
        f"{last[0]} ({last[1] - first[1]:+.1f} MB from cycle 1); peak {last[2]:.1f} MB"
    )
    print(
        f"  CPU per cycle: mean {statistics.fmean(cpu_ms):.2f} ms, p95 {p95:.2f} ms, "
        f"max {max(cpu_ms):.2f} ms"
    )
    print(
        f"  alerts sent: {result.alerts}; "
        f"files kept: {result.files_bytes / 1024:.0f} kB"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cycles", type=int, default=10_000)
    parser.add_argument("--sample", type=int, default=500)
    parser.add_argument("--max-growth-mb", type=float, default=5.0)
    parser.add_argument("--no-naive", action="store_true")
    args = parser.parse_args(argv)
    print(
        f"{args.cycles} cycles, {STACKS + SYNCS + DEPLOYMENTS + SERVERS} resources, "
        f"{VARIANTS} variants, one every {VARIANT_CYCLES} cycles, Core down "
        f"{OUTAGE_CYCLES} cycles every {OUTAGE_EVERY}"
    )
    watch = run_child("watch", args.cycles, args.sample)
    report(watch)
    if not args.no_naive:
        report(run_child("naive", args.cycles, args.sample))
    growth = watch.samples[-1][1] - watch.samples[1][1]
    flat = growth < args.max_growth_mb
    print(f"\nwatch memory {'flat' if flat else 'GREW'}: {growth:+.1f} MB")
    return 0 if flat else 1


if __name__ == "__main__":
    sys.exit(main())
