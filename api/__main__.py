"""`python -m api`: uvicorn on API_HOST:API_PORT, with an embedded Redis when REDIS_URL is unset."""

from __future__ import annotations

import logging
import os

import uvicorn

from api.main import create_app
from api.observability import configure_logging
from shared.embedded_redis import resolve_redis_url
from shared.settings import Settings

logger = logging.getLogger("api")


def main() -> None:
    configure_logging(os.environ.get("LOG_LEVEL", "INFO"))
    settings = Settings()
    url, server = resolve_redis_url(settings.redis_url, settings.data_dir)
    try:
        app = create_app(settings.model_copy(update={"redis_url": url}))
        logger.info("serving on http://%s:%d", settings.api_host, settings.api_port)
        uvicorn.run(app, host=settings.api_host, port=settings.api_port, log_config=None, access_log=False)
    finally:
        if server is not None:
            server.stop()


if __name__ == "__main__":
    main()
