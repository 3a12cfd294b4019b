# The two set-up commands of a fresh clone: `make demo` and `make test`.
# Both bootstrap from nothing but python3: a venv, uv inside it, then the locked environment.
PYTHON ?= python3
VENV := .venv
UV := $(VENV)/bin/uv
UV_VERSION := 0.13.9
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)
# Bytecode compiled once at install: where PYTHONDONTWRITEBYTECODE is set (as on this project's
# machines) every process would otherwise compile the sources it imports, half a second of each
# command's start-up (BENCHMARKS.md, import-warc).
export UV_COMPILE_BYTECODE := 1

.PHONY: venv demo test lint typecheck pytest lock clean

$(UV):
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"

# uv is itself a locked dev dependency, so an exact sync keeps it.
venv: $(UV)
	$(UV) sync --frozen --quiet
	$(VENV)/bin/python -m compileall -q -j 0 src flows >/dev/null

demo: venv
	$(VENV)/bin/iot-ingest demo

lint: venv
	$(VENV)/bin/ruff check src tests flows bench
	$(VENV)/bin/ruff format --check src tests flows bench

typecheck: venv
	$(VENV)/bin/mypy

# Two xdist workers (this machine has two cores); tests marked `serial` all run on one of them, the
# Prefect flow tests on one too (one temporary Prefect server). PYTEST_WORKERS=0 runs in one process.
PYTEST_WORKERS ?= 2
pytest: venv
	$(VENV)/bin/pytest -q -n $(PYTEST_WORKERS) --dist loadgroup -m "not operations"

# The README's Operations runbook, command by command, on a real Prefect server with a worker and a
# Dask cluster (a few minutes): CI runs it after `make test`.
.PHONY: test-operations
test-operations: venv
	$(VENV)/bin/pytest -q -n 0 -m operations

# The same suite with Hypothesis's full example counts (CI, nightly).
.PHONY: test-full
test-full: lint typecheck
	HYPOTHESIS_PROFILE=full $(VENV)/bin/pytest -q -n $(PYTEST_WORKERS) --dist loadgroup -m "not operations"

test: lint typecheck pytest

# docs/data-dictionary.md from the live schema (a test fails while it is out of date).
.PHONY: docs
docs: venv
	$(VENV)/bin/python -m iot_ingest.report.data_dictionary docs/data-dictionary.md

lock: $(UV)
	$(UV) lock

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
