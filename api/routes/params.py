"""The path and query parameters of the query routes, declared once as FastAPI `Annotated` aliases."""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import Path, Query
from pydantic import BeforeValidator, Field
from pydantic_core import PydanticCustomError
from starlette.convertors import Convertor, register_url_convertor

# As many digits as an id may have; more is not a number anyone typed on purpose.
_INTEGER = re.compile(r"^[+-]?\d{1,18}$")
_LARGEST = 10**18 - 1


class TextConvertor(Convertor[str]):
    """Like Starlette's `path` (the rest of the path, `/` included) but also across a newline: a
    pasted title may carry one, and it must reach the route (and its clear answer), not a 404."""

    regex = r"[\s\S]*"

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        return value


register_url_convertor("text", TextConvertor())


def _optional_integer(value: object) -> object:
    """`?anio=` as a form or a bot leaves it when there is no year to give: no year. Otherwise an
    integer as typed (surrounding spaces aside): `1.5`, `1e3` or twenty digits are not one."""
    if not isinstance(value, str):
        return value
    text = value.strip()
    if not text:
        return None
    if not _INTEGER.match(text):
        raise PydanticCustomError("int_parsing", "Input should be a valid integer")
    return int(text)


# The bounds apply to the number, not to the absence of one.
_OptionalInteger = Annotated[
    Annotated[int, Field(ge=-_LARGEST, le=_LARGEST)] | None, BeforeValidator(_optional_integer)
]

TitlePath = Annotated[
    str,
    Path(
        description="Título como lo escriba la persona (sin importar mayúsculas, tildes ni espacios). "
        "Codifica /, ?, # y % (Face%2FOff). Con varias películas del mismo título, «Hamlet (1996)» "
        "elige por año."
    ),
]
YearQuery = Annotated[
    _OptionalInteger,
    Query(
        description="Elige entre películas del mismo título por año de estreno (vacío: se ignora).",
    ),
]
MovieIdQuery = Annotated[
    _OptionalInteger,
    Query(
        alias="id",
        description="Elige entre películas del mismo título por id (vacío: se ignora).",
    ),
]
NamePath = Annotated[
    str, Path(description="Nombre como lo escriba la persona (sin importar mayúsculas ni tildes).")
]
PersonIdQuery = Annotated[
    _OptionalInteger,
    Query(
        alias="id",
        description="Elige entre personas del mismo nombre por su id de TMDB (vacío: se ignora).",
    ),
]
MonthPath = Annotated[str, Path(description="Mes en español (enero, Setiembre...) o su número 1-12.")]
WeekdayPath = Annotated[str, Path(description="Día de la semana en español, con o sin tildes (miercoles).")]
