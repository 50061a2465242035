# The project's commands; README names them. Every target uses the virtualenv in .venv, created on
# first use. Settings come from the environment (see .env.example); nothing here overrides them.

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
PYTEST_ARGS ?=

# Dependencies are reinstalled only when pyproject.toml (or the script reading it) changes.
DEPS_KEY := $(shell cat pyproject.toml scripts/deps.py | (sha256sum 2>/dev/null || shasum -a 256) | cut -c1-16)
INSTALLED := $(VENV)/.installed-base-$(DEPS_KEY)
INSTALLED_TEST := $(VENV)/.installed-test-$(DEPS_KEY)

.PHONY: run test lint bench worker beat migrations-check install install-test

## make run: install, migrate, load the demo agency and accounts, serve on http://127.0.0.1:8000
run: $(INSTALLED)
	$(MANAGE) migrate --noinput
	$(MANAGE) load_demo
	@echo
	@echo "Mở http://127.0.0.1:8000 và đăng nhập bằng một trong các tài khoản trên"
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

install: $(INSTALLED)
install-test: $(INSTALLED_TEST)

# .venv/.installed-<base|test>-<key>: the virtualenv holds the runtime (and test) requirements.
$(VENV)/.installed-%-$(DEPS_KEY):
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python scripts/deps.py $(filter-out base,$*) > $(VENV)/requirements-$*.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r $(VENV)/requirements-$*.txt
	@rm -f $(VENV)/.installed-$*-*
	@touch $@
