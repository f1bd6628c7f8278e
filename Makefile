# Kinerja Desktop: the two commands are `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test

.PHONY: run test lint bench dist clean demo

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --upgrade pip

$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install -e .
	touch $@

$(TEST_STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install -e '.[test]'
	touch $(STAMP) $@

## run: set up, make the demo district on first run, open the program
run: $(STAMP)
	@$(PY) -c "import sys; from kinerja_desktop import paths; sys.exit(0 if paths.default_database().exists() else 1)" \
		|| $(VENV)/bin/kinerja demo
	$(VENV)/bin/kinerja

## test: set up with test extras and run every test offscreen (and the layer contracts)
test: $(TEST_STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest
	$(VENV)/bin/lint-imports

lint: $(TEST_STAMP)
	$(VENV)/bin/lint-imports

bench: $(TEST_STAMP)
	$(PY) benchmarks/run_all.py

clean:
	rm -rf build dist *.egg-info
