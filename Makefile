# The few verbs a newcomer needs. Everything runs from the project's own virtualenv.
VENV ?= .venv
PY := $(VENV)/bin/python

.PHONY: install run test services browser screenshots bench lint mutation

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed

# all six services, the national agency template loaded; Ctrl-C stops them all
run: install services
	$(VENV)/bin/satupintu run

# RabbitMQ (with the management plugin nameko's test fixtures need) and PostgreSQL
services:
	bash deploy/local/ensure-services.sh

# Debian's chromium for the browser tests (tests/browser) and the screenshots
browser:
	bash deploy/local/ensure-browser.sh

test: install services browser
	$(VENV)/bin/pytest -q

# PNGs of the portal's main pages at 320 and 1280 px wide, into docs/screenshots/
screenshots: install services browser
	$(PY) -m tests.browser.screenshots

bench: install services
	$(PY) bench/pipeline.py
	$(PY) bench/portal.py

lint: install
	$(VENV)/bin/ruff check shared services tests bench

# mutation score of the pure rule modules (cosmic-ray; slow: minutes per module)
mutation: install
	$(PY) -m pip install --quiet 'cosmic-ray>=8.4,<9'
	$(PY) bench/mutation.py --survivors
