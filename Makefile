# The two commands a newcomer needs: `make run` and `make test`.
# Everything else here is what those two are made of.

VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py

# The first interpreter that is Python 3.12 or newer: on PATH, or from pyenv.
# Each candidate is run, because a pyenv shim exists even where it cannot run.
FIND_PYTHON := for candidate in "$$PYTHON" python3.12 python3.13 python3.14 python3 \
	  $$(command -v pyenv >/dev/null 2>&1 && \
	     for v in $$(pyenv versions --bare 2>/dev/null | grep -E '^3\.1[2-9]' | sort -V); do \
	       echo "$$(pyenv root)/versions/$$v/bin/python"; done); do \
	  [ -n "$$candidate" ] || continue; \
	  if "$$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then \
	    echo "$$candidate"; exit 0; fi; \
	done; exit 1

.PHONY: run test test-postgresql lint check install serve-dev clean bench bench-import bench-spam

run: install
	$(MANAGE) migrate --noinput
	$(MANAGE) loadseed
	$(MANAGE) createadmin
	$(MANAGE) collectstatic --noinput --verbosity 0
	@echo "Serving on http://$${GUNICORN_BIND:-127.0.0.1:8000}/ (Ctrl-C stops it)"
	@# The task worker sends the mail the site enqueues; it stops with the site.
	$(MANAGE) db_worker --no-startup-delay & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  $(BIN)/gunicorn --config config/gunicorn.conf.py

test: install lint check
	$(BIN)/pytest
	$(ON_POSTGRESQL) $(BIN)/pytest

# The suite again on the production engines: a throwaway PostgreSQL cluster
# and Redis server, started for the run and stopped after (tests/services.py).
# Where they are not installed the run is skipped with the reason, except
# under CI=true, where that fails.
ON_POSTGRESQL := $(BIN)/python -m tests.services postgresql redis --

test-postgresql: install
	$(ON_POSTGRESQL) $(BIN)/pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

check: install
	$(MANAGE) makemigrations --check --dry-run
	$(MANAGE) check --fail-level WARNING

# Page times, queries and throughput on a generated site in a scratch
# database; bench/README.md explains the results.
bench: install
	$(BIN)/python -m bench

# The WordPress import of a generated export (1,000 posts, 10,000 comments)
# into a scratch database, twice; bench/README.md explains the results.
bench-import: install
	$(BIN)/python -m bench.importing

# A wave of 500 spam and reader comments through the comment form, over the
# seed content in a scratch database: what each moderation rule did.
bench-spam: install
	$(BIN)/python -m bench.spam_wave

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	@python=$$($(FIND_PYTHON)) || { \
	  echo "Python 3.12 or newer is needed: install it, or set PYTHON=/path/to/python3.12" >&2; \
	  exit 1; }; \
	echo "Using $$python ($$("$$python" --version))"; \
	[ -x $(BIN)/python ] || "$$python" -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet ".[test]"
	@touch $@

clean:
	rm -rf $(VENV) staticfiles
