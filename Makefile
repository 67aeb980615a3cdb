# The front door: `make run` to try Newsroom, `make test` to check it, `make serve` for the production profile.
# Needs Python 3.11+ and nothing else.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

# Commands for a developer's machine run with DEBUG on unless DJANGO_DEBUG says otherwise: with DEBUG off
# the settings are production's and want a DJANGO_SECRET_KEY of your own.
DEV := DJANGO_DEBUG=$${DJANGO_DEBUG:-true}
# `make serve`: the production profile over plain http on this machine, so without the redirect to https and
# without secure cookies (a browser drops those over http); the key is generated once into .secret-key.
SERVE_ENV := DJANGO_DEBUG=false DJANGO_SECRET_KEY="$$(cat .secret-key)" DJANGO_SECURE_SSL_REDIRECT=false \
	DJANGO_SESSION_COOKIE_SECURE=false DJANGO_CSRF_COOKIE_SECURE=false GUNICORN_BIND=$(HOST):$(PORT)

.PHONY: install run serve test bench lint format migrate demo messages clean backup restore

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -c 'import sys; sys.exit("Newsroom needs Python 3.11 or newer") if sys.version_info < (3, 11) else None'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

migrate: install
	$(DEV) $(PY) manage.py migrate --noinput

demo: migrate
	$(DEV) $(PY) manage.py load_demo --host $(HOST) --port $(PORT)

run: demo
	@echo "Newsroom: http://$(HOST):$(PORT)/  (admin: http://$(HOST):$(PORT)/admin/)"
	$(DEV) $(PY) manage.py runserver $(HOST):$(PORT)

.secret-key:
	umask 077 && $(PY) -c 'import secrets; print(secrets.token_urlsafe(50))' > $@

# The production profile under gunicorn (gunicorn.conf.py: 2 workers), static files collected and served by
# whitenoise, JSON logs; Redis when REDIS_URL is set or a server answers on 127.0.0.1:6379. docs/deploy.md.
serve: install .secret-key
	$(SERVE_ENV) $(PY) manage.py migrate --noinput
	$(SERVE_ENV) $(PY) manage.py load_demo --host $(HOST) --port $(PORT)
	$(SERVE_ENV) $(PY) manage.py collectstatic --noinput --verbosity 0
	@redis="$${REDIS_URL:-}"; \
	if [ -z "$$redis" ] && redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then redis=redis://127.0.0.1:6379/0; fi; \
	echo "Newsroom, production profile: http://$(HOST):$(PORT)/  (gunicorn$${redis:+, Redis at $$redis})"; \
	exec env $${redis:+REDIS_URL=$$redis} $(SERVE_ENV) $(VENV)/bin/gunicorn --config gunicorn.conf.py

test: install
	$(PY) -m pytest $(PYTEST_ARGS)

# Read-path benchmarks on generated data, as ratios to a baseline of the same run; the wire parser's time per
# story; search; then the whole application under gunicorn and wrk, as shares of a bare view's rate (never in
# CI). Each replaces its own section of bench/results.md.
bench: install
	$(PY) bench/run.py
	$(PY) bench/wire.py
	$(PY) bench/search.py
	$(PY) bench/serve.py
	$(PY) bench/instructions.py

# The whole database to FILE and back, in the configured engine's own format (docs/backup.md): SQLite's backup
# API or pg_dump/pg_restore. `make restore` refuses a database that has tables unless FORCE=1.
# They need the virtual environment's Python, not `install`: on a production host a backup must not reinstall
# anything, least of all the development tools.
HAVE_PY = @test -x $(PY) || { echo "$(PY) not found: create the virtual environment first (make install)" >&2; exit 2; }

backup:
	$(HAVE_PY)
	@test -n "$(FILE)" || { echo "usage: make backup FILE=newsroom.backup  (docs/backup.md)" >&2; exit 2; }
	$(DEV) $(PY) manage.py backup "$(FILE)"

restore:
	$(HAVE_PY)
	@test -n "$(FILE)" || { echo "usage: make restore FILE=newsroom.backup [FORCE=1]  (docs/backup.md)" >&2; exit 2; }
	$(DEV) $(PY) manage.py restore "$(FILE)" $(if $(filter 1 true yes,$(FORCE)),--force)

lint: install
	$(VENV)/bin/ruff check .

format: install
	$(VENV)/bin/ruff format .

# Rebuild the interface translations (needs GNU gettext; the compiled .mo files are committed).
# One run from the top: code and templates/ all land in LOCALE_PATHS (articles/locale); a second run over
# part of the tree would mark the other part's strings obsolete, and --no-obsolete would drop them.
messages: install
	$(DEV) $(PY) manage.py makemessages -l ar -l ur --ignore=.venv --ignore=articles/wire --ignore=bench --ignore=tests --no-obsolete
	cd articles && $(DEV) ../$(PY) ../manage.py compilemessages

clean:
	rm -rf $(VENV) .pytest_cache staticfiles
