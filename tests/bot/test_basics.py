"""/start, /ayuda, the menu, unknown commands and usage lines."""

from __future__ import annotations

import json

from shared.wording import bot as texts
from tests.bot.conftest import ADMIN_CHAT, Harness


async def test_start_and_help(harness: Harness) -> None:
    chat = harness.chat()
    assert await chat.ask("/start") == texts.START
    help_text = await chat.ask("/ayuda")
    assert help_text.startswith(texts.HELP + "\n\n")
    # The list commands, the card buttons and inline mode with this bot's own username.
    for shown in (
        "/milista",
        "/olvidarme",
        "«Quiero verla»",
        "«Más como esta»",
        "@cartelera_test_bot toy sto",
    ):
        assert shown in help_text
    assert "/recomendacion Toy Story" in texts.START and "/actor Tom Hanks" in texts.START


async def test_menus(harness: Harness) -> None:
    commands = harness.fake.commands
    public = [c["command"] for c in commands[json.dumps({"type": "default"})]]
    assert public == [
        *("start", "ayuda", "recomendacion", "score", "votos", "actor", "director", "mes", "dia"),
        *("milista", "olvidarme"),
    ]
    admin_scope = json.dumps({"chat_id": ADMIN_CHAT, "type": "chat"}, sort_keys=True)
    assert [c["command"] for c in commands[admin_scope]] == [*public, "actualizar"]
    assert all(c["description"] for c in commands[admin_scope])


async def test_unknown_command_and_usage_lines(harness: Harness) -> None:
    chat = harness.chat()
    assert (
        await chat.ask("/peliculas")
        == "No conozco el comando /peliculas. Escribe /ayuda para ver lo que sé hacer."
    )
    assert await chat.ask("/mes") == "Escribe el mes después del comando, por ejemplo: /mes enero"
    assert await chat.ask("/score") == "Escribe el título después del comando, por ejemplo: /score Toy Story"
    assert await chat.ask("/recomendacion   ") == (
        "Escribe el título después del comando, por ejemplo: /recomendacion Toy Story"
    )
    # Every other command and alias answers with its own usage line.
    for asked, usage in (
        ("/dia", "dia"),
        ("/votos", "votos"),
        ("/actor", "actor"),
        ("/get_director", "director"),
        ("/score_titulo", "score"),
    ):
        assert await chat.ask(asked) == texts.USAGE[usage], asked
