# One set of targets for people, CI and hooks. Every target bootstraps .venv.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
JOBS ?= 2

.PHONY: generate test check lint typecheck clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	@touch $(STAMP)

generate: $(STAMP)  ## regenerate generated/ from specs/
	$(BIN)/clientgen generate

check: $(STAMP)  ## exit 1 if generated/ is stale
	$(BIN)/clientgen check

test: $(STAMP)  ## the whole test suite
	$(BIN)/python -m pytest -n $(JOBS) -q -p no:cacheprovider

lint: $(STAMP)
	$(BIN)/ruff check generator tests templates/runtime
	$(BIN)/black --check -q generator tests templates/runtime

typecheck: $(STAMP)
	$(BIN)/mypy --strict generator templates/runtime
	cd generated/onfact && ../../$(BIN)/mypy --strict --cache-dir ../../.mypy_cache onfact

clean:
	rm -rf $(VENV) build *.egg-info
