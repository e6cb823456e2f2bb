"""How the report writes for Spanish readers, and which title words it counts."""

from __future__ import annotations

import datetime as dt

import pytest

from etl.eda import spanish
from etl.eda.stopwords import title_words, word_counts


@pytest.mark.parametrize(
    ("value", "expected"),
    [(0, "0"), (999, "999"), (1997, "1.997"), (45346, "45.346"), (12396383, "12.396.383"), (-2500, "-2.500")],
)
def test_integers_group_thousands_with_a_point(value: int, expected: str) -> None:
    assert spanish.integer(value) == expected


def test_decimals_use_a_comma_and_percent_a_space() -> None:
    assert spanish.decimal(1234.56, 1) == "1.234,6"
    assert spanish.decimal(2.0625, 2) == "2,06"
    assert spanish.decimal(-0.08, 2) == "-0,08"
    assert spanish.percent(0.8042) == "80,4 %"
    assert spanish.percent(1) == "100,0 %"
    assert spanish.number(10.0) == "10"
    assert spanish.number(1.1307) == "1,13"


def test_money_reads_like_a_sentence() -> None:
    assert spanish.money(1) == "1 dólar"
    assert spanish.money(93) == "93 dólares"
    assert spanish.money(2_500_000) == "2,5 millones de dólares"
    assert spanish.money(150_000_000) == "150 millones de dólares"
    assert spanish.money(2_787_965_087) == "2,8 mil millones de dólares"


def test_dates_months_and_names() -> None:
    assert spanish.date(dt.date(2020, 12, 16)) == "16/12/2020"
    assert spanish.month_year(dt.date(2017, 7, 31)) == "julio de 2017"
    assert spanish.weekday_name(4) == "viernes"
    assert spanish.genre("Science Fiction") == "Ciencia ficción"
    assert spanish.genre("Carousel Productions") == "Carousel Productions"
    assert spanish.language("es") == "español"
    assert spanish.country("United States of America") == "Estados Unidos"


def test_correlation_words_follow_the_coefficient() -> None:
    assert spanish.relation(0.05) == "prácticamente no se relacionan"
    assert spanish.relation(0.17) == "se relacionan débilmente"
    assert spanish.relation(-0.45) == "se relacionan moderadamente (en sentido inverso)"
    assert spanish.relation(0.89) == "se relacionan fuertemente"


def test_title_words_drop_english_and_spanish_stop_words() -> None:
    assert title_words("The Lord of the Rings: The Return of the King") == ["lord", "rings", "return", "king"]
    assert title_words("El laberinto del fauno") == ["laberinto", "fauno"]
    assert title_words("Y tu mamá también") == ["mamá"]
    assert title_words("Rocky IV") == ["rocky"]
    assert title_words("2001: A Space Odyssey") == ["space", "odyssey"]
    assert title_words("Don't Look Now") == ["look", "now"]
    assert title_words("The 13th Warrior") == ["warrior"]
    assert title_words("Alien vs. Predator") == ["alien", "predator"]
    assert title_words("Амели 2") == ["амели"]


def test_word_counts_add_up_over_titles() -> None:
    counts = word_counts(["Love Actually", "Crazy, Stupid, Love.", "Amor y love"])
    assert counts["love"] == 3
    assert counts["amor"] == 1
    assert "y" not in counts
