# Attune. `make run` starts the whole product locally; `make test` runs every test.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-dev

.PHONY: run test fuzz bench install clean package publish-static

# Create the virtualenv and install the dev requirements only when they changed.
$(STAMP): requirements.txt requirements-dev.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Attune needs Python 3.11 or newer (found " + sys.version.split()[0] + ")")'
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	@PORTAL_ENV=dev $(PY) -m portal.localstack

test: $(STAMP)
	@$(PY) -m pytest

# 10,000 generated requests over every route; prints how many answered 5xx (it must be 0).
fuzz: $(STAMP)
	@FUZZ_EXAMPLES=$${FUZZ_EXAMPLES:-10000} $(PY) -m pytest tests/e2e/test_fuzz.py -q -s --timeout=0

bench: $(STAMP)
	@$(PY) -m tools.bench

clean:
	rm -rf $(VENV) dist .pytest_cache

# dist/attune-lambda.zip, built by Zappa from a clean environment holding requirements.txt only.
package: $(STAMP)
	@$(PY) -m tools.package

# Upload static/ to the stack's bucket with content-hashed names (STACK_NAME or STATIC_BUCKET).
publish-static: $(STAMP)
	@$(PY) -m tools.publish_static
