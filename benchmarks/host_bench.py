"""Speed of the full host check: 200 real git checkouts and 300 containers.

Builds, in a temporary folder, a bare "remote" with 40 files and 200 clones of
it under a Periphery root (``stacks/stack-NNN``), the way Komodo clones. One
checkout in ten gets an untracked file the upstream is about to add, one in
twenty an ignored one, one in fifteen a local edit. It serves a Docker Engine
API with 300 containers (compose stacks, hand-run projects, plain containers,
socket mounts, restarts) on a Unix socket from a child process.

Each round first pushes a new upstream commit (so every checkout has
something to fetch), then measures either:

* the full host check: ``collect_host`` (fetch and inspect every checkout in
  the bounded thread pool, list and inspect every container) and every host
  rule, as ``komodo-guard host`` runs them;
* the peer: a plain sequential loop of ``git status --porcelain`` and
  ``git fetch`` in every checkout, what an operator's shell script does (it
  reads no containers and predicts no collision).

Both run ``--repeat`` times; the medians are printed with the findings of the
last check and the peak resident memory of this process and of its children
(git). Run it from the project root::

    .venv/bin/python benchmarks/host_bench.py [--repeat N] [--checkouts N]
        [--containers N] [--jobs N] [--offline]

Exit code: 0 when the check's median meets the 5-second target, 1 otherwise.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from tests.host.fakedocker import FakeEngine, many  # noqa: E402
from tests.host.gitrepos import Remote  # noqa: E402

from komodo_guard.host.collect import HostOptions, collect_host  # noqa: E402
from komodo_guard.host.model import HostState  # noqa: E402
from komodo_guard.rules.host import RULES  # noqa: E402
from komodo_guard.rules.host.run import run_host_rules  # noqa: E402
from komodo_guard.rules.interface import HostFacts, RuleOptions  # noqa: E402

TARGET_S = 5.0


def build(base: Path, checkouts: int) -> tuple[Remote, Path, list[Path]]:
    """The remote, Periphery's root and its checkouts, with planted trouble."""
    remote = Remote(
        base / "git", {f"conf/file{i:02}.yaml": f"v: {i}\n" for i in range(40)}
    )
    root = base / "komodo"
    clones = []
    for index in range(checkouts):
        clone = remote.clone(root / "stacks" / f"stack-{index:03}")
        if index % 10 == 0:
            (clone / "added-later.txt").write_text("local copy\n")
        if index % 20 == 5:
            (clone / "cache.db").write_text("local cache\n")
            (clone / ".git" / "info" / "exclude").write_text("cache.db\n")
        if index % 15 == 3:
            (clone / "conf" / "file00.yaml").write_text("edited on the host\n")
        clones.append(clone)
    remote.commit({"added-later.txt": "upstream\n", "cache.db": "upstream\n"}, "add")
    return remote, root, clones


def peer(clones: list[Path]) -> None:
    """``git status --porcelain`` and ``git fetch`` in each checkout, in turn."""
    for clone in clones:
        for args in (["status", "--porcelain"], ["fetch", "--quiet", "origin"]):
            subprocess.run(["git", *args], cwd=clone, capture_output=True, check=True)


def check(
    root: Path, socket: str, jobs: int, offline: bool
) -> tuple[HostState, Counter[str]]:
    """The full host check: collect, then every host rule."""
    options = HostOptions(root=root, docker_socket=socket, jobs=jobs, offline=offline)
    state = collect_host(options)
    findings = run_host_rules(HostFacts(state), RULES, RuleOptions())
    return state, Counter(finding.code for finding in findings)


def serve(folder: str, count: int, ready: multiprocessing.synchronize.Event) -> None:
    """Serve ``count`` containers, their stacks run from Periphery's folder."""
    stacks = str(Path(folder) / "komodo" / "stacks")
    with FakeEngine(Path(folder), list(many(count, stacks))):
        ready.set()
        time.sleep(3600)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--checkouts", type=int, default=200)
    parser.add_argument("--containers", type=int, default=300)
    parser.add_argument("--jobs", type=int, default=8)
    parser.add_argument("--offline", action="store_true")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="kgb-") as temporary:
        base = Path(temporary)
        os.environ["HOME"] = str(base)
        started = time.perf_counter()
        remote, root, clones = build(base, args.checkouts)
        print(
            f"setup: {len(clones)} checkouts in {time.perf_counter() - started:.1f} s"
        )
        ready = multiprocessing.Event()
        server = multiprocessing.Process(
            target=serve, args=(temporary, args.containers, ready), daemon=True
        )
        server.start()
        ready.wait(30)
        socket = str(base / "docker.sock")
        try:
            peer_times, check_times = [], []
            for round_ in range(args.repeat):
                remote.commit({f"round{round_}.txt": "x\n"}, f"round {round_}")
                began = time.perf_counter()
                peer(clones)
                peer_times.append(time.perf_counter() - began)
                remote.commit({f"round{round_}b.txt": "x\n"}, f"round {round_}b")
                began = time.perf_counter()
                state, codes = check(root, socket, args.jobs, args.offline)
                check_times.append(time.perf_counter() - began)
        finally:
            server.terminate()
    return report(state, codes, check_times, peer_times)


def report(
    state: HostState,
    codes: Counter[str],
    check_times: list[float],
    peer_times: list[float],
) -> int:
    checked = statistics.median(check_times)
    print(
        f"host check: {len(state.checkouts or ())} checkouts, "
        f"{len(state.containers or ())} containers, {len(state.problems)} problems; "
        f"median {checked:.2f} s (runs: {', '.join(f'{t:.2f}' for t in check_times)})"
    )
    print(f"findings: {dict(sorted(codes.items()))}")
    print(
        f"peer (sequential git status + git fetch): median "
        f"{statistics.median(peer_times):.2f} s "
        f"(runs: {', '.join(f'{t:.2f}' for t in peer_times)})"
    )
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"peak RSS: this process {own:.0f} MiB, largest child {children:.0f} MiB")
    print(f"target {TARGET_S:.0f} s: {'met' if checked < TARGET_S else 'MISSED'}")
    return 0 if checked < TARGET_S else 1


if __name__ == "__main__":
    sys.exit(main())
