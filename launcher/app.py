"""The phases of `make run`: preflight, Redis, the dataset, then every service until a stop."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Mapping
from dataclasses import dataclass
from enum import IntEnum

import redis

from launcher import dataset
from launcher.output import Output
from launcher.preflight import PreflightError, ensure_port_free
from launcher.probe import status
from launcher.services import ChildEnvironments, api_url, bot_available, etl_spec, redact, service_specs
from launcher.supervisor import RestartPolicy, Supervisor, describe_exit
from shared.backoff import Backoff
from shared.embedded_redis import EmbeddedRedis
from shared.settings import LauncherSettings
from shared.source import SourceError, locate

logger = logging.getLogger(__name__)

# How long the API may answer /healthz but not /readyz before the log says why.
_NOT_READY_HINT_SECONDS = 15.0
# How often the launcher looks whether its embedded Redis is still running.
_REDIS_WATCH_SECONDS = 1.0


class ExitCode(IntEnum):
    """What `make run` exits with; README lists them."""

    OK = 0  # stopped by Ctrl-C or SIGTERM
    ERROR = 1  # an unexpected error (its traceback is in the log)
    USAGE = 2  # a bad command-line option (argparse)
    CANNOT_START = 3  # port taken, MOVIES_DATA missing, Redis unreachable, invalid settings
    ETL_FAILED = 4
    GAVE_UP = 5  # a service crashed more than --max-restarts times in a row


@dataclass(frozen=True)
class Options:
    rebuild: bool = False
    etl: bool = True
    max_restarts: int = 5
    stop_timeout: float = 10.0


async def run(
    settings: LauncherSettings, options: Options, output: Output, base_env: Mapping[str, str]
) -> ExitCode:
    supervisor = Supervisor(output, RestartPolicy(max_restarts=options.max_restarts), options.stop_timeout)
    loop = asyncio.get_running_loop()
    started = loop.time()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, supervisor.request_stop, f"{signum.name} received")
    try:
        return await _run(settings, options, supervisor, base_env, started)
    finally:
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(signum)


async def _run(
    settings: LauncherSettings,
    options: Options,
    supervisor: Supervisor,
    base_env: Mapping[str, str],
    started: float,
) -> ExitCode:
    try:
        ensure_port_free(settings.api_host, settings.api_port)
        if options.etl:
            locate(settings.movies_data)
    except SourceError as exc:
        logger.error("MOVIES_DATA: %s", exc)
        return ExitCode.CANNOT_START
    except PreflightError as exc:
        logger.error("%s", exc)
        return ExitCode.CANNOT_START
    logger.info("data folder: %s", settings.data_dir.resolve())

    server: EmbeddedRedis | None = None
    if settings.redis_url is not None:
        url = str(settings.redis_url)
        if not await asyncio.to_thread(_answers, url):
            logger.error("REDIS_URL=%s does not answer; start that Redis or unset REDIS_URL", redact(url))
            return ExitCode.CANNOT_START
        logger.info("using the Redis at REDIS_URL=%s", redact(url))
    else:
        server = EmbeddedRedis(settings.data_dir / "redis", own_session=True)
        try:
            url = await asyncio.to_thread(server.start)
        except RuntimeError as exc:
            logger.error("%s", exc)
            return ExitCode.CANNOT_START
    try:
        envs = ChildEnvironments(base_env, settings, url)
        if not supervisor.stopping:
            failed = await _prepare_dataset(settings, options, supervisor, url=url, envs=envs, server=server)
            if failed is not None:
                return failed
        if supervisor.stopping:
            return ExitCode.OK
        return await _serve(settings, supervisor, envs, started, server)
    finally:
        # Last, once every service that writes to it has stopped (the supervisor waited for them).
        if server is not None and server.owns_server:
            await asyncio.to_thread(server.stop)
            logger.info("embedded Redis stopped (data saved in %s)", server.directory.resolve())


async def _prepare_dataset(
    settings: LauncherSettings,
    options: Options,
    supervisor: Supervisor,
    *,
    url: str,
    envs: ChildEnvironments,
    server: EmbeddedRedis | None,
) -> ExitCode | None:
    """Run the ETL when needed; an exit code when the run must end here."""
    client = redis.Redis.from_url(url, socket_connect_timeout=5, socket_timeout=60)
    try:
        if not options.etl:
            version, _ = await asyncio.to_thread(dataset.published, client)
            if version is None:
                logger.warning(
                    "--no-etl and no dataset is published: /readyz answers 503 until one is "
                    "(make etl, or POST /admin/refresh)"
                )
            else:
                logger.info("--no-etl: serving the published version %s", version)
            return None
        try:
            decision = await asyncio.to_thread(
                dataset.decide, client, settings.movies_data, rebuild=options.rebuild
            )
        except (redis.RedisError, OSError, SourceError) as exc:
            logger.error("cannot compare MOVIES_DATA with the published dataset: %s", exc)
            return ExitCode.CANNOT_START
        if not decision.run_etl:
            logger.info("dataset: %s; no ETL needed (--rebuild forces one)", decision.reason)
            return None
        logger.info("dataset: %s; running the ETL on %s", decision.reason, settings.movies_data)
        loop = asyncio.get_running_loop()
        started = loop.time()
        code = await supervisor.run_once(etl_spec(envs))
        if code is None:
            return ExitCode.OK
        if code != 0:
            logger.error(
                "the ETL failed (exit code %d, see its lines above); nothing new was published", code
            )
            return ExitCode.ETL_FAILED
        await asyncio.to_thread(dataset.record, client, settings.movies_data)
        version, _ = await asyncio.to_thread(dataset.published, client)
        logger.info("ETL done in %.1f s: version %s is published", loop.time() - started, version)
        if server is not None:
            # A snapshot now, so even a hard kill of this run keeps the dataset for the next one.
            with contextlib.suppress(redis.RedisError):
                await asyncio.to_thread(client.bgsave)
        return None
    finally:
        client.close()


async def _serve(
    settings: LauncherSettings,
    supervisor: Supervisor,
    envs: ChildEnvironments,
    started: float,
    server: EmbeddedRedis | None = None,
) -> ExitCode:
    specs = service_specs(settings, envs)
    if settings.telegram_bot_token is None:
        logger.info("TELEGRAM_BOT_TOKEN is not set: the Telegram bot is not started")
    elif not bot_available():
        logger.warning("TELEGRAM_BOT_TOKEN is set but this checkout has no bot package: no bot")
    helpers = [asyncio.create_task(_announce(api_url(settings), supervisor, started))]
    if server is not None and server.owns_server:
        helpers.append(asyncio.create_task(_keep_redis(server, supervisor)))
    try:
        completed = await supervisor.supervise(specs)
    finally:
        for helper in helpers:
            helper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await helper
    if not completed:
        logger.error("%s", supervisor.failure)
        return ExitCode.GAVE_UP
    logger.info("every service stopped")
    return ExitCode.OK


async def _keep_redis(server: EmbeddedRedis, supervisor: Supervisor) -> None:
    """Start the embedded Redis again when it ends under the services (killed, out of memory).
    They wait for it meanwhile (503 from the API, the worker retrying), and reconnect on their own."""
    while not supervisor.stopping:
        await asyncio.sleep(_REDIS_WATCH_SECONDS)
        code = server.exit_code()
        if code is None or supervisor.stopping:
            continue
        logger.warning("the embedded Redis stopped (%s); starting it again on its port", describe_exit(code))
        backoff = Backoff(first=1.0)
        while not supervisor.stopping:
            try:
                await asyncio.to_thread(server.restart)
            except RuntimeError as exc:
                delay = backoff.next()
                logger.error("%s; trying again in %.1f s", exc, delay)
                await asyncio.sleep(delay)
            else:
                logger.info("the embedded Redis is running again")
                break


async def _announce(base: str, supervisor: Supervisor, started: float) -> None:
    """Print the URLs once the API is ready, or say why it is not."""
    loop = asyncio.get_running_loop()
    waiting = loop.time()
    hinted = False
    while not supervisor.stopping:
        code = await asyncio.to_thread(status, f"{base}/readyz", 1.0)
        if code == 200:
            logger.info("ready, %.1f s after the start:", loop.time() - started)
            logger.info("  API        %s", base)
            logger.info("  API docs   %s/docs", base)
            logger.info("  readiness  %s/readyz", base)
            logger.info("  try        %s/cantidad_filmaciones_mes/enero", base)
            logger.info("Ctrl-C stops everything")
            return
        if code == 503 and not hinted and loop.time() - waiting > _NOT_READY_HINT_SECONDS:
            hinted = True
            logger.warning("the API is up but not ready (%s/readyz answers 503: no dataset published?)", base)
        await asyncio.sleep(0.25)


def _answers(url: str) -> bool:
    client = redis.Redis.from_url(url, socket_connect_timeout=3, socket_timeout=3)
    try:
        return bool(client.ping())
    except (redis.RedisError, OSError):
        return False
    finally:
        client.close()
