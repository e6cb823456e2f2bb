"""How people type titles, names, months and weekdays."""

import pytest

from shared.text import fold, parse_month, parse_weekday, split_title_year, title_key


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [
        ("toy story", "Toy Story"),
        ("  Toy   Story ", "Toy Story"),
        ("AMÉLIE", "Amélie"),
        ("Léon", "leon"),
    ],
)
def test_titles_match_regardless_of_case_accents_and_spacing(typed: str, canonical: str) -> None:
    assert title_key(typed) == title_key(canonical)


def test_punctuation_still_tells_titles_apart() -> None:
    assert title_key("Taxi") != title_key("Taxi!")
    assert title_key("Face/Off") == "face/off"


@pytest.mark.parametrize(
    ("typed", "month"),
    [
        ("enero", 1),
        ("Septiembre", 9),
        ("setiembre", 9),
        ("DICIEMBRE", 12),
        ("3", 3),
        ("12", 12),
        ("03", 3),
        ("٣", 3),
        ("²", 2),
    ],
)
def test_months(typed: str, month: int) -> None:
    assert parse_month(typed) == month


@pytest.mark.parametrize("typed", ["0", "13", "january", "", "ene", "፩", "9" * 5000, "00013", "-1", "1.0"])
def test_invalid_months(typed: str) -> None:
    assert parse_month(typed) is None


@pytest.mark.parametrize(
    ("typed", "day"),
    [
        ("lunes", 0),
        ("miercoles", 2),
        ("Miércoles", 2),
        ("sábado", 5),
        ("SABADO", 5),
        ("domingo", 6),
    ],
)
def test_weekdays(typed: str, day: int) -> None:
    assert parse_weekday(typed) == day


def test_title_with_year() -> None:
    assert split_title_year("Hamlet (1996)") == ("Hamlet", 1996)
    assert split_title_year("Hamlet") == ("Hamlet", None)
    assert split_title_year("1984") == ("1984", None)


def test_fold_keeps_non_latin_scripts() -> None:
    assert fold("千と千尋の神隠し") == "千と千尋の神隠し"
