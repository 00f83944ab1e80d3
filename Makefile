# The two commands: `make run` (set up, index the bundled sample, answer, serve) and `make test`.
SHELL := /bin/bash
# Python 3.11 exactly (the pins in constraints.txt are resolved for it): python3.11 when it is on
# PATH, else python3; `make run PYTHON=/path/to/python3.11` picks another.
PYTHON ?= $(shell command -v python3.11 2>/dev/null || echo python3)
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
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' 2>/dev/null || { \
	  echo "error: Python 3.11 is needed; '$(PYTHON)' is $$($(PYTHON) -V 2>/dev/null || echo 'not found'). Install python3.11 (and its venv module) or run: make $(MAKECMDGOALS) PYTHON=/path/to/python3.11" >&2; exit 1; }
	@$(PYTHON) -c 'import ensurepip, venv' 2>/dev/null || { \
	  echo "error: $(PYTHON) has no venv/ensurepip module (Debian/Ubuntu: apt install python3.11-venv)" >&2; exit 1; }
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

# The team's larger corpus is not part of a clone: point CORPUS at your own copy.
CORPUS ?= ../shared/corpus

eval: $(STAMP)
	$(BIN)/bpo-assistant eval all $(CORPUS)

bench: $(STAMP)
	$(PY) evals/bench/ingest_bench.py $(CORPUS)
	$(PY) evals/bench/cli_startup_bench.py
