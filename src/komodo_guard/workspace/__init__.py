"""Reading a GitOps tree the way Komodo reads it.

The collector in :mod:`komodo_guard.workspace.collect` does all the I/O once and hands
rules a frozen :class:`~komodo_guard.workspace.model.Workspace`.
"""
