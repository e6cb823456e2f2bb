"""How many movies were released in a month or on a weekday (Spanish names, accents optional)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from api.errors import InvalidInputError
from api.services.dataset import DatasetReader
from shared.text import MONTHS, WEEKDAYS, parse_month, parse_weekday
from shared.wording import errors as messages

_TRIM = " \t/"
# People type the same few spellings again and again; folding them once is enough.
_month = lru_cache(maxsize=1024)(parse_month)
_weekday = lru_cache(maxsize=1024)(parse_weekday)


@dataclass(frozen=True, slots=True)
class CalendarCount:
    """Movies released in one month or on one weekday (`name` in Spanish), in one dataset version."""

    version: str
    name: str
    count: int


async def month_count(reader: DatasetReader, text: str) -> CalendarCount:
    """Movies released in the month `text` names (a Spanish month name or 1-12)."""
    typed = text.strip(_TRIM)
    month = _month(typed) if typed else None
    if month is None:
        raise InvalidInputError(messages.invalid_month(text), code="invalid_month", opciones=list(MONTHS))
    found = await reader.month_count(month)
    return CalendarCount(found.version, MONTHS[month - 1], found.value or 0)


async def weekday_count(reader: DatasetReader, text: str) -> CalendarCount:
    """Movies released on the weekday `text` names (a Spanish day name)."""
    typed = text.strip(_TRIM)
    weekday = _weekday(typed) if typed else None
    if weekday is None:
        raise InvalidInputError(messages.invalid_weekday(text), code="invalid_day", opciones=list(WEEKDAYS))
    found = await reader.weekday_count(weekday)
    return CalendarCount(found.version, WEEKDAYS[weekday], found.value or 0)
