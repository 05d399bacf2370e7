#!/usr/bin/env bash
# Restore a backup made by scripts/backup.sh into the PostgreSQL database named by DATABASE_URL.
#
#   DATABASE_URL=postgres://user:pass@host:5432/name bash scripts/restore.sh [--replace] FILE
#
# The database must exist and be empty (createdb name), unless --replace is given: then what it
# holds is dropped first. The restore is one transaction: it succeeds whole or changes nothing.
# Objects are owned by the role in DATABASE_URL (the backup's owners and grants are not applied).
# Then, with the application's Python (.venv, or PYTHON=…), it applies any migration newer than the
# backup (manage.py migrate) and checks every published report against its recorded hash
# (manage.py verify_published).
# Exit status: 0 restored and verified; 1 the restore or the check failed; 2 bad usage (no
# DATABASE_URL, not a backup file, a database that is not empty without --replace).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

usage() { echo "usage: DATABASE_URL=postgres://… bash scripts/restore.sh [--replace] FILE" >&2; exit 2; }
replace=false
if [ "${1:-}" = --replace ]; then replace=true; shift; fi
[ $# -eq 1 ] || usage
file="$1"
case "${DATABASE_URL:-}" in
  postgres://*|postgresql://*) ;;
  "") echo "restore.sh: DATABASE_URL is not set: it names the database to restore into" >&2; usage ;;
  *) echo "restore.sh: DATABASE_URL must be a postgres:// URL" >&2; exit 2 ;;
esac
[ -f "$file" ] || { echo "restore.sh: $file: no such file" >&2; exit 2; }
pg_restore --list "$file" >/dev/null 2>&1 ||
  { echo "restore.sh: $file: not a backup made by scripts/backup.sh (pg_dump custom format)" >&2; exit 2; }

if ! tables=$(psql --dbname="$DATABASE_URL" -X -A -t -v ON_ERROR_STOP=1 \
  -c "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"); then
  echo "restore.sh: cannot reach the database in DATABASE_URL" >&2; exit 1
fi
clean=()
if [ "$tables" -gt 0 ]; then
  if ! $replace; then
    echo "restore.sh: the database already has $tables tables; restore into a new empty database (createdb)," \
      "or pass --replace to drop what it holds" >&2
    exit 2
  fi
  clean=(--clean --if-exists)
fi

started=$SECONDS
log "restoring $file"
if ! pg_restore --dbname="$DATABASE_URL" --no-owner --no-acl --single-transaction --exit-on-error \
  ${clean[@]+"${clean[@]}"} "$file"; then
  echo "restore.sh: the restore failed and was rolled back; the database is as it was" >&2; exit 1
fi
log "restored in $((SECONDS - started)) s; applying newer migrations and checking the published reports"
PY="${PYTHON:-$VENV/bin/python}"
if ! "$PY" manage.py migrate --noinput; then
  echo "restore.sh: the data is restored, but applying newer migrations failed (above)" >&2; exit 1
fi
if ! "$PY" manage.py verify_published; then
  echo "restore.sh: published reports do not match their recorded hashes (named above)" >&2; exit 1
fi
