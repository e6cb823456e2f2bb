"""Numbers and lists written the way Spanish readers expect them: 1.234.567,89 and «a, b y c»."""

from __future__ import annotations

from collections.abc import Iterable


def integer(value: float) -> str:
    """`1234567` -> `1.234.567`."""
    return f"{round(value):,}".replace(",", ".")


def decimal(value: float, digits: int = 2) -> str:
    """`1234567.891` -> `1.234.567,89`."""
    text = f"{value:,.{digits}f}"
    # Swap the two separators through a placeholder so neither replacement undoes the other.
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def enumeration(items: Iterable[str]) -> str:
    """`["a", "b", "c"]` -> `a, b y c`."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " y " + items[-1]


def date(iso: str) -> str:
    """`1995-10-30` -> `30/10/1995`; anything else is shown as it came."""
    parts = iso.split("-")
    if len(parts) != 3 or not all(part.isdigit() for part in parts):
        return iso
    year, month, day = parts
    return f"{day}/{month}/{year}"
