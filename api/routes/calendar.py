"""Release counts by month and by weekday."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path
from starlette.responses import Response

from api import messages
from api.deps import ResourcesDep
from api.responses import JsonResponse
from api.schemas import MonthCount, WeekdayCount, errors
from api.services import calendar

router = APIRouter(tags=["consultas"])


@router.get(
    "/cantidad_filmaciones_mes/{mes:path}",
    summary="Cantidad de películas estrenadas en un mes",
    response_model=None,
    responses={200: {"model": MonthCount}, **errors(422, 503)},
)
async def cantidad_filmaciones_mes(
    mes: Annotated[str, Path(description="Mes en español (enero, Setiembre...) o su número 1-12.")],
    resources: ResourcesDep,
) -> Response:
    name, count = await calendar.month_count(resources.dataset, mes)
    return JsonResponse({"mes": name, "cantidad": count, "mensaje": messages.month_count(count, name)})


@router.get(
    "/cantidad_filmaciones_dia/{dia:path}",
    summary="Cantidad de películas estrenadas en un día de la semana",
    response_model=None,
    responses={200: {"model": WeekdayCount}, **errors(422, 503)},
)
async def cantidad_filmaciones_dia(
    dia: Annotated[str, Path(description="Día de la semana en español, con o sin tildes (miercoles).")],
    resources: ResourcesDep,
) -> Response:
    name, count = await calendar.weekday_count(resources.dataset, dia)
    return JsonResponse({"dia": name, "cantidad": count, "mensaje": messages.weekday_count(count, name)})
