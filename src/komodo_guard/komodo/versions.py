"""Komodo release numbers: parsing, ordering and the releases the model describes."""

from __future__ import annotations

import re
from dataclasses import dataclass

_VERSION = re.compile(r"v?(\d+)\.(\d+)(?:\.(\d+))?")


@dataclass(frozen=True, order=True)
class KomodoVersion:
    """A Komodo release such as ``2.3.2``; compares with ``<`` and ``>=``."""

    major: int
    minor: int
    patch: int = 0

    @classmethod
    def parse(cls, text: str) -> KomodoVersion:
        """Read ``2.3.2``, ``2.3`` or ``v1.17`` (a missing patch is 0).

        Raises ``ValueError`` naming the supported releases when the text is not
        a version number.
        """
        match = _VERSION.fullmatch(text.strip())
        if match is None:
            raise ValueError(
                f"{text!r} is not a Komodo version: expected MAJOR.MINOR[.PATCH] such "
                f"as 2.3.2; supported versions: {_supported_list()}"
            )
        major, minor, patch = match.groups()
        return cls(int(major), int(minor), int(patch or 0))

    def __str__(self) -> str:
        return f"{self.major}.{self.minor}.{self.patch}"


SUPPORTED: tuple[KomodoVersion, ...] = tuple(
    KomodoVersion.parse(text)
    for text in (
        "1.16.12",
        "1.17.5",
        "1.18.4",
        "1.19.5",
        "2.0.0",
        "2.1.2",
        "2.2.0",
        "2.3.2",
    )
)
NEWEST: KomodoVersion = SUPPORTED[-1]
OLDEST: KomodoVersion = SUPPORTED[0]

# Komodo 2.0.0 moved to the ``toml`` crate 1.1, which parses TOML 1.1.
_TOML_1_1_SINCE = KomodoVersion(2, 0, 0)


def _supported_list() -> str:
    return ", ".join(str(version) for version in SUPPORTED)


def closest_supported(version: KomodoVersion) -> KomodoVersion:
    """The supported release that best describes ``version``.

    A supported release of the same MAJOR.MINOR wins (``2.3`` means 2.3.2);
    otherwise the newest supported release older than ``version``. Raises
    ``ValueError`` for releases older than every supported one.
    """
    for candidate in reversed(SUPPORTED):
        if (candidate.major, candidate.minor) == (version.major, version.minor):
            return candidate
    older = [candidate for candidate in SUPPORTED if candidate <= version]
    if not older:
        raise ValueError(
            f"Komodo {version} is older than every supported version "
            f"({_supported_list()})"
        )
    return older[-1]


def as_version(value: KomodoVersion | str) -> KomodoVersion:
    """Accept a :class:`KomodoVersion` or its text form."""
    if isinstance(value, KomodoVersion):
        return value
    return KomodoVersion.parse(value)


def toml_spec(version: KomodoVersion) -> str:
    """The TOML specification Komodo ``version`` parses resource files with."""
    return "1.1" if version >= _TOML_1_1_SINCE else "1.0"
