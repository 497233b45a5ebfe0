# Developer and CI entry points.
#
#   make run     install what is needed, migrate, load the demo data, serve on 127.0.0.1:8000
#   make test    lint, tests on SQLite, tests on PostgreSQL, browser tests
#
# Extra pytest arguments: make test PYTEST_ARGS="-k import"

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PYTEST_ARGS ?=
# The SQLite and PostgreSQL passes run on every core (pytest-xdist, one test database per
# worker); the browser pass runs in one process beside its live server.
PYTEST_WORKERS ?= auto

RUN_DEB_PACKAGES := fonts-noto-cjk fonts-arphic-ukai libharfbuzz-subset0
TEST_DEB_PACKAGES := postgresql chromium poppler-utils $(RUN_DEB_PACKAGES)

# pytest exits with 5 when it selected no test. That is only acceptable when PYTEST_ARGS
# narrowed the selection (e.g. -k matching nothing in the browser pass); a bare run must test.
ALLOW_NO_TESTS := $(if $(strip $(PYTEST_ARGS)), || test $$? -eq 5,)

# The pieces of `make test` must run one after the other, even under make -j.
.NOTPARALLEL:

.PHONY: run test lint test-sqlite test-postgres test-browser venv clean \
            system-deps-run system-deps-test

run: system-deps-run $(STAMP)
	DJANGO_DEBUG=1 $(PY) manage.py migrate --noinput
	DJANGO_DEBUG=1 $(PY) manage.py load_demo
	DJANGO_DEBUG=1 scripts/serve.sh $(PY) 127.0.0.1:8000

test: lint test-sqlite test-postgres test-browser

lint: $(STAMP)
	$(VENV)/bin/ruff check .

test-sqlite: system-deps-test $(STAMP)
	env -u DATABASE_URL $(VENV)/bin/pytest -q -m "not browser" -n $(PYTEST_WORKERS) $(PYTEST_ARGS) $(ALLOW_NO_TESTS)

test-postgres: system-deps-test $(STAMP)
	$(PY) scripts/with_postgres.py -- $(VENV)/bin/pytest -q -m "not browser" -n $(PYTEST_WORKERS) $(PYTEST_ARGS) $(ALLOW_NO_TESTS)

test-browser: system-deps-test $(STAMP)
	env -u DATABASE_URL $(VENV)/bin/pytest -q -m browser $(PYTEST_ARGS) $(ALLOW_NO_TESTS)

system-deps-run:
	@scripts/system-deps.sh $(RUN_DEB_PACKAGES)

system-deps-test:
	@scripts/system-deps.sh $(TEST_DEB_PACKAGES)

venv: $(STAMP)

# (Re)install the project into the venv whenever pyproject.toml is newer than the stamp.
$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 10))' 2>/dev/null || { \
	    echo "error: '$(PYTHON)' is missing or older than Python 3.10 (found: $$($(PYTHON) --version 2>&1)). Install Python >= 3.10 or run make PYTHON=/path/to/python3.x" >&2; \
	    exit 1; }
	@if [ ! -x $(PY) ]; then \
	    $(PYTHON) -c 'import ensurepip, venv' 2>/dev/null || scripts/system-deps.sh python3-venv; \
	    echo "Creating $(VENV) with $$($(PYTHON) --version)"; \
	    $(PYTHON) -m venv $(VENV); \
	fi
	$(PY) -m pip install --disable-pip-version-check -e ".[dev]"
	@touch $(STAMP)

clean:
	rm -rf $(VENV) var/ test-results/ build/ .pytest_cache/ .ruff_cache/ *.egg-info/
