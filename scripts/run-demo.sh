#!/usr/bin/env bash
# Runs the product with a demo inspection on http://127.0.0.1:8000 (SQLite under var/).
# Installs what is missing, migrates, loads the frameworks, creates the demo data and serves it.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

ensure_debs "${WEASYPRINT_DEBS[@]}"
ensure_venv

# DEBUG off, as in production, so the demo shows the real error pages; plain HTTP on 127.0.0.1 only.
export DEBUG="${DEBUG:-false}" PLAIN_HTTP=true
PY="$VENV/bin/python"
# A random secret made once and kept under var/, so sessions and export pseudonyms survive restarts.
mkdir -p "$ROOT/var"
[ -s "$ROOT/var/secret_key" ] ||
  (umask 077 && "$PY" -c 'import secrets; print(secrets.token_urlsafe(50))' >"$ROOT/var/secret_key")
export SECRET_KEY="${SECRET_KEY:-$(cat "$ROOT/var/secret_key")}"
log "preparing the database and the static files"
"$PY" manage.py collectstatic --noinput -v0
"$PY" manage.py migrate -v0
"$PY" manage.py load_frameworks
"$PY" manage.py seed_demo
log "starting the background worker (PDF rendering), restarted if it stops; its log is var/worker.log"
supervise "$PY" manage.py run_worker --interval 1 --no-reload >"$ROOT/var/worker.log" 2>&1 &
WORKER=$!
# The supervisor stops the worker it runs, then itself.
trap 'kill "$WORKER" 2>/dev/null || true; wait "$WORKER" 2>/dev/null || true' EXIT INT TERM
log "serving on http://127.0.0.1:${PORT:-8000} (Ctrl-C to stop)"
"$PY" manage.py runserver "127.0.0.1:${PORT:-8000}"
