# One image for every service (api, worker, bot, etl); docker-compose.yml picks the command.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONPATH=/app \
    API_HOST=0.0.0.0 \
    API_PORT=8000 \
    DATA_DIR=/app/var

WORKDIR /app

# Dependencies before the code, so a code change does not reinstall them; every one is pinned
# and hash-checked, exactly as `make install` does.
COPY requirements/lock.txt requirements/lock.txt
RUN pip install --require-hashes --no-deps -r requirements/lock.txt

# The code runs from /app (PYTHONPATH), where shared.settings also finds data/sample.
COPY . .

RUN useradd --create-home --uid 10001 --user-group cartelera \
    && mkdir -p /app/var \
    && chown cartelera:cartelera /app/var
USER cartelera

EXPOSE 8000
CMD ["python", "-m", "api"]
