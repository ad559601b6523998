"""Speed and memory of ``komodo-guard lint`` on a large generated GitOps tree.

Generates, in a temporary folder, a tree of Komodo resources (stacks with a
``[stack.config]`` table and a multi-line ``environment`` using ``[[VARS]]``,
procedures with stages and executions, variables, servers and one
ResourceSync) spread over TOML files, plus compose folders with bind mounts, env
files and config files, with a sprinkling of faults. Then it measures, each in a
fresh child process, the wall time and peak memory (RSS) of:

* ``komodo-guard lint <tree> --format json``;
* ``check-jsonschema`` with Komodo's own JSON schema over the same TOML files;
* ``komodo-guard --help`` (the median of ten runs).

Run it from the project root::

    .venv/bin/python benchmarks/lint_bench.py [--resources N] [--files N]
        [--compose N] [--repeat N] [--keep]

Exit code: 0 when every target is met, 1 when one is missed, 2 when a measured
command failed to run.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
SCHEMA = PROJECT.parent / "shared" / "komodo" / "schema" / "2.3.2" / "resources.json"
REPO = "example-org/bench"
SYNC_NAME = "bench"
HELP_RUNS = 10
LINT_TARGET_S = 2.0
HELP_TARGET_S = 0.150

# Runs one command in this fresh interpreter and reports its wall time and the
# peak RSS of its process tree (RUSAGE_CHILDREN only sees this one command).
MEASURE = textwrap.dedent(
    """
    import json, resource, subprocess, sys, time
    out = open(sys.argv[1], "wb")
    start = time.perf_counter()
    done = subprocess.run(sys.argv[2:], stdout=out, stderr=subprocess.PIPE)
    wall = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    tail = done.stderr[-1500:].decode("utf-8", "replace")
    print(json.dumps({"wall": wall, "rss_kib": peak, "code": done.returncode,
                      "stderr": tail}))
    """
)


# ---------------------------------------------------------------- the tree


@dataclass(frozen=True)
class Plan:
    """How many of each thing to generate."""

    resources: int
    files: int
    compose: int


@dataclass(frozen=True)
class Names:
    """Every declared name, so references point at things that exist."""

    servers: tuple[str, ...]
    variables: tuple[str, ...]
    stacks: tuple[str, ...]


def kind_of(index: int) -> str:
    """The resource kind at a global index: 1% servers, 14% variables,
    10% procedures, the rest stacks; index 0 is the ResourceSync."""
    if index == 0:
        return "resource_sync"
    slot = index % 100
    if slot == 0:
        return "server"
    if slot <= 14:
        return "variable"
    if slot <= 24:
        return "procedure"
    return "stack"


def name_of(kind: str, index: int) -> str:
    """The declared name of the resource at a global index."""
    match kind:
        case "server":
            return f"host-{index:05d}"
        case "variable":
            return f"VAR_{index:05d}"
        case "procedure":
            return f"job-{index:05d}"
        case "stack":
            return f"app-{index:05d}"
    return SYNC_NAME


def all_names(plan: Plan) -> Names:
    """The names of every declared server, variable and stack."""
    by_kind: dict[str, list[str]] = {"server": [], "variable": [], "stack": []}
    for index in range(plan.resources):
        kind = kind_of(index)
        if kind in by_kind:
            by_kind[kind].append(name_of(kind, index))
    return Names(
        servers=tuple(by_kind["server"]) or ("host-00000",),
        variables=tuple(by_kind["variable"]) or ("VAR_00000",),
        stacks=tuple(by_kind["stack"]) or ("app-00000",),
    )


def sync_toml() -> str:
    """The one ResourceSync, reading every file under komodo/."""
    return f"""\
[[resource_sync]]
name = "{SYNC_NAME}"
description = "Applies the generated resources"

[resource_sync.config]
repo = "{REPO}"
branch = "main"
resource_path = ["komodo"]
include_variables = true
delete = true
"""


def server_toml(index: int) -> str:
    """A Periphery host."""
    name = name_of("server", index)
    return f"""\
[[server]]
name = "{name}"
description = "Generated host {index}"

[server.config]
address = "https://{name}.lan.example.net:8120"
enabled = true
region = "rack-{index % 7}"
"""


def variable_toml(index: int) -> str:
    """A plain variable."""
    return f"""\
[[variable]]
name = "{name_of("variable", index)}"
description = "Generated variable {index}"
value = "value-{index}"
"""


def stack_environment(index: int, names: Names) -> str:
    """A multi-line env block using declared variables, with rare faults."""
    first = names.variables[index % len(names.variables)]
    second = names.variables[(index * 7) % len(names.variables)]
    lines = [
        f"TZ = [[{first}]]",
        f"APP_PORT = {8000 + index % 1000}",
        "DATABASE_URL = postgres://app@db:5432/app",
        f"API_TOKEN = [[{second}]]",
        "LOG_LEVEL = info",
    ]
    if index % 109 == 13:
        lines.append("DB_PASSWORD = fake-bench-password-7c1d9e")
    if index % 107 == 11:
        lines.append(f"PUBLIC_URL = https://app.[[{first}]")
    return "\n".join(lines)


def stack_config_lines(index: int, plan: Plan, names: Names) -> list[str]:
    """The ``[stack.config]`` keys of one stack, with rare faults."""
    server = names.servers[index % len(names.servers)]
    if index % 101 == 5:
        server = "host-missing"
    compose = "compose.yml" if index % 103 == 7 else "compose.yaml"
    lines = [
        f'server = "{server}"',
        f'repo = "{REPO}"',
        'branch = "main"',
        f'run_directory = "stacks/svc-{index % plan.compose:04d}"',
        f'file_paths = ["{compose}"]',
        'additional_env_files = [{ path = "app.env", track = true }]',
        "config_files = [",
        '  { path = "config/app.conf", services = ["app"], requires = "Restart" },',
        '  { path = "html/index.html", services = ["app"], requires = "Redeploy" },',
        "]",
        "auto_pull = true",
    ]
    if index % 97 == 3:
        lines.append("auto_updte = true")
    if index % 113 == 17:
        lines.append('poll_for_updates = "yes"')
    return lines


def stack_toml(index: int, plan: Plan, names: Names, after: str | None) -> str:
    """A stack deployed from this tree; every tenth one has deploy/after."""
    header = [
        "[[stack]]",
        f'name = "{name_of("stack", index)}"',
        f'description = "Generated app {index}"',
        f'tags = ["bench", "group-{index % 5}"]',
    ]
    if after is not None:
        header.append("deploy = true")
        if after:
            header.append(f'after = ["{after}"]')
    config = stack_config_lines(index, plan, names)
    environment = stack_environment(index, names)
    return (
        "\n".join(
            [
                *header,
                "",
                "[stack.config]",
                *config,
                f'environment = """\n{environment}\n"""',
            ]
        )
        + "\n"
    )


def execution(variant: str, param: str, value: str) -> str:
    """One enabled execution of a procedure stage, as an inline table."""
    return (
        f'  {{ execution.type = "{variant}", '
        f'execution.params.{param} = "{value}", enabled = true }},'
    )


def procedure_toml(index: int, names: Names) -> str:
    """A scheduled procedure with two stages; every 50th lacks its cron format."""
    target = names.stacks[index % len(names.stacks)]
    schedule_format = "" if index % 500 == 15 else 'schedule_format = "Cron"\n'
    apply = execution("RunSync", "sync", SYNC_NAME)
    deploy = execution("DeployStack", "stack", target)
    batch = execution("BatchDeployStackIfChanged", "pattern", f"app-0{index % 10}*")
    return f"""\
[[procedure]]
name = "{name_of("procedure", index)}"
description = "Generated job {index}"

[procedure.config]
{schedule_format}schedule = "0 {index % 60} 3 * * *"
schedule_timezone = "Europe/Berlin"

[[procedure.config.stage]]
name = "Apply"
enabled = true
executions = [
{apply}
]

[[procedure.config.stage]]
name = "Deploy"
enabled = true
executions = [
{deploy}
{batch}
]
"""


KIND_ORDER = ("resource_sync", "server", "variable", "stack", "procedure")


def file_toml(indices: range, plan: Plan, names: Names) -> str:
    """One resource file: its slice of resources, grouped by kind."""
    ordered = sorted(indices, key=lambda i: (KIND_ORDER.index(kind_of(i)), i))
    blocks = []
    previous_deployed = ""
    for index in ordered:
        match kind_of(index):
            case "resource_sync":
                blocks.append(sync_toml())
            case "server":
                blocks.append(server_toml(index))
            case "variable":
                blocks.append(variable_toml(index))
            case "procedure":
                blocks.append(procedure_toml(index, names))
            case "stack":
                deploys = index % 10 == 0
                after = previous_deployed if deploys else None
                blocks.append(stack_toml(index, plan, names, after))
                previous_deployed = (
                    name_of("stack", index) if deploys else previous_deployed
                )
    return "\n".join(blocks)


def compose_yaml(index: int) -> str:
    """A two-service compose file with bind mounts, an env file and a volume."""
    return f"""\
services:
  app:
    image: nginx:1.27.1-alpine
    restart: unless-stopped
    env_file:
      - app.env
    environment:
      TZ: ${{TZ}}
      DATABASE_URL: ${{DATABASE_URL}}
    ports:
      - "127.0.0.1:${{APP_PORT}}:80"
    volumes:
      - ./config/app.conf:/etc/nginx/conf.d/app.conf:ro
      - ./html:/usr/share/nginx/html:ro
    depends_on:
      - db

  db:
    image: postgres:16.4-alpine
    restart: unless-stopped
    environment:
      POSTGRES_DB: app{index}
      POSTGRES_USER: app
    volumes:
      - db-data:/var/lib/postgresql/data

volumes:
  db-data:
"""


def compose_files(index: int) -> Iterator[tuple[str, str]]:
    """The files of one compose folder; every 150th lacks its config file."""
    folder = f"stacks/svc-{index:04d}"
    yield f"{folder}/compose.yaml", compose_yaml(index)
    yield f"{folder}/app.env", f"APP_NAME=svc-{index}\nWORKERS={1 + index % 4}\n"
    yield f"{folder}/html/index.html", f"<h1>svc {index}</h1>\n"
    if index % 150 != 149:
        yield f"{folder}/config/app.conf", "server { listen 80; }\n"


def tree_files(plan: Plan) -> Iterator[tuple[str, str]]:
    """Every file of the generated tree, as (relative path, content)."""
    names = all_names(plan)
    yield "komodo-guard.toml", f'komodo_version = "2.3"\n\n[tree]\nrepos = ["{REPO}"]\n'
    bounds = [plan.resources * k // plan.files for k in range(plan.files + 1)]
    for k in range(plan.files):
        yield (
            f"komodo/part-{k:03d}.toml",
            file_toml(range(bounds[k], bounds[k + 1]), plan, names),
        )
    for index in range(plan.compose):
        yield from compose_files(index)


def write_tree(root: Path, plan: Plan) -> list[Path]:
    """Write the tree under ``root``; return the resource TOML files."""
    toml_files = []
    for relative, content in tree_files(plan):
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content, encoding="utf-8")
        if relative.startswith("komodo/"):
            toml_files.append(target)
    return toml_files


# ---------------------------------------------------------------- measuring


@dataclass(frozen=True)
class Run:
    """One measured run of one command."""

    wall: float
    rss_kib: int
    code: int
    stderr: str


def measure(command: Sequence[str], output: Path, env: dict[str, str]) -> Run:
    """Run ``command`` under a fresh measuring interpreter."""
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, str(output), *command],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    data = json.loads(done.stdout)
    return Run(data["wall"], data["rss_kib"], data["code"], data["stderr"])


def komodo_guard_command() -> tuple[list[str], dict[str, str], str]:
    """How to start komodo-guard: the console script beside this Python if it is
    installed, else ``python -m komodo_guard`` with the project's ``src``."""
    env = dict(os.environ)
    script = Path(sys.executable).parent / "komodo-guard"
    if script.exists():
        return [str(script)], env, f"console script {script}"
    env["PYTHONPATH"] = os.pathsep.join(
        filter(None, [str(PROJECT / "src"), env.get("PYTHONPATH", "")])
    )
    return (
        [sys.executable, "-m", "komodo_guard"],
        env,
        "python -m komodo_guard with PYTHONPATH=src (package not installed)",
    )


def check_jsonschema() -> Path:
    """The check-jsonschema executable beside this Python, or on PATH."""
    beside = Path(sys.executable).parent / "check-jsonschema"
    if beside.exists():
        return beside
    found = shutil.which("check-jsonschema")
    if found is None:
        sys.exit(
            "lint_bench: check-jsonschema is not installed (pip install '.[bench]')"
        )
    return Path(found)


def schema_inputs(
    toml_files: list[Path], work: Path, tool: Path
) -> tuple[list[Path], str]:
    """The files to give check-jsonschema and a note of what was done.

    check-jsonschema reads TOML itself (with Python's TOML 1.0 parser, which
    the generated files satisfy). If this version cannot, the TOML is converted
    to JSON first (untimed) and only the validation is timed.
    """
    probe = subprocess.run(
        [str(tool), "--schemafile", str(SCHEMA), str(toml_files[0])],
        capture_output=True,
        text=True,
        check=False,
    )
    if (
        probe.returncode in (0, 1)
        and "Failed to parse" not in probe.stdout + probe.stderr
    ):
        return toml_files, "check-jsonschema read the TOML files directly"
    import tomllib

    converted = []
    for path in toml_files:
        target = work / "json" / (path.stem + ".json")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(tomllib.loads(path.read_text("utf-8"))), "utf-8")
        converted.append(target)
    return converted, (
        "check-jsonschema could not read TOML; the files were converted to JSON "
        "beforehand (not timed) and only the validation was timed"
    )


@dataclass(frozen=True)
class Result:
    """The runs of one measured command."""

    label: str
    runs: tuple[Run, ...]

    @property
    def wall(self) -> float:
        """Median wall time in seconds."""
        return statistics.median(run.wall for run in self.runs)

    @property
    def rss_mib(self) -> float:
        """Highest peak RSS over the runs, in MiB."""
        return max(run.rss_kib for run in self.runs) / 1024


def repeat(
    label: str,
    times: int,
    command: Sequence[str],
    output: Path,
    env: dict[str, str],
    ok_codes: tuple[int, ...],
) -> Result:
    """Measure ``command`` ``times`` times; stop the benchmark if it fails."""
    runs = []
    for _ in range(times):
        run = measure(command, output, env)
        if run.code not in ok_codes:
            print(
                f"lint_bench: {label} exited {run.code}:\n{run.stderr}", file=sys.stderr
            )
            sys.exit(2)
        runs.append(run)
    return Result(label, tuple(runs))


def lint_summary(output: Path) -> str:
    """What the last lint run reported, to show it did the work."""
    document = json.loads(output.read_text("utf-8"))
    summary = document["summary"]
    codes = Counter(finding["code"] for finding in document["findings"])
    top = ", ".join(f"{code} x{count}" for code, count in sorted(codes.items()))
    return (
        f"lint saw {summary['files']} TOML files, {summary['resources']} resources; "
        f"{summary['errors']} errors, {summary['warnings']} warnings, "
        f"{summary['infos']} infos ({top or 'none'})"
    )


# ---------------------------------------------------------------- reporting


def verdict(passed: bool) -> str:
    """A table cell for a target."""
    return "ok" if passed else "MISSED"


def table(lint: Result, schema: Result, helped: Result) -> tuple[str, bool]:
    """The results table and whether every target was met."""
    checks = [
        lint.wall < LINT_TARGET_S,
        lint.wall < schema.wall,
        helped.wall < HELP_TARGET_S,
    ]
    rows = [
        ("measured", "median wall", "peak RSS", "target", "result"),
        (
            lint.label,
            f"{lint.wall:.3f} s",
            f"{lint.rss_mib:.0f} MiB",
            f"< {LINT_TARGET_S:.0f} s",
            verdict(checks[0]),
        ),
        (
            schema.label,
            f"{schema.wall:.3f} s",
            f"{schema.rss_mib:.0f} MiB",
            "reference",
            "",
        ),
        (
            "lint vs check-jsonschema",
            f"{schema.wall / lint.wall:.1f}x faster",
            "",
            "faster",
            verdict(checks[1]),
        ),
        (
            helped.label,
            f"{helped.wall * 1000:.0f} ms",
            f"{helped.rss_mib:.0f} MiB",
            f"< {HELP_TARGET_S * 1000:.0f} ms",
            verdict(checks[2]),
        ),
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(5)]
    lines = [
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines), all(checks)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(
        description="Time komodo-guard lint on a generated tree, beside "
        "check-jsonschema, and time komodo-guard --help."
    )
    parser.add_argument(
        "--resources",
        type=int,
        default=10_000,
        help="resources to declare (default 10000)",
    )
    parser.add_argument(
        "--files",
        type=int,
        default=100,
        help="TOML files to spread them over (default 100)",
    )
    parser.add_argument(
        "--compose",
        type=int,
        default=1_000,
        help="compose folders to generate (default 1000)",
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=3,
        help="runs of lint and check-jsonschema; the median is reported (default 3)",
    )
    parser.add_argument(
        "--keep",
        action="store_true",
        help="keep the generated tree and print where it is",
    )
    args = parser.parse_args(argv)
    if min(args.resources, args.files, args.compose, args.repeat) < 1:
        parser.error("--resources, --files, --compose and --repeat must be >= 1")
    if args.files > args.resources:
        parser.error("--files must not exceed --resources")
    return args


def run(args: argparse.Namespace, root: Path) -> int:
    """Generate, measure, print; the exit code."""
    plan = Plan(args.resources, args.files, args.compose)
    toml_files = write_tree(root / "tree", plan)
    print(
        f"tree: {plan.resources} resources in {plan.files} TOML files, "
        f"{plan.compose} compose folders under {root / 'tree'}"
    )

    guard, env, how = komodo_guard_command()
    print(f"komodo-guard: {how}")
    lint_out = root / "lint.json"
    lint = repeat(
        "komodo-guard lint --format json",
        args.repeat,
        [*guard, "lint", str(root / "tree"), "--format", "json"],
        lint_out,
        env,
        (0, 1),
    )
    print(lint_summary(lint_out))

    tool = check_jsonschema()
    inputs, note = schema_inputs(toml_files, root, tool)
    print(f"check-jsonschema: {note}")
    schema = repeat(
        f"check-jsonschema ({len(inputs)} files)",
        args.repeat,
        [str(tool), "--schemafile", str(SCHEMA), *map(str, inputs)],
        root / "schema.txt",
        env,
        (0, 1),
    )
    helped = repeat(
        "komodo-guard --help",
        HELP_RUNS,
        [*guard, "--help"],
        root / "help.txt",
        env,
        (0,),
    )

    text, passed = table(lint, schema, helped)
    print()
    print(text)
    return 0 if passed else 1


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point."""
    args = parse_args(argv)
    if not SCHEMA.is_file():
        sys.exit(f"lint_bench: Komodo's schema is not at {SCHEMA}")
    root = Path(tempfile.mkdtemp(prefix="kg-bench-"))
    try:
        return run(args, root)
    finally:
        if args.keep:
            print(f"kept: {root / 'tree'}")
        else:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
