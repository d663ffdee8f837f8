# Sales Cockpit — the two commands: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# parallel pytest processes (CI has 2 cores)
TEST_WORKERS ?= 2
PIP := $(VENV)/bin/pip
PORT ?= 8501

.PHONY: run test install install-dev system-deps db seed bench jobs clean

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements-dev.txt $(VENV)/.installed
	$(PIP) install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

# Upgrade the schema and seed the demo organisation when the database is empty.
db: install
	$(PY) -m cli init-db
	$(PY) -m cli seed-demo --scale small --if-empty

.streamlit/secrets.toml:
	$(PY) scripts/make_secrets.py

run: db .streamlit/secrets.toml
	$(VENV)/bin/streamlit run Home.py --server.headless true --server.address 127.0.0.1 \
		--server.port $(PORT) --browser.gatherUsageStats false

# As root with apt: Debian's chromium (browser tests), postgresql (the PostgreSQL run) and a CJK font.
system-deps:
	@if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
		need=""; \
		command -v chromium >/dev/null || need="$$need chromium"; \
		ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || need="$$need postgresql"; \
		[ -d /usr/share/fonts/opentype/noto ] || need="$$need fonts-noto-cjk"; \
		if [ -n "$$need" ]; then \
			echo "installing:$$need"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$need >/dev/null; \
		fi; \
	else echo "not root or no apt: using the chromium and postgresql already installed, if any"; fi

test: install-dev system-deps
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadfile

bench: install-dev
	$(PY) scripts/bench.py

jobs: install
	$(PY) -m cli run-jobs

clean:
	rm -rf $(VENV) .pytest_cache
