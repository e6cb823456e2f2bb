"""`make run` hands its API and its bot one personal-list token, and no other child sees it."""

from __future__ import annotations

from launcher.services import ChildEnvironments
from shared.settings import ApiSettings, BotSettings, LauncherSettings

BASE = {"PATH": "/usr/bin", "TELEGRAM_BOT_TOKEN": "123:abc", "ADMIN_TOKEN": "an-admin-secret-of-some-length"}


def test_api_and_bot_share_a_generated_token_others_do_not_see_it() -> None:
    envs = ChildEnvironments(BASE, LauncherSettings(), "redis://127.0.0.1:1/0")
    api, bot = envs.api(), envs.bot()
    assert api["BOT_API_TOKEN"] == bot["BOT_API_TOKEN"]
    assert len(api["BOT_API_TOKEN"]) >= 24
    # Each side accepts it (long enough, not the admin token).
    assert ApiSettings(bot_api_token=api["BOT_API_TOKEN"], admin_token=BASE["ADMIN_TOKEN"])
    assert BotSettings(bot_api_token=bot["BOT_API_TOKEN"], admin_token=BASE["ADMIN_TOKEN"])
    assert "BOT_API_TOKEN" not in envs.worker() and "BOT_API_TOKEN" not in envs.etl()
    # Another run, another token; one set in the environment is used as it is.
    assert (
        ChildEnvironments(BASE, LauncherSettings(), "redis://127.0.0.1:1/0").api()["BOT_API_TOKEN"]
        != (api["BOT_API_TOKEN"])
    )
    given = ChildEnvironments(
        {**BASE, "BOT_API_TOKEN": "y" * 30}, LauncherSettings(), "redis://127.0.0.1:1/0"
    )
    assert given.api()["BOT_API_TOKEN"] == given.bot()["BOT_API_TOKEN"] == "y" * 30
