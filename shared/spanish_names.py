"""TMDB's genre names and ISO 639-1 language codes as a Spanish reader calls them."""

from __future__ import annotations

# TMDB's genre names as the clean table holds them (English) -> Spanish.
GENRES_ES: dict[str, str] = {
    "Action": "Acción",
    "Adventure": "Aventura",
    "Animation": "Animación",
    "Comedy": "Comedia",
    "Crime": "Crimen",
    "Documentary": "Documental",
    "Drama": "Drama",
    "Family": "Familia",
    "Fantasy": "Fantasía",
    "Foreign": "Extranjera",
    "History": "Historia",
    "Horror": "Terror",
    "Music": "Música",
    "Mystery": "Misterio",
    "Romance": "Romance",
    "Science Fiction": "Ciencia ficción",
    "TV Movie": "Película de TV",
    "Thriller": "Suspense",
    "War": "Bélica",
    "Western": "Western",
}

# ISO 639-1 codes of the languages that actually occur often in the catalogue.
LANGUAGES_ES: dict[str, str] = {
    "ar": "árabe",
    "bn": "bengalí",
    "ca": "catalán",
    "cn": "cantonés",
    "cs": "checo",
    "da": "danés",
    "de": "alemán",
    "el": "griego",
    "en": "inglés",
    "es": "español",
    "et": "estonio",
    "fa": "persa",
    "fi": "finés",
    "fr": "francés",
    "he": "hebreo",
    "hi": "hindi",
    "hu": "húngaro",
    "id": "indonesio",
    "is": "islandés",
    "it": "italiano",
    "ja": "japonés",
    "ko": "coreano",
    "ml": "malayalam",
    "nl": "neerlandés",
    "no": "noruego",
    "pl": "polaco",
    "pt": "portugués",
    "ro": "rumano",
    "ru": "ruso",
    "sr": "serbio",
    "sv": "sueco",
    "ta": "tamil",
    "te": "telugu",
    "th": "tailandés",
    "tl": "tagalo",
    "tr": "turco",
    "uk": "ucraniano",
    "xx": "sin idioma",
    "zh": "chino",
}


def genre(name: str) -> str:
    """The Spanish name of a TMDB genre (an unknown one as it is written)."""
    return GENRES_ES.get(name, name)


def language(code: str) -> str:
    """The Spanish name of an ISO 639-1 language code (an unknown one as it is written)."""
    return LANGUAGES_ES.get(code, code)
