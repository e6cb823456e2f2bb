"""Liveness, readiness (Redis and a published dataset) and Prometheus metrics."""

from __future__ import annotations

import contextlib

from fastapi import APIRouter
from prometheus_client import CONTENT_TYPE_LATEST
from redis.exceptions import RedisError
from starlette.responses import Response

from api.deps import ResourcesDep
from api.errors import UnavailableError
from api.responses import JsonResponse
from api.schemas import Health, errors
from api.services.dataset import DatasetNotPublishedError
from shared.wording import errors as messages

router = APIRouter(tags=["operación"])


@router.get(
    "/healthz", summary="El proceso está vivo", response_model=None, responses={200: {"model": Health}}
)
async def healthz() -> Response:
    return JsonResponse({"estado": "ok"})


@router.get(
    "/readyz",
    summary="Listo para responder: Redis accesible y un conjunto de datos publicado",
    response_model=None,
    responses={200: {"model": Health}, **errors(503)},
)
async def readyz(resources: ResourcesDep) -> Response:
    try:
        version = await resources.dataset.current_version()
    except (RedisError, OSError) as exc:
        raise UnavailableError(messages.REDIS_UNAVAILABLE, code="redis_unavailable") from exc
    if version is None:
        raise DatasetNotPublishedError()
    resources.metrics.set_dataset_version(version)
    return JsonResponse({"estado": "ok", "version": version})


@router.get(
    "/metrics",
    summary="Métricas en formato de texto de Prometheus",
    response_model=None,
    responses={200: {"content": {CONTENT_TYPE_LATEST: {}}, "description": "Formato de texto de Prometheus."}},
)
async def metrics(resources: ResourcesDep) -> Response:
    # The metrics still answer during an outage; the version series keeps its last value.
    with contextlib.suppress(RedisError, OSError):
        resources.metrics.set_dataset_version(await resources.dataset.current_version())
    return Response(resources.metrics.render(), media_type=CONTENT_TYPE_LATEST)
