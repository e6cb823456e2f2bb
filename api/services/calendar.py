"""How many movies were released in a month or on a weekday (Spanish names, accents optional)."""

from __future__ import annotations

from functools import lru_cache

from api.errors import InvalidInputError
from api.services.dataset import DatasetReader
from shared import keys
from shared.text import MONTHS, WEEKDAYS, parse_month, parse_weekday
from shared.wording import errors as messages

_TRIM = " \t/"
# People type the same few spellings again and again; folding them once is enough.
_month = lru_cache(maxsize=1024)(parse_month)
_weekday = lru_cache(maxsize=1024)(parse_weekday)


async def month_count(reader: DatasetReader, text: str) -> tuple[str, int]:
    """(month name, movies released that month); `text` is a Spanish month name or 1-12."""
    typed = text.strip(_TRIM)
    month = _month(typed) if typed else None
    if month is None:
        raise InvalidInputError(messages.invalid_month(text), code="invalid_month", opciones=list(MONTHS))
    _version, raw = await reader.field(keys.months, str(month))
    return MONTHS[month - 1], int(raw or 0)


async def weekday_count(reader: DatasetReader, text: str) -> tuple[str, int]:
    """(weekday name, movies released on that weekday); `text` is a Spanish day name."""
    typed = text.strip(_TRIM)
    weekday = _weekday(typed) if typed else None
    if weekday is None:
        raise InvalidInputError(messages.invalid_weekday(text), code="invalid_day", opciones=list(WEEKDAYS))
    _version, raw = await reader.field(keys.weekdays, str(weekday))
    return WEEKDAYS[weekday], int(raw or 0)
