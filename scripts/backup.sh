#!/usr/bin/env bash
# Back up the PostgreSQL database named by DATABASE_URL into one file (pg_dump's custom format,
# compressed; everything: users, inspections, answers and their history, published reports).
#
#   DATABASE_URL=postgres://user:pass@host:5432/name bash scripts/backup.sh [FILE]
#
# FILE defaults to var/backups/<database>-<YYYYmmdd-HHMMSS>.dump. The dump is written beside it as
# FILE.partial, read back with pg_restore --list, and only then renamed to FILE, so FILE is always a
# complete backup. pg_dump takes a consistent snapshot, so the application may keep running.
# Exit status: 0 done; 1 pg_dump failed; 2 bad usage (no DATABASE_URL, FILE exists). Restore with
# scripts/restore.sh.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

usage() { echo "usage: DATABASE_URL=postgres://… bash scripts/backup.sh [FILE]" >&2; exit 2; }
[ $# -le 1 ] || usage
case "${DATABASE_URL:-}" in
  postgres://*|postgresql://*) ;;
  "") echo "backup.sh: DATABASE_URL is not set: it names the database to back up" >&2; usage ;;
  *) echo "backup.sh: DATABASE_URL must be a postgres:// URL (the SQLite demo database is a plain file: copy it)" >&2; exit 2 ;;
esac

name="${DATABASE_URL##*/}"; name="${name%%\?*}"
file="${1:-$ROOT/var/backups/$name-$(date +%Y%m%d-%H%M%S).dump}"
if [ -e "$file" ]; then echo "backup.sh: $file already exists; name another file" >&2; exit 2; fi
mkdir -p "$(dirname "$file")"
partial="$file.partial"
trap 'rm -f "$partial"' EXIT

started=$SECONDS
if ! pg_dump --dbname="$DATABASE_URL" --format=custom --file="$partial"; then
  echo "backup.sh: pg_dump failed; nothing was written" >&2; exit 1
fi
if ! listing=$(pg_restore --list "$partial"); then
  echo "backup.sh: the dump cannot be read back; nothing was written" >&2; exit 1
fi
tables=$(grep -c " TABLE DATA " <<<"$listing" || true)
mv "$partial" "$file"
echo "backup written: $file ($(du -h "$file" | cut -f1), $tables tables, $((SECONDS - started)) s)"
