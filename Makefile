# Two commands for a fresh machine: `make run` (the demo school at http://127.0.0.1:8000)
# and `make test` (the whole suite). Everything they need is installed here.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

# Served on every interface, the demo answers other machines too, so it accepts any host name
# (Django answers 400 to a host it does not know); an ALLOWED_HOSTS from the environment wins.
ifeq ($(HOST),0.0.0.0)
ALLOWED_HOSTS ?= *
export ALLOWED_HOSTS
endif

.PHONY: run serve-prod test check deps deps-run assets migrate demo clean lock

# Python packages come from the lock files, every one pinned with its hashes (pip included):
# requirements.lock for the site, requirements-dev.lock (a superset) for tests and linters.
# After editing requirements*.txt, run `make lock`.
$(VENV)/.installed-run: requirements.lock
	@echo "==> Python packages for the site (first time: about 3 minutes)"
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -qq --require-hashes -r requirements.lock
	touch $@

$(VENV)/.installed: requirements-dev.lock $(VENV)/.installed-run
	@echo "==> Python packages for tests and linters (first time: about 2 minutes)"
	$(PY) -m pip install -qq --require-hashes -r requirements-dev.lock
	touch $@

node_modules/.installed: package.json package-lock.json
	@echo "==> Front-end packages (npm ci, first time: about 10 seconds)"
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

deps-run: $(VENV)/.installed-run node_modules/.installed

deps: $(VENV)/.installed node_modules/.installed

migrate: deps-run
	@echo "==> Database migrations (first time: 1–3 minutes)"
	DEBUG=1 $(PY) manage.py migrate --noinput

demo: migrate
	@echo "==> The demo school (first time: about 1 minute)"
	DEBUG=1 $(PY) manage.py load_demo

# Regenerate the lock files from requirements*.txt (pip-tools in a throwaway virtualenv);
# `make lock UPGRADE=1` moves every package to its newest allowed version.
lock:
	bash scripts/lock.sh $(if $(UPGRADE),--upgrade)

# The server, the django-tasks worker (notification e-mails, background jobs), the hourly reminder
# scan and the daily digest (checked hourly, sent once a day from 06:00) run together; Ctrl+C
# stops them all. The worker and the scan are restarted after a short
# back-off if they exit (a database error, say) instead of leaving the site without them.
run: demo
	@echo "Trọng Tâm: http://$(HOST):$(PORT)/  (Ctrl+C để dừng)"
	@trap 'kill $$(jobs -p) 2>/dev/null; wait' EXIT INT TERM; \
	DEBUG=1 bash scripts/supervise.sh $(PY) manage.py db_worker --no-reload & \
	DEBUG=1 bash scripts/supervise.sh $(PY) manage.py send_reminders --every 3600 & \
	DEBUG=1 bash scripts/supervise.sh $(PY) manage.py send_digests --every 3600 & \
	DEBUG=1 $(PY) manage.py runserver $(HOST):$(PORT)

# The production set-up on this machine (docs/DEPLOYMENT.md): a throwaway PostgreSQL cluster, two
# gunicorn app servers on PORT and PORT+1 sharing only the database, the cache and the file store,
# and the worker, with DEBUG off. Ctrl+C stops them all and removes the throwaway database.
serve-prod: deps-run
	PORT=$(PORT) bash scripts/serve-prod.sh

check: deps
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy .
	$(VENV)/bin/lint-imports
	DEBUG=1 $(PY) manage.py makemigrations --check --dry-run
	SECRET_KEY=$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))') ALLOWED_HOSTS=example.org \
		$(PY) manage.py check --deploy --fail-level WARNING

test: check
	bash scripts/test.sh

clean:
	rm -rf $(VENV) node_modules staticfiles db.sqlite3
