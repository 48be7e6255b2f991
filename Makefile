# Yingshang (营商): the front door. `make run` starts everything; `make test` checks everything.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PACKAGES := shared gateway svc-approvals svc-hotline svc-complaints svc-visits svc-ratings
# package dir -> import name, for mypy (each checked from its src/ with the root config)
MODULES := shared:yingshang gateway:ys_gateway svc-approvals:ys_approvals \
           svc-hotline:ys_hotline svc-complaints:ys_complaints svc-visits:ys_visits \
           svc-ratings:ys_ratings
STAMP := $(VENV)/.ys-installed
PG_URL ?= postgresql://postgres@127.0.0.1:5432/postgres
SUITE ?=
B ?=
# pytest caches its assertion-rewritten modules as bytecode: without it every test process
# recompiles hundreds of modules.
unexport PYTHONDONTWRITEBYTECODE

.PHONY: help install run demo test lint fmt bench bench-ir fuzz faults clean distclean pg-create rehearse

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# Reinstall only when a package's dependencies change: a second `make` is instant.
$(STAMP): $(PY) requirements-dev.txt $(addsuffix /pyproject.toml,$(PACKAGES))
	$(PY) -m pip install --quiet $(addprefix -e ,$(PACKAGES)) -r requirements-dev.txt
	@touch $@

install: $(STAMP) ## create .venv and install every package (editable) and the dev tools

run: $(STAMP) ## start NATS, migrations, the five services and the gateway (Ctrl-C stops all)
	$(PY) -m yingshang.supervisor --config deploy/services.toml --var var

demo: $(STAMP) ## play a week of county work into the running system (start `make run` first)
	$(PY) scripts/demo.py

test: $(STAMP) ## run the suites (SUITE=unit|unit-pg|e2e|faults+security|browser|cluster)
	@scripts/browser_deps.sh
	$(PY) scripts/test_suites.py $(SUITE)

lint: $(STAMP) ## ruff check + ruff format --check + mypy --strict per package
	@status=0; \
	$(VENV)/bin/ruff check . || status=1; \
	$(VENV)/bin/ruff format --check . || status=1; \
	for pair in $(MODULES); do \
	  dir=$${pair%%:*}; mod=$${pair##*:}; echo "mypy --strict $$mod"; \
	  (cd $$dir/src && ../../$(VENV)/bin/mypy --strict --config-file ../../pyproject.toml -p $$mod) || status=1; \
	done; exit $$status

fmt: $(STAMP) ## apply ruff fixes and formatting to the whole tree
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: $(STAMP) ## run the benchmarks (B=B2 for one); figures, not pass/fail
	$(PY) bench/run.py $(B)

bench-ir: $(STAMP) ## instructions per B2 ticket under callgrind (REF=main to compare); needs valgrind
	$(PY) bench/instructions.py $(if $(REF),--ref $(REF))

# One pytest process per package: each package's tests folder may be a package named `tests`.
fuzz: $(STAMP) ## schemathesis over every service's OpenAPI with many more examples
	@status=0; for pkg in $(filter-out shared,$(PACKAGES)); do \
	  YS_FUZZ_MAX_EXAMPLES=$${YS_FUZZ_MAX_EXAMPLES:-150} \
	    $(PY) -m pytest -q -k test_api_fuzz $$pkg/tests/test_platform.py || status=1; \
	done; exit $$status

faults: $(STAMP) ## the fault-injection suite alone at full size (broker and service crashes)
	YS_FAULT_TICKETS=$${YS_FAULT_TICKETS:-2000} $(PY) -m pytest tests/faults -s -p no:logging

pg-create: $(STAMP) ## create the per-service PostgreSQL databases ys_gateway, ys_hotline, ...
	$(PY) scripts/pg_create.py --url "$(PG_URL)"

rehearse: $(STAMP) ## 3 NATS nodes, PostgreSQL ys_r_*, 2 replicas per service, the gateway
	$(PY) scripts/rehearse.py --url "$(PG_URL)" $(if $(CHECK),--check)

clean: ## remove run data (var/), test artifacts and caches; keeps .venv
	rm -rf var test-artifacts bench/out .pytest_cache .mypy_cache .ruff_cache .hypothesis
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -print0 | xargs -0 rm -rf

distclean: clean ## also remove .venv
	rm -rf $(VENV)
