"""Administration: trigger a dataset refresh and follow any job (Bearer ADMIN_TOKEN)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query
from starlette.responses import Response

from api.deps import AdminDep, ResourcesDep
from api.responses import JsonResponse
from api.schemas import JobAccepted, JobState, errors
from api.services.admin_jobs import enqueue_refresh, job_state

router = APIRouter(prefix="/admin", tags=["administración"])


@router.post(
    "/refresh",
    summary="Recargar el conjunto de datos (sin cambios en la fuente no hace nada, salvo force=true)",
    status_code=202,
    response_model=None,
    responses={202: {"model": JobAccepted}, **errors(401, 403, 422, 503)},
)
async def refresh(
    _admin: AdminDep,
    resources: ResourcesDep,
    force: Annotated[bool, Query(description="Reconstruir aunque la fuente no haya cambiado.")] = False,
) -> Response:
    job_id, estado = await enqueue_refresh(resources.queue, force=force)
    return JsonResponse({"job_id": job_id, "estado": estado}, status_code=202)


@router.get(
    "/jobs/{job_id:text}",
    summary="Estado y progreso de una tarea",
    response_model=None,
    responses={200: {"model": JobState}, **errors(401, 403, 404, 503)},
)
async def job(
    job_id: Annotated[str, Path(description="El job_id que devolvió /admin/refresh o /recomendacion.")],
    _admin: AdminDep,
    resources: ResourcesDep,
) -> Response:
    return JsonResponse(await job_state(resources.queue, resources.redis, job_id))
