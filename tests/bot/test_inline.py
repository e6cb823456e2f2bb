"""Inline mode through the fake Bot API and the real API: `@bot toy sto` in any chat, then a chosen card."""

from __future__ import annotations

from typing import Any

from telegram import Update

from bot.handlers import titles
from bot.inline_cache import InlineCache
from shared.wording import lists as wording_lists
from tests import independent as ind
from tests.bot.conftest import Backend, Harness
from tests.bot.spanish import es_dec, es_int

GROUP = -100200300


async def inline_answer(harness: Harness, user: int, text: str) -> dict[str, Any]:
    query = harness.fake.user_types_inline(user, text)
    await harness.fake.wait_until(lambda: query in harness.fake.inline_answers)
    return {"id": query, **harness.fake.inline_answers[query]}


async def test_typed_title_to_chosen_card(harness: Harness, backend: Backend) -> None:
    answer = await inline_answer(harness, 4001, "toy sto")
    results = answer["results"]
    assert 1 <= len(results) <= 10
    first = results[0]
    movie = ind.movies().set_index("id").loc[862]
    assert (first["id"], first["title"]) == ("862", "Toy Story (1995)")
    assert (
        first["description"]
        == f"1995 · popularidad {es_dec(movie.popularity)} · {es_int(movie.vote_count)} votos"
    )
    assert first["thumbnail_url"].startswith("https://image.tmdb.org/t/p/w92/")
    assert answer["cache_time"] > 0
    # The same films, in the same order, as /buscar gives any client.
    assert [int(r["id"]) for r in results] == [
        r["id"] for r in backend.api.get("/buscar?q=toy%20sto&limite=10")["resultados"]
    ]

    posted = harness.fake.user_chooses(4001, GROUP, answer["id"], "862")
    assert posted["text"].split("\n") == [
        "Toy Story (1995)",
        "Estreno: 1995",
        f"Score/popularidad: {es_dec(movie.popularity)}",
        f"Valoraciones: {es_int(movie.vote_count)}",
    ]
    rows = posted["reply_markup"]["inline_keyboard"]
    assert [(b["text"], b["callback_data"]) for row in rows for b in row] == [
        ("Quiero verla", "l:q:862"),
        ("Ya la vi", "l:v:862"),
    ]
    # Someone else in the group marks it from the shared card.
    query = harness.fake.user_presses_inline(4002, posted, "l:q:862")
    await harness.fake.wait_until(lambda: query in harness.fake.callback_answers)
    assert harness.fake.callback_answers[query]["text"] == "Añadida a «Quiero verla»."


async def test_nothing_matches_offers_to_open_the_bot(harness: Harness) -> None:
    answer = await inline_answer(harness, 4003, "zzqxqzzqx")
    assert answer["results"] == []
    assert answer["button"] == {"text": wording_lists.INLINE_NOTHING, "start_parameter": "buscar"}
    empty = await inline_answer(harness, 4003, "   ")
    assert empty["results"] == [] and empty["button"]["text"] == wording_lists.INLINE_EMPTY


async def test_a_shared_card_in_the_bots_chat_is_not_taken_as_a_title(harness: Harness) -> None:
    answer = await inline_answer(harness, 4004, "toy sto")
    posted = harness.fake.user_chooses(4004, 4004, answer["id"], "862")
    posted["chat"] = {"id": 4004, "type": "private", "first_name": "Ana"}
    typed = harness.fake.message_from(4004, "toy story")
    search = next(h for h in harness.app.handlers[0] if getattr(h, "callback", None) is titles.search)
    bot = harness.app.bot
    assert not search.check_update(Update.de_json({"update_id": 1, "message": posted}, bot))
    assert search.check_update(Update.de_json({"update_id": 2, "message": typed}, bot))


def test_inline_cache_keeps_answers_for_a_while_and_bounded() -> None:
    cache = InlineCache(ttl=3600, capacity=2)
    cache.put("toy", [{"id": 862}])
    assert cache.get("toy") == [{"id": 862}]
    cache.put("a", [])
    cache.put("b", [])
    assert cache.get("toy") is None
    expired = InlineCache(ttl=-1)
    expired.put("toy", [{"id": 862}])
    assert expired.get("toy") is None
