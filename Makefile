# One set of targets for people, CI and hooks. Every target bootstraps .venv.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
JOBS ?= 2

.PHONY: generate test check lint typecheck clean corpus corpus-random bench e2e

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	@touch $(STAMP)

# The peer of `make bench` (issue 6), pinned, in its own venv: its
# dependencies need not agree with our dev pins.
PEER_VENV := .venv-peer
PEER_STAMP := $(PEER_VENV)/.installed

$(PEER_STAMP): tests/sweep/peer-requirements.txt
	@test -x $(PEER_VENV)/bin/python || $(PYTHON) -m venv $(PEER_VENV)
	$(PEER_VENV)/bin/python -m pip install -q -r tests/sweep/peer-requirements.txt
	@touch $(PEER_STAMP)

generate: $(STAMP)  ## regenerate generated/ from specs/
	$(BIN)/clientgen generate

check: $(STAMP)  ## exit 1 if generated/ is stale
	$(BIN)/clientgen check

test: $(STAMP)  ## the whole test suite
	$(BIN)/python -m pytest -n $(JOBS) -q -p no:cacheprovider

corpus: $(STAMP)  ## every corpus spec, then N random descriptions; ARGS=--big adds GitHub's
	$(BIN)/python -m tests.sweep.corpus --jobs $(JOBS) $(ARGS)
	$(MAKE) corpus-random

# Random valid descriptions (issue 12): N of them from SEED, every step checked.
N ?= 1000
SEED ?= 1
corpus-random: $(STAMP)  ## N random descriptions; failures saved in .cache/random-failures
	$(BIN)/python -m tests.sweep.corpus --random $(N) --seed $(SEED) --jobs $(JOBS)

lint: $(STAMP)
	$(BIN)/ruff check generator tests templates/runtime templates/front
	$(BIN)/black --check -q generator tests templates/runtime templates/front

typecheck: $(STAMP)
	$(BIN)/mypy --strict generator
	# templates/runtime and templates/front, verbatim in the package:
	cd generated/onfact && ../../$(BIN)/mypy --strict --cache-dir ../../.mypy_cache onfact
	cd generated/constructs && ../../$(BIN)/mypy --strict --cache-dir ../../.mypy_cache constructs

bench: $(STAMP) $(PEER_STAMP)  ## us vs openapi-python-client; BENCH_ARGS="--quick --only cold"
	$(BIN)/python -m tests.sweep.bench --peer-bin $(PEER_VENV)/bin $(BENCH_ARGS)

# Real servers (issue 16): each installed pinned from tests/e2e/servers/*.txt
# into its own venv under $(E2E_VENVS), rebuilt when its file changes.
E2E_VENVS := .e2e-venvs

e2e: $(STAMP)  ## generated clients against real servers (Jupyter, Kinto, Prefect)
	CLIENTGEN_E2E=1 CLIENTGEN_E2E_VENVS=$(CURDIR)/$(E2E_VENVS) \
		$(BIN)/python -m pytest tests/e2e -n $(JOBS) --dist loadfile -q -rxs -p no:cacheprovider

clean:
	rm -rf $(VENV) $(PEER_VENV) $(E2E_VENVS) build *.egg-info
