#!/usr/bin/env bash
# Runs every test against a throwaway PostgreSQL, including the browser and PDF tests.
# Installs what is missing first: PostgreSQL, Chromium, poppler-utils, WeasyPrint's libraries,
# and the Python environment. Extra arguments go to pytest.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source "$ROOT/scripts/pg.sh"
cd "$ROOT"

ensure_debs postgresql chromium poppler-utils "${WEASYPRINT_DEBS[@]}"
ensure_venv requirements-dev.txt

log "starting PostgreSQL on 127.0.0.1"
pg_up
trap pg_down EXIT

export DJANGO_SETTINGS_MODULE=config.settings_test
log "checking code style, types and migrations"
"$VENV/bin/ruff" check .
"$VENV/bin/ruff" format --check . >/dev/null || { log "code is not formatted: run ruff format"; exit 1; }
"$VENV/bin/mypy" >/dev/null || { "$VENV/bin/mypy"; exit 1; }
"$VENV/bin/python" manage.py makemigrations --check --dry-run >/dev/null ||
  { log "models changed without a migration: run manage.py makemigrations"; exit 1; }

log "running the tests"
"$VENV/bin/pytest" "$@"
