"""Words one or two edits from a typed word, found by the deletions they share, never by a scan.

Two words within `d` edits of each other always share a string obtained by deleting at most `d`
letters from each (a substitution is one deletion on either side). So every word of the
vocabulary is filed under its own deletions, once per dataset version; a typed word looks up its
deletions and checks the few words filed there with an exact edit distance. A lookup costs a few
dozen hash probes whatever the vocabulary's size.

Memory is bounded: only a word's first `PREFIX` letters are filed (two words within `d` edits
still share a deletion of their first `PREFIX` letters), and the table keeps no strings, only a
32-bit slot per deletion and the position of its word (8 bytes per filed deletion, about 15 MB
for the three catalogues of the full data). Two deletions landing in one slot only add candidates,
which the exact check discards.
"""

from __future__ import annotations

import itertools
from array import array
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from operator import itemgetter

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

PREFIX = 7
# Typed words of at least this length may carry two typos; `near` is never asked for two edits
# of a shorter word (the filing below relies on it).
TWO_EDITS_FROM = 6
# One edit is allowed from four letters: a word of the vocabulary three letters long is the
# shortest that can be one edit away; shorter ones are never filed.
_SHORTEST_FILED = 3


def deletions(text: str, depth: int) -> set[str]:
    """`text` and every string made by deleting up to `depth` of its letters."""
    found = {text}
    layer = {text}
    for _ in range(depth):
        layer = {word[:cut] + word[cut + 1 :] for word in layer for cut in range(len(word))}
        found |= layer
    return found


def _depth(word: str) -> int:
    """How many of its own letters a vocabulary word must lose to meet any typed word within reach.

    A typed word allowed two edits is at least `TWO_EDITS_FROM` letters long, so it keeps at
    least four letters in common with a match: a filed prefix of `n` letters loses at most `n - 4`.
    """
    filed = min(len(word), PREFIX)
    return max(1, min(2, filed - (TWO_EDITS_FROM - 2)))


@dataclass(frozen=True)
class DeletionIndex:
    """Vocabulary words filed under the deletions of their first letters, in two flat arrays.

    `slots[s]:slots[s + 1]` are the positions in `holders` of the words filed in slot `s`: a
    table with no Python object per entry, so neither memory nor the garbage collector pays for
    the million or so deletions of a large vocabulary.
    """

    words: Sequence[str]
    slots: array[int]
    holders: array[int]
    mask: int

    @classmethod
    def of(cls, words: Sequence[str]) -> DeletionIndex:
        slot_of: array[int] = array("q")
        holder_of: array[int] = array("I")
        for position, word in enumerate(words):
            if len(word) < _SHORTEST_FILED:
                continue
            for deletion in deletions(word[:PREFIX], _depth(word)):
                slot_of.append(hash(deletion))
                holder_of.append(position)
        # As many slots as filed deletions (rounded up to a power of two): few collisions.
        size = 1 << max(4, len(slot_of).bit_length())
        mask = size - 1
        counts = [0] * (size + 1)
        for index, hashed in enumerate(slot_of):
            slot = hashed & mask
            slot_of[index] = slot
            counts[slot + 1] += 1
        slots = array("I", itertools.accumulate(counts))
        cursor = array("I", slots)
        holders = array("I", bytes(4 * len(holder_of)))
        for slot, position in zip(slot_of, holder_of, strict=True):
            holders[cursor[slot]] = position
            cursor[slot] += 1
        return cls(words, slots, holders, mask)

    def near(self, query: str, edits: int) -> dict[str, int]:
        """Word -> edit distance, for the words within `edits` of `query` that share one of its
        first two letters at one of their first two places (the rest are rarely what was meant).
        """
        positions: set[int] = set()
        slots, holders, mask = self.slots, self.holders, self.mask
        for deletion in deletions(query[:PREFIX], edits):
            slot = hash(deletion) & mask
            positions.update(holders[slots[slot] : slots[slot + 1]])
        if not positions:
            return {}
        # The words gathered in C, the distance (which also rules out lengths too far apart) in
        # C; Python only looks at the few words within reach.
        candidates = gather(positions, self.words)
        hits = process.extract(query, candidates, scorer=Levenshtein.distance, score_cutoff=edits, limit=None)
        start = query[:2]
        return {word: int(distance) for word, distance, _i in hits if word[0] in start or word[1] in start}


def gather(positions: Collection[int], items: Sequence[str]) -> Sequence[str]:
    """`items` at `positions`, in order, in one C call instead of a Python loop."""
    if len(positions) == 1:
        # `itemgetter` of a single position returns the item itself, not a tuple.
        return [items[next(iter(positions))]]
    gathered: tuple[str, ...] = itemgetter(*positions)(items)
    return gathered
