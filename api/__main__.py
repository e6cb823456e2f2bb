"""`python -m api`: uvicorn on API_HOST:API_PORT, with an embedded Redis when REDIS_URL is unset.

Only this entry point starts an embedded Redis for the API, and it stops only a server it started
itself: a Redis that was already running (REDIS_URL, or another entry point's embedded one in the
same DATA_DIR) outlives it.

API_WORKERS > 1 runs uvicorn's own processes: this process binds the one listening socket and
supervises that many children (a dead one is replaced), each building `api.main:app` from the
environment; whichever child is idle accepts the next connection.
"""

from __future__ import annotations

import logging
import os

import uvicorn
from pydantic import RedisDsn

from api.main import create_app
from api.observability import quiet_uvicorn_access
from shared.embedded_redis import resolve_redis_url
from shared.settings import ApiSettings
from shared.startup import exit_cleanly_on_sigterm, start

logger = logging.getLogger("api")


def main() -> None:
    settings = start("api", ApiSettings, request_ids=True)
    quiet_uvicorn_access()
    url, server = resolve_redis_url(settings.redis_url, settings.data_dir)
    exit_cleanly_on_sigterm()
    try:
        if settings.api_workers > 1:
            _serve_processes(settings, url)
        else:
            app = create_app(settings.model_copy(update={"redis_url": RedisDsn(url)}))
            logger.info("serving on http://%s:%d", settings.api_host, settings.api_port)
            uvicorn.run(
                app, host=settings.api_host, port=settings.api_port, log_config=None, access_log=False
            )
    except KeyboardInterrupt:
        pass  # Ctrl-C: uvicorn has already shut down gracefully
    finally:
        if server is not None:
            server.stop()
            logger.info("embedded Redis stopped")


def _serve_processes(settings: ApiSettings, url: str) -> None:
    # The children are spawned (not forked) and read their settings from the environment: pin the
    # Redis chosen here, so they all join this one even when it is the embedded server.
    os.environ["REDIS_URL"] = url
    logger.info(
        "serving on http://%s:%d with %d processes",
        settings.api_host,
        settings.api_port,
        settings.api_workers,
    )
    uvicorn.run(
        "api.main:app",
        host=settings.api_host,
        port=settings.api_port,
        workers=settings.api_workers,
        log_config=None,
        access_log=False,
    )


if __name__ == "__main__":
    main()
