"""`?excluir=1,2,3` on /recomendacion: film ids to leave out (the bot's "ya la vi"), still answering 5."""

from __future__ import annotations

import hashlib
from typing import Annotated

from fastapi import Query

from api.errors import InvalidInputError
from shared.wording import lists as wording_lists

# As many as a personal list holds.
MAX_EXCLUDED = 1000

ExcludeQuery = Annotated[
    str | None,
    Query(
        description=(
            f"Ids de películas que no deben aparecer, separados por comas (hasta {MAX_EXCLUDED}); "
            "la respuesta sigue teniendo 5."
        ),
        examples=["862,8844"],
    ),
]


def excluded_ids(value: str | None) -> frozenset[int]:
    """The ids in `?excluir=` (empty: none); anything else is a 422 in the usual shape."""
    parts = [part.strip() for part in (value or "").split(",") if part.strip()]
    if len(parts) > MAX_EXCLUDED or not all(part.isdecimal() and len(part) <= 12 for part in parts):
        raise InvalidInputError(wording_lists.invalid_exclusions(MAX_EXCLUDED), code="invalid_exclusions")
    return frozenset(int(part) for part in parts)


def exclusion_digest(ids: frozenset[int]) -> str:
    """Names a set of exclusions in a job id: the same set, in any order, shares one computation."""
    return hashlib.sha256(",".join(map(str, sorted(ids))).encode()).hexdigest()[:16]
