# Gongzhi — two commands: `make demo` (run the platform on SQLite with demo data) and `make test`.
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev
HOST ?= 127.0.0.1
PORT ?= 8000
# Test processes (pytest-xdist): the CI machine has 2 cores; TEST_WORKERS=0 runs in one process.
TEST_WORKERS ?= 2
export GONGZHI_DEMO_PASSWORD ?= demo
# `make demo` is a demonstration install: demo passwords and no second factor, with a warning on every page.
demo: export GONGZHI_DEMO ?= 1

.PHONY: demo test lint bench install install-dev browser-deps serve clean messages

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

$(DEV_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[dev]'
	touch $@ $(STAMP)

install: $(STAMP)
install-dev: $(DEV_STAMP)

## demo: set up, migrate SQLite under var/, load divisions and the demo district once, then run the web
## server and the task worker together (Procfile, honcho; Ctrl-C stops both)
demo: $(STAMP)
	$(BIN)/python manage.py migrate --noinput -v0
	$(BIN)/python manage.py createcachetable
	$(BIN)/python manage.py collectstatic --noinput -v0
	$(BIN)/python manage.py seed_demo
	@echo ""
	@echo "  共治 Gongzhi 正在运行 / is running:  http://$(HOST):$(PORT)/"
	@echo "  登录 / log in:  shinan_admin / $$GONGZHI_DEMO_PASSWORD   (其他示范账号见上表 / other demo logins above)"
	@echo "  后台任务（台账导入）由 worker 进程执行 / the worker runs background jobs (ledger imports); Ctrl-C 停止两者 / stops both"
	@echo ""
	PATH="$(CURDIR)/$(BIN):$$PATH" HOST=$(HOST) $(BIN)/honcho start -f Procfile --port $(PORT)

## browser-deps: Debian's Chromium and CJK fonts for the browser tests (installed only when missing)
browser-deps:
	@if [ ! -x /usr/bin/chromium ] || ! fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; then \
	  echo "Installing Debian's chromium and fonts-noto-cjk ..."; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; \
	fi

lint: $(DEV_STAMP)
	$(BIN)/ruff check gongzhi bench
	$(BIN)/ruff format --check gongzhi bench
	$(BIN)/mypy gongzhi bench
	$(BIN)/lint-imports --no-cache

## test: ruff, mypy and every test (browser tests included) on DATABASE_URL, or SQLite when unset
test: $(DEV_STAMP) browser-deps lint
	$(BIN)/pytest -p playwright -q --create-db -n $(TEST_WORKERS) --durations=25

## bench: build city-scale data in its own database and print the benchmark table
bench: $(DEV_STAMP)
	$(BIN)/python bench/run.py

## messages: extract the UI strings, fill English from gongzhi/locale/en/translations.json, write django.po/.mo
messages: $(DEV_STAMP)
	$(BIN)/python scripts/i18n.py

clean:
	rm -rf var/ test-artifacts/
