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

# Charts draw Chinese labels with Noto Sans CJK: Debian's fonts-noto-cjk, installed when missing.
CJK_FONT := /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc
$(CJK_FONT):
	@command -v apt-get >/dev/null 2>&1 || { echo "no apt-get: install Noto Sans CJK for charts"; exit 0; }
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-cjk

# What the tests need from Debian besides the font (installed when missing, as root):
# Chromium for the browser tests (Playwright is pointed at /usr/bin/chromium and never
# downloads a browser of its own); HAProxy and Redis for the multi-replica tests (HAProxy runs
# the shipped docs/deploy/haproxy.cfg; Redis must then be running, as .ci/run makes sure).
system-packages: | $(CJK_FONT)
	@missing=""; \
	  command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	  command -v haproxy >/dev/null 2>&1 || missing="$$missing haproxy"; \
	  command -v redis-server >/dev/null 2>&1 || missing="$$missing redis-server"; \
	  if [ -n "$$missing" ]; then \
	    echo "installing:$$missing"; \
	    SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	    $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq \
	      --no-install-recommends $$missing >/dev/null; \
	  fi

run: $(STAMP) | $(CJK_FONT)
	$(BIN)/python -m bot

sandbox: $(STAMP) | $(CJK_FONT)
	$(BIN)/python -m bot sandbox

migrate: $(STAMP)
	$(BIN)/python -m bot migrate

test: $(STAMP) system-packages
	$(BIN)/python -m pytest -q -n 4 --maxschedchunk 2

bench: $(STAMP)
	$(BIN)/python -m bench

lint: $(STAMP)
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) .pytest_cache
