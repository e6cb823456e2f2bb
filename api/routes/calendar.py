"""Release counts by month and by weekday."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.responses import Response

from api.deps import ResourcesDep
from api.responses import query_answer
from api.routes.params import MonthPath, WeekdayPath
from api.schemas import MonthCount, WeekdayCount, errors
from api.services import calendar
from shared.wording import answers as sentences

router = APIRouter(tags=["consultas"])


@router.get(
    "/cantidad_filmaciones_mes/{mes:text}",
    summary="Cantidad de películas estrenadas en un mes",
    response_model=MonthCount,
    responses=errors(422, 503),
)
async def cantidad_filmaciones_mes(mes: MonthPath, resources: ResourcesDep) -> Response:
    found = await calendar.month_count(resources.dataset, mes)
    body = {
        "mes": found.name,
        "cantidad": found.count,
        "mensaje": sentences.month_count(found.count, found.name),
    }
    return query_answer(body, found.version)


@router.get(
    "/cantidad_filmaciones_dia/{dia:text}",
    summary="Cantidad de películas estrenadas en un día de la semana",
    response_model=WeekdayCount,
    responses=errors(422, 503),
)
async def cantidad_filmaciones_dia(dia: WeekdayPath, resources: ResourcesDep) -> Response:
    found = await calendar.weekday_count(resources.dataset, dia)
    body = {
        "dia": found.name,
        "cantidad": found.count,
        "mensaje": sentences.weekday_count(found.count, found.name),
    }
    return query_answer(body, found.version)
