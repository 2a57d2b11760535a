# The two commands of the README, and what they need. Everything installs itself into .venv/
# from the lock (requirements.lock, made with `make lock`).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export NO_MKDOCS_2_WARNING := 1

.PHONY: site serve test test-browser lint check translate install system-deps lock bench bench-quick clean

site: $(STAMP)  ## build the help center into site/ (strict), its languages side by side
	$(BIN)/helpcenter build

serve: $(STAMP)  ## serve with live reload on http://127.0.0.1:8000/
	$(BIN)/mkdocs serve --livereload

test: $(STAMP) system-deps lint  ## the whole test suite
	$(BIN)/python -m pytest -q

test-browser: $(STAMP) system-deps  ## the browser smoke tests (pytest -m browser); collecting none fails
	$(BIN)/python -m pytest -q -m browser

lint: $(STAMP)
	$(BIN)/ruff format --check plugins tests scripts
	$(BIN)/ruff check plugins tests scripts
	$(BIN)/mypy

check: $(STAMP)  ## QA of sources and translations, as CI runs it
	$(BIN)/helpcenter check

translate: $(STAMP)  ## machine-translate what is new or changed (needs DEEPL_AUTH_KEY)
	$(BIN)/helpcenter translate

install: $(STAMP)  ## create .venv from the lock (every target that needs it does this first)

system-deps:  ## Debian packages the tests use: gettext (msgfmt) and chromium
	bash scripts/system-deps.sh

bench: $(STAMP)  ## prints every figure of the README's Performance and Search sections (about 2 hours)
	$(BIN)/python scripts/bench_build.py --untranslated 10
	$(BIN)/python scripts/bench_build.py --scaling
	$(BIN)/python scripts/bench_build.py --large --runs 3
	if command -v valgrind >/dev/null; then $(BIN)/python scripts/bench_build.py --instructions --articles 50; \
	else echo "instruction counts skipped: install valgrind"; fi
	$(BIN)/python scripts/bench_translate.py
	$(BIN)/python scripts/bench_search.py
	$(BIN)/python scripts/bench_serve.py

bench-quick: $(STAMP)  ## the build table of README "Performance" alone, 3 rounds (about 10 minutes)
	$(BIN)/python scripts/bench_build.py --quick --untranslated 10

$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check --require-hashes -r requirements.lock
	$(BIN)/python -m pip install -q --disable-pip-version-check --no-deps -e .
	touch $@

lock:  ## re-pin every dependency (needs uv: pip install uv)
	uv pip compile pyproject.toml --extra test --python-version 3.11 --generate-hashes -o requirements.lock

clean:
	rm -rf site .cache
