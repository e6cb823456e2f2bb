"""`python -m etl` as an operator runs it: publishes a version, or explains a bad source in Spanish."""

import os
import subprocess
import sys
from pathlib import Path

import redis

from etl.publish import current_version
from shared import keys
from shared.settings import REPO_ROOT


def _run(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "etl", "--progress-lines"],
        cwd=REPO_ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )


def test_cli_publishes_a_new_version(redis_url: str, tmp_path: Path) -> None:
    result = _run({"REDIS_URL": redis_url, "DATA_DIR": str(tmp_path), "MOVIES_DATA": ""})
    assert result.returncode == 0, result.stderr
    client = redis.Redis.from_url(redis_url)
    version = current_version(client)
    assert version is not None
    assert client.hget(keys.meta(version), "movies") == b"1997"
    assert "progress 100" in result.stdout
    assert "Películas leídas: 2000 filas" in result.stderr
    client.close()


def test_cli_explains_a_missing_source(redis_url: str, tmp_path: Path) -> None:
    result = _run({"REDIS_URL": redis_url, "DATA_DIR": str(tmp_path), "MOVIES_DATA": str(tmp_path / "nope")})
    assert result.returncode == 2
    assert "no se encontraron los datos de origen" in result.stderr
    assert "Traceback" not in result.stderr
