"""The deletion index finds exactly the words the group scan it replaced found, on real and odd words."""

from __future__ import annotations

import random
import string

import pytest

from api.services.fuzzy_index import FuzzyIndex, words
from api.services.word_deletions import PREFIX, DeletionIndex, deletions
from benchmarks.word_scan import WordScan
from tests.api.expected import expected, fold

_LETTERS = string.ascii_lowercase + "0123456789áéñü"


def _vocabulary() -> list[str]:
    """Every word of the sample's titles and people, folded as the catalogues fold them."""
    found: set[str] = set()
    for key in expected().titles():
        found.update(words(key))
    for table in (expected().cast, expected().directors):
        for name in table["name"].unique():
            found.update(words(fold(str(name))))
    return sorted(found)


def _typos(vocabulary: list[str], count: int, seed: int) -> list[str]:
    """Up to three random edits (deleted, inserted or replaced letters) of random words."""
    rng = random.Random(seed)
    typed = []
    while len(typed) < count:
        letters = list(rng.choice(vocabulary))
        for _ in range(rng.randint(0, 3)):
            at = rng.randrange(len(letters) + 1)
            edit = rng.randrange(3)
            if edit == 0 and letters:
                del letters[at : at + 1]
            elif edit == 1:
                letters.insert(at, rng.choice(_LETTERS))
            else:
                letters[at : at + 1] = [rng.choice(_LETTERS)]
        word = "".join(letters)
        if len(word) >= 4:
            typed.append(word)
    return typed


def test_deletions_of_a_word() -> None:
    assert deletions("hanks", 1) == {"hanks", "anks", "hnks", "haks", "hans", "hank"}
    assert deletions("aab", 2) == {"aab", "ab", "aa", "a", "b"}


def test_it_finds_the_same_words_as_the_scan_it_replaced() -> None:
    vocabulary = _vocabulary()
    fast, scan = DeletionIndex.of(vocabulary), WordScan.of(vocabulary)
    typed = _typos(vocabulary, 3000, seed=14)
    # Long words too: only their first PREFIX letters are filed, yet nothing is lost.
    assert sum(len(word) > PREFIX + 2 for word in typed) > 200
    for word in typed:
        edits = 2 if len(word) >= 6 else 1
        assert fast.near(word, edits) == scan.near(word, edits), word


@pytest.mark.parametrize(
    ("typed", "edits", "found"),
    [
        ("hanx", 1, {"hank": 1, "hans": 1}),
        ("hanksy", 2, {"hanks": 1, "hank": 2, "hans": 2}),
        ("spilberg", 2, {"spielberg": 1}),
        ("internatoinal", 2, {"international": 2}),  # swapped letters past the filed prefix
        ("xinternational", 2, {"international": 1}),  # a letter added at the start
        ("almodovar", 2, {"almodovar": 0}),
    ],
)
def test_what_a_typed_word_finds(typed: str, edits: int, found: dict[str, int]) -> None:
    index = DeletionIndex.of(["hanks", "hank", "hans", "spielberg", "international", "almodovar", "ha"])
    assert index.near(typed, edits) == found


def test_suggestions_are_the_same_with_either_word_lookup() -> None:
    keys = list(expected().titles())
    weights = [max(film["votos"] for film in films) for films in expected().titles().values()]
    fast = FuzzyIndex.build(keys, weights, fame=0.4)
    scan = FuzzyIndex.build(keys, weights, fame=0.4, finder=WordScan.of)
    rng = random.Random(7)
    for key in rng.sample(keys, 300):
        # A typo in one word of a real title, and its words in another order.
        typo = " ".join(_typos(words(key), 1, seed=rng.randrange(10**6)) + words(key)[1:])
        for typed in (typo, " ".join(reversed(words(key)))):
            assert fast.search(typed, 5) == scan.search(typed, 5), typed
