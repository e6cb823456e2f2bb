"""The API's error sentences: the `detail` of every 4xx/5xx, naming what the person typed."""

from __future__ import annotations

from collections.abc import Sequence

_ECHO_LIMIT = 80


def echo(text: str) -> str:
    """What the person typed, between «», cut short: a sentence must stay readable whatever came in."""
    shown = text if len(text) <= _ECHO_LIMIT else text[: _ECHO_LIMIT - 1] + "…"
    return f"«{shown}»"


def title_not_found(title: str, has_suggestions: bool) -> str:
    base = f"No encontré ninguna película titulada {echo(title)}."
    return base + (" ¿Quisiste decir alguna de estas?" if has_suggestions else "")


def title_year_not_found(title: str, year: int | None, movie_id: int | None) -> str:
    if movie_id is not None:
        return (
            f"Ninguna película titulada «{title}» tiene el id {movie_id}. "
            "Estas son las que llevan ese título."
        )
    return f"No hay una película «{title}» del año {year}. Estas son las que llevan ese título."


def person_not_found(role: str, name: str, has_suggestions: bool) -> str:
    who = "ningún actor ni actriz" if role == "actor" else "ningún director ni directora"
    base = f"No encontré {who} llamado {echo(name)}."
    return base + (" ¿Quisiste decir alguno de estos nombres?" if has_suggestions else "")


def person_id_not_found(name: str, person_id: int) -> str:
    return f"Ninguna persona llamada «{name}» tiene el id {person_id}. Estas son las que llevan ese nombre."


def empty_title() -> str:
    return _empty_input("el título de la película")


def empty_name() -> str:
    return _empty_input("el nombre")


def title_too_long(limit: int) -> str:
    return _input_too_long("título", limit)


def name_too_long(limit: int) -> str:
    return _input_too_long("nombre", limit)


def _empty_input(what: str) -> str:
    return f"Falta {what}: escríbelo al final de la ruta."


def _input_too_long(what: str, limit: int) -> str:
    return f"El {what} es demasiado largo (máximo {limit} caracteres)."


def invalid_month(text: str) -> str:
    if not text.strip(" \t/"):
        return "Falta el mes: escribe su nombre en español (por ejemplo, enero) o su número del 1 al 12."
    return (
        f"{echo(text)} no es un mes válido. Escribe el nombre de un mes en español "
        "(por ejemplo, enero) o su número del 1 al 12."
    )


def invalid_weekday(text: str) -> str:
    if not text.strip(" \t/"):
        return "Falta el día: escribe un día de la semana en español, por ejemplo lunes o miércoles."
    return (
        f"{echo(text)} no es un día de la semana válido. "
        "Escribe un día en español, por ejemplo lunes o miércoles."
    )


REDIS_UNAVAILABLE = (
    "El servicio de datos no está disponible en este momento. Prueba de nuevo en unos segundos."
)
DATASET_NOT_PUBLISHED = (
    "Todavía no hay un conjunto de datos publicado. "
    "Ejecuta el ETL (python -m etl) o espera a que termine la carga."
)
RECOMMENDATION_FAILED = "No pude calcular las recomendaciones de esta película. Prueba de nuevo más tarde."
INTERNAL_ERROR = "Ocurrió un error interno. Si se repite, avisa indicando el identificador de la solicitud."
MISSING_TOKEN = "Esta ruta es de administración: envía el encabezado Authorization: Bearer <token>."
WRONG_TOKEN = "El token de administración no es válido."
ADMIN_DISABLED = "La administración está deshabilitada: el servidor no tiene configurado ADMIN_TOKEN."


def job_not_found(job_id: str) -> str:
    return f"No existe ninguna tarea con el id {echo(job_id)} (o ya venció)."


def route_not_found(path: str) -> str:
    return f"La ruta {echo(path)} no existe. Consulta /docs para ver las rutas disponibles."


def method_not_allowed(method: str) -> str:
    return f"El método {method} no está permitido en esta ruta."


def http_error(status: int) -> str:
    return f"La solicitud no se pudo procesar (código {status})."


VALIDATION_PROBLEMS = {
    "int_parsing": "debe ser un número entero",
    "int_type": "debe ser un número entero",
    "bool_parsing": "debe ser true o false",
    "bool_type": "debe ser true o false",
    "missing": "es obligatorio",
    "greater_than_equal": "es demasiado chico",
    "less_than_equal": "es demasiado grande",
    "string_too_long": "es demasiado largo",
}


def invalid_parameters(problems: Sequence[tuple[str, str]]) -> str:
    parts = [f"«{field}» {VALIDATION_PROBLEMS.get(kind, 'no es válido')}" for field, kind in problems]
    return "Parámetros inválidos: " + "; ".join(parts) + "." if parts else "La solicitud no es válida."
