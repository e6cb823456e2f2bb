"""Spanish number formatting written apart from the bot's, for expected texts."""

from __future__ import annotations


def es_int(value: float) -> str:
    return f"{round(value):,}".replace(",", ".")


def es_dec(value: float) -> str:
    integer, _, fraction = f"{value:.2f}".partition(".")
    return f"{es_int(int(integer))},{fraction}" if value >= 0 else f"-{es_int(-int(integer))},{fraction}"
