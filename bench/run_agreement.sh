#!/usr/bin/env bash
# Agreement and boundary-sensitivity benchmark in one command, in PostgreSQL.
#
#   bash bench/run_agreement.sh
#
# Starts a throwaway PostgreSQL (port PGPORT_TEST, default 54342), migrates, runs
# bench/agreement_bench.py (one omi-2006 inspection of BENCH_CASES submitted cases, every one
# second-marked) and stops PostgreSQL on exit. How to read the output: bench/AGREEMENT.md.
# Settings (environment): PGPORT_TEST=54342, BENCH_CASES=200, BENCH_RUNS=30, BENCH_SEED=2006.
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
source "$ROOT/scripts/pg.sh"
cd "$ROOT"

export PGPORT_TEST="${PGPORT_TEST:-54342}"
(exec 3<>"/dev/tcp/127.0.0.1/$PGPORT_TEST") 2>/dev/null && { log "port $PGPORT_TEST is in use: set PGPORT_TEST"; exit 1; }

ensure_debs postgresql
ensure_venv requirements-dev.txt

trap pg_down EXIT
trap 'exit 130' INT TERM
log "starting PostgreSQL on 127.0.0.1:$PGPORT_TEST"
pg_up
# Plain static storage (no collected manifest needed) and the test client's host.
export DJANGO_SETTINGS_MODULE=config.settings_test ALLOWED_HOSTS=testserver

log "migrating"
"$VENV/bin/python" manage.py migrate --noinput -v0

log "running bench/agreement_bench.py"
"$VENV/bin/python" bench/agreement_bench.py "$@"
