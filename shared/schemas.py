"""Records that cross process boundaries: what the ETL publishes and the worker caches in Redis."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class _Record(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")


class Movie(_Record):
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
    duracion: float | None = None
    poster_path: str | None = None
    generos: list[str] = []
    directores: list[str] = []


class ActorStats(_Record):
    """One person's cast credits over the clean table."""

    person_id: int
    nombre: str
    cantidad_filmaciones: int
    retorno_total: float
    retorno_promedio: float


class DirectorFilm(_Record):
    id: int
    titulo: str
    fecha_estreno: str
    retorno: float
    costo: float
    recaudacion: float
    ganancia: float


class DirectorStats(_Record):
    """One person's directing credits, films ordered by release date."""

    person_id: int
    nombre: str
    retorno_total: float
    peliculas: list[DirectorFilm]


class SimilarMovie(_Record):
    id: int
    titulo: str
    anio: int
    # The cosine of the two films; `puntuacion` is the score that ordered the five (None in
    # answers cached by versions published before it).
    similitud: float
    puntuacion: float | None = None
    motivos: list[str] = []


class RecommendationResult(_Record):
    """What the worker computes for one movie and caches per dataset version."""

    version: str
    id: int
    titulo: str
    anio: int
    recomendaciones: list[str]
    detalle: list[SimilarMovie]
