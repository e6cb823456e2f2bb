"""The motivos of a recommendation: short Spanish reasons built from what two films share."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from shared.spanish_names import genre, language

MAX_REASONS = 3
# More names than this make a reason too long to read at a glance.
MAX_NAMES = 2
# Nearly every film is in English: sharing it says nothing.
_UNREMARKABLE_LANGUAGES = frozenset({"en"})


def _names(values: Sequence[str]) -> str:
    return ", ".join(values[:MAX_NAMES])


def reasons(shared: Mapping[str, Sequence[str]]) -> list[str]:
    """Up to 3 reasons, the most telling first: saga, director, cast, genres, original language.

    `shared` maps a block (`collection`, `directors`, `cast`, `genres`, `language`) to the names
    both films hold in it (genres in TMDB's English, languages as ISO codes).
    """
    found: list[str] = []
    if collection := shared.get("collection"):
        found.append(f"Misma saga: {collection[0]}")
    if directors := shared.get("directors"):
        label = "Mismo director" if len(directors) == 1 else "Mismos directores"
        found.append(f"{label}: {_names(directors)}")
    if cast := shared.get("cast"):
        found.append(f"Comparte reparto: {_names(cast)}")
    if genres := shared.get("genres"):
        label = "Género" if len(genres) == 1 else "Géneros"
        found.append(f"{label}: {', '.join(genre(g) for g in genres)}")
    languages = [code for code in shared.get("language", ()) if code not in _UNREMARKABLE_LANGUAGES]
    if languages:
        found.append(f"Mismo idioma original: {language(languages[0])}")
    return found[:MAX_REASONS]


def reasons_line(title: str, year: object, motivos: Sequence[str]) -> str:
    """One recommended film and why, as a chat message lists it."""
    heading = f"{title} ({year})" if year else title
    return f"• {heading}: {'; '.join(motivos)}" if motivos else f"• {heading}"
