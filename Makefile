# The two commands: `make run` (set up, index the bundled sample, answer, serve) and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export ANONYMIZED_TELEMETRY := False

.PHONY: run test setup eval bench

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	# torch first, pinned: pip takes the local CPU wheel instead of the CUDA build.
	$(PY) -m pip install -q torch==2.13.0
	$(PY) -m pip install -q -c constraints.txt -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

run: $(STAMP)
	$(BIN)/bpo-assistant ingest samples/corpus
	$(BIN)/bpo-assistant search "how much notice to terminate the MSA for convenience" --k 3
	$(BIN)/bpo-assistant ask "What service credit applies when the email response SLA is missed?"
	$(BIN)/bpo-assistant serve --host $(HOST) --port $(PORT)

test: $(STAMP)
	$(PY) -m pytest -q -p no:cacheprovider $(PYTEST_ARGS)

eval: $(STAMP)
	$(BIN)/bpo-assistant eval all ../shared/corpus

bench: $(STAMP)
	$(PY) evals/bench/ingest_bench.py ../shared/corpus
