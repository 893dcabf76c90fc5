# The project's commands. Each one prepares what it needs first (virtualenv, Odoo 18.0,
# PostgreSQL, configuration) through tools/devenv.py, and skips what is already done.
PYTHON ?= python3
DEVENV = $(PYTHON) tools/devenv.py

.PHONY: run test test-next-year pytest check-odoo-core setup bench lint

run:            ## serve Odoo with the three addons and demo data on http://localhost:8069
	$(DEVENV) run

test:           ## fresh test database, then every test; PYTEST_ARGS narrows it down
	$(DEVENV) test $(PYTEST_ARGS)

test-next-year: ## the same as test, with Odoo's and the tests' clock one year ahead
	SOCIAL_CRM_CLOCK_OFFSET=+365d $(DEVENV) test $(PYTEST_ARGS)

pytest:         ## the quick loop: tests on the existing test database (updated if the code changed)
	$(DEVENV) pytest $(PYTEST_ARGS)

check-odoo-core: ## Odoo's own crm and sale tests with our addons installed
	$(DEVENV) check-odoo-core

setup:          ## only prepare the environment
	$(DEVENV) setup

bench:          ## benchmarks of bench/ on their own database (BENCH="identity_matching" picks some)
	$(DEVENV) bench $(BENCH)

lint:           ## ruff and pylint-odoo (OCA's mandatory checks); LINT_PATHS narrows it down
	$(DEVENV) lint $(LINT_PATHS)
