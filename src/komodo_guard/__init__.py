"""komodo-guard: keeps a Komodo GitOps setup honest.

It lints resource TOML and its companions before they reach Komodo, and writes the
audit a careful operator would write. See ``komodo-guard --help``.
"""

__version__ = "0.1.0"
