"""``komodo-guard``: the entry point, argument parsing and the one error handler.

Exit codes: 0 clean, 1 findings at or above ``--fail-on``, 2 could not complete
(usage, unreadable input, a check that could not run), 130 interrupted.
Imports of the heavy parts happen inside the commands so ``--help`` stays fast.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING

from komodo_guard import __version__

if TYPE_CHECKING:
    from pathlib import Path

    from komodo_guard.cli.livecheck import LiveOptions

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR, EXIT_INTERRUPTED = 0, 1, 2, 130
FORMATS = ("text", "github", "json", "sarif", "junit")
# The live defaults, spelled here so --help needs no HTTP library; a test keeps
# them equal to live.client.DEFAULT_TIMEOUT and the snapshot's defaults.
TIMEOUT, WINDOW_DAYS, CONCURRENCY = 10.0, 30, 16
# The host check's defaults, repeated here so --help imports nothing heavy
# (a test keeps them equal to komodo_guard.host's).
HOST_JOBS, GIT_TIMEOUT = 8, 30.0
# The inventory formats, spelled here for --help (a test keeps them equal to
# komodo_guard.host.inventory.InventoryKind).
INVENTORY_KINDS = ("list", "ansible-ini", "ansible-yaml", "ssh-config")


class UsageError(Exception):
    """Bad input from the operator: printed as one line, exit 2."""


class CoreUnavailableError(Exception):
    """Komodo Core could not be read at all (unreachable, refused the key):
    printed as one line naming the call, exit 2."""


def _verbosity(parser: argparse.ArgumentParser, *, default: object) -> None:
    parser.add_argument(
        "-v",
        "--verbose",
        action="count",
        default=default,
        help="more diagnostics on standard error (-vv for debug)",
    )
    parser.add_argument(
        "-q",
        "--quiet",
        action="store_true",
        default=False if default == 0 else default,
        help="only errors on standard error",
    )


def _path(text: str) -> Path:
    from pathlib import Path

    return Path(text)


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "path",
        nargs="?",
        default=".",
        type=_path,
        help="root of the GitOps tree (default: current folder)",
    )
    parser.add_argument(
        "--komodo-version",
        metavar="X.Y",
        help="Komodo version to check against (default: the "
        "config's komodo_version, else the newest known)",
    )
    parser.add_argument(
        "--config",
        type=_path,
        metavar="FILE",
        help="settings file (default: komodo-guard.toml or "
        "[tool.komodo-guard] in pyproject.toml at the tree root)",
    )
    parser.add_argument(
        "--output",
        "-o",
        type=_path,
        metavar="FILE",
        help="write the report here instead of standard output",
    )


def _lint_formats(parser: argparse.ArgumentParser) -> None:
    """``--format``: every format of lint's findings."""
    parser.add_argument(
        "--format",
        "-f",
        choices=FORMATS,
        default=None,
        help="output format (default: github inside GitHub Actions, else text)",
    )


def _fail_on(parser: argparse.ArgumentParser) -> None:
    """``--fail-on``: the severity threshold of the exit code."""
    parser.add_argument(
        "--fail-on",
        choices=("error", "warning", "info"),
        default=None,
        help="lowest severity that makes the exit code 1 "
        "(default: the config's fail_on, else warning)",
    )


def _positive(
    kind: type[int] | type[float], most: float = 1e6
) -> Callable[[str], int | float]:
    """An argparse type: a finite number above zero and at most ``most``, or a
    usage error (``nan``, ``inf`` and absurd sizes included)."""

    def parse(text: str) -> int | float:
        try:
            value = kind(text)
        except ValueError:
            value = 0
        if not 0 < value <= most:  # also false for nan
            raise argparse.ArgumentTypeError(
                f"{text!r} is not a number above 0 and at most {most:g}"
            )
        return value

    return parse


def _live(parser: argparse.ArgumentParser, *, refresh: bool = True) -> None:
    """How to reach Komodo Core; the key and secret come from the environment."""
    which = parser.add_mutually_exclusive_group()
    which.add_argument(
        "--komodo",
        metavar="URL",
        help="Komodo Core to read (default: [komodo] url in the config, else "
        "$KOMODO_URL); the API key and secret come only from $KOMODO_API_KEY "
        "and $KOMODO_API_SECRET",
    )
    which.add_argument(
        "--demo",
        action="store_true",
        help="read komodo-guard's built-in Core emulator instead, started on "
        "127.0.0.1 with a demo scenario (no Komodo needed)",
    )
    parser.add_argument(
        "--timeout",
        type=_positive(float),
        default=TIMEOUT,
        metavar="SECONDS",
        help=f"per request, default {TIMEOUT:g} s (reads are retried a few times)",
    )
    parser.add_argument(
        "--window-days",
        type=_positive(int, most=3650),
        default=WINDOW_DAYS,
        metavar="N",
        help=f"days of Core's update log to read, default {WINDOW_DAYS}",
    )
    parser.add_argument(
        "--concurrency",
        type=_positive(int),
        default=CONCURRENCY,
        metavar="N",
        help=f"requests to Core at once, default {CONCURRENCY}",
    )
    if refresh:
        parser.add_argument(
            "--refresh",
            action="store_true",
            help="first ask Core to recompute sync pending changes and stack "
            "caches (RefreshResourceSyncPending, RefreshStackCache): these are "
            "WRITES, off by default; the key then needs write permission",
        )


def _inventory(parser: argparse.ArgumentParser) -> None:
    """``--inventory``: the host list the host-not-a-server rule compares with
    Core's Servers, over ``[hosts]`` of the config."""
    parser.add_argument(
        "--inventory",
        type=_path,
        metavar="FILE",
        help="the operator's host list (plain list, Ansible INI or YAML "
        "inventory, SSH config) to compare with Core's Servers (default: "
        "[hosts] inventory in the config)",
    )
    parser.add_argument(
        "--inventory-kind",
        choices=INVENTORY_KINDS,
        default=None,
        help="the format of --inventory's file (default: told by its suffix "
        "and content); only with --inventory",
    )


def build_parser() -> argparse.ArgumentParser:
    """The whole command line."""
    parser = argparse.ArgumentParser(
        prog="komodo-guard",
        description="Keep a Komodo GitOps setup honest: lint resource TOML before "
        "it reaches Komodo and write the audit of what will fail.",
        epilog="exit codes: 0 clean, 1 findings at or above --fail-on, "
        "2 could not complete, 130 interrupted",
    )
    parser.add_argument(
        "--version", action="version", version=f"%(prog)s {__version__}"
    )
    _verbosity(parser, default=0)
    # The same flags after the command name; SUPPRESS keeps them from
    # overwriting what was given before it.
    after = argparse.ArgumentParser(add_help=False)
    _verbosity(after, default=argparse.SUPPRESS)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    lint = commands.add_parser(
        "lint",
        parents=[after],
        help="check a GitOps tree (CI, pre-commit)",
        description="Static checks of a Komodo GitOps tree.",
    )
    _common(lint)
    _lint_formats(lint)
    lint.add_argument(
        "--baseline",
        type=_path,
        metavar="FILE",
        help="report only findings not recorded in this baseline file",
    )
    lint.add_argument(
        "--write-baseline",
        type=_path,
        metavar="FILE",
        help="record today's findings in FILE and exit 0 (adopt the gate on day one)",
    )
    lint.add_argument(
        "--fix",
        action="store_true",
        help="apply the safe fixes (unique did-you-mean renames, keys moved into "
        "their table), keeping comments and formatting",
    )
    lint.add_argument(
        "--diff",
        action="store_true",
        help="print the safe fixes as a unified diff without writing anything",
    )
    _fail_on(lint)

    audit = commands.add_parser(
        "audit",
        parents=[after],
        help="write the audit report of a tree",
        description="Run every check that can run and write "
        "an expert's audit report (Markdown or HTML): the tree always, Komodo "
        "Core and its update log with --komodo (or --demo).",
        epilog="exit codes: 0 clean, 1 findings at or above --fail-on, "
        "2 could not complete (a check could not run), 130 interrupted",
    )
    _common(audit)
    audit.add_argument(
        "--format",
        "-f",
        choices=("markdown", "html"),
        default=None,
        help="report format (default: from --output's suffix, else markdown)",
    )
    _fail_on(audit)
    _live(audit)
    _inventory(audit)

    drift = commands.add_parser(
        "drift",
        parents=[after],
        help="compare what git declares with what Komodo Core runs",
        description="Live checks of Komodo Core: syncs pending, resources in git "
        "but not in Core and the reverse, stacks not running what git holds, "
        "failed executions. PATH (default: the current folder) is the GitOps "
        "tree to compare with, when it declares resources.",
        epilog="exit codes: 0 no drift, 1 drift at or above --fail-on, "
        "2 could not check (Core unreachable, key refused, a call failed)",
    )
    _common(drift)
    _lint_formats(drift)
    _fail_on(drift)
    _live(drift)
    _inventory(drift)

    postmortem = commands.add_parser(
        "postmortem",
        parents=[after],
        help="write the postmortem of one incident from Core's update log",
        description="Write a Markdown postmortem of one outage found in Komodo "
        "Core's update log: timeline, impact, cause, what ended it, follow-ups.",
        epilog="exit codes: 0 written (or listed), 2 could not (unknown "
        "incident, Core unreachable)",
    )
    postmortem.add_argument(
        "incident",
        nargs="?",
        help="the incident's name, e.g. git-pull-blocked-mealie-20261129T0412 "
        "(--list shows them)",
    )
    postmortem.add_argument(
        "--list",
        action="store_true",
        help="list the incidents of the window, newest first",
    )
    postmortem.add_argument(
        "--config",
        type=_path,
        metavar="FILE",
        help="settings file (default: komodo-guard.toml in the current folder)",
    )
    postmortem.add_argument(
        "--output",
        "-o",
        type=_path,
        metavar="FILE",
        help="write the postmortem here instead of standard output",
    )
    _live(postmortem, refresh=False)
    _inventory(postmortem)

    _host_parser(commands, after)
    _trigger_parser(commands, after)
    _secrets_parser(commands, after)
    _watch_parser(commands, after)
    _notify_parser(commands, after)

    explain = commands.add_parser(
        "explain", parents=[after], help="show a rule's documentation"
    )
    explain.add_argument("rule", help="rule code (KG102) or name (unknown-key)")
    commands.add_parser("rules", parents=[after], help="list every rule")
    return parser


def _secrets_parser(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
    after: argparse.ArgumentParser,
) -> None:
    secrets = commands.add_parser(
        "secrets",
        parents=[after],
        help="compare each secret across the places that hold it",
        description="Secrets across their stores (SOPS files, env files, "
        "containers, Komodo Variables, database users, GitHub secrets, Core's "
        "config), compared by keyed fingerprint: no value is ever shown.",
    )
    which = secrets.add_subparsers(dest="secrets_command", metavar="ACTION")
    which.required = True
    check = which.add_parser(
        "check",
        parents=[after],
        help="a matrix of every secret by place: same, different, missing...",
        epilog="exit codes: 0 every copy agrees, 1 a copy differs, is missing "
        "or was refused, 2 a place could not be read",
    )
    suggest = which.add_parser(
        "map",
        parents=[after],
        help="propose a secret map from the tree (and the host's containers)",
    )
    suggest.add_argument(
        "--suggest",
        action="store_true",
        required=True,
        help="print a proposed [[secrets.secret]] map as TOML (never values)",
    )
    rotate = which.add_parser(
        "rotate",
        parents=[after],
        help="change one secret everywhere: pre-flight, journal, resume, rollback",
        description="Rotate secret NAME of the map: a pre-flight that every place "
        "is reachable and the current value still authenticates, then database "
        "users, env files and Core's config (atomic, a .bak kept), SOPS files "
        "(re-encrypted by sops to their own recipients), Komodo Variables, "
        "GitHub Actions secrets (sealed), a redeploy of every Stack that uses "
        "the secret, and a final check; each step journalled (0600, values "
        "encrypted) so a crash can be resumed or rolled back.",
        epilog="exit codes: 0 rotated, 1 every step ran but a place disagrees "
        "(journal kept), 2 could not complete (--resume or --rollback next)",
    )
    rotate.add_argument("name", help="the secret's name in the map")
    mode = rotate.add_mutually_exclusive_group()
    mode.add_argument("--dry-run", action="store_true", help="print the plan only")
    mode.add_argument(
        "--resume", action="store_true", help="finish an interrupted rotation"
    )
    mode.add_argument(
        "--rollback",
        action="store_true",
        help="restore the old value wherever it was already changed",
    )
    rotate.add_argument("--config", type=_path, metavar="FILE")
    rotate.add_argument("--map", type=_path, metavar="FILE", help="the secret map")
    rotate.add_argument("--journal", type=_path, metavar="FILE")
    rotate.add_argument(
        "--new-value-file",
        type=_path,
        metavar="FILE",
        help="the new value's first line (default: a random 32-byte token)",
    )
    rotate.add_argument("--komodo", metavar="URL", help="Core for Variables")
    rotate.add_argument(
        "--timeout",
        type=_positive(float),
        default=TIMEOUT,
        metavar="SECONDS",
        help=f"per place, default {TIMEOUT:g} s",
    )
    rotate.add_argument(
        "--redeploy",
        action="append",
        default=[],
        metavar="STACK",
        help="also redeploy this stack once the new value is in place (repeatable)",
    )
    rotate.add_argument(
        "--no-search",
        dest="search",
        action="store_false",
        help="redeploy only the --redeploy stacks; do not ask Core which stacks "
        "use the secret",
    )
    rotate.add_argument(
        "--docker-socket",
        metavar="PATH",
        help="Docker Engine socket for container places (default: DOCKER_HOST, "
        "then /var/run/docker.sock)",
    )
    for parser in (check, suggest):
        parser.add_argument(
            "path",
            nargs="?",
            default=".",
            type=_path,
            help="root of the GitOps tree (default: current folder)",
        )
        parser.add_argument("--config", type=_path, metavar="FILE")
        parser.add_argument(
            "--output", "-o", type=_path, metavar="FILE", help="write it here"
        )
        parser.add_argument("--komodo-version", metavar="X.Y")
        parser.add_argument(
            "--docker-socket", metavar="PATH", help="Docker Engine socket"
        )
        parser.add_argument(
            "--timeout",
            type=_positive(float),
            default=TIMEOUT,
            metavar="SECONDS",
            help=f"per place, default {TIMEOUT:g} s",
        )
    check.add_argument(
        "--map",
        type=_path,
        metavar="FILE",
        help="the secret map (default: [secrets] in komodo-guard.toml)",
    )
    check.add_argument(
        "--format", "-f", choices=("text", "json", "markdown"), default="text"
    )
    check.add_argument(
        "--komodo",
        metavar="URL",
        help="Core holding the komodo-variable places (default: [komodo] url, "
        "else $KOMODO_URL; key and secret from the environment)",
    )
    check.add_argument(
        "--jobs",
        type=_positive(int),
        default=HOST_JOBS,
        metavar="N",
        help=f"places read at once, default {HOST_JOBS}",
    )


def _trigger_parser(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
    after: argparse.ArgumentParser,
) -> None:
    trigger = commands.add_parser(
        "trigger",
        parents=[after],
        help="start a sync, deploy, procedure... on Core and follow it to its end",
        description="Start work on Komodo Core, through its API or its webhook "
        "listener, and follow the resulting Update until it ends.",
        epilog="exit codes: 0 succeeded, 1 failed, 2 could not start or the "
        "wait ran out",
    )
    trigger.add_argument(
        "kind",
        choices=("sync", "stack", "procedure", "action", "deployment", "build", "repo"),
    )
    trigger.add_argument(
        "name", nargs="?", help="the resource's name or id (omit with --pattern)"
    )
    trigger.add_argument("--via", choices=("api", "webhook"), default="api")
    trigger.add_argument(
        "--if-changed",
        action="store_true",
        help="stacks: DeployStackIfChanged instead of DeployStack",
    )
    trigger.add_argument(
        "--pattern", metavar="PATTERN", help="a batch call over matching names"
    )
    trigger.add_argument(
        "--wait",
        type=_positive(float),
        default=1800.0,
        metavar="SECONDS",
        help="how long to follow the Update, default 1800 s",
    )
    trigger.add_argument(
        "--no-wait", action="store_true", help="return once Core has started it"
    )
    trigger.add_argument(
        "--listener-url",
        metavar="URL",
        help="webhook listener base (default: Core's webhook_base_url)",
    )
    trigger.add_argument("--provider", choices=("github", "gitlab"), default="github")
    trigger.add_argument("--branch", metavar="BRANCH")
    trigger.add_argument(
        "--secret-file",
        type=_path,
        metavar="FILE",
        help="webhook secret (first of the sources docs/trigger.md lists)",
    )
    trigger.add_argument("--compose-env", type=_path, metavar="FILE")
    trigger.add_argument("--core-config", type=_path, metavar="FILE")
    trigger.add_argument("--config", type=_path, metavar="FILE")
    _live(trigger, refresh=False)


def _host_parser(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
    after: argparse.ArgumentParser,
) -> None:
    host = commands.add_parser(
        "host",
        parents=[after],
        help="check this Docker host: checkouts that cannot pull, containers "
        "outside GitOps",
        description="On a Docker host running Komodo Periphery: git checkouts "
        "whose next pull would fail or overwrite files, local edits Komodo "
        "would discard, tokens in remote URLs, containers no Komodo resource "
        "owns, Docker socket mounts, privileged containers, restart loops. "
        "PATH (optional) is the GitOps tree declaring this host's stacks.",
        epilog="exit codes: 0 clean, 1 findings at or above --fail-on, "
        "2 could not check",
    )
    host.add_argument(
        "path",
        nargs="?",
        default=None,
        type=_path,
        help="the GitOps tree to compare with (optional)",
    )
    host.add_argument("--komodo-version", metavar="X.Y", help="as for lint")
    host.add_argument("--config", type=_path, metavar="FILE", help="settings file")
    host.add_argument(
        "--output", "-o", type=_path, metavar="FILE", help="write the report here"
    )
    _lint_formats(host)
    _fail_on(host)
    host.add_argument(
        "--root",
        type=_path,
        metavar="DIR",
        help="Periphery's root directory (default: [hosts] periphery_root in "
        "the config, else $PERIPHERY_ROOT_DIRECTORY, else root_directory in "
        "Periphery's config, else /etc/komodo)",
    )
    host.add_argument(
        "--periphery-config", type=_path, metavar="FILE", help="Periphery's config"
    )
    host.add_argument(
        "--offline",
        action="store_true",
        help="do not git fetch; compare with what each checkout fetched last",
    )
    host.add_argument("--no-git", action="store_true", help="skip the checkouts")
    host.add_argument("--no-docker", action="store_true", help="skip containers")
    host.add_argument(
        "--docker-socket",
        metavar="PATH",
        help="Docker Engine socket (default: [hosts] docker_socket in the "
        "config, else $DOCKER_HOST if unix://, else /var/run/docker.sock)",
    )
    host.add_argument(
        "--server", default="", metavar="NAME", help="this host's Komodo Server name"
    )
    host.add_argument(
        "--jobs",
        type=_positive(int),
        default=HOST_JOBS,
        metavar="N",
        help=f"checkouts inspected at once, default {HOST_JOBS}",
    )
    host.add_argument(
        "--git-timeout",
        type=_positive(float),
        default=GIT_TIMEOUT,
        metavar="SECONDS",
        help=f"per git command, default {GIT_TIMEOUT:g} s",
    )
    host.add_argument(
        "--textfile",
        type=_path,
        metavar="DIR",
        help="also write node-exporter textfile metrics into DIR (atomically)",
    )
    _live(host, refresh=False)


def _watch_parser(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
    after: argparse.ArgumentParser,
) -> None:
    watch = commands.add_parser(
        "watch",
        parents=[after],
        help="keep checking Komodo Core and alert on changes (runs until stopped)",
        description="Every interval: read Komodo Core (and this host, and a "
        "checkout, when configured), remember the findings, alert through the "
        "[[notify.channel]] tables on changes only (new, worse, resolved, "
        "reminders, cannot check), serve a status page with /metrics and "
        "/healthz, ping a heartbeat URL. SIGTERM or SIGINT finish the cycle "
        "and stop; SIGHUP reloads the config.",
        epilog="exit codes: 0 stopped by a signal; with --once as drift: 0 no "
        "open findings at or above fail_on, 1 findings, 2 could not check; "
        "2 for a bad config",
    )
    watch.add_argument(
        "--config",
        type=_path,
        metavar="FILE",
        help="settings file with [watch] and [[notify.channel]] (default: "
        "komodo-guard.toml in the current folder)",
    )
    watch.add_argument(
        "--once", action="store_true", help="run one cycle and exit (for cron)"
    )
    watch.add_argument(
        "--interval",
        metavar="DURATION",
        help="time between cycles such as 30s, 5m or 1h (default: [watch] "
        "interval, else 5m)",
    )
    status = watch.add_mutually_exclusive_group()
    status.add_argument(
        "--status",
        metavar="ADDRESS:PORT",
        help="serve the status page, /metrics and /healthz here (default: "
        "[watch] listen, else 127.0.0.1:9718)",
    )
    status.add_argument(
        "--no-status", action="store_true", help="do not serve the status page"
    )
    watch.add_argument(
        "--log-format",
        choices=("text", "json"),
        default="text",
        help="text lines, or one JSON object per line (default: text)",
    )
    _live(watch, refresh=False)
    _inventory(watch)


def _notify_parser(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
    after: argparse.ArgumentParser,
) -> None:
    notify = commands.add_parser(
        "notify", parents=[after], help="notification channels: send a test message"
    )
    actions = notify.add_subparsers(
        dest="notify_command", metavar="ACTION", required=True
    )
    test = actions.add_parser(
        "test",
        parents=[after],
        help="send a test message on each [[notify.channel]]",
        description="Send one test message on each configured channel, at once "
        "and without retries, and print how each one fared.",
        epilog="exit codes: 0 every channel delivered, 1 one failed, 2 the "
        "config cannot be read or has no channel",
    )
    test.add_argument(
        "--config",
        type=_path,
        metavar="FILE",
        help="settings file (default: komodo-guard.toml in the current folder)",
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Parse ``argv`` and run one command; the only place errors become exit codes."""
    parser = build_parser()
    args = parser.parse_args(argv)
    _setup_logging(args.verbose, args.quiet)
    if args.command is None:
        parser.print_help()
        return EXIT_ERROR
    try:
        return _dispatch(args)
    except (UsageError, CoreUnavailableError) as error:
        print(f"komodo-guard: error: {error}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("komodo-guard: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        return EXIT_ERROR
    except Exception as error:  # the one top-level handler for unexpected errors
        trace = _save_trace()
        print(
            f"komodo-guard: internal error ({type(error).__name__}); "
            f"the full trace is in {trace}",
            file=sys.stderr,
        )
        return EXIT_ERROR


def _dispatch(args: argparse.Namespace) -> int:
    if args.command == "lint":
        from komodo_guard.cli.lint import lint

        with _cycle_collection_paused():
            return lint(
                args.path,
                komodo_version=args.komodo_version,
                config=args.config,
                output=args.output,
                fmt=args.format,
                fail_on=args.fail_on,
                baseline=args.baseline,
                write_baseline=args.write_baseline,
                fix=args.fix,
                diff=args.diff,
            )
    if args.command == "audit":
        from komodo_guard.cli.audit import audit

        with _cycle_collection_paused():
            return audit(
                args.path,
                komodo_version=args.komodo_version,
                config=args.config,
                output=args.output,
                fmt=args.format,
                fail_on=args.fail_on,
                live=_live_options(args),
            )
    if args.command == "drift":
        from komodo_guard.cli.drift import drift

        return drift(
            args.path,
            komodo_version=args.komodo_version,
            config=args.config,
            output=args.output,
            fmt=args.format,
            fail_on=args.fail_on,
            live=_live_options(args),
        )
    if args.command == "postmortem":
        from komodo_guard.cli.postmortem import postmortem

        return postmortem(
            args.incident,
            listing=args.list,
            config=args.config,
            output=args.output,
            live=_live_options(args),
        )
    if args.command == "host":
        return _host(args)
    if args.command == "trigger":
        return _trigger(args)
    if args.command == "secrets":
        return _secrets(args)
    if args.command == "watch":
        from komodo_guard.cli.watch import watch

        return watch(
            config=args.config,
            once=args.once,
            interval=args.interval,
            status=args.status,
            no_status=args.no_status,
            log_format=args.log_format,
            live=_live_options(args),
        )
    if args.command == "notify":
        from komodo_guard.cli.notify import notify_test

        return notify_test(config=args.config)
    from komodo_guard.cli.explain import explain, list_rules

    return explain(args.rule) if args.command == "explain" else list_rules()


def _secrets(args: argparse.Namespace) -> int:
    from komodo_guard.cli.secrets import secrets_check, secrets_suggest

    if args.secrets_command == "rotate":
        from komodo_guard.cli.rotate import secrets_rotate

        return secrets_rotate(
            args.name,
            config=args.config,
            map_file=args.map,
            dry_run=args.dry_run,
            resume=args.resume,
            rollback=args.rollback,
            journal_file=args.journal,
            new_value_file=args.new_value_file,
            komodo=args.komodo,
            timeout=args.timeout,
            redeploy=tuple(args.redeploy),
            search=args.search,
            docker_socket=args.docker_socket,
        )
    if args.secrets_command == "check":
        return secrets_check(
            args.path,
            config=args.config,
            map_file=args.map,
            output=args.output,
            fmt=args.format,
            komodo=args.komodo,
            timeout=args.timeout,
            jobs=args.jobs,
            docker_socket=args.docker_socket,
            komodo_version=args.komodo_version,
        )
    return secrets_suggest(
        args.path,
        config=args.config,
        output=args.output,
        docker_socket=args.docker_socket,
        komodo_version=args.komodo_version,
        timeout=args.timeout,
    )


def _trigger(args: argparse.Namespace) -> int:
    from komodo_guard.cli.trigger import TriggerFlags, WebhookFlags, trigger

    return trigger(
        args.kind,
        args.name,
        flags=TriggerFlags(
            via=args.via,
            if_changed=args.if_changed,
            pattern=args.pattern,
            wait=args.wait,
            no_wait=args.no_wait,
            webhook=WebhookFlags(
                listener_url=args.listener_url,
                provider=args.provider,
                branch=args.branch,
                secret_file=args.secret_file,
                compose_env=args.compose_env,
                core_config=args.core_config,
            ),
        ),
        live=_live_options(args),
        config=args.config,
    )


def _host(args: argparse.Namespace) -> int:
    from komodo_guard.cli.host import HostFlags, host

    return host(
        args.path,
        config=args.config,
        output=args.output,
        fmt=args.format,
        fail_on=args.fail_on,
        flags=HostFlags(
            root=args.root,
            periphery_config=args.periphery_config,
            offline=args.offline,
            git=not args.no_git,
            docker=not args.no_docker,
            docker_socket=args.docker_socket,
            server=args.server,
            jobs=args.jobs,
            timeout=args.git_timeout,
        ),
        textfile=args.textfile,
        live=_live_options(args) if args.komodo or args.demo else None,
        komodo_version=args.komodo_version,
    )


def _live_options(args: argparse.Namespace) -> LiveOptions:
    from komodo_guard.cli.livecheck import LiveOptions

    inventory = getattr(args, "inventory", None)
    inventory_kind = getattr(args, "inventory_kind", None)
    if inventory_kind is not None and inventory is None:
        raise UsageError(
            "--inventory-kind tells the format of --inventory FILE: pass both "
            "(for [hosts] inventory, set inventory_kind in the [hosts] table)"
        )
    return LiveOptions(
        komodo=args.komodo,
        demo=args.demo,
        timeout=args.timeout,
        window_days=args.window_days,
        refresh=getattr(args, "refresh", False),
        concurrency=args.concurrency,
        quiet=args.quiet,
        inventory=inventory,
        inventory_kind=inventory_kind,
    )


@contextlib.contextmanager
def _cycle_collection_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while one command runs.

    Linting builds a large heap (every resource, key position and compose
    file of the tree) that lives until the command returns and holds almost
    no reference cycles, yet each full collection walks all of it again:
    about a second on a 10,000-resource tree. Reference counting still frees
    everything as usual, and the collector resumes once the command's data is
    gone, so what it then scans is small.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _setup_logging(verbose: int, quiet: bool) -> None:
    import logging

    level = logging.WARNING
    if quiet:
        level = logging.ERROR
    elif verbose >= 2 or os.environ.get("KOMODO_GUARD_DEBUG"):
        level = logging.DEBUG
    elif verbose == 1:
        level = logging.INFO
    logging.basicConfig(
        level=level,
        format="komodo-guard: %(levelname)s: %(message)s",
        stream=sys.stderr,
    )
    # The retry library logs each scheduled retry as a bare WARNING without the
    # call's name; the client's own error names the call once retries run out.
    logging.getLogger("stamina").setLevel(
        logging.DEBUG if level == logging.DEBUG else logging.ERROR
    )
    # The HTTP libraries' connection-level debug lines (hundreds per run) only
    # with KOMODO_GUARD_DEBUG=http; -vv shows komodo-guard's own diagnostics.
    if os.environ.get("KOMODO_GUARD_DEBUG") != "http":
        for name in ("httpx", "httpcore"):
            logging.getLogger(name).setLevel(max(level, logging.WARNING))


def _save_trace() -> str:
    import tempfile
    import traceback

    handle, name = tempfile.mkstemp(prefix="komodo-guard-crash-", suffix=".log")
    with os.fdopen(handle, "w") as stream:
        stream.write(traceback.format_exc())
    return name


def entry() -> None:
    """Console-script entry point.

    Once the command is done and its output flushed, the process ends at once:
    the interpreter's own teardown would free every object a large lint built
    (a tenth of a second or more on a 10,000-resource tree) for nothing.
    Nothing of ours waits for exit handlers: reports are written and closed,
    and log lines go to standard error as they are emitted.
    """
    code = main()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except OSError:  # a closed pipe: let the normal exit deal with it
        sys.exit(code)
    os._exit(code)
