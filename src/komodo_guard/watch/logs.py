"""The watcher's log lines: text for people, one JSON object per line for
log shippers (``--log-format json``).

Both formats carry the same facts. A call may add structured fields with
``extra={"fields": {...}}``: the JSON line holds them as keys (beside
``time``, ``level``, ``logger`` and ``message``, which they never replace),
the text line appends them as ``key=value``. An exception is shown by its
type only: its message or traceback could quote a URL with a token.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

_BASE = ("time", "level", "logger", "message")
QUIET = ("httpx", "httpcore")
"""Libraries kept at warning level: their info lines quote request URLs, and
webhook and heartbeat URLs hold tokens."""


class LogFormat(StrEnum):
    """How log lines look on standard error."""

    TEXT = "text"
    JSON = "json"


def _fields(record: logging.LogRecord) -> Mapping[str, Any]:
    fields = getattr(record, "fields", None)
    return fields if isinstance(fields, Mapping) else {}


def _error_type(record: logging.LogRecord) -> str | None:
    if record.exc_info and record.exc_info[0] is not None:
        return record.exc_info[0].__name__
    return None


class JsonFormatter(logging.Formatter):
    """One JSON object per record, on one line, keys in a fixed order."""

    def format(self, record: logging.LogRecord) -> str:
        data: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in _fields(record).items():
            if key not in _BASE:
                data[key] = value
        error = _error_type(record)
        if error is not None:
            data["error_type"] = error
        return json.dumps(data, default=str, ensure_ascii=False)


class TextFormatter(logging.Formatter):
    """``2026-12-01T10:00:00Z komodo-guard: INFO: message key=value``."""

    def format(self, record: logging.LogRecord) -> str:
        moment = datetime.fromtimestamp(record.created, UTC)
        line = (
            f"{moment.strftime('%Y-%m-%dT%H:%M:%SZ')} komodo-guard: "
            f"{record.levelname}: {record.getMessage()}"
        )
        extra = " ".join(f"{key}={value}" for key, value in _fields(record).items())
        error = _error_type(record)
        if error is not None:
            extra = f"{extra} error_type={error}".strip()
        return f"{line} {extra}" if extra else line


def use_format(log_format: LogFormat) -> None:
    """Give the root logger's plain stream handlers (the one ``main`` set up
    for standard error) the chosen format, and keep the :data:`QUIET`
    libraries at warning level. Other handlers, such as a test's capture,
    keep their format."""
    for library in QUIET:
        logging.getLogger(library).setLevel(logging.WARNING)
    plain = [
        h for h in logging.getLogger().handlers if type(h) is logging.StreamHandler
    ]
    formatter = JsonFormatter() if log_format is LogFormat.JSON else TextFormatter()
    for handler in plain:
        handler.setFormatter(formatter)
