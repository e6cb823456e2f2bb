"""Response shapes as documented in OpenAPI (the routes build the same dicts directly, for speed).

The records inside an answer (a film named in `otras_coincidencias`, a director's film, a
recommended film) are the ones of `shared.schemas`, declared once.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from shared.schemas import DirectedFilm, MovieRef, PersonRef, SimilarMovie


def _example(example: dict[str, Any]) -> ConfigDict:
    return ConfigDict(json_schema_extra={"examples": [example]})


class MonthCount(BaseModel):
    model_config = _example(
        {
            "mes": "enero",
            "cantidad": 5912,
            "mensaje": "5.912 cantidad de películas fueron estrenadas en el mes de enero",
        }
    )
    mes: str
    cantidad: int
    mensaje: str


class WeekdayCount(BaseModel):
    model_config = _example(
        {
            "dia": "lunes",
            "cantidad": 3503,
            "mensaje": "3.503 cantidad de películas fueron estrenadas en los días lunes",
        }
    )
    dia: str
    cantidad: int
    mensaje: str


POSTER_PATH_DESCRIPTION = (
    "Ruta del póster en TMDB, tal como viene en los datos (se sirve desde "
    "https://image.tmdb.org/t/p/<tamaño><ruta>); null si la película no tiene póster."
)
DIRECTORS_DESCRIPTION = (
    "Nombres de quienes dirigieron la película, en el orden de los créditos; lista vacía si no se conocen."
)


class ScoreAnswer(BaseModel):
    model_config = _example(
        {
            "id": 862,
            "titulo": "Toy Story",
            "anio": 1995,
            "score": 21.946943,
            "poster_path": "/rhIRbceoE9lR4veEXuwCC2wARtG.jpg",
            "directores": ["John Lasseter"],
            "otras_coincidencias": [],
            "mensaje": "La película Toy Story fue estrenada en el año 1995 con un score/popularidad de 21,95",
        }
    )
    id: int
    titulo: str
    anio: int
    score: float = Field(description="La popularidad de TMDB.")
    poster_path: str | None = Field(
        description=POSTER_PATH_DESCRIPTION, examples=["/rhIRbceoE9lR4veEXuwCC2wARtG.jpg", None]
    )
    directores: list[str] = Field(description=DIRECTORS_DESCRIPTION, examples=[["John Lasseter"], []])
    otras_coincidencias: list[MovieRef]
    mensaje: str


class VotesAnswer(BaseModel):
    model_config = _example(
        {
            "id": 862,
            "titulo": "Toy Story",
            "anio": 1995,
            "poster_path": "/rhIRbceoE9lR4veEXuwCC2wARtG.jpg",
            "directores": ["John Lasseter"],
            "cumple_minimo": True,
            "votos": 5415,
            "promedio": 7.7,
            "otras_coincidencias": [],
            "mensaje": "La película Toy Story fue estrenada en el año 1995. La misma cuenta con un total de "
            "5.415 valoraciones, con un promedio de 7,70",
        }
    )
    id: int
    titulo: str
    anio: int
    poster_path: str | None = Field(
        description=POSTER_PATH_DESCRIPTION, examples=["/rhIRbceoE9lR4veEXuwCC2wARtG.jpg", None]
    )
    directores: list[str] = Field(description=DIRECTORS_DESCRIPTION, examples=[["John Lasseter"], []])
    cumple_minimo: bool = Field(description="Si la película tiene al menos 2000 valoraciones.")
    votos: int | None = Field(default=None, description="Solo presente cuando cumple_minimo es true.")
    promedio: float | None = Field(default=None, description="Solo presente cuando cumple_minimo es true.")
    otras_coincidencias: list[MovieRef]
    mensaje: str


class ActorAnswer(BaseModel):
    model_config = _example(
        {
            "actor": "Tom Hanks",
            "id": 31,
            "cantidad_filmaciones": 71,
            "retorno_total": 150.3,
            "retorno_promedio": 2.12,
            "otras_coincidencias": [],
            "mensaje": "El actor Tom Hanks ha participado de 71 cantidad de filmaciones, "
            "el mismo ha conseguido un retorno de 150,30 con un promedio de 2,12 por filmación",
        }
    )
    actor: str
    id: int
    cantidad_filmaciones: int
    retorno_total: float
    retorno_promedio: float
    otras_coincidencias: list[PersonRef]
    mensaje: str


class DirectorAnswer(BaseModel):
    model_config = _example(
        {
            "director": "John Lasseter",
            "id": 7879,
            "cantidad_peliculas": 1,
            "retorno_total": 12.45,
            "peliculas": [
                {
                    "id": 862,
                    "titulo": "Toy Story",
                    "fecha_estreno": "1995-10-30",
                    "retorno": 12.45,
                    "costo": 30000000.0,
                    "recaudacion": 373554033.0,
                    "ganancia": 343554033.0,
                }
            ],
            "otras_coincidencias": [],
            "mensaje": "El director John Lasseter ha dirigido 1 película, con un retorno total de 12,45",
        }
    )
    director: str
    id: int
    cantidad_peliculas: int
    retorno_total: float
    peliculas: list[DirectedFilm]
    otras_coincidencias: list[PersonRef]
    mensaje: str


class RecommendationAnswer(BaseModel):
    id: int
    titulo: str
    anio: int
    recomendaciones: list[str] = Field(description="Los 5 títulos más parecidos, el más parecido primero.")
    detalle: list[SimilarMovie]
    otras_coincidencias: list[MovieRef]
    mensaje: str


class JobAccepted(BaseModel):
    model_config = _example({"job_id": "recommend:20261126T160000000000Z-ab12cd34:862", "estado": "queued"})
    job_id: str
    estado: str = Field(description="queued | in_progress | complete | failed")
    mensaje: str | None = None


class JobState(BaseModel):
    model_config = _example(
        {
            "job_id": "refresh:0123456789abcdef",
            "estado": "in_progress",
            "progreso": 40,
            "detalle": "Publicando.",
        }
    )
    job_id: str
    estado: str = Field(description="queued | in_progress | complete | failed")
    progreso: int = Field(ge=0, le=100)
    detalle: str
    resultado: Any | None = None


class Health(BaseModel):
    estado: str
    version: str | None = None


class ErrorBody(BaseModel):
    """Every 4xx/5xx: a code for programs, a Spanish sentence for people, and helpful extras."""

    model_config = ConfigDict(extra="allow")
    error: str = Field(description="Código en inglés, estable, para programas.")
    detail: str = Field(description="Explicación en español para personas.")
    sugerencias: list[MovieRef | PersonRef] | None = Field(
        default=None, description="En 404: películas (id, titulo, anio) o personas (nombre) parecidas."
    )
    opciones: list[str] | None = Field(default=None, description="En 422 de mes/día: los valores válidos.")


_ERROR_EXAMPLES: dict[int, tuple[str, dict[str, Any]]] = {
    401: ("Falta el token", {"error": "missing_token", "detail": "Esta ruta es de administración: ..."}),
    403: ("Token inválido", {"error": "invalid_token", "detail": "El token de administración no es válido."}),
    404: (
        "No encontrado",
        {
            "error": "title_not_found",
            "detail": "No encontré ninguna película titulada «Toy Stori». ¿Quisiste decir alguna de estas?",
            "sugerencias": [{"id": 862, "titulo": "Toy Story", "anio": 1995}],
        },
    ),
    422: (
        "Valor inválido",
        {
            "error": "invalid_month",
            "detail": "«enro» no es un mes válido...",
            "opciones": ["enero", "febrero"],
        },
    ),
    500: ("Error interno", {"error": "internal_error", "detail": "Ocurrió un error interno..."}),
    503: (
        "Sin datos",
        {"error": "dataset_not_published", "detail": "Todavía no hay un conjunto de datos publicado..."},
    ),
}


def errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses=` entries for the error codes a route can answer (plus 500, always)."""
    out: dict[int | str, dict[str, Any]] = {}
    for code in (*codes, 500):
        description, example = _ERROR_EXAMPLES[code]
        out[code] = {
            "model": ErrorBody,
            "description": description,
            "content": {"application/json": {"example": example}},
        }
    return out
