"""docker-compose.yml, the Dockerfile and .env.example: their structure, and `docker-compose config`."""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO_ROOT = Path(__file__).resolve().parents[2]
COMPOSE = REPO_ROOT / "docker-compose.yml"
ENV_EXAMPLE = REPO_ROOT / ".env.example"
# What `docker-compose config` needs from a fresh clone: the file and what it points at.
CLONE_FILES = ["docker-compose.yml", "Dockerfile", ".dockerignore", ".env.example", "deploy"]
HEALTHY = {"condition": "service_healthy"}
REQUIRED_PASSWORD = "${REDIS_PASSWORD:?set REDIS_PASSWORD in .env"
# What a deployment puts in its .env (the compose file refuses to run without one).
PASSWORD = "a-compose-redis-password-5e0c17"


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(COMPOSE.read_text())
    return loaded


@pytest.fixture(scope="module")
def services(compose: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = compose["services"]
    return found


def test_the_services_and_their_commands(services: dict[str, Any]) -> None:
    assert set(services) == {"redis", "redis-replica", "api", "gateway", "worker", "bot", "etl"}
    for name in ("api", "worker", "bot", "etl"):
        assert services[name]["command"] == ["python", "-m", name]
        assert services[name]["build"] == "."
        assert services[name]["image"] == "cartelera:latest"
        module = importlib.util.find_spec(name)
        if module is not None or name != "bot":  # the bot ships in its own branch
            assert importlib.util.find_spec(f"{name}.__main__") is not None, name


def test_every_service_waits_for_healthy_dependencies_that_have_health_checks(
    services: dict[str, Any],
) -> None:
    assert services["api"]["depends_on"] == {"redis": HEALTHY}
    assert services["worker"]["depends_on"] == {"redis": HEALTHY}
    assert services["etl"]["depends_on"] == {"redis": HEALTHY}
    assert services["redis-replica"]["depends_on"] == {"redis": HEALTHY}
    assert services["gateway"]["depends_on"] == {"api": HEALTHY}
    assert services["bot"]["depends_on"] == {"gateway": HEALTHY}
    for name, service in services.items():
        for dependency, condition in service.get("depends_on", {}).items():
            assert condition == HEALTHY, name
            assert "healthcheck" in services[dependency], dependency


def test_health_checks(services: dict[str, Any]) -> None:
    assert services["redis"]["healthcheck"]["test"] == ["CMD-SHELL", "redis-cli ping | grep -q PONG"]
    assert services["worker"]["healthcheck"]["test"] == [
        "CMD",
        "arq",
        "--check",
        "worker.settings.WorkerSettings",
    ]
    api_check = services["api"]["healthcheck"]["test"]
    assert api_check == ["CMD", "python", "-m", "launcher.probe", "http://127.0.0.1:8000/healthz"]
    assert "http://127.0.0.1:8080/healthz" in services["gateway"]["healthcheck"]["test"]


def test_api_and_worker_scale_because_only_the_gateway_has_a_host_port(services: dict[str, Any]) -> None:
    for name in ("api", "worker", "bot", "etl", "redis", "redis-replica"):
        assert "ports" not in services[name] and "container_name" not in services[name], name
    assert services["gateway"]["ports"] == ["${API_PORT:-8000}:8080"]
    mount = services["gateway"]["volumes"][0]
    assert mount == "./deploy/nginx.conf:/etc/nginx/conf.d/default.conf:ro"
    conf = (REPO_ROOT / "deploy" / "nginx.conf").read_text()
    assert "listen 8080;" in conf and "set $api http://api:8000;" in conf and "resolver 127.0.0.11" in conf


def test_profiles_redis_volume_and_one_shot_etl(compose: dict[str, Any], services: dict[str, Any]) -> None:
    assert services["etl"]["profiles"] == ["etl"] and services["etl"]["restart"] == "no"
    assert services["bot"]["profiles"] == ["bot"]
    assert services["redis-replica"]["profiles"] == ["replica"]
    assert not any("profiles" in services[name] for name in ("redis", "api", "gateway", "worker"))
    assert services["redis"]["volumes"] == ["redis-data:/data"]
    assert set(compose["volumes"]) == {"redis-data", "data"}
    for name in ("worker", "etl"):
        assert "data:/app/var" in services[name]["volumes"]
        assert services[name]["environment"]["MOVIES_DATA"].startswith("/data/movies/")


def test_the_bot_talks_to_the_gateway_and_never_to_redis(services: dict[str, Any]) -> None:
    env = services["bot"]["environment"]
    assert env["GATEWAY_URL"] == "http://gateway:8080"
    assert "REDIS_URL" not in env


def _variables(text: str) -> set[str]:
    return set(re.findall(r"\$\{([A-Z_][A-Z0-9_]*)", text))


def _documented() -> dict[str, str]:
    """`.env.example`'s variables and the comment line just above each block."""
    found: dict[str, str] = {}
    comment = ""
    for line in ENV_EXAMPLE.read_text().splitlines():
        if line.startswith("#"):
            comment = line
        elif "=" in line:
            name = line.split("=", 1)[0]
            found[name] = comment
        else:
            comment = ""
    return found


def test_env_example_documents_every_variable_the_compose_file_reads() -> None:
    documented = _documented()
    used = _variables(COMPOSE.read_text())
    assert used == set(documented)
    assert all(comment for comment in documented.values()), documented
    values = dict(
        line.split("=", 1)
        for line in ENV_EXAMPLE.read_text().splitlines()
        if "=" in line and not line.startswith("#")
    )
    assert values["ADMIN_TOKEN"] == "" and values["TELEGRAM_BOT_TOKEN"] == ""
    assert values["REDIS_PASSWORD"] == "" and "Required" in documented["REDIS_PASSWORD"]


def test_dockerfile_installs_the_hashed_lock_and_runs_as_a_user() -> None:
    lines = [line.strip() for line in (REPO_ROOT / "Dockerfile").read_text().splitlines()]
    assert any(
        line.startswith("RUN pip install") and "--require-hashes" in line and "requirements/lock.txt" in line
        for line in lines
    )
    users = [line.split()[1] for line in lines if line.startswith("USER ")]
    assert users and users[-1] not in ("root", "0")
    ignored = set((REPO_ROOT / ".dockerignore").read_text().split())
    assert {".env", ".venv", "var", ".git"} <= ignored


def test_every_redis_asks_for_the_password_and_every_client_of_it_has_it(services: dict[str, Any]) -> None:
    for name in ("redis", "redis-replica"):
        command = services[name]["command"]
        assert command[command.index("--requirepass") + 1].startswith(REQUIRED_PASSWORD), name
        # The health checks log in too, with the password out of redis-cli's command line.
        assert services[name]["environment"]["REDISCLI_AUTH"].startswith(REQUIRED_PASSWORD), name
        assert "redis-cli" in services[name]["healthcheck"]["test"][1], name
    replica = services["redis-replica"]["command"]
    assert replica[replica.index("--masterauth") + 1].startswith(REQUIRED_PASSWORD)
    for name in ("api", "worker", "etl"):
        environment = services[name]["environment"]
        assert environment["REDIS_PASSWORD"].startswith(REQUIRED_PASSWORD), name
        assert "@" not in environment["REDIS_URL"], name  # the password travels apart
    assert "REDIS_PASSWORD" not in services["bot"]["environment"]


def _compose_command() -> list[str]:
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    docker = shutil.which("docker")
    if (
        docker
        and subprocess.run([docker, "compose", "version"], capture_output=True, check=False).returncode == 0
    ):
        return [docker, "compose"]
    pytest.skip("neither docker-compose nor `docker compose` is installed (scripts/ensure-compose.sh)")


def _clone(tmp_path: Path, with_env_file: bool) -> Path:
    """The files a fresh clone has, and the .env copied from .env.example when asked."""
    clone = tmp_path / "clone"
    clone.mkdir()
    for name in CLONE_FILES:
        source = REPO_ROOT / name
        if source.is_dir():
            shutil.copytree(source, clone / name)
        else:
            shutil.copy(source, clone / name)
    if with_env_file:
        shutil.copy(clone / ".env.example", clone / ".env")
    return clone


def _config(clone: Path, profiles: list[str], **variables: str) -> subprocess.CompletedProcess[str]:
    # Only the basics: a developer's REDIS_URL or API_PORT must not change what is validated.
    env = {key: os.environ[key] for key in ("PATH", "HOME") if key in os.environ}
    flags = [part for profile in profiles for part in ("--profile", profile)]
    return subprocess.run(
        [*_compose_command(), *flags, "config"],
        cwd=clone,
        env={**env, **variables},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize("with_env_file", [False, True], ids=["fresh-clone", "env-example-copied"])
def test_docker_compose_refuses_to_run_without_a_redis_password(with_env_file: bool, tmp_path: Path) -> None:
    result = _config(_clone(tmp_path, with_env_file), ["replica"])
    assert result.returncode != 0
    assert "set REDIS_PASSWORD in .env" in result.stderr


@pytest.mark.parametrize("profiles", [[], ["etl"], ["bot"], ["etl", "bot"], ["replica"]])
@pytest.mark.parametrize("with_env_file", [False, True], ids=["fresh-clone", "env-example-copied"])
def test_docker_compose_config_validates(profiles: list[str], with_env_file: bool, tmp_path: Path) -> None:
    result = _config(_clone(tmp_path, with_env_file), profiles, REDIS_PASSWORD=PASSWORD)
    assert result.returncode == 0, result.stderr
    resolved = yaml.safe_load(result.stdout)["services"]
    assert {"redis", "api", "gateway", "worker"} <= set(resolved)
    named = {"etl": "etl", "bot": "bot", "replica": "redis-replica"}
    assert {named[profile] for profile in profiles} <= set(resolved)
    assert resolved["worker"]["deploy"]["replicas"] == 1
    assert resolved["api"]["environment"]["API_WORKERS"] == "1"
    assert resolved["api"]["environment"]["REDIS_URL"] == "redis://redis:6379/0"
    for name in ("api", "worker"):
        assert resolved[name]["environment"]["REDIS_PASSWORD"] == PASSWORD
    assert resolved["redis"]["environment"]["REDISCLI_AUTH"] == PASSWORD
    command = resolved["redis"]["command"]
    assert command[command.index("--requirepass") + 1] == PASSWORD
    assert resolved["worker"]["environment"]["MOVIES_DATA"] == "/data/movies/"
    assert resolved["worker"]["environment"]["REFRESH_CRON_HOUR"] == "4"
    port = resolved["gateway"]["ports"][0]
    published = port.split(":")[0] if isinstance(port, str) else str(port["published"])
    assert published == "8000"
    assert resolved["api"]["depends_on"]["redis"]["condition"] == "service_healthy"


def test_each_service_gets_only_the_variables_its_settings_read(services: dict[str, Any]) -> None:
    from shared.settings import ApiSettings, BotSettings, EtlSettings, WorkerServiceSettings

    classes = {"api": ApiSettings, "worker": WorkerServiceSettings, "etl": EtlSettings, "bot": BotSettings}
    for name, settings in classes.items():
        given = set(services[name]["environment"])
        assert given <= settings.variables(), (name, given - settings.variables())
        assert {"LOG_LEVEL", "LOG_FORMAT"} <= given, name
    assert "MOVIES_DATA" not in services["api"]["environment"]  # the data is not mounted there
    assert "volumes" not in services["api"]


def test_redis_is_bounded_and_snapshots_without_forking_every_minute(services: dict[str, Any]) -> None:
    command = services["redis"]["command"]
    options = dict(zip(command[1::2], command[2::2], strict=True))
    assert options["--maxmemory"].startswith("${REDIS_MAXMEMORY")
    assert options["--maxmemory-policy"] == "noeviction"
    assert options["--stop-writes-on-bgsave-error"] == "no"
    # Each "seconds changes" pair: no snapshot rule fires more often than every 5 minutes.
    rules = options["--save"].split()
    assert all(int(seconds) >= 300 for seconds in rules[::2])


def test_a_read_replica_and_more_than_one_process_of_each_service(services: dict[str, Any]) -> None:
    replica = services["redis-replica"]
    assert replica["image"] == services["redis"]["image"]
    command = replica["command"]
    assert command[command.index("--replicaof") + 1 :][:2] == ["redis", "6379"]
    assert "master_link_status:up" in " ".join(replica["healthcheck"]["test"])
    api_env = services["api"]["environment"]
    # Empty by default (read from REDIS_URL); the replica is opt-in, and jobs never go there.
    assert api_env["REDIS_READ_URL"] == "${REDIS_READ_URL:-}"
    assert api_env["API_WORKERS"] == "${API_WORKERS:-1}"
    assert services["worker"]["deploy"]["replicas"] == "${WORKER_PROCESSES:-1}"
    assert "REDIS_READ_URL" not in services["worker"]["environment"]
