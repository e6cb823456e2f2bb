"""The answers to the brief's questions, written once for the API (`mensaje`) and the bot."""

from __future__ import annotations

from collections.abc import Sequence

from shared.query_rules import MIN_VOTES
from shared.wording.formats import decimal, enumeration, integer


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


def votes_below_minimum(title: str, year: int) -> str:
    return (
        f"La película {title} fue estrenada en el año {year}, pero no cumple la condición de tener al "
        f"menos {integer(MIN_VOTES)} valoraciones, por lo que no se informan sus votos ni su promedio"
    )


def actor(name: str, films: int, total: float, average: float) -> str:
    return (
        f"El actor {name} ha participado de {integer(films)} cantidad de filmaciones, el mismo ha "
        f"conseguido un retorno de {decimal(total)} con un promedio de {decimal(average)} por filmación"
    )


def director(name: str, films: int, total: float) -> str:
    noun = "película" if films == 1 else "películas"
    return f"El director {name} ha dirigido {integer(films)} {noun}, con un retorno total de {decimal(total)}"


def recommendation(title: str, year: int, titles: Sequence[str]) -> str:
    return f"Si te gustó {title} ({year}), te recomiendo: {enumeration(titles)}"


def recommendation_pending() -> str:
    return "Estoy calculando las recomendaciones; vuelve a preguntar en unos segundos"
