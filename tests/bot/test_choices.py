"""Choosing films and people with buttons: homonyms, typos, the card and the recommendations."""

from __future__ import annotations

from shared.wording import bot as texts
from tests import independent as ind
from tests.bot.conftest import Backend, Chat, Harness, buttons
from tests.bot.spanish import es_dec, es_int


def _body(message: dict[str, object]) -> str:
    """A card is a photo with a caption when the API sends a poster, a text message otherwise."""
    return str(message.get("text") or message["caption"])


def _score_text(movie_id: int) -> str:
    movie = ind.movies().set_index("id").loc[movie_id]
    return (
        f"La película {movie.title} fue estrenada en el año {movie.date.year} "
        f"con un score/popularidad de {es_dec(movie.popularity)}"
    )


async def test_homonyms_offer_the_other_films(harness: Harness) -> None:
    chat = harness.chat()
    answer, others = await chat.send("/score Hamlet", expect=2)
    assert answer["text"] == _score_text(10549)  # the most voted Hamlet answers
    assert others["text"] == texts.OTHER_TITLES
    assert buttons(others) == [("Hamlet (1948)", "t:s:23383")]
    [picked] = await chat.press(others, "Hamlet (1948)")
    assert picked["text"] == _score_text(23383)


async def test_a_typo_gets_suggestions_as_buttons(harness: Harness) -> None:
    chat = harness.chat()
    [answer] = await chat.send("/votos Toy Stori")
    assert (
        answer["text"]
        == "No encontré ninguna película titulada «Toy Stori». ¿Quisiste decir alguna de estas?"
    )
    assert ("Toy Story (1995)", "t:v:862") in buttons(answer)
    [picked] = await chat.press(answer, "Toy Story (1995)")
    assert picked["text"].startswith(
        "La película Toy Story fue estrenada en el año 1995. La misma cuenta con"
    )

    [answer] = await chat.send("/actor Tom Hankss")
    assert (
        answer["text"]
        == "No encontré ningún actor ni actriz llamado «Tom Hankss». ¿Quisiste decir alguno de estos nombres?"
    )
    assert "Tom Hanks" in [label for label, _ in buttons(answer)]
    [picked] = await chat.press(answer, "Tom Hanks")
    assert picked["text"].startswith("El actor Tom Hanks ha participado de ")

    [answer] = await chat.send("/score Zzzxqv Qqqwx")
    assert answer["text"].startswith("No encontré ninguna película titulada «Zzzxqv Qqqwx».")


async def _recommendations_in(chat: Chat, message: dict[str, object], backend: Backend, title: str) -> None:
    """`message` (a "buscando" one) ends up edited into the API's 5 recommendations, as buttons."""
    await chat.fake.wait_until(lambda: str(message["text"]).startswith("Si te gustó"))
    expected = backend.api.get(f"/recomendacion/{title}")
    names = [f["titulo"] for f in expected["detalle"]]
    listed = ", ".join(names[:-1]) + " y " + names[-1]
    sentence, _, why = str(message["text"]).partition("\n\n")
    assert sentence == f"Si te gustó {expected['titulo']} ({expected['anio']}), te recomiendo: {listed}"
    # Each film's motivos, as the API gave them, one line per film.
    assert any(film["motivos"] for film in expected["detalle"])
    assert why.split("\n") == [
        f"• {f['titulo']} ({f['anio']})" + (": " + "; ".join(f["motivos"]) if f["motivos"] else "")
        for f in expected["detalle"]
    ]
    assert buttons(message) == [
        (f"{f['titulo']} ({f['anio']})", f"t:c:{f['id']}") for f in expected["detalle"]
    ]


async def test_recommendation_edits_the_working_message(harness: Harness, backend: Backend) -> None:
    chat = harness.chat()
    [status] = await chat.send("/recomendacion toy story")
    assert (chat.user, "typing") in harness.fake.chat_actions
    await _recommendations_in(chat, status, backend, "Toy Story")
    assert [c for c in harness.fake.calls if c[0] == "sendMessage"][-1][1]["text"] == texts.searching(
        "toy story"
    )

    # Each recommended film opens its card.
    first_label, first_data = buttons(status)[0]
    movie = ind.movies().set_index("id").loc[int(first_data.rsplit(":", 1)[1])]
    [card] = await chat.press(status, first_label)
    lines = _body(card).split("\n")
    assert lines[0] == first_label
    assert lines[1:3] == [f"Estreno: {movie.date.year}", f"Score/popularidad: {es_dec(movie.popularity)}"]
    assert buttons(card) == [
        ("Quiero verla", f"l:q:{movie.name}"),
        ("Ya la vi", f"l:v:{movie.name}"),
        ("Más como esta", f"r:{movie.name}"),
    ]


async def test_a_plain_title_shows_its_card(harness: Harness, backend: Backend) -> None:
    movie = ind.movies().set_index("id").loc[862]
    chat = harness.chat()
    [card] = await chat.send("toy story")
    assert _body(card).split("\n")[:4] == [
        "Toy Story (1995)",
        "Estreno: 1995",
        f"Score/popularidad: {es_dec(movie.popularity)}",
        f"Valoraciones: {es_int(movie.vote_count)}, con un promedio de {es_dec(movie.vote_average)}",
    ]
    [status] = await chat.press(card, "Más como esta")
    await _recommendations_in(chat, status, backend, "Toy Story")
    assert [c for c in harness.fake.calls if c[0] == "sendMessage"][-1][1]["text"] == (
        texts.searching("Toy Story (1995)")
    )


async def test_a_pick_among_homonyms_for_a_recommendation(harness: Harness, backend: Backend) -> None:
    chat = harness.chat()
    status, others = await chat.send("/recomendacion Hamlet", expect=2)
    await _recommendations_in(chat, status, backend, "Hamlet")
    assert buttons(others) == [("Hamlet (1948)", "t:r:23383")]
    [again] = await chat.press(others, "Hamlet (1948)")
    await _recommendations_in(chat, again, backend, "Hamlet (1948)")
