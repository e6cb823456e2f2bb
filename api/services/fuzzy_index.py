"""Typo-tolerant lookup over a list of folded names or titles, fast enough for 200k of them.

A typo of a letter or two is found two ways, both bounded by edit distance, never by a loose
similarity score (which on a large catalogue surfaces whatever shares a few letters):

- the whole key: `tom hanx` -> `tom hanks`, `toystory` -> `toy story` (a missing space is one edit);
- word by word, every typed word matching a word of the key: `hanks` -> `tom hanks`,
  `spilberg` -> `steven spielberg`, `lord rings` -> `the lord of the rings`.

Typed words are looked up in a deletion index (`word_deletions`), whole keys only among the keys
holding a matched word, so a query never scans the catalogue. Among the candidates, fewer edits
rank first and better known entries break near-ties.
"""

from __future__ import annotations

import bisect
import math
import re
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from api.services.word_deletions import TWO_EDITS_FROM, DeletionIndex, gather

_WORD = re.compile(r"\w+")
# A word or key shorter than this is compared exactly: two edits would turn it into anything.
_MIN_FUZZY = 4
# Words this long or longer (and keys this long) may carry two typos.
_TWO_EDITS_WORD = TWO_EDITS_FROM
_TWO_EDITS_KEY = 6
# Candidates followed per typed word: the best known first, so the cut loses only obscure ones.
_POSTINGS_FOLLOWED = 1500
_MAX_WORDS = 8
_COMPLETIONS = 50
_NEAR_REMEMBERED = 8192
# Ranking: edits cost 1 each; a key word the query did not mention costs a little (`matrix` is
# closer to `the matrix` than to `the matrix reloaded`); fame earns at most `_MAX_BONUS` edits.
_EXTRA_WORD = 0.1
_MAX_BONUS = 1.5


def words(text: str) -> list[str]:
    return _WORD.findall(text)


class WordFinder(Protocol):
    """Finds the vocabulary words within a few edits of a typed word."""

    def near(self, query: str, edits: int) -> dict[str, int]: ...


def _allowed_edits(text: str, two_from: int) -> int:
    if len(text) < _MIN_FUZZY:
        return 0
    return 2 if len(text) >= two_from else 1


@dataclass(frozen=True)
class FuzzyIndex:
    """Keys (already folded), their weights (films, votes) and the word index built from them."""

    keys: list[str]
    weights: Sequence[int]
    fame: float
    key_words: list[tuple[str, ...]]
    vocabulary: list[str]  # sorted, for completing an unfinished last word
    postings: dict[str, tuple[int, ...]]
    similar: WordFinder
    # Typed words seen lately and the catalogue's words near each: a flood of typos of known titles
    # repeats their correct words (`the`, `dark`, `knight`), and each costs a deletion lookup.
    _near_seen: OrderedDict[str, dict[str, int]] = field(default_factory=OrderedDict, compare=False)

    @classmethod
    def build(
        cls,
        keys: list[str],
        weights: Sequence[int],
        fame: float,
        finder: Callable[[Sequence[str]], WordFinder] = DeletionIndex.of,
    ) -> FuzzyIndex:
        """`fame`: how many edits ten times the weight is worth when ranking (at most `_MAX_BONUS`);
        `finder`: how typed words find the catalogue's (another one only to compare against)."""
        # Tuples of strings and ints, not lists: the garbage collector stops tracking those, and a
        # full collection walking 300k lists would stall every request for 100 ms.
        key_words = [tuple(_WORD.findall(key)) for key in keys]
        postings: dict[str, list[int]] = {}
        # Best known keys first in every posting list, so following a list's head is enough.
        for index in sorted(range(len(keys)), key=weights.__getitem__, reverse=True):
            for word in key_words[index]:
                holders = postings.get(word)
                if holders is None:
                    postings[word] = [index]
                elif holders[-1] != index:
                    holders.append(index)
        vocabulary = sorted(postings)
        frozen = {word: tuple(holders) for word, holders in postings.items()}
        return cls(keys, weights, fame, key_words, vocabulary, frozen, finder(vocabulary))

    def _bonus(self, index: int) -> float:
        return min(_MAX_BONUS, self.fame * math.log10(1 + max(self.weights[index], 0)))

    def search(self, folded: str, limit: int) -> list[int]:
        """Positions of the keys closest to `folded`, best first."""
        typed = list(dict.fromkeys(words(folded)))[:_MAX_WORDS]
        if not typed:
            return []
        matches = [self._similar_words(word) for word in typed]
        # The last word may be unfinished: `harry pott` -> `harry potter`, one edit's worth.
        for word in self._completions(typed[-1]):
            matches[-1].setdefault(word, 1)
        costs = self._whole_key(folded, typed, matches)
        for index, cost in self._word_by_word(typed, matches).items():
            if cost < costs.get(index, math.inf):
                costs[index] = cost
        ranked = sorted(costs, key=lambda i: (costs[i] - self._bonus(i), self.keys[i]))
        return ranked[:limit]

    def _similar_words(self, word: str) -> dict[str, int]:
        """Words of the catalogue `word` may be a typo of, with the edits that separate them (a
        copy: the caller adds completions to it)."""
        edits = _allowed_edits(word, _TWO_EDITS_WORD)
        if edits == 0:
            return {word: 0} if word in self.postings else {}
        seen = self._near_seen.get(word)
        if seen is None:
            seen = self.similar.near(word, edits)
            self._near_seen[word] = seen
            if len(self._near_seen) > _NEAR_REMEMBERED:
                self._near_seen.popitem(last=False)
        else:
            self._near_seen.move_to_end(word)
        return dict(seen)

    def _completions(self, prefix: str) -> list[str]:
        if len(prefix) < _MIN_FUZZY:
            return []
        start = bisect.bisect_left(self.vocabulary, prefix)
        found = []
        for word in self.vocabulary[start : start + _COMPLETIONS]:
            if not word.startswith(prefix):
                break
            found.append(word)
        return found

    def _followed(self, vocabulary_words: list[str]) -> list[int]:
        """The keys holding any of these words, best known first within each word, capped."""
        out: list[int] = []
        for word in vocabulary_words:
            out.extend(self.postings[word][: _POSTINGS_FOLLOWED - len(out)])
            if len(out) >= _POSTINGS_FOLLOWED:
                break
        return out

    def _whole_key(self, folded: str, typed: list[str], matches: list[dict[str, int]]) -> dict[int, float]:
        """Keys within a few edits of the whole query, among those that share its first word
        (or, for one word typed without spaces, start with a word of the catalogue)."""
        edits = _allowed_edits(folded, _TWO_EDITS_KEY)
        if edits == 0:
            return {}
        # The first and the last word: a typo in one of them still leaves the other as an anchor.
        anchors = [w for w, d in sorted(matches[0].items(), key=lambda item: item[1]) if d <= 1]
        if len(typed) > 1:
            anchors += [w for w, d in sorted(matches[-1].items(), key=lambda item: item[1]) if d <= 1]
        else:
            first = typed[0]
            # Typed without a space: `tomhanks` starts with `tom`.
            anchors += [
                first[:cut]
                for cut in range(3, len(first) - 1)
                if first[:cut] in self.postings and first[:cut] not in matches[0]
            ]
        # A key held by two anchors comes twice: the same distance twice, merged below.
        positions = self._followed(anchors)
        if not positions:
            return {}
        hits = process.extract(
            folded,
            gather(positions, self.keys),
            scorer=Levenshtein.distance,
            score_cutoff=edits,
            limit=None,
        )
        return {positions[i]: float(distance) for _key, distance, i in hits}

    def _word_by_word(self, typed: list[str], matches: list[dict[str, int]]) -> dict[int, float]:
        """Keys with a word close to each typed word; the cost is the sum of those words' edits."""
        if all(len(w) < 3 for w in typed) or not all(matches):
            return {}
        # Walk the candidates of the rarest typed word; check the other words against each key.
        sizes = [sum(len(self.postings[w]) for w in m) for m in matches]
        lead = min(range(len(typed)), key=sizes.__getitem__)
        candidates: dict[int, float] = {}
        for index in self._followed(sorted(matches[lead], key=matches[lead].__getitem__)):
            cost = self._cost(index, matches)
            if cost is not None and cost < candidates.get(index, math.inf):
                candidates[index] = cost
        return candidates

    def _cost(self, index: int, matches: list[dict[str, int]]) -> float | None:
        key_words = self.key_words[index]
        total = 0.0
        for match in matches:
            best = min((match[w] for w in key_words if w in match), default=None)
            if best is None:
                return None
            total += best
        return total + _EXTRA_WORD * max(0, len(key_words) - len(matches))
