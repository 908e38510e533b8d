# make run  — install what is needed and start the service on http://127.0.0.1:8000 (SQLite, no Redis);
#             the first time, it makes the district account admin and prints its one-time password
# make test — run the whole test suite (real LibreOffice, real chromium, the installed archive tools)
SYSTEM_PYTHON ?= /usr/bin/python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test deps test-deps venv test-venv system test-tools fonts bench clean

run: deps
	@$(VENV)/bin/paicha users ensure-admin  # the first district account, its one-time password printed once
	$(VENV)/bin/gunicorn -c gunicorn.conf.py --bind $(HOST):$(PORT) wsgi:app

test: test-deps
	$(VENV)/bin/pytest -q

# what the service needs to run; test-deps adds the test tools (chromium, poppler, archive tools) and [test]
deps: system fonts venv
test-deps: test-tools fonts test-venv

system:
	@bash tools/install_system.sh

test-tools:
	@bash tools/install_system.sh --with-test-tools

fonts:
	@if [ "$$(id -u)" = 0 ]; then bash tools/install_fonts.sh; \
	else echo "fonts: not root — run 'sudo bash tools/install_fonts.sh' once for PDFs in official fonts"; fi

# The venv sees the system site-packages so the unoserver side can import uno (python3-uno).
venv: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(SYSTEM_PYTHON) -m venv --system-site-packages $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e .
	touch $@

test-venv: $(VENV)/.installed-test

$(VENV)/.installed-test: $(VENV)/.installed
	$(PY) -m pip install -q -e '.[test]'
	touch $@

bench: deps
	$(PY) bench/office_bench.py

clean:
	rm -rf $(VENV) instance .pytest_cache test-artifacts
