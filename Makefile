# The few verbs a newcomer needs. Everything runs from the project's own virtualenv.
VENV ?= .venv
PY := $(VENV)/bin/python

.PHONY: install run test services bench lint mutation

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed

# all five services, the national agency template loaded; Ctrl-C stops them all
run: install services
	$(VENV)/bin/satupintu run

# RabbitMQ (with the management plugin nameko's test fixtures need) and PostgreSQL
services:
	bash deploy/local/ensure-services.sh

test: install services
	$(VENV)/bin/pytest -q

bench: install services
	$(PY) bench/pipeline.py

lint: install
	$(VENV)/bin/ruff check shared services tests bench

# mutation score of the pure rule modules (cosmic-ray; slow: minutes per module)
mutation: install
	$(PY) -m pip install --quiet 'cosmic-ray>=8.4,<9'
	$(PY) bench/mutation.py --survivors
