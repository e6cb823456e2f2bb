"""The word lookup the deletion index replaced: a scan of length-and-letter groups, kept to compare.

`benchmarks.suggestions` times both side by side, and a test checks that they find the same words.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein


@dataclass(frozen=True)
class WordScan:
    """Words grouped by length and by their first and by their second letter; a lookup scans, with
    an edit-distance cutoff, every group a word within reach could be in (hundreds of words)."""

    groups: dict[tuple[int, int, str], list[str]]

    @classmethod
    def of(cls, values: Sequence[str]) -> WordScan:
        groups: dict[tuple[int, int, str], list[str]] = {}
        for value in values:
            for place in range(min(2, len(value))):
                groups.setdefault((len(value), place, value[place]), []).append(value)
        return cls(groups)

    def near(self, query: str, edits: int) -> dict[str, int]:
        found: dict[str, int] = {}
        for length in range(len(query) - edits, len(query) + edits + 1):
            for place in (0, 1):
                for letter in set(query[:2]):
                    group = self.groups.get((length, place, letter))
                    if not group:
                        continue
                    hits = process.extract(
                        query, group, scorer=Levenshtein.distance, score_cutoff=edits, limit=None
                    )
                    found.update((word, int(distance)) for word, distance, _i in hits)
        return found
