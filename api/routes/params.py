"""Reading the path and query parameters of the query routes by hand, documented in OpenAPI by hand.

FastAPI's per-request parameter machinery costs more CPU than the Redis lookup and the rest of a
query route together (measured with benchmarks/api_load.py), so the hot routes take the raw
`Request` and parse their few parameters here, with the same 422 error shape FastAPI would give.
"""

from __future__ import annotations

import re
from typing import Any, cast

from starlette.convertors import Convertor, register_url_convertor
from starlette.requests import Request

from api.errors import ApiError
from api.lifespan import Resources
from shared.wording import errors as messages

_INTEGER = re.compile(r"^[+-]?\d{1,18}$")


class TextConvertor(Convertor[str]):
    """Like Starlette's `path` (the rest of the path, `/` included) but also across a newline: a
    pasted title may carry one, and it must reach the route (and its clear answer), not a 404."""

    regex = r"[\s\S]*"

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        return value


register_url_convertor("text", TextConvertor())


class ParameterError(ApiError):
    status_code = 422
    code = "validation_error"

    def __init__(self, name: str, problem: str) -> None:
        super().__init__(
            messages.invalid_parameters([(name, problem)]), errores=[{"campo": name, "problema": problem}]
        )


def resources(request: Request) -> Resources:
    """The app's resources from the lifespan state (what `deps.ResourcesDep` gives other routes)."""
    return cast(Resources, request.state.resources)


def path_text(request: Request, name: str) -> str:
    return cast(str, request.path_params[name])


def optional_int(request: Request, name: str) -> int | None:
    if not request.scope["query_string"]:
        return None
    values = request.query_params.getlist(name)
    if not values:
        return None
    text = values[-1].strip()
    if not text:
        # `?anio=` as a form or a bot leaves it when there is no year to give: no year.
        return None
    if not _INTEGER.match(text):
        raise ParameterError(name, "int_parsing")
    return int(text)


def path_doc(name: str, description: str) -> dict[str, Any]:
    return {
        "name": name,
        "in": "path",
        "required": True,
        "description": description,
        "schema": {"type": "string"},
    }


def query_int_doc(name: str, description: str) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": {"type": "integer"},
    }


TITLE_DOC = path_doc(
    "titulo",
    "Título como lo escriba la persona (sin importar mayúsculas, tildes ni espacios). Codifica /, ?, # y % "
    "(Face%2FOff). Con varias películas del mismo título, «Hamlet (1996)» elige por año.",
)
YEAR_DOC = query_int_doc(
    "anio", "Elige entre películas del mismo título por año de estreno (vacío: se ignora)."
)
MOVIE_ID_DOC = query_int_doc("id", "Elige entre películas del mismo título por id (vacío: se ignora).")
NAME_DOC = path_doc("nombre", "Nombre como lo escriba la persona (sin importar mayúsculas ni tildes).")
PERSON_ID_DOC = query_int_doc(
    "id", "Elige entre personas del mismo nombre por su id de TMDB (vacío: se ignora)."
)
