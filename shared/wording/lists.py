"""Spanish sentences and button labels of search, inline mode, personal lists and /olvidarme (API, bot)."""

from __future__ import annotations

from collections.abc import Sequence

from shared.query_rules import MIN_VOTES
from shared.wording.formats import date, decimal, integer

# --- API ---------------------------------------------------------------------------------------

MISSING_SERVICE_TOKEN = "Esta ruta es solo para el bot: envía el encabezado Authorization: Bearer <token>."
WRONG_SERVICE_TOKEN = "El token de servicio del bot no es válido."
SERVICE_DISABLED = (
    "Las listas personales están deshabilitadas: el servidor no tiene configurado BOT_API_TOKEN."
)
STATE_NAMES = {"quiero_verla": "quiero verla", "vista": "vista"}


EMPTY_QUERY = "Falta lo que quieres buscar: escríbelo en ?q= (por ejemplo /buscar?q=toy sto)."


def query_too_long(limit: int) -> str:
    return f"La búsqueda es demasiado larga (máximo {limit} caracteres)."


def list_full(limit: int) -> str:
    return f"Tu lista ya tiene {integer(limit)} películas, el máximo. Quita alguna para añadir otra."


def movie_id_not_found(movie_id: int) -> str:
    return f"No hay ninguna película con id {movie_id} en el catálogo actual."


def list_changed(state: str, changed: bool) -> str:
    name = STATE_NAMES.get(state, state)
    return f"Película marcada como «{name}»." if changed else f"La película ya estaba marcada como «{name}»."


def list_removed(state: str, changed: bool) -> str:
    name = STATE_NAMES.get(state, state)
    return f"Película quitada de «{name}»." if changed else f"La película no estaba en «{name}»."


def forgotten(keys_deleted: int) -> str:
    if keys_deleted == 0:
        return "No había nada guardado sobre ti."
    return "Borré todo lo que guardaba sobre ti: tus listas ya no existen."


def invalid_exclusions(limit: int) -> str:
    return f"excluir debe ser una lista de ids de película separados por comas (hasta {integer(limit)})."


# --- Bot: buttons --------------------------------------------------------------------------------

WANT = "Quiero verla"
SEEN = "Ya la vi"
MORE_LIKE_THIS = "Más como esta"
REMOVE = "Quitar"
MOVE_TO_SEEN = "Pasar a «Ya la vi»"
MOVE_TO_WANT = "Pasar a «Quiero verla»"
OPEN_BOT = "Abrir Cartelera"

# --- Bot: inline mode ------------------------------------------------------------------------------

INLINE_NOTHING = "Sin resultados: toca para buscar en el bot"
INLINE_EMPTY = "Escribe un título para buscar"
INLINE_UNAVAILABLE = "Servicio no disponible: toca para abrir el bot"


def inline_description(year: int, score: float, votes: int) -> str:
    return f"{year} · popularidad {decimal(score)} · {integer(votes)} votos"


def shared_card(label: str, year: int, score: float, votes: int) -> str:
    """The card a chosen inline result posts: the same first line as the bot's own cards."""
    counted = integer(votes) if votes >= MIN_VOTES else f"menos de {integer(MIN_VOTES)}"
    return f"{label}\nEstreno: {year}\nScore/popularidad: {decimal(score)}\nValoraciones: {counted}"


# --- Bot: the personal list ------------------------------------------------------------------------

LIST_EMPTY = "Tu lista está vacía. En la ficha de una película toca «Quiero verla» o «Ya la vi»."
LIST_WANT_HEADING = "Quiero verla"
LIST_SEEN_HEADING = "Ya la vi"
LIST_NOTHING_HERE = "(ninguna)"
LIST_NOT_CONFIGURED = "Las listas no están disponibles en este momento: el bot no tiene BOT_API_TOKEN."
LIST_FULL = "Tu lista llegó al máximo de películas: quita alguna con /milista para añadir otra."
FILM_GONE = "Esta película ya no está en el catálogo actual."
FORGET_DONE = "Listo: borré tus listas y todo lo que guardaba sobre ti."
FORGET_NOTHING = "No guardaba nada sobre ti."
SEEN_LEFT_OUT = "(Dejé fuera las películas que marcaste como vistas.)"


def marked(state: str) -> str:
    return "Añadida a «Quiero verla»." if state == "quiero_verla" else "Añadida a «Ya la vi»."


def missing_film(movie_id: int) -> str:
    return f"Película que ya no está en el catálogo (id {movie_id})"


def list_page(heading: str, lines: Sequence[str], *, first: int, total: int, page: int, pages: int) -> str:
    body = "\n".join(f"{first + i}. {line}" for i, line in enumerate(lines)) or LIST_NOTHING_HERE
    footer = f"\n\nPágina {page + 1} de {pages}" if pages > 1 else ""
    return f"{heading} ({integer(total)})\n{body}{footer}"


def list_summary(want: int, seen: int) -> str:
    return f"Tu lista: {integer(want)} para ver y {integer(seen)} vistas."


# --- Bot: unknown money ----------------------------------------------------------------------------

UNKNOWN = "sin datos"


def directed_film(film: dict[str, object]) -> str:
    """One line of a filmography: a budget or revenue of 0 is unknown ("sin datos"), and return and
    profit are shown only when both are known (the API's numbers stay as they are)."""
    released = date(str(film["fecha_estreno"]))
    budget, revenue = _number(film.get("costo")), _number(film.get("recaudacion"))
    cost = f"US$ {integer(budget)}" if budget > 0 else UNKNOWN
    takings = f"US$ {integer(revenue)}" if revenue > 0 else UNKNOWN
    if budget > 0 and revenue > 0:
        return (
            f"• {film['titulo']} ({released}): retorno {decimal(_number(film.get('retorno')))}, "
            f"costo {cost}, recaudación {takings}, ganancia US$ {integer(_number(film.get('ganancia')))}"
        )
    return f"• {film['titulo']} ({released}): costo {cost}, recaudación {takings}"


def _number(value: object) -> float:
    return float(value) if isinstance(value, int | float) else 0.0


# --- Bot: menu and help --------------------------------------------------------------------------

MENU: tuple[tuple[str, str], ...] = (
    ("milista", "Tu lista: para ver y vistas"),
    ("olvidarme", "Borrar todo lo que guardo sobre ti"),
)
HELP = (
    "Tu lista:\n"
    "En la ficha de una película: «Quiero verla», «Ya la vi» y «Más como esta».\n"
    "/milista — tus películas para ver y las que ya viste (quitar o pasar de una lista a otra)\n"
    "/olvidarme — borra tus listas y todo lo que guardo sobre ti\n"
    "/recomendacion deja fuera las películas que marcaste como vistas.\n\n"
    "Desde cualquier chat: escribe @{bot} y un título (por ejemplo @{bot} toy sto) y elige una película "
    "para compartir su ficha."
)
