"""``did you mean`` suggestions by edit distance.

A :class:`Suggester` indexes its candidates by their one-character deletions
and compares a word only with the names that share one with it (one insertion,
deletion, substitution or swap apart, or one of each), never with every name:
ten thousand unknown names against ten thousand declared ones stay cheap.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable


def near_distance(word: str, other: str) -> int:
    """Levenshtein distance of two different words that share a one-character
    deletion (or where one is a deletion of the other): always 1 or 2."""
    if len(word) == len(other):
        return 1 if sum(a != b for a, b in zip(word, other, strict=True)) == 1 else 2
    shorter, longer = sorted((word, other), key=len)
    pairs = enumerate(zip(shorter, longer[: len(shorter)], strict=True))
    cut = next((i for i, (a, b) in pairs if a != b), len(shorter))
    return 1 if longer[cut + 1 :] == shorter[cut:] else 2


def _deletions(word: str) -> set[str]:
    return {word[:index] + word[index + 1 :] for index in range(len(word))}


class Suggester:
    """Finds the candidate nearest to a word, ignoring case.

    A candidate qualifies when it shares a one-character deletion with the
    word, is at most two edits away, and at most a third of the longer word
    differs (one edit for short words).
    """

    def __init__(self, candidates: Iterable[str]) -> None:
        self._by_folded = {candidate.lower(): candidate for candidate in candidates}
        self._index: dict[str, set[str]] | None = None

    def closest(self, word: str) -> str | None:
        """The nearest candidate to ``word``, or None when none is close."""
        folded = word.lower()
        if folded in self._by_folded:
            return self._by_folded[folded]
        index = self._deletion_index()
        near = set(index.get(folded, ()))
        for variant in _deletions(folded):
            near |= index.get(variant, set())
        scored = []
        for other in near:
            limit = min(2, max(1, max(len(folded), len(other)) // 3))
            distance = near_distance(folded, other)
            if distance <= limit:
                scored.append((distance, other))
        return self._by_folded[min(scored)[1]] if scored else None

    def _deletion_index(self) -> dict[str, set[str]]:
        if self._index is None:
            index: dict[str, set[str]] = defaultdict(set)
            for folded in self._by_folded:
                index[folded].add(folded)
                for variant in _deletions(folded):
                    index[variant].add(folded)
            self._index = index
        return self._index


def closest(word: str, candidates: Iterable[str]) -> str | None:
    """One-off :meth:`Suggester.closest` over ``candidates``."""
    return Suggester(candidates).closest(word)
