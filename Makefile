# Kinerja Desktop: the two commands are `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test

.PHONY: run test test-fast lint format-check format bench dist clean demo

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --upgrade pip

$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install -e .
	touch $@

$(TEST_STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install -e '.[test]'
	touch $(STAMP) $@

# Qt's own texts in Indonesian (Qt ships none): compiled with the lrelease PySide6 ships.
QT_QM := resources/translations/qt_id.qm
$(QT_QM): resources/translations/qt_id.ts | $(STAMP)
	$(VENV)/bin/pyside6-lrelease -silent $< -qm $@

## run: set up, check the Qt platform libraries, make the demo district on first run, open the program.
## Where the machine has no key store (a headless Linux), the demo database's key file uses the
## practice passphrase latihan123, like the demo's practice accounts; KINERJA_DB_PASSPHRASE chooses another.
run: export KINERJA_DB_PASSPHRASE ?= latihan123
run: $(STAMP) $(QT_QM)
	@$(PY) -m kinerja_desktop.ui.platform_check
	@$(PY) -c "import sys; from kinerja_desktop import paths; sys.exit(0 if paths.default_database().exists() else 1)" \
		|| $(VENV)/bin/kinerja demo
	$(VENV)/bin/kinerja

## test: set up with test extras, check the code (ruff lint and format, mypy, the import contracts),
## then run every test offscreen except the ones that need the built program (marker `frozen`, run by
## selftest-frozen). FORMAT_CHECK=0 skips `ruff format --check` (`make format` formats the tree).
PYTEST_ARGS ?= --durations=15
FORMAT_CHECK ?= 1
test: $(TEST_STAMP) $(QT_QM) lint
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -m "not frozen" $(PYTEST_ARGS)

## test-fast: the quick lane: no slow tests (marker `slow`), no frozen-program tests
test-fast: $(TEST_STAMP) $(QT_QM)
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -m "not slow and not frozen" $(PYTEST_ARGS)

## lint: ruff (rules in pyproject.toml), mypy on domain/store/services, the import-linter contracts
lint: $(TEST_STAMP)
	$(VENV)/bin/ruff check kinerja_desktop tests benchmarks tools
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports
	@if [ "$(FORMAT_CHECK)" = "1" ]; then $(MAKE) --no-print-directory format-check; fi

format-check: $(TEST_STAMP)
	$(VENV)/bin/ruff format --check kinerja_desktop tests benchmarks tools

## format: lay the code out as `make test` expects it
format: $(TEST_STAMP)
	$(VENV)/bin/ruff format kinerja_desktop tests benchmarks tools

bench: $(TEST_STAMP)
	$(PY) benchmarks/run_all.py

clean:
	rm -rf build dist *.egg-info

## dist: the one-folder program in dist/kinerja (PyInstaller) and its Linux tarball
VERSION = $(shell $(PY) -c "import kinerja_desktop; print(kinerja_desktop.__version__)")
PYINSTALLER_STAMP := $(VENV)/.installed-pyinstaller

$(PYINSTALLER_STAMP): $(STAMP)
	$(PY) -m pip install 'pyinstaller>=6.10'
	touch $@

dist: $(STAMP) $(PYINSTALLER_STAMP) $(QT_QM)
	rm -rf dist/kinerja
	$(PY) -m PyInstaller --noconfirm --log-level WARN --distpath dist --workpath build/pyinstaller packaging/kinerja.spec
	cp packaging/linux/kinerja-desktop.desktop packaging/linux/kinerja-desktop-import.desktop \
		packaging/linux/kinerja-desktop-mime.xml packaging/linux/install-desktop-entry.sh \
		resources/icons/kinerja.png dist/kinerja/
	@du -sh dist/kinerja
	tar -C dist -czf dist/kinerja-desktop-$(VERSION)-linux-x86_64.tar.gz kinerja
	@ls -l dist/kinerja-desktop-$(VERSION)-linux-x86_64.tar.gz

.PHONY: selftest-frozen
## selftest-frozen: run the self-test of the built program, offscreen
selftest-frozen:
	QT_QPA_PLATFORM=offscreen dist/kinerja/kinerja selftest --json dist/selftest.json
