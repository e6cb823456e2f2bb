"""Records that cross process boundaries: what the ETL publishes, the API reads and the worker caches.

The published records are TypedDicts: the ETL writes 200k of them as plain dicts and the API reads
them back with one `orjson.loads`, so neither pays for building objects. `record_adapter` validates
one against its declaration where trust matters (the worker, the tests).
"""

from __future__ import annotations

from typing import Annotated, Any, NotRequired, TypeVar

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, with_config
from typing_extensions import TypedDict

_R = TypeVar("_R")


@with_config(ConfigDict(extra="forbid"))
class Movie(TypedDict):
    """One movie of the clean table, as every title route and the bot's film card need it."""

    id: int
    titulo: str
    anio: int
    fecha_estreno: str  # AAAA-mm-dd
    mes: int
    dia_semana: int  # 0 = lunes
    popularidad: float
    votos: int
    promedio: float
    presupuesto: float
    recaudacion: float
    retorno: float
    # Added after the first versions were published; a version written before lacks them.
    duracion: NotRequired[float | None]
    poster_path: NotRequired[str | None]
    generos: NotRequired[list[str]]
    directores: NotRequired[list[str]]


@with_config(ConfigDict(extra="forbid"))
class ActorStats(TypedDict):
    """One person's cast credits over the clean table."""

    person_id: int
    nombre: str
    cantidad_filmaciones: int
    retorno_total: float
    retorno_promedio: float


@with_config(ConfigDict(extra="forbid"))
class DirectedFilm(TypedDict):
    """One film of a director, with its money figures (`ganancia` = `recaudacion` - `costo`)."""

    id: int
    titulo: str
    fecha_estreno: Annotated[str, Field(description="AAAA-mm-dd")]
    retorno: float
    costo: float
    recaudacion: float
    ganancia: float


@with_config(ConfigDict(extra="forbid"))
class DirectorStats(TypedDict):
    """One person's directing credits, films ordered by release date."""

    person_id: int
    nombre: str
    retorno_total: float
    peliculas: list[DirectedFilm]


class MovieRef(TypedDict):
    """How an answer names another film: a homonym to pick, a suggestion for a typo."""

    id: int
    titulo: str
    anio: int


class PersonRef(TypedDict):
    """How an answer names another person: a homonym (with its id) or a suggestion (without)."""

    id: NotRequired[Annotated[int, Field(description="Id de la persona en TMDB.")]]
    nombre: str
    cantidad_filmaciones: int


# Month number 1-12 (or weekday 0 = lunes .. 6) -> movies released then.
CalendarCounts = dict[int, int]
# The suggestion catalogues: `[id, title, year, votes]` per movie, `[name, films]` per person.
TitleCatalogRow = tuple[int, str, int, int]
PersonCatalogRow = tuple[str, int]


_adapters: dict[Any, TypeAdapter[Any]] = {}


def record_adapter(record: type[_R]) -> TypeAdapter[_R]:
    """A validator for one record type, built once (building one costs a few milliseconds)."""
    adapter = _adapters.get(record)
    if adapter is None:
        adapter = _adapters[record] = TypeAdapter(record)
    return adapter


class _Result(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")


class SimilarMovie(_Result):
    id: int
    titulo: str
    anio: int
    similitud: float = Field(description="Similitud coseno (0-1) de las dos películas.")
    # None in answers cached for a version published before the field existed.
    puntuacion: float | None = Field(
        default=None, description="Puntuación que ordena las 5: similitud por la previa de calidad."
    )
    motivos: list[str] = Field(
        default=[], description="Hasta 3 motivos, p. ej. «Misma saga: Toy Story Collection»."
    )


class RecommendationResult(_Result):
    """What the worker computes for one movie and caches per dataset version."""

    version: str
    id: int
    titulo: str
    anio: int
    recomendaciones: list[str]
    detalle: list[SimilarMovie]
