"""What each failure class means for an operator: a title, its usual root cause
and the fix that removes the whole class, in plain words."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from komodo_guard.rules.interface import FailureClass


@dataclass(frozen=True)
class ClassText:
    """How the audit names and explains one failure class."""

    title: str
    cause: str
    fix: str


CLASS_TEXT: Mapping[FailureClass, ClassText] = MappingProxyType(
    {
        FailureClass.INVALID_CONFIG: ClassText(
            "Invalid configuration",
            "resource files that Komodo rejects or reads differently from what "
            "was written: syntax, types, references, missing files",
            "lint every push in CI so a broken file never reaches a sync",
        ),
        FailureClass.SYNC_DRIFT: ClassText(
            "Declared but not applied",
            "what git declares is not what the syncs apply: files under no sync, "
            "duplicate or renamed resources",
            "give every resource file exactly one sync, keep names unique and "
            "normalised, and run syncs on push",
        ),
        FailureClass.SILENT_FAILURE: ClassText(
            "Silent failures",
            "settings Komodo accepts and then ignores, or failures nobody is told "
            "about: ignored keys, unapplied variables, disabled alerters",
            "enable an alerter for failures and pending syncs, and fix or delete "
            "what Komodo ignores",
        ),
        FailureClass.LIFECYCLE: ClassText(
            "Deploy order and lifecycle",
            "deploy ordering and hooks that do not do what they say: after entries "
            "naming nothing, cycles, hooks on the wrong resource",
            "keep after chains acyclic and pointing at deployed resources",
        ),
        FailureClass.EXPOSURE: ClassText(
            "Exposed secrets and privileges",
            "secret values or host privileges within reach of more people or "
            "containers than intended: secrets in git, Docker socket mounts",
            "move secrets to secret Variables or a secret store, rotate any that "
            "were committed, and drop needless privileges",
        ),
        FailureClass.SECRET_DRIFT: ClassText(
            "Secret drift",
            "one secret holding different values in the places that store it",
            "keep one source of truth per secret and rotate it in every store at once",
        ),
        FailureClass.STALE_CONFIG: ClassText(
            "Stale configuration",
            "settings from older Komodo versions, or leftovers that no longer do "
            "anything",
            "use the field names of the Komodo version you run and delete leftovers",
        ),
        FailureClass.UNMANAGED: ClassText(
            "Outside GitOps",
            "resources or containers that run although no file in git declares them",
            "declare them in the tree or remove them, so git holds the whole truth",
        ),
        FailureClass.INCOMPLETE: ClassText(
            "Checks that could not run",
            "a check failed to run, so its part of the audit is unknown",
            "rerun with -v, fix the cause or report the bug; until then treat the "
            "area as unchecked",
        ),
    }
)
