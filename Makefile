# Coursesmith: `make site` builds the course site and handouts, `make test` runs every check.
SHELL := /bin/bash
export NO_MKDOCS_2_WARNING := 1
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Debian packages the project needs: Pango for WeasyPrint's PDFs, HarfBuzz's subsetter (WeasyPrint
# subsets fonts with it when present, else with fontTools), fonts for the handouts; Chromium and
# poppler for the browser and PDF tests. Installed only when missing.
SITE_DEBS := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core fonts-dejavu-extra
TEST_DEBS := $(SITE_DEBS) chromium poppler-utils
# LibreOffice (headless) writes the OpenDocument and .doc fixtures of the Word import tests; the
# files are committed, so only `make word-fixtures` needs it, not `make test`.
FIXTURE_DEBS := libreoffice-writer-nogui
# Commands the tests need, each with the Debian package that brings it: Java for the Nu HTML
# Checker, Node.js and npm for the test clients. Checked as commands, not packages, because a
# machine may have them from elsewhere (NodeSource's nodejs bundles npm and conflicts with
# Debian's npm package).
TEST_COMMANDS := java:default-jre-headless node:nodejs npm:npm
# Real clients the tests run our output through (axe-core, Lighthouse, the Nu HTML Checker,
# scorm-again, gift-pegjs), pinned by tests/node/package-lock.json. --ignore-scripts: nothing
# there may download a browser; the tests drive Debian's Chromium.
NODE_DIR := tests/node
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: site test serve check bench lint clean goldens catalogues system-deps-site system-deps-test \
	word-fixtures

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml setup.py | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml setup.py $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[test,zensical]'
	touch $@

system-deps-site:
	@missing=$$(for p in $(SITE_DEBS); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then echo "Installing Debian packages: $$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing >/dev/null; fi

system-deps-test:
	@missing=$$(for p in $(TEST_DEBS); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done; \
	  for c in $(TEST_COMMANDS); do command -v $${c%%:*} >/dev/null || echo $${c#*:}; done); \
	if [ -n "$$missing" ]; then echo "Installing Debian packages: $$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing >/dev/null; fi

site: $(VENV)/.installed system-deps-site
	$(BIN)/coursesmith build

check: $(VENV)/.installed
	$(BIN)/coursesmith check

serve: $(VENV)/.installed
	$(BIN)/coursesmith serve

lint: $(VENV)/.installed-test
	$(BIN)/ruff check generator tests setup.py $(wildcard bench)
	$(BIN)/ruff format --check generator tests setup.py $(wildcard bench)
	$(BIN)/mypy

$(NODE_DIR)/node_modules/.installed: $(NODE_DIR)/package.json $(NODE_DIR)/package-lock.json
	cd $(NODE_DIR) && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

test: $(VENV)/.installed-test system-deps-test $(NODE_DIR)/node_modules/.installed lint
	$(BIN)/python -m pytest -q --durations=15

# Rewrites the golden files under tests/goldens/ (GIFT, QTI, Moodle XML, SCORM manifests) from
# the current exports, on purpose: review them with `git diff` before committing.
goldens: $(VENV)/.installed-test
	UPDATE_GOLDENS=1 $(BIN)/python -m pytest -q tests/test_export_goldens.py

# Re-extracts the interface messages (templates, Python, the scripts' strings listed in
# generator/i18n/script_strings.py) into site_templates/locale/coursesmith.pot and merges them into
# every <lang>.po there: new messages arrive empty, for a translator to fill in; review with
# `git diff`, then run the catalogue tests (tests/test_i18n_interface.py).
LOCALE := site_templates/locale
catalogues: $(VENV)/.installed
	$(BIN)/pybabel -q extract -F $(LOCALE)/babel.cfg -c TRANSLATORS: -k tr:2 -k ntr:2,3 -k N_ -k N_plural:1,2 \
	  --ignore-dirs=".* ._ node_modules site" --add-location=file --sort-by-file --width=100 \
	  --project=Coursesmith \
	  --copyright-holder="Coursesmith contributors" -o $(LOCALE)/coursesmith.pot .
	for po in $(LOCALE)/*.po; do [ -e "$$po" ] || continue; \
	  $(BIN)/pybabel -q update --no-fuzzy-matching --ignore-obsolete --width=100 \
	    -i $(LOCALE)/coursesmith.pot -o $$po -l $$(basename $$po .po) || exit 1; \
	done

# Rewrites tests/fixtures/word/ (Word, OpenDocument, .doc, password-protected, zip bomb) with
# python-docx, LibreOffice and msoffcrypto-tool; review and commit them.
word-fixtures: $(VENV)/.installed-test
	@missing=$$(for p in $(FIXTURE_DEBS); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then echo "Installing Debian packages: $$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing >/dev/null; fi
	$(BIN)/python tests/fixtures/word/make_fixtures.py

bench: $(VENV)/.installed-test
	$(BIN)/python bench/run.py

clean:
	rm -rf site .site-* .pytest_cache .mypy_cache .ruff_cache
