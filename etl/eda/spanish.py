"""How the report writes numbers, dates and names for Spanish readers (1.234,5; 12,3 %; 16/12/2020)."""

from __future__ import annotations

import datetime as dt
import math

from shared.spanish_names import GENRES_ES, LANGUAGES_ES
from shared.text import MONTHS, WEEKDAYS

COUNTRIES_ES: dict[str, str] = {
    "Argentina": "Argentina",
    "Australia": "Australia",
    "Austria": "Austria",
    "Belgium": "Bélgica",
    "Brazil": "Brasil",
    "Canada": "Canadá",
    "China": "China",
    "Czech Republic": "República Checa",
    "Denmark": "Dinamarca",
    "Finland": "Finlandia",
    "France": "Francia",
    "Germany": "Alemania",
    "Hong Kong": "Hong Kong",
    "Hungary": "Hungría",
    "India": "India",
    "Ireland": "Irlanda",
    "Italy": "Italia",
    "Japan": "Japón",
    "Mexico": "México",
    "Netherlands": "Países Bajos",
    "New Zealand": "Nueva Zelanda",
    "Norway": "Noruega",
    "Poland": "Polonia",
    "Russia": "Rusia",
    "South Korea": "Corea del Sur",
    "Soviet Union": "Unión Soviética",
    "Spain": "España",
    "Sweden": "Suecia",
    "Switzerland": "Suiza",
    "Turkey": "Turquía",
    "United Kingdom": "Reino Unido",
    "United States of America": "Estados Unidos",
}


def integer(value: float) -> str:
    """45346 -> '45.346' (a point groups thousands, as most Spanish-speaking readers expect)."""
    rounded = round(value)
    text = f"{abs(rounded):,}".replace(",", ".")
    return f"-{text}" if rounded < 0 else text


def decimal(value: float, digits: int = 1) -> str:
    """1234.56 -> '1.234,6': point for thousands, comma for decimals."""
    if not math.isfinite(value):
        return "no disponible"
    text = f"{abs(value):,.{digits}f}"
    whole, _, fraction = text.partition(".")
    whole = whole.replace(",", ".")
    body = f"{whole},{fraction}" if fraction else whole
    return f"-{body}" if value < 0 and body.strip("0.,") else body


def percent(share: float, digits: int = 1) -> str:
    """0.1234 -> '12,3 %' (the space before % is the Spanish norm)."""
    return f"{decimal(100 * share, digits)} %"


def number(value: float) -> str:
    """An integer without decimals, a small value with two significant decimals."""
    if float(value).is_integer():
        return integer(value)
    return decimal(value, 2 if abs(value) < 100 else 1 if abs(value) < 1000 else 0)


def money(dollars: float) -> str:
    """150_000_000 -> '150 millones de dólares'; small amounts in full."""
    if abs(dollars) >= 1e9:
        return f"{decimal(dollars / 1e9, 1)} mil millones de dólares"
    if abs(dollars) >= 1e6:
        amount = dollars / 1e6
        shown = decimal(amount, 1) if abs(amount) < 10 else integer(amount)
        return f"{shown} millones de dólares"
    return f"{integer(dollars)} dólar" + ("" if round(dollars) == 1 else "es")


def date(day: dt.date) -> str:
    """2020-12-16 -> '16/12/2020'."""
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


def month_name(month: int) -> str:
    return MONTHS[month - 1]


def month_year(day: dt.date) -> str:
    """2017-07-31 -> 'julio de 2017'."""
    return f"{MONTHS[day.month - 1]} de {day.year}"


def weekday_name(weekday: int) -> str:
    return WEEKDAYS[weekday]


def genre(name: str) -> str:
    return GENRES_ES.get(name, name)


def language(code: str) -> str:
    return LANGUAGES_ES.get(code, code)


def country(name: str) -> str:
    return COUNTRIES_ES.get(name, name)


def capitalized(text: str) -> str:
    return text[:1].upper() + text[1:]


def relation(rho: float) -> str:
    """How a reader would describe a correlation coefficient."""
    size = abs(rho)
    if size < 0.1:
        return "prácticamente no se relacionan"
    sign = "" if rho > 0 else " (en sentido inverso)"
    if size < 0.3:
        return f"se relacionan débilmente{sign}"
    if size < 0.6:
        return f"se relacionan moderadamente{sign}"
    return f"se relacionan fuertemente{sign}"
