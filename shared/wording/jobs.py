"""What a job's state means to a person, the refresh's progress sentences and the worker's failures."""

from __future__ import annotations

from shared.jobs import JobState

# `detalle` of `GET /admin/jobs/{job_id}` when the worker has not written one.
STATE_DETAIL: dict[JobState, str] = {
    JobState.QUEUED: "La tarea está en cola, esperando un worker.",
    JobState.IN_PROGRESS: "La tarea está en curso.",
    JobState.COMPLETE: "La tarea terminó correctamente.",
    JobState.FAILED: "La tarea falló.",
}

# The state as the bot names it inside a sentence ("estado: en cola").
STATE_LABEL: dict[JobState, str] = {
    JobState.QUEUED: "en cola",
    JobState.IN_PROGRESS: "en curso",
    JobState.COMPLETE: "terminada",
    JobState.FAILED: "falló",
}

# The ETL's steps, in order, as the refresh reports them ("ETL: leyendo películas.").
ETL_STEPS: tuple[str, ...] = (
    "leyendo películas",
    "limpiando películas",
    "leyendo y limpiando créditos",
    "ajustando el recomendador",
    "preparando respuestas",
    "guardando tablas",
    "publicando en Redis",
)

# A dataset refresh, step by step (`detalle` while it runs).
REFRESH_WAITING = "Esperando a que termine cualquier otra actualización."
REFRESH_CHECKING_SOURCE = "Comprobando si los archivos de origen cambiaron."
REFRESH_BUILDING = "Construyendo la versión nueva del catálogo."
REFRESH_LOADING_MODEL = "Cargando el modelo de recomendaciones nuevo."
REFRESH_BUSY = "Otra actualización del catálogo sigue en curso; inténtalo más tarde."
REFRESH_CANCELLED = "La actualización se canceló; la versión anterior sigue activa."
REFRESH_FAILED = "La actualización falló; la versión anterior sigue activa."
# A job whose process stopped (killed, or Redis lost its queue) before saying how it ended.
JOB_ABANDONED = "La tarea se interrumpió antes de terminar y no se reanudará; vuelve a pedirla."


def etl_step(step: str) -> str:
    return f"ETL: {step}."


def source_missing(reason: object) -> str:
    return f"No se encontraron los archivos de origen: {reason}"


def etl_failed(exit_code: int | None) -> str:
    return f"El ETL terminó con un error (código {exit_code}); la versión anterior sigue activa."


def source_unchanged(version: str) -> str:
    return f"Sin cambios: la fuente es la de la versión {version}; no se publicó nada."


def version_published(version: str, previous: str | None, grace_seconds: int) -> str:
    sentence = f"Versión {version} publicada"
    if previous is not None:
        sentence += f"; la anterior ({previous}) deja de servirse en {grace_seconds} s"
    return sentence + "."


def unknown_version(version: str) -> str:
    return f"La versión del catálogo {version!r} no existe o ya expiró."


def unknown_movie(version: str, movie_id: object) -> str:
    return f"La película con id {movie_id} no está en la versión del catálogo {version!r}."
