# Proxy Lens: make book | make test | make data | make serve | make bench | make clean
# Every target bootstraps .venv from requirements.txt when it is missing or stale.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8000
# A project-local IPython profile keeps notebook kernels quiet (see .ipython/profile_default).
export IPYTHONDIR := $(CURDIR)/.ipython

.PHONY: book test unit data serve bench clean refresh venv
.DEFAULT_GOAL := book

$(STAMP): requirements.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $(STAMP)

venv: $(STAMP)

## make book: build the book into _build/html (notebooks are executed during the build), with no network
book: $(STAMP)
	rm -rf _build
	scripts/offline.sh $(BIN)/jupyter-book build . -W -n --keep-going

## make test: unit tests, data contracts, strict nbval, a warning-free book build, then the built
## book in a real browser; all without network (scripts/offline.sh)
## The unit/nbval suite and the book build are independent, so they run side by side (-j2).
test: $(STAMP)
	$(MAKE) --no-print-directory -j2 unit book
	scripts/offline.sh $(BIN)/python -m pytest -m browser tests/test_browser.py tests/test_browser_explorers.py

## make unit: unit tests, data contracts and strict nbval over every notebook (no browser)
unit: $(STAMP)
	scripts/offline.sh $(BIN)/python -m pytest -m "not browser"

## make data: regenerate data/derived/ from seeds/ with the extractor
data: $(STAMP)
	$(BIN)/python -m proxylens.actors sync
	$(BIN)/python -m proxylens extract seeds --out data/derived
	$(BIN)/python -m proxylens.derive data/derived

## make refresh: re-execute every notebook and store its outputs (the only way outputs are written)
refresh: $(STAMP)
	$(BIN)/python scripts/refresh_notebooks.py

## make serve: serve the built book on localhost
serve:
	$(BIN)/python -m http.server $(PORT) --bind 127.0.0.1 --directory _build/html

## make bench: timings of set-up, book and tests; extractor throughput and scaling
bench: $(STAMP)
	$(BIN)/python scripts/benchmark.py

clean:
	rm -rf _build out .pytest_cache
	find . -name __pycache__ -not -path './.venv/*' -prune -exec rm -rf {} +
