"""The `recommend` job: the 5 most similar films of the whole catalogue, cached per dataset version."""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

import numpy as np

from etl.recommender_model import Pick, RecommenderModel
from shared import keys
from shared.reasons import reasons
from shared.schemas import Movie, RecommendationResult, SimilarMovie, record_adapter
from shared.text import title_key
from shared.wording import jobs as wording
from worker.state import state_of

logger = logging.getLogger(__name__)

RECOMMENDATIONS = 5

# Writes the answer only while the version still exists, and gives it the version's own expiry:
# an answer computed for a version that was just replaced must not outlive that version's data.
_CACHE_ANSWER = """
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
local ttl = redis.call('PTTL', KEYS[1])
if ttl > 0 then redis.call('PEXPIRE', KEYS[2], ttl) end
return 1
"""


def _picks_and_reasons(
    model: RecommenderModel, movie_id: int, left_out: set[int]
) -> list[tuple[Pick, list[str]]]:
    """The five and the motivos of each, none of `left_out` (CPU work: runs in the executor)."""
    allowed = None
    if left_out:
        # Left out before ranking, so the diversity rules still shape the five that remain.
        allowed = np.ones(len(model.ids), dtype=np.bool_)
        for other in left_out:
            row = model.row_of(other)
            if row is not None:
                allowed[row] = False
    picks = model.top_k(movie_id, RECOMMENDATIONS, allowed)
    return [(pick, reasons(model.reasons(movie_id, pick.movie_id))) for pick in picks]


def listed_title(film: SimilarMovie, seed: Movie) -> str:
    """A remake (or the original) of the seed is listed with its year: `Hamlet (1948)`."""
    if title_key(film.titulo) == title_key(seed["titulo"]):
        return f"{film.titulo} ({film.anio})"
    return film.titulo


class UnknownMovieError(LookupError):
    """The movie id is not in this dataset version."""

    def __init__(self, version: str, movie_id: object) -> None:
        super().__init__(wording.unknown_movie(version, movie_id))
        self.version = version
        self.movie_id = movie_id

    def __reduce__(self) -> tuple[type[LookupError], tuple[str]]:
        # Read back anywhere as a plain LookupError (results travel as JSON text, see shared.job_codec).
        return (LookupError, (str(self),))


async def recommend(
    ctx: dict[str, Any], version: str, movie_id: int, exclude: list[int] | None = None
) -> dict[str, Any]:
    """arq job: compute, cache in `keys.recommendations(version)` and return a RecommendationResult.

    `exclude` (film ids a user has seen) asks for the 5 best other films: that answer is one
    user's, so it is returned but never cached.
    """
    left_out = {int(other) for other in exclude or ()}
    state = state_of(ctx)
    started = time.perf_counter()
    try:
        movie_id = int(movie_id)
    except (TypeError, ValueError):
        raise UnknownMovieError(version, movie_id) from None
    model = await state.models.get(version)
    if movie_id not in model:
        raise UnknownMovieError(version, movie_id)
    loop = asyncio.get_running_loop()
    picks = await loop.run_in_executor(state.executor, _picks_and_reasons, model, movie_id, left_out)
    wanted = [movie_id, *(pick.movie_id for pick, _ in picks)]
    raw = await state.client.hmget(keys.movies(version), [str(m) for m in wanted])  # type: ignore[misc]
    if raw[0] is None:
        raise UnknownMovieError(version, movie_id)
    movies = record_adapter(Movie)
    seed = movies.validate_json(raw[0])
    detail: list[SimilarMovie] = []
    for (pick, motivos), payload in zip(picks, raw[1:], strict=True):
        if payload is not None:
            movie = movies.validate_json(payload)
            detail.append(
                SimilarMovie(
                    id=movie["id"],
                    titulo=movie["titulo"],
                    anio=movie["anio"],
                    similitud=pick.similitud,
                    puntuacion=pick.puntuacion,
                    motivos=motivos,
                )
            )
    result = RecommendationResult(
        version=version,
        id=seed["id"],
        titulo=seed["titulo"],
        anio=seed["anio"],
        recomendaciones=[listed_title(s, seed) for s in detail],
        detalle=detail,
    )
    stored = not left_out
    if not left_out:
        cache = state.client.register_script(_CACHE_ANSWER)
        stored = await cache(
            keys=[keys.meta(version), keys.recommendations(version)],
            args=[str(movie_id), result.model_dump_json()],
        )
    if not stored and not left_out:
        logger.info("version %s expired while computing %d: answer not cached", version, movie_id)
    logger.info(
        "recommend %s:%d -> %s in %.1f ms",
        version,
        movie_id,
        [s.id for s in detail],
        (time.perf_counter() - started) * 1000,
    )
    return result.model_dump()
