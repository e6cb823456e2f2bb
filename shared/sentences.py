"""The brief's answer sentences and the Spanish number format, shared by the API and the bot."""

from __future__ import annotations

# The brief's threshold for reporting a film's votes.
MIN_VOTES = 2000


def integer(value: float) -> str:
    """`1234567` -> `1.234.567`."""
    return f"{round(value):,}".replace(",", ".")


def decimal(value: float, digits: int = 2) -> str:
    """`1234567.891` -> `1.234.567,89`."""
    text = f"{value:,.{digits}f}"
    # Swap the two separators through a placeholder so neither replacement undoes the other.
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def month_count(count: int, month: str) -> str:
    return f"{integer(count)} cantidad de películas fueron estrenadas en el mes de {month}"


def weekday_count(count: int, weekday: str) -> str:
    return f"{integer(count)} cantidad de películas fueron estrenadas en los días {weekday}"


def score(title: str, year: int, popularity: float) -> str:
    return (
        f"La película {title} fue estrenada en el año {year} "
        f"con un score/popularidad de {decimal(popularity)}"
    )


def votes(title: str, year: int, count: int, average: float) -> str:
    return (
        f"La película {title} fue estrenada en el año {year}. La misma cuenta con un total de "
        f"{integer(count)} valoraciones, con un promedio de {decimal(average)}"
    )


def actor(name: str, films: int, total: float, average: float) -> str:
    return (
        f"El actor {name} ha participado de {integer(films)} cantidad de filmaciones, el mismo ha "
        f"conseguido un retorno de {decimal(total)} con un promedio de {decimal(average)} por filmación"
    )


def director(name: str, films: int, total: float) -> str:
    noun = "película" if films == 1 else "películas"
    return f"El director {name} ha dirigido {integer(films)} {noun}, con un retorno total de {decimal(total)}"
