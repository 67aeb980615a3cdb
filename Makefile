# The front door: `make run` to try Newsroom, `make test` to check it. Needs Python 3.11+ and nothing else.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run test bench lint format migrate demo messages clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -c 'import sys; sys.exit("Newsroom needs Python 3.11 or newer") if sys.version_info < (3, 11) else None'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

migrate: install
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py load_demo --host $(HOST) --port $(PORT)

run: demo
	@echo "Newsroom: http://$(HOST):$(PORT)/  (admin: http://$(HOST):$(PORT)/admin/)"
	DJANGO_DEBUG=$${DJANGO_DEBUG:-true} $(PY) manage.py runserver $(HOST):$(PORT)

test: install
	$(PY) -m pytest $(PYTEST_ARGS)

# Read-path benchmarks on generated data, as ratios to a baseline of the same run; then the wire parser's
# time per story (never in CI).
bench: install
	$(PY) bench/run.py
	$(PY) bench/wire.py
	$(PY) bench/search.py

lint: install
	$(VENV)/bin/ruff check .

format: install
	$(VENV)/bin/ruff format .

# Rebuild the interface translations (needs GNU gettext; the compiled .mo files are committed).
# One run from the top: code and templates/ all land in LOCALE_PATHS (articles/locale); a second run over
# part of the tree would mark the other part's strings obsolete, and --no-obsolete would drop them.
messages: install
	$(PY) manage.py makemessages -l ar -l ur --ignore=.venv --ignore=articles/wire --ignore=bench --ignore=tests --no-obsolete
	cd articles && ../$(PY) ../manage.py compilemessages

clean:
	rm -rf $(VENV) .pytest_cache staticfiles
