"""``lint --fix`` and ``--diff``: the safe edits of findings, checked and written.

Two kinds of edit are safe enough to make without a human (which ones, by name
and shape, is decided by :mod:`komodo_guard.rules.resources.edits` and
attached to KG102 findings):

* a unique did-you-mean **rename** of an unknown key: only the key token
  changes, at its column, with its quoting (``config.sever = "x"`` becomes
  ``config.server = "x"``);
* a **move** of a key into the table it belongs to (a ``[stack.config]`` key
  written at resource level, a key swallowed by a sub-table header), with its
  whole value and the comment lines directly above it, to the end of the
  target table's own keys; ``[<table>.config]`` is created after the
  resource's own keys when the resource has no config header.

Comments and formatting stay byte for byte everywhere else; the newline style
and final newline are kept. Each edit is kept only when the new text parses
and holds exactly the values it should; files are written atomically, inside
the tree only. A second run finds nothing more to do.
"""

from komodo_guard.fix.plan import FileFix, FixPlan, plan_fixes
from komodo_guard.fix.write import FixError

__all__ = ["FileFix", "FixError", "FixPlan", "plan_fixes"]
