"""Each Telegram user's personal list, for the bot only (Bearer BOT_API_TOKEN), and forgetting a user."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request
from pydantic import BaseModel, Field

from api.deps import ResourcesDep
from api.schemas import ErrorBody, errors
from api.service_token import BotDep
from api.services.user_lists import MAX_FILMS, Change, UserLists
from shared.wording import lists as wording_lists

router = APIRouter(prefix="/usuarios", tags=["listas personales"])

# Telegram user ids are positive and fit in 52 bits.
UserId = Annotated[int, Path(ge=1, le=2**53, description="Id del usuario de Telegram.")]
MovieId = Annotated[int, Path(ge=1, le=2**31, description="Id de la película (TMDB).")]
LIST_FULL_DOC = {"model": ErrorBody, "description": f"Las dos listas ya suman {MAX_FILMS} películas."}


class State(StrEnum):
    quiero_verla = "quiero_verla"
    vista = "vista"


class ListedFilm(BaseModel):
    id: int
    titulo: str | None = Field(description="Vacío si la película ya no está en el catálogo actual.")
    anio: int | None
    disponible: bool = Field(description="Falso si la versión actual del catálogo no tiene esta película.")


class ListAnswer(BaseModel):
    usuario: int
    quiero_verla: list[ListedFilm] = Field(description="Lo más reciente primero.")
    vista: list[ListedFilm] = Field(description="Lo más reciente primero.")
    maximo: int = Field(description="Cuántas películas caben entre las dos listas.")


class ChangeAnswer(BaseModel):
    usuario: int
    estado: State
    id: int
    cambio: bool = Field(description="Falso si ya estaba así (la operación es idempotente).")
    cantidades: dict[str, int]
    mensaje: str


class ForgetAnswer(BaseModel):
    usuario: int
    claves_borradas: int
    mensaje: str


async def user_lists(request: Request, resources: ResourcesDep) -> UserLists:
    """One UserLists per running app (its Lua script registered once)."""
    lists = getattr(request.app.state, "user_lists", None)
    if not isinstance(lists, UserLists) or lists.client is not resources.redis:
        lists = UserLists(resources.redis, resources.dataset)
        request.app.state.user_lists = lists
    return lists


ListsDep = Annotated[UserLists, Depends(user_lists)]


@router.get(
    "/{user_id}/lista",
    summary="Las dos listas de un usuario, con títulos del catálogo actual",
    response_model=ListAnswer,
    responses=errors(401, 403, 422, 503),
)
async def read_list(user_id: UserId, _bot: BotDep, lists: ListsDep) -> ListAnswer:
    films = await lists.read(user_id)
    return ListAnswer(
        usuario=user_id,
        quiero_verla=[ListedFilm(**f) for f in films["quiero_verla"]],
        vista=[ListedFilm(**f) for f in films["vista"]],
        maximo=MAX_FILMS,
    )


def _answer(user_id: int, estado: State, movie_id: int, change: Change, mensaje: str) -> ChangeAnswer:
    return ChangeAnswer(
        usuario=user_id,
        estado=estado,
        id=movie_id,
        cambio=change.changed,
        cantidades=change.counts,
        mensaje=mensaje,
    )


@router.put(
    "/{user_id}/lista/{estado}/{movie_id}",
    summary="Marca una película (si estaba en la otra lista, pasa a esta)",
    response_model=ChangeAnswer,
    responses={**errors(401, 403, 404, 422, 503), 409: LIST_FULL_DOC},
)
async def mark(
    user_id: UserId, estado: State, movie_id: MovieId, _bot: BotDep, lists: ListsDep
) -> ChangeAnswer:
    change = await lists.mark(user_id, estado.value, movie_id)
    return _answer(
        user_id, estado, movie_id, change, wording_lists.list_changed(estado.value, change.changed)
    )


@router.delete(
    "/{user_id}/lista/{estado}/{movie_id}",
    summary="Quita una película de una lista",
    response_model=ChangeAnswer,
    responses=errors(401, 403, 422, 503),
)
async def unmark(
    user_id: UserId, estado: State, movie_id: MovieId, _bot: BotDep, lists: ListsDep
) -> ChangeAnswer:
    change = await lists.unmark(user_id, estado.value, movie_id)
    return _answer(
        user_id, estado, movie_id, change, wording_lists.list_removed(estado.value, change.changed)
    )


@router.delete(
    "/{user_id}",
    summary="Borra todo lo guardado sobre un usuario (/olvidarme)",
    response_model=ForgetAnswer,
    responses=errors(401, 403, 422, 503),
)
async def forget(user_id: UserId, _bot: BotDep, lists: ListsDep) -> ForgetAnswer:
    deleted = await lists.forget(user_id)
    return ForgetAnswer(usuario=user_id, claves_borradas=deleted, mensaje=wording_lists.forgotten(deleted))
