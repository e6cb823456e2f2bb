"""The personal list through the fake Bot API, the real API, worker and Redis: cards, /milista,
recommendations without seen films, /olvidarme, and many users at once."""

from __future__ import annotations

from typing import Any

import httpx
import redis

from bot.devtools.fake_bot_api import Json
from shared.wording import lists as wording_lists
from tests.bot.conftest import BOT_API_TOKEN, Backend, Chat, Harness, buttons

BOT = {"Authorization": f"Bearer {BOT_API_TOKEN}"}


async def listed(backend: Backend, user: int) -> dict[str, list[int]]:
    """The user's lists as the API keeps them (ids only)."""
    async with httpx.AsyncClient(base_url=backend.api.url, headers=BOT, timeout=30) as api:
        body = (await api.get(f"/usuarios/{user}/lista")).json()
    return {state: [film["id"] for film in body[state]] for state in ("quiero_verla", "vista")}


async def mark(backend: Backend, user: int, state: str, movie_id: int) -> None:
    async with httpx.AsyncClient(base_url=backend.api.url, headers=BOT, timeout=30) as api:
        response = await api.put(f"/usuarios/{user}/lista/{state}/{movie_id}")
    assert response.status_code == 200, response.text


async def press_and_wait_answer(chat: Chat, message: Json, label: str) -> Json:
    """Presses a button that answers with a notice only (no new message); returns that answer."""
    data = next(d for text, d in buttons(message) if text == label)
    query = chat.fake.user_presses(chat.user, message, data)
    await chat.fake.wait_until(lambda: query not in chat.fake.unanswered_callbacks)
    return chat.fake.callback_answers[query]


def text_of(message: Json) -> str:
    return str(message.get("text") or message.get("caption") or "")


async def test_card_buttons_fill_the_list_and_milista_moves_and_removes(
    harness: Harness, backend: Backend
) -> None:
    chat = harness.chat(2001)
    [card] = await chat.send("toy story")
    assert (await press_and_wait_answer(chat, card, "Quiero verla"))["text"] == "Añadida a «Quiero verla»."
    [godfather] = await chat.send("the godfather")
    answer = await press_and_wait_answer(chat, godfather, "Ya la vi")
    assert answer["text"] == "Añadida a «Ya la vi»."
    assert await listed(backend, 2001) == {"quiero_verla": [862], "vista": [238]}

    summary, want, seen = await chat.send("/milista", expect=3)
    assert summary["text"] == "Tu lista: 1 para ver y 1 vistas."
    assert want["text"] == "Quiero verla (1)\n1. Toy Story (1995)"
    assert seen["text"] == "Ya la vi (1)\n1. The Godfather (1972)"
    assert buttons(want) == [("1. Quitar", "m:x:q:0:862"), ("1. Pasar a «Ya la vi»", "m:m:q:0:862")]

    await chat.press(want, "1. Pasar a «Ya la vi»", expect=0)
    await harness.fake.wait_until(lambda: chat.messages[-2]["text"] == "Quiero verla (0)\n(ninguna)")
    assert await listed(backend, 2001) == {"quiero_verla": [], "vista": [862, 238]}

    _summary, _want, seen = await chat.send("/milista", expect=3)
    assert seen["text"] == "Ya la vi (2)\n1. Toy Story (1995)\n2. The Godfather (1972)"
    await chat.press(seen, "2. Quitar", expect=0)
    await harness.fake.wait_until(lambda: chat.messages[-1]["text"] == "Ya la vi (1)\n1. Toy Story (1995)")
    assert await listed(backend, 2001) == {"quiero_verla": [], "vista": [862]}


async def test_milista_pages_ten_films(harness: Harness, backend: Backend) -> None:
    user = 2002
    found = backend.api.get("/buscar?q=the&limite=12")["resultados"]
    assert len(found) == 12
    for film in found:
        await mark(backend, user, "quiero_verla", film["id"])
    chat = harness.chat(user)
    _summary, want, _seen = await chat.send("/milista", expect=3)
    lines = want["text"].split("\n")
    assert lines[0] == "Quiero verla (12)" and len(lines) == 1 + 10 + 2 and lines[-1] == "Página 1 de 2"
    assert ("Ver más ▸", "m:p:q:1:0") in buttons(want)
    await chat.press(want, "Ver más ▸", expect=0)
    await harness.fake.wait_until(lambda: chat.messages[-2]["text"].endswith("Página 2 de 2"))
    page_two = chat.messages[-2]["text"].split("\n")
    assert page_two[1].startswith("11. ") and page_two[2].startswith("12. ")


async def test_empty_list_explains_how_to_fill_it(harness: Harness) -> None:
    assert await harness.chat(2003).ask("/milista") == wording_lists.LIST_EMPTY


async def test_seen_films_are_left_out_of_recommendations(harness: Harness, backend: Backend) -> None:
    plain = backend.api.get("/recomendacion/Toy Story")
    first = plain["detalle"][0]
    chat = harness.chat(2004)
    await chat.send("/recomendacion Toy Story")
    await harness.fake.wait_until(lambda: bool(buttons(chat.messages[-1])))
    assert first["titulo"] in chat.messages[-1]["text"]

    # Marked as seen from its own card (its button under the recommendation), it is no longer
    # recommended, and 5 films still are.
    [card] = await chat.press(chat.messages[-1], f"{first['titulo']} ({first['anio']})")
    assert (await press_and_wait_answer(chat, card, "Ya la vi"))["text"] == "Añadida a «Ya la vi»."
    assert (await listed(backend, 2004))["vista"] == [first["id"]]
    await chat.send("/recomendacion Toy Story")
    await harness.fake.wait_until(lambda: bool(buttons(chat.messages[-1])))
    films = buttons(chat.messages[-1])
    assert len(films) == 5
    assert f"t:c:{first['id']}" not in [data for _label, data in films]
    assert first["titulo"] not in chat.messages[-1]["text"]
    # The "Más como esta" button of a card does the same.
    [card] = await chat.send("toy story")
    await chat.press(card, "Más como esta")
    await harness.fake.wait_until(lambda: bool(buttons(chat.messages[-1])))
    assert f"t:c:{first['id']}" not in [data for _label, data in buttons(chat.messages[-1])]


async def test_forget_me_leaves_no_key_of_the_user(harness: Harness, backend: Backend) -> None:
    user = 2005
    chat = harness.chat(user)
    [card] = await chat.send("toy story")
    await press_and_wait_answer(chat, card, "Quiero verla")
    [card] = await chat.send("the godfather")
    await press_and_wait_answer(chat, card, "Ya la vi")
    store = redis.Redis.from_url(backend.redis_url)
    try:
        mine = [k for k in store.scan_iter(count=1000) if f":{user}:".encode() in k]
        assert len(mine) == 2
        assert await chat.ask("/olvidarme") == wording_lists.FORGET_DONE
        left = [k for k in store.scan_iter(count=1000) if str(user).encode() in k]
    finally:
        store.close()
    assert left == []
    assert await chat.ask("/olvidarme") == wording_lists.FORGET_NOTHING


async def test_two_hundred_users_at_once_lose_no_write(harness: Harness, backend: Backend) -> None:
    # A card shared in a group through inline mode; 200 members press its buttons at the same time.
    searcher = 2100
    query = harness.fake.user_types_inline(searcher, "the")
    await harness.fake.wait_until(lambda: query in harness.fake.inline_answers)
    results: list[dict[str, Any]] = harness.fake.inline_answers[query]["results"]
    cards = [harness.fake.user_chooses(searcher, -500, query, r["id"]) for r in results[:4]]
    users = range(3000, 3200)
    ids = [int(r["id"]) for r in results[:4]]
    wanted = {ids[0]: "q", ids[1]: "q", ids[2]: "v", ids[3]: "v"}
    pressed = [
        harness.fake.user_presses_inline(user, card, f"l:{wanted[movie_id]}:{movie_id}")
        for user in users
        for card, movie_id in zip(cards, ids, strict=True)
    ]
    await harness.fake.wait_until(lambda: not set(pressed) & harness.fake.unanswered_callbacks, within=180)
    assert {harness.fake.callback_answers[q]["text"] for q in pressed} == {
        "Añadida a «Quiero verla».",
        "Añadida a «Ya la vi».",
    }
    for user in users:
        lists = await listed(backend, user)
        assert sorted(lists["quiero_verla"]) == sorted(ids[:2])
        assert sorted(lists["vista"]) == sorted(ids[2:])
