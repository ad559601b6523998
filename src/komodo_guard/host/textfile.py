"""node-exporter textfile metrics of one host check, written atomically.

node-exporter's textfile collector reads every ``*.prom`` file in its folder
at each scrape; a file caught half-written would be dropped or misread, so
the text goes to a temporary file in the same folder first and is renamed
over the old one (a rename within one file system is atomic).
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

FILE_NAME = "komodo_guard_host.prom"


class TextfileError(Exception):
    """The metrics file could not be written; the message names the folder."""


@dataclass(frozen=True)
class HostMetrics:
    """The numbers one host check exports."""

    checkouts_blocked: int
    colliding_files: int
    unmanaged_containers: int
    socket_mounts: int
    success: bool


_HELP = (
    ("checkouts_blocked", "Komodo checkouts whose next git pull fails."),
    (
        "colliding_files",
        "Untracked or ignored files the next git pull of a Komodo checkout "
        "would overwrite.",
    ),
    ("unmanaged_containers", "Containers no Komodo stack or deployment owns."),
    ("socket_mounts", "Containers with the Docker socket mounted."),
    ("check_success", "1 when every host check could run, else 0."),
)


def render_metrics(metrics: HostMetrics) -> str:
    """The metrics in Prometheus' text exposition format, gauges with HELP
    and TYPE lines."""
    values = {
        "checkouts_blocked": metrics.checkouts_blocked,
        "colliding_files": metrics.colliding_files,
        "unmanaged_containers": metrics.unmanaged_containers,
        "socket_mounts": metrics.socket_mounts,
        "check_success": int(metrics.success),
    }
    lines: list[str] = []
    for key, text in _HELP:
        name = f"komodo_guard_host_{key}"
        lines += [
            f"# HELP {name} {text}",
            f"# TYPE {name} gauge",
            f"{name} {values[key]}",
        ]
    return "\n".join(lines) + "\n"


def write_textfile(folder: Path, text: str, name: str = FILE_NAME) -> Path:
    """Replace ``folder/name`` by ``text`` atomically; the path written."""
    target = folder / name
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{name}.", dir=folder)
    except OSError as error:
        raise TextfileError(
            f"{folder}: cannot write metrics there: {error.strerror}"
        ) from error
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except OSError as error:
        raise TextfileError(
            f"{target}: cannot write metrics: {error.strerror}"
        ) from error
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    return target
