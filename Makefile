# Two commands: `make run` serves the app with demo data, `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app goalsapp
HOST ?= 127.0.0.1
PORT ?= 5000
# What the tests need from Debian: the browser, a Song-style CJK font, pdftotext, and
# LibreOffice Calc to print an exported workbook.
SYSTEM_PACKAGES := chromium fonts-noto-cjk poppler-utils libreoffice-calc-nogui

.PHONY: run test bench load system-packages clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)

# What running the app needs, and on top of it what the tests need; each reinstalled only
# when the project's requirements change.
$(VENV)/.runtime-installed: pyproject.toml setup.py | $(BIN)/activate
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.test-installed: $(VENV)/.runtime-installed
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

# init-db prints the first administrator's password last, framed; nothing of ours follows it
# (flask run itself prints the address).
run: $(VENV)/.runtime-installed
	@$(FLASK) init-db --demo
	@$(FLASK) run --host $(HOST) --port $(PORT)

# The whole suite twice: on SQLite (the default), then on a local PostgreSQL server.
test: $(VENV)/.test-installed system-packages
	$(BIN)/ruff check goalsapp tests bench scripts wsgi.py
	$(BIN)/pytest
	url=$$(scripts/postgres-for-tests) && TEST_DATABASE_URL="$$url" $(BIN)/pytest

$(VENV)/.postgres-installed: $(VENV)/.runtime-installed
	$(BIN)/pip install --quiet -e '.[postgres]'
	touch $@

# Measured, not timed tests, on SQLite and on PostgreSQL: results go to docs/benchmarks.md with the
# machine they ran on. The PostgreSQL database is the benchmark's own (emptied and filled by it),
# made like the tests' by scripts/postgres-for-tests; or name another: make bench BENCH_DATABASE_URL=…
BENCH_DATABASE_URL ?= $$(scripts/postgres-for-tests goalsapp_bench)
bench: $(VENV)/.postgres-installed
	url="$(BENCH_DATABASE_URL)" && $(BIN)/python -m bench.run --database sqlite --database "$$url" --markdown docs/benchmarks.md

# Simulated users against gunicorn on loopback for a bounded time, beside the floor route served the
# same way; fails on any error or lost write.
load: $(VENV)/.runtime-installed
	$(BIN)/python -m bench.load --compare 2x4,4x4 --markdown docs/load.md

system-packages:
	@missing=$$(for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "Installing Debian packages for the browser tests: $$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	else \
		echo "The browser tests need these Debian packages: $$missing"; \
		echo "Install them with: sudo apt-get install --no-install-recommends $$missing"; \
		exit 1; \
	fi

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache
