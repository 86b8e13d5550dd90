# Zuwendo: `make run` serves the demo, `make test` runs every test.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1:8000

.PHONY: privacy run test lint format worker bench graph messages clean shell createsuperuser funder-report vendor-kern

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed-run: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed-run

## run: install, migrate the embedded SQLite database, load the demo, serve on $(HOST)
## (e-mail links point there too: PUBLIC_URL defaults to http://$(HOST))
run: $(VENV)/.installed-run
	@echo "Zuwendo's portal will be at http://$(HOST)/ (sign in with a demo login below)"
	DEBUG=1 REDIS_URL= $(PY) manage.py migrate --no-input
	DEBUG=1 REDIS_URL= $(PY) manage.py seed_demo
	@echo "Portal (sign in with a demo login above): http://$(HOST)/   API: http://$(HOST)/api/   docs: http://$(HOST)/api/docs/   admin: http://$(HOST)/admin/"
	@test -n "$$CLAMD_URL" || echo "Attachments are NOT virus-scanned in this demo (ATTACHMENT_SCAN=off); set CLAMD_URL for ClamAV."
	DEBUG=1 REDIS_URL= ATTACHMENT_SCAN=$${ATTACHMENT_SCAN:-$$(test -n "$$CLAMD_URL" && echo on || echo off)} PUBLIC_URL=$${PUBLIC_URL:-http://$(HOST)} $(PY) manage.py runserver $(HOST)

## shell / createsuperuser: on the embedded database, as `make run` serves it (set
## DATABASE_URL, SECRET_KEY and DEBUG in the environment to aim elsewhere)
shell: $(VENV)/.installed-run
	DEBUG=$${DEBUG:-1} $(PY) manage.py shell

createsuperuser: $(VENV)/.installed-run
	DEBUG=$${DEBUG:-1} $(PY) manage.py createsuperuser

## funder-report: a funder report by hand, on the same database, e.g.
##   make funder-report PROGRAM=PFD-KO PERIOD=2026-Q3 OUT=report.pdf
PROGRAM ?= PFD-KO
PERIOD ?= $(shell date +%Y)
OUT ?= funder-report.pdf
funder-report: $(VENV)/.installed-run
	DEBUG=$${DEBUG:-1} $(PY) manage.py migrate --no-input -v 0
	DEBUG=$${DEBUG:-1} $(PY) manage.py funder_report --program "$(PROGRAM)" --period "$(PERIOD)" -o "$(OUT)"

## test: install the dev dependencies and run the whole suite, in parallel (pytest-xdist;
## the tests of real services in one process of their own)
TEST_PROCESSES ?= 2
test: $(VENV)/.installed-dev
	DEBUG=1 $(PY) manage.py makemigrations --check --dry-run
	$(PY) -m pytest -n $(TEST_PROCESSES) --dist loadgroup $(PYTEST_ARGS)

## lint: ruff (lint and format), import-linter (the layers of docs/ARCHITECTURE.md) and
## Redocly CLI's `recommended` rules over the served OpenAPI schema (needs Node and npm;
## `make test` does not)
REDOCLY_VERSION := 2.77.0
REDOCLY := .tools/node_modules/.bin/redocly
lint: $(VENV)/.installed-dev $(REDOCLY)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	DEBUG=1 $(PY) manage.py privacy_register --check -o docs/privacy.md
	DEBUG=1 $(PY) manage.py privacy_register --check --language de -o docs/privacy.de.md
	DEBUG=1 $(PY) manage.py spectacular --format openapi-json --file .tools/schema.json
	$(REDOCLY) lint --config redocly.yaml .tools/schema.json

$(REDOCLY): Makefile
	npm install --silent --no-audit --no-fund --prefix .tools @redocly/cli@$(REDOCLY_VERSION)
	touch $@

format: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

## worker / beat: with DATABASE_URL and REDIS_URL set (docs/operations.md)
worker: $(VENV)/.installed-run
	$(VENV)/bin/celery -A config worker -Q default,mail,reports --loglevel=INFO

bench: $(VENV)/.installed-dev
	$(PY) bench/api_list.py
	$(PY) bench/reminders.py
	$(PY) bench/reports.py
	$(PY) bench/load.py

## graph: redraw docs/state-machine.svg from the code (needs graphviz's `dot`)
graph: $(VENV)/.installed-dev
	DEBUG=1 $(PY) manage.py graph_transitions projects.Application.state -o docs/state-machine.svg
	DEBUG=1 $(PY) manage.py graph_transitions projects.Application.state -o docs/state-machine.png
	rm -f docs/state-machine

## privacy: regenerate docs/privacy.md and docs/privacy.de.md (the DSGVO register) from
## the models' declarations
privacy: $(VENV)/.installed-dev
	DEBUG=1 $(PY) manage.py privacy_register -o docs/privacy.md
	DEBUG=1 $(PY) manage.py privacy_register --language de -o docs/privacy.de.md

## messages: refresh the German catalogue after adding strings (needs gettext's tools)
messages: $(VENV)/.installed-dev
	DEBUG=1 $(PY) manage.py makemessages -l de --ignore=.venv --ignore=tests --ignore=bench
	DEBUG=1 $(PY) manage.py compilemessages --ignore=.venv

## vendor-kern: refresh the KERN UX CSS and fonts under portal/static/ from the npm
## registry (needs Node; not part of `make run`: the files are committed)
KERN_VERSION ?= 2.7.2
vendor-kern:
	sh portal/vendor-kern.sh $(KERN_VERSION)

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
