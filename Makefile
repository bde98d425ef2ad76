# Two commands for a fresh machine: `make run` (the demo school at http://127.0.0.1:8000)
# and `make test` (the whole suite). Everything they need is installed here.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test check deps assets migrate demo clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -qq --upgrade pip
	$(PY) -m pip install -qq -r requirements-dev.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

deps: $(VENV)/.installed node_modules/.installed

migrate: deps
	DEBUG=1 $(PY) manage.py migrate --noinput

demo: migrate
	DEBUG=1 $(PY) manage.py load_demo

# The server, the django-tasks worker (reminder e-mails, background jobs) and the hourly reminder
# scan run together; Ctrl+C stops all three.
run: demo
	@echo "Trọng Tâm: http://$(HOST):$(PORT)/  (Ctrl+C để dừng)"
	@trap 'kill $$(jobs -p) 2>/dev/null; wait' EXIT INT TERM; \
	DEBUG=1 $(PY) manage.py db_worker --no-reload & \
	DEBUG=1 $(PY) manage.py send_reminders --every 3600 & \
	DEBUG=1 $(PY) manage.py runserver $(HOST):$(PORT)

check: deps
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy .
	DEBUG=1 $(PY) manage.py makemigrations --check --dry-run
	SECRET_KEY=$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))') ALLOWED_HOSTS=example.org \
		$(PY) manage.py check --deploy --fail-level WARNING

test: check
	bash scripts/test.sh

clean:
	rm -rf $(VENV) node_modules staticfiles db.sqlite3
