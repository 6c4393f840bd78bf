# Attune. `make run` starts the whole product locally; `make test` runs every test.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-dev

.PHONY: run import-clients import-appointments test unit integration e2e lint fuzz bench install clean package publish-static simulate

# Create the virtualenv and install the dev requirements only when they changed, saying so:
# pip is quiet, and a first install takes a minute or two.
$(STAMP): requirements.txt requirements-dev.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Attune needs Python 3.11 or newer (found " + sys.version.split()[0] + ")")'
	@started=$$(date +%s); \
	if test -x $(PY); then \
		echo "The requirements changed: updating Attune's dependencies in $(VENV) (about a minute)..."; \
	else \
		echo "Installing Attune's dependencies into $(VENV) (first run only, about 1-2 minutes)..."; \
		$(PYTHON) -m venv $(VENV) || exit 1; \
	fi; \
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt \
		|| { echo "The install stopped: pip says why above. Run the same command again once that is fixed."; exit 1; }; \
	touch $(STAMP); \
	echo "Dependencies installed in $$(( $$(date +%s) - started )) s. Later runs skip this step."

install: $(STAMP)

run: $(STAMP)
	@PORTAL_ENV=dev $(PY) -m devstack

# A CSV into the stack `make run` is running (in another terminal): FILE=clients.csv.
import-clients import-appointments: $(STAMP)
	@test -n "$(FILE)" || { echo "Say which file: make $@ FILE=path/to/file.csv"; exit 2; }
	@$(PY) -m devstack.cli $@ "$(FILE)"

# The layers (.importlinter), the lint rules (ruff.toml) and mypy's errors per folder against
# mypy-baseline.txt first: seconds, where the tests take minutes. Then every tier, in one run
# (one emulator, one deployed template).
# Every tier on all cores (pytest-xdist), a test file's tests on one worker: each worker has
# its own emulator and deployed template, so files never share a table.
PARALLEL ?= -n auto --dist loadfile

test: lint
	@$(PY) -m pytest $(PARALLEL)

# One tier each: the in-memory unit tests; the tests on moto; the app served and driven (browser
# tests included).
unit: $(STAMP)
	@$(PY) -m pytest tests/unit

integration: $(STAMP)
	@$(PY) -m pytest $(PARALLEL) tests/integration

e2e: $(STAMP)
	@$(PY) -m pytest $(PARALLEL) tests/e2e

lint: $(STAMP)
	@$(VENV)/bin/lint-imports --no-logo --no-cache
	@$(VENV)/bin/ruff check --no-cache --quiet .
	@$(PY) -m tools.mypy_budget

# 10,000 generated requests over every route; prints how many answered 5xx (it must be 0).
fuzz: $(STAMP)
	@FUZZ_EXAMPLES=$${FUZZ_EXAMPLES:-10000} $(PY) -m pytest tests/e2e/test_fuzz.py -q -s --timeout=0

bench: $(STAMP)
	@$(PY) -m tools.bench

# A simulated practice's quarter through the real app, every scenario (README: Simulated
# practice). Options: make simulate SIM_ARGS="--ci-seeds 5" or "--store dynamodb --clients 30".
simulate: $(STAMP)
	@$(PY) -m sim $(SIM_ARGS)

clean:
	rm -rf $(VENV) dist .pytest_cache

# dist/attune-lambda.zip, built by Zappa from a clean environment holding requirements.txt only.
package: $(STAMP)
	@$(PY) -m tools.package

# Upload static/ to the stack's bucket with content-hashed names (STACK_NAME or STATIC_BUCKET).
publish-static: $(STAMP)
	@$(PY) -m tools.publish_static
