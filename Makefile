# Two commands do all the set-up on a fresh machine:
#   make demo   install, load the bundled synthetic sample into DuckDB, open the dashboard
#   make test   install test dependencies (incl. Debian chromium) and run the whole suite
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
DB     ?= data/conflict.duckdb
PORT   ?= 8501
export CONFLICT_TRENDS_DB ?= $(DB)

.PHONY: demo test install install-dev system-deps sample dashboard bench evaluate clean

$(VENV)/.installed: requirements.txt
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "need $(PYTHON) (Python 3.11)"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# Chromium from Debian for the real-browser test (never a downloaded browser build).
system-deps:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  elif command -v sudo >/dev/null; then sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "chromium missing and no root: the browser test will be skipped"; fi; \
	fi

sample: install
	$(PY) -m etl ingest data/sample --db $(DB) --sample --no-progress; test $$? -le 1
	$(PY) -m etl stats --db $(DB)

dashboard: install
	$(PY) -m streamlit run dashboard/app.py --server.port $(PORT) --server.address 127.0.0.1

demo: sample dashboard

test: install-dev system-deps
	$(PY) -m pytest -q

bench: install
	$(PY) -m bench

evaluate: install
	$(PY) -m etl evaluate

clean:
	rm -rf $(DB) $(DB).index $(DB).lock $(DB).writing $(DB).previous
