# Two commands matter: `make run` (the bot; the sandbox when BOT_TOKEN is unset) and `make test`.
PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test sandbox migrate bench lint clean system-packages

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is required ($(PYTHON) not found)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	@touch $(STAMP)

run: $(STAMP)
	$(BIN)/python -m bot

sandbox: $(STAMP)
	$(BIN)/python -m bot sandbox

migrate: $(STAMP)
	$(BIN)/python -m bot migrate

test: $(STAMP) system-packages
	$(BIN)/python -m pytest -q -n 4

# The multi-replica tests run HAProxy (with the shipped docs/deploy/haproxy.cfg) and Redis:
# Debian's packages, installed when missing (as root; Redis must then be running, as .ci/run
# makes sure).
system-packages:
	@command -v haproxy >/dev/null 2>&1 && command -v redis-server >/dev/null 2>&1 || { \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    --no-install-recommends haproxy redis-server >/dev/null; }

bench: $(STAMP)
	$(BIN)/python -m bench

lint: $(STAMP)
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) .pytest_cache
