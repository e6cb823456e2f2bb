"""Secrets: short admin tokens refused, and no secret in any log line of a process, tracebacks included."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest
from pydantic import ValidationError

from shared.settings import MIN_SECRET_LENGTH, ApiSettings, BotSettings
from tests.worker.conftest import REPO_ROOT

TOKEN = "admin-token-that-must-never-be-logged-9c1e"


@pytest.mark.parametrize("token", ["abc", "x" * (MIN_SECRET_LENGTH - 1)])
def test_short_admin_tokens_are_refused(token: str) -> None:
    with pytest.raises(ValidationError, match="too short"):
        ApiSettings(admin_token=token)
    with pytest.raises(ValidationError, match="too short"):
        BotSettings(admin_token=token)


def test_a_long_admin_token_is_accepted() -> None:
    token = "k" * MIN_SECRET_LENGTH
    settings = ApiSettings(admin_token=token)
    assert settings.admin_token is not None and settings.admin_token.get_secret_value() == token


def test_the_api_entry_point_explains_a_short_token() -> None:
    env = {**os.environ, "ADMIN_TOKEN": "abc", "PYTHONPATH": str(REPO_ROOT)}
    done = subprocess.run(
        [sys.executable, "-m", "api"],
        check=False,
        env=env,
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode != 0
    assert "ADMIN_TOKEN is too short" in done.stderr
    assert "Traceback" not in done.stderr


# A process that logs the token through loggers of every kind and then dies of an exception
# whose text carries it: nothing of what it writes may show the token.
_LEAKY = textwrap.dedent(
    """
    import logging, threading
    from shared.settings import ApiSettings
    from shared.startup import start
    start("api", ApiSettings)
    token = "%s"
    logging.getLogger("uvicorn.error.child").warning("token %%s", token)
    logging.getLogger("a.library.deep.below").error("header Bearer " + token)
    try:
        raise ValueError("bad header " + token)
    except ValueError:
        logging.getLogger("api").exception("handled")
    thread = threading.Thread(target=lambda: 1 / 0 if token else None)
    thread.start(); thread.join()
    raise RuntimeError("dying with " + token)
    """
)


@pytest.mark.parametrize("log_format", ["text", "json"])
def test_no_log_line_of_a_run_shows_the_token(log_format: str) -> None:
    env = {**os.environ, "ADMIN_TOKEN": TOKEN, "PYTHONPATH": str(REPO_ROOT), "LOG_FORMAT": log_format}
    done = subprocess.run(
        [sys.executable, "-c", _LEAKY % TOKEN],
        check=False,
        env=env,
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    output = done.stdout + done.stderr
    assert done.returncode != 0
    # Every line was written (the tracebacks too), with the token masked.
    assert "RuntimeError" in output and "ValueError" in output and "ZeroDivisionError" in output
    assert output.count("<secreto>") >= 4
    assert TOKEN not in output
