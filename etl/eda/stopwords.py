"""Words left out of the title word count: English (wordcloud's list) and Spanish function words."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable

from wordcloud import STOPWORDS as _ENGLISH

SPANISH: frozenset[str] = frozenset(
    """
    a al algo algun alguna algunas alguno algunos ante antes aquel aquella aquellas aquello aquellos
    aqui asi aun aunque bajo bien cada casi como con contra cual cuales cualquier cuando cuanto de del
    desde donde dos e el ella ellas ello ellos en entre era eran es esa esas ese eso esos esta estaba
    estan estar estas este esto estos estoy fue fueron ha hace hacia han hasta hay la las le les lo los
    mas me mi mis mucho muchos muy nada ni no nos nosotros nuestra nuestro o os otra otras otro otros
    para pero poco por porque pues que quien quienes se sea ser si sido sin sobre son su sus tal
    tambien tan tanto te ti tiene tienen todo todos tras tu tus un una unas uno unos usted ustedes
    y ya yo
    """.split()  # noqa: SIM905 - a word list reads better as prose than as 140 quoted strings
)

# Sequel numbers (Roman numerals) and the `vs` of match-ups carry no meaning of their own.
ROMAN_NUMERALS: frozenset[str] = frozenset(
    ["ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii", "vs"]
)

STOPWORDS: frozenset[str] = frozenset(word.casefold() for word in _ENGLISH) | SPANISH | ROMAN_NUMERALS

# A token: letters and digits (any script), optionally joined by an apostrophe (don't, l'amour).
_TOKEN = re.compile(r"\w+(?:'\w+)*")
# Only tokens made of letters are words: `13th`, `2001` or `9½` are numbers, not vocabulary.
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)*")


def _plain(word: str) -> str:
    """Accent-free form used only to look a word up in the stop lists (más = mas, también = tambien)."""
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def title_words(title: str) -> list[str]:
    """The meaningful lower-case words of one title, in order."""
    words = []
    for word in _TOKEN.findall(title.casefold().replace("’", "'")):
        if not _WORD.fullmatch(word) or len(word) < 2 or word in STOPWORDS or _plain(word) in STOPWORDS:
            continue
        words.append(word)
    return words


def word_counts(titles: Iterable[str]) -> Counter[str]:
    """How many times each meaningful word occurs across the titles."""
    counts: Counter[str] = Counter()
    for title in titles:
        counts.update(title_words(title))
    return counts
