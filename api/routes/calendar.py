"""Release counts by month and by weekday."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import Response

from api.responses import JsonResponse
from api.routes.params import path_doc, path_text, resources
from api.schemas import MonthCount, WeekdayCount, errors
from api.services import calendar
from shared.wording import answers as sentences

router = APIRouter(tags=["consultas"])


@router.get(
    "/cantidad_filmaciones_mes/{mes:text}",
    summary="Cantidad de películas estrenadas en un mes",
    response_model=None,
    responses={200: {"model": MonthCount}, **errors(422, 503)},
    openapi_extra={"parameters": [path_doc("mes", "Mes en español (enero, Setiembre...) o su número 1-12.")]},
)
async def cantidad_filmaciones_mes(request: Request) -> Response:
    name, count = await calendar.month_count(resources(request).dataset, path_text(request, "mes"))
    return JsonResponse({"mes": name, "cantidad": count, "mensaje": sentences.month_count(count, name)})


@router.get(
    "/cantidad_filmaciones_dia/{dia:text}",
    summary="Cantidad de películas estrenadas en un día de la semana",
    response_model=None,
    responses={200: {"model": WeekdayCount}, **errors(422, 503)},
    openapi_extra={
        "parameters": [path_doc("dia", "Día de la semana en español, con o sin tildes (miercoles).")]
    },
)
async def cantidad_filmaciones_dia(request: Request) -> Response:
    name, count = await calendar.weekday_count(resources(request).dataset, path_text(request, "dia"))
    return JsonResponse({"dia": name, "cantidad": count, "mensaje": sentences.weekday_count(count, name)})
