# Two commands: `make demo` (install, migrate, demo data, serve) and `make test` (every test).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
ENTITIES ?= 20000
PORT ?= 8000

.PHONY: demo test install install-test browser lint fmt bench clean wheelhouse

$(BIN)/shuangsuiji: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $@

install: $(BIN)/shuangsuiji

$(VENV)/.test-deps: $(BIN)/shuangsuiji
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

install-test: $(VENV)/.test-deps

# Browser tests drive Debian's Chromium (screenshots and report charts need a CJK font; the annual
# report test opens the report in LibreOffice); install what is missing
# when we may (root with apt), else say what to install.
BROWSER_PACKAGES := chromium fonts-noto-cjk libreoffice-writer-nogui libreoffice-calc-nogui
browser:
	@missing=$$(for p in $(BROWSER_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "missing Debian packages for the browser tests: $$missing" >&2; exit 1; fi; \
	fi

demo: install
	$(BIN)/shuangsuiji demo --entities $(ENTITIES) --port $(PORT)

test: install-test browser
	$(BIN)/pytest -p no:cacheprovider

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

fmt: install-test
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: install
	$(BIN)/pip install --quiet -e ".[bench]"
	$(BIN)/python benchmarks/demo_build.py

# Offline installation (docs/deploy.md): every wheel the platform needs, pinned to the versions
# of the tested .venv, with deploy/ and checksums, in $(WHEELHOUSE) and $(WHEELHOUSE).tar.gz;
# deploy/install-offline.sh installs it with no network. WHEEL_PLATFORM=manylinux2014_aarch64
# builds it for an aarch64 server (鲲鹏, 飞腾).
WHEELHOUSE ?= var/wheelhouse
wheelhouse: install
	bash deploy/build-wheelhouse.sh $(WHEELHOUSE) $(BIN)/python

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
