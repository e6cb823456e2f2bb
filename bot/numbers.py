"""Numbers and dates written the way Spanish readers expect them (1.234.567,89; 30/10/1995)."""

from __future__ import annotations

from shared.sentences import decimal, integer

__all__ = ["date", "decimal", "integer"]


def date(iso: str) -> str:
    """`1995-10-30` -> `30/10/1995`; anything else is shown as it came."""
    parts = iso.split("-")
    if len(parts) != 3 or not all(part.isdigit() for part in parts):
        return iso
    year, month, day = parts
    return f"{day}/{month}/{year}"
