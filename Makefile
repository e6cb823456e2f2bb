# Every target reads its settings from the environment; these are only defaults.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
MOVIES_DATA ?=
REDIS_URL ?=
API_HOST ?= 127.0.0.1
API_PORT ?= 8000
# Processes of the API (uvicorn's, on one socket) and of the worker that `make run` starts.
API_WORKERS ?= 1
WORKER_PROCESSES ?= 1
HYBRID_DATA ?= ../shared/data/movies-hybrid
PYTEST_ARGS ?=
# make bench SCALE=10: every benchmark also on a catalogue ten times the size (benchmarks.scale).
SCALE ?= 1
# Options of `python -m launcher`, e.g. RUN_ARGS="--rebuild" make run (see `python -m launcher -h`).
RUN_ARGS ?=
# Options of the fault suite, e.g. CHAOS_ARGS="--short" make chaos (see `python -m benchmarks.chaos -h`).
CHAOS_ARGS ?=
export MOVIES_DATA REDIS_URL API_HOST API_PORT API_WORKERS WORKER_PROCESSES

.PHONY: help install run etl test lint format bench eval eda chaos clean lock

install: $(VENV)/.installed

$(VENV)/.installed: requirements/lock.txt pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --require-hashes --no-deps -r requirements/lock.txt
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

help:
	@echo "make run      everything: Redis, the ETL when needed, the API, the worker, the bot (RUN_ARGS)"
	@echo "make test     the whole suite (PYTEST_ARGS)"
	@echo "make etl      rebuild and publish a dataset version now"
	@echo "make eda      the exploratory report in reports/eda/index.html"
	@echo "make eval     recommender quality on held-out seeds"
	@echo "make bench    benchmarks (SCALE=10: also at ten times the catalogue)"
	@echo "make chaos    faults under load: Redis killed and stopped, the worker killed, the bot flooded (CHAOS_ARGS)"
	@echo "make lint     ruff and mypy strict"
	@echo "make format   ruff format and fixes"
	@echo "make lock     regenerate requirements/lock.txt"
	@echo "make clean    remove var/, reports and caches"

lock:
	$(PY) -m pip install --quiet uv
	$(VENV)/bin/uv pip compile pyproject.toml --extra dev --generate-hashes \
		--python-version 3.11 --no-header -o requirements/lock.txt

run: install
	$(PY) -m launcher $(RUN_ARGS)

etl: install
	$(PY) -m etl

test: install
	@scripts/ensure-compose.sh
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

bench: install
	@# wrk drives the API load test; without it (no apt, no root) the test falls back to locust.
	@command -v wrk >/dev/null || apt-get install -y -q wrk >/dev/null 2>&1 || \
		echo "wrk is not installed: the API load test uses locust instead"
	MOVIES_DATA=$${MOVIES_DATA:-$(HYBRID_DATA)} SCALE=$(SCALE) $(PY) -m benchmarks

eval: install
	MOVIES_DATA=$${MOVIES_DATA:-$(HYBRID_DATA)} $(PY) -m benchmarks.recommender_quality

chaos: install
	$(PY) -m benchmarks.chaos $(CHAOS_ARGS)

eda: install
	$(PY) -m etl.eda

clean:
	rm -rf var reports/eda .pytest_cache .mypy_cache .ruff_cache
