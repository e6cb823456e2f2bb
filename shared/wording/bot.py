"""The bot's own words (tú forms): menu, help, buttons, cards, refusals; the answers are in `answers`."""

from __future__ import annotations

from collections.abc import Sequence

from shared.jobs import JobState
from shared.query_rules import MIN_VOTES
from shared.wording.formats import decimal, enumeration, integer
from shared.wording.jobs import STATE_LABEL

START = (
    "¡Hola! Soy Cartelera: respondo preguntas sobre películas y te recomiendo otras parecidas.\n\n"
    "Prueba, por ejemplo:\n"
    "/recomendacion Toy Story\n"
    "/actor Tom Hanks\n"
    "/director Steven Spielberg\n"
    "/mes enero\n"
    "/dia sábado\n"
    "/score Jumanji\n"
    "/votos Heat\n\n"
    "También puedes escribir solo el título de una película. /ayuda muestra todos los comandos."
)

HELP = (
    "Esto es lo que sé hacer:\n"
    "/mes <mes> — cuántas películas se estrenaron en ese mes (/mes enero)\n"
    "/dia <día> — cuántas se estrenaron ese día de la semana (/dia miércoles)\n"
    "/score <título> — año de estreno y popularidad (/score Toy Story)\n"
    f"/votos <título> — valoraciones, si tiene al menos {integer(MIN_VOTES)} (/votos Heat)\n"
    "/actor <nombre> — películas y retorno de un actor o actriz (/actor Tom Hanks)\n"
    "/director <nombre> — películas dirigidas, con su retorno (/director Woody Allen)\n"
    "/recomendacion <título> — 5 películas parecidas (/recomendacion Toy Story)\n\n"
    "Si escribes solo un título, te muestro la ficha de la película. Los nombres largos "
    "(/cantidad_filmaciones_mes, /score_titulo, /get_actor...) también funcionan.\n"
    "Si hay varias películas con el mismo título, puedes añadir el año: Hamlet (1996)."
)

# The menu Telegram shows next to the text box (set_my_commands).
MENU: tuple[tuple[str, str], ...] = (
    ("start", "Empezar y ver ejemplos"),
    ("ayuda", "Qué puedo hacer"),
    ("recomendacion", "5 películas parecidas a un título"),
    ("score", "Año y popularidad de una película"),
    ("votos", "Valoraciones de una película"),
    ("actor", "Películas y retorno de un actor o actriz"),
    ("director", "Películas y retorno de un director"),
    ("mes", "Películas estrenadas en un mes"),
    ("dia", "Películas estrenadas en un día de la semana"),
)
ADMIN_MENU: tuple[tuple[str, str], ...] = (("actualizar", "Recargar los datos (administración)"),)

USAGE = {
    "mes": "Escribe el mes después del comando, por ejemplo: /mes enero",
    "dia": "Escribe el día de la semana después del comando, por ejemplo: /dia sábado",
    "score": "Escribe el título después del comando, por ejemplo: /score Toy Story",
    "votos": "Escribe el título después del comando, por ejemplo: /votos Heat",
    "actor": "Escribe el nombre después del comando, por ejemplo: /actor Tom Hanks",
    "director": "Escribe el nombre después del comando, por ejemplo: /director Steven Spielberg",
    "recomendacion": "Escribe el título después del comando, por ejemplo: /recomendacion Toy Story",
}

API_UNAVAILABLE = (
    "El servicio de películas no está disponible en este momento. Vuelve a intentarlo en unos minutos."
)
SOMETHING_FAILED = "Algo falló al responder tu consulta. Vuelve a intentarlo en un rato."
BUTTON_EXPIRED = "Este botón ya no está disponible: vuelve a escribir la consulta."
ADMIN_ONLY = "Este comando es solo para administradores."
ADMIN_REFUSED = "La API rechazó el token de administración: revisa ADMIN_TOKEN en el bot y en la API."
ONLY_TEXT = "Solo entiendo mensajes de texto: escribe el título de una película o un comando como /ayuda."
OTHER_TITLES = "Hay otras películas con este título. ¿Buscabas alguna de estas?"
MORE = "Ver más ▸"
PREVIOUS = "◂ Anterior"


def page_footer(first: int, last: int, total: int) -> str:
    return f"Películas {first}-{last} de {total}"


def homonyms(count: int) -> str:
    noun = "otra persona" if count == 1 else "otras personas"
    return f"(Hay {count} {noun} con este nombre; respondo por quien tiene más películas.)"


def searching(title: str) -> str:
    return f"Buscando películas parecidas a «{title}»…"


def recommendation_slow(title: str) -> str:
    return (
        f"Las recomendaciones para «{title}» están tardando más de lo normal. Vuelve a pedirlas en un rato."
    )


def film_label(title: str, year: object) -> str:
    """How a film is named on a button; the API reads `Título (año)` back as that title and year."""
    return f"{title} ({year})" if year else title


def card(title: str, year: int, popularity: float, votes: dict[str, object], directors: Sequence[str]) -> str:
    """A film's card: year, score, votes (only above the minimum) and director when the API sends it."""
    lines = [film_label(title, year), f"Estreno: {year}", f"Score/popularidad: {decimal(popularity)}"]
    if votes.get("cumple_minimo"):
        count, average = _number(votes.get("votos")), _number(votes.get("promedio"))
        lines.append(f"Valoraciones: {integer(count)}, con un promedio de {decimal(average)}")
    else:
        lines.append(f"Valoraciones: menos de {integer(MIN_VOTES)}")
    if directors:
        label = "Director" if len(directors) == 1 else "Dirección"
        lines.append(f"{label}: {enumeration(directors)}")
    return "\n".join(lines)


def title_not_found(title: str, has_suggestions: bool) -> str:
    if has_suggestions:
        return f"No encontré ninguna película titulada «{title}». ¿Quisiste decir alguna de estas?"
    return (
        f"No encontré ninguna película titulada «{title}». Revisa cómo se escribe "
        "o prueba con el título original en inglés."
    )


def person_not_found(role: str, name: str, has_suggestions: bool) -> str:
    who = "ningún actor ni actriz" if role == "actor" else "ningún director ni directora"
    if has_suggestions:
        return f"No encontré {who} llamado «{name}». ¿Quisiste decir alguno de estos nombres?"
    return f"No encontré {who} llamado «{name}». Revisa cómo se escribe el nombre."


def invalid_month(text: str, options: Sequence[str]) -> str:
    valid = ", ".join(options) if options else "enero, febrero, marzo..."
    return f"«{text}» no es un mes que conozca. Prueba con uno de estos: {valid} (o su número, del 1 al 12)."


def invalid_weekday(text: str, options: Sequence[str]) -> str:
    valid = ", ".join(options) if options else "lunes, martes, miércoles..."
    return f"«{text}» no es un día de la semana que conozca. Prueba con uno de estos: {valid}."


def invalid_input(what: str) -> str:
    return f"No pude entender {what}. Revisa lo que escribiste y vuelve a probar."


INVALID_REQUEST = invalid_input("lo que pediste")


def rate_limited(per_minute: int) -> str:
    return (
        f"Vas muy rápido: puedo responderte hasta {per_minute} consultas por minuto. "
        "Espera un momento y vuelve a probar."
    )


def unknown_command(command: str) -> str:
    return f"No conozco el comando {command}. Escribe /ayuda para ver lo que sé hacer."


def refresh_requested(job_id: str, state: str) -> str:
    return f"Pedí la actualización de los datos (tarea {job_id}, estado: {job_state(state)})."


def refresh_finished(job_id: str, state: str, detail: str) -> str:
    outcome = "terminó" if state == JobState.COMPLETE else "falló"
    return f"La actualización de los datos {outcome} (tarea {job_id})." + (f" {detail}" if detail else "")


def refresh_unfinished(job_id: str) -> str:
    return f"La actualización de los datos sigue en curso (tarea {job_id}); dejo de seguirla desde aquí."


def job_state(state: str) -> str:
    known = JobState.parse(state)
    return state if known is None else STATE_LABEL[known]


def _number(value: object) -> float:
    return float(value) if isinstance(value, int | float) else 0.0
