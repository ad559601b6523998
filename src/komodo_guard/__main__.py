"""Allow ``python -m komodo_guard``."""

from komodo_guard.cli.main import entry

entry()
