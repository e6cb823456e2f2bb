"""Text normalisation shared by the ETL and the API: title and name keys, Spanish months and days."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")
_TITLE_WITH_YEAR = re.compile(r"^(?P<title>.*\S)\s*\((?P<year>\d{4})\)\s*$")

MONTHS: tuple[str, ...] = (
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
)
# Monday first, as pandas' day_of_week and Python's weekday() count.
WEEKDAYS: tuple[str, ...] = (
    "lunes",
    "martes",
    "miércoles",
    "jueves",
    "viernes",
    "sábado",
    "domingo",
)
_MONTH_ALIASES = {"setiembre": 9}


def fold(text: str) -> str:
    """Key for comparing what people type: NFKD, no combining marks, casefolded, spaces collapsed.

    Punctuation is kept on purpose: `Taxi` and `Taxi!` are different films.
    """
    if text.isascii():
        # Most titles and names: nothing to decompose, and this is ten times faster.
        return " ".join(text.casefold().split())
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", stripped.casefold()).strip()


def title_key(title: str) -> str:
    """The key two titles share when they are the same title."""
    return fold(title)


def name_key(name: str) -> str:
    """The key two person names share when people would call them the same."""
    return fold(name)


def split_title_year(text: str) -> tuple[str, int | None]:
    """`Hamlet (1996)` -> (`Hamlet`, 1996); a title without a trailing year is returned as is."""
    match = _TITLE_WITH_YEAR.match(text.strip())
    if match is None:
        return text, None
    return match.group("title"), int(match.group("year"))


def parse_month(text: str) -> int | None:
    """Month number 1-12 from a Spanish month name (any case or accents) or a number."""
    key = fold(text)
    if key.isdigit():
        # isdigit() also holds for digits int() refuses (`፩`) and for thousands of them.
        digits = key.lstrip("0")
        if not key.isdecimal() or len(digits) > 2:
            return None
        number = int(digits or "0")
        return number if 1 <= number <= 12 else None
    if key in _MONTH_ALIASES:
        return _MONTH_ALIASES[key]
    folded = [fold(name) for name in MONTHS]
    return folded.index(key) + 1 if key in folded else None


def parse_weekday(text: str) -> int | None:
    """Weekday 0 (lunes) to 6 (domingo) from a Spanish day name, with or without accents."""
    key = fold(text)
    folded = [fold(name) for name in WEEKDAYS]
    return folded.index(key) if key in folded else None
