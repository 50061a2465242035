# The project's commands; README names them. Every target uses the virtualenv in .venv, created on
# first use. Settings come from the environment (see .env.example); nothing here overrides them.

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
PYTEST_ARGS ?=

# Dependencies come from the locks in requirements/ (exact versions with their hashes, written from
# pyproject.toml by `make lock`): base.txt for the application, test.txt = base.txt + the "test" extra,
# tools.txt for uv, which writes them. Each is reinstalled only when its content changes: the stamp
# .venv/.installed-<lock>-<digest> is named after a digest of the lock file.
LOCK_KEY = $(shell cat $(1) 2>/dev/null | (sha256sum 2>/dev/null || shasum -a 256) | cut -c1-16)
INSTALLED := $(VENV)/.installed-base-$(call LOCK_KEY,requirements/base.txt)
INSTALLED_TEST := $(VENV)/.installed-test-$(call LOCK_KEY,requirements/test.txt)
INSTALLED_TOOLS := $(VENV)/.installed-tools-$(call LOCK_KEY,requirements/tools.txt)
PIP_INSTALL := -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps --only-binary=:all:
# Python 3.11 on any platform (markers pick the lines that apply); LOCK_ARGS=--upgrade moves every
# pin to the newest release pyproject.toml allows, LOCK_ARGS="--upgrade-package django" only one.
LOCK_ARGS ?=
UV_COMPILE = $(BIN)/uv pip compile --quiet --universal --python-version 3.11 --generate-hashes \
	--custom-compile-command "make lock"$(if $(LOCK_ARGS), $(LOCK_ARGS))

.PHONY: run test lint bench worker beat migrations-check install install-test lock

## make run: install, migrate, load the demo agency and accounts, serve on http://127.0.0.1:8000
run: $(INSTALLED)
	$(MANAGE) migrate --noinput
	$(MANAGE) load_demo
	@echo
	@echo "Mở http://127.0.0.1:8000 và đăng nhập bằng một trong các tài khoản trên"
	@# the beat schedule in-process beside the server (reminders, digests; mail printed here)
	$(MANAGE) run_schedule & schedule=$$!; trap 'kill $$schedule 2>/dev/null' EXIT INT TERM; \
	$(MANAGE) runserver 127.0.0.1:8000

## make test: the whole suite, browser journeys included (PYTEST_ARGS="-k plans -x" to narrow it)
test: $(INSTALLED_TEST)
	bash scripts/ensure-system-packages.sh
	$(BIN)/pytest $(PYTEST_ARGS)

## make lint: ruff's checks and its formatting, over the whole repository
lint: $(INSTALLED_TEST)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

## make migrations-check: fails when a model change has no migration
migrations-check: $(INSTALLED)
	$(MANAGE) makemigrations --check --dry-run

## make bench: time the main pages on a large generated data set
bench: $(INSTALLED)
	$(MANAGE) bench

## make worker / make beat: background jobs; need CELERY_BROKER_URL (or REDIS_URL) set
worker: $(INSTALLED)
	$(BIN)/celery -A cchc worker --loglevel=INFO --concurrency=2

beat: $(INSTALLED)
	mkdir -p "$${CCHC_VAR_DIR:-var}"
	$(BIN)/celery -A cchc beat --loglevel=INFO --schedule "$${CCHC_VAR_DIR:-var}/celerybeat-schedule"

## make lock: rewrite requirements/*.txt from pyproject.toml (pins kept unless LOCK_ARGS=--upgrade)
lock: $(INSTALLED_TOOLS)
	$(UV_COMPILE) pyproject.toml -o requirements/base.txt
	$(UV_COMPILE) pyproject.toml --extra test -c requirements/base.txt -o requirements/test.txt
	$(UV_COMPILE) requirements/tools.in -o requirements/tools.txt

install: $(INSTALLED)
install-test: $(INSTALLED_TEST)

# $(call install_lock,NAME): installs the exact versions requirements/NAME.txt pins, each file checked
# against its hashes, wheels only; pip check fails if the lock lacks a dependency (--no-deps adds none).
define install_lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python $(PIP_INSTALL) -r requirements/$(1).txt
	$(BIN)/python -m pip check --disable-pip-version-check
	@rm -f $(VENV)/.installed-$(1)-*
	@touch $@
endef

$(INSTALLED):
	$(call install_lock,base)

$(INSTALLED_TEST):
	$(call install_lock,test)

$(INSTALLED_TOOLS):
	$(call install_lock,tools)
