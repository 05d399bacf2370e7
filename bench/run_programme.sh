#!/usr/bin/env bash
# Programme benchmark in one command: 40 finalised inspections x 200 cases, in PostgreSQL.
#
#   bash bench/run_programme.sh
#
# Starts a throwaway PostgreSQL (port PGPORT_TEST, default 54343; a port in use is refused),
# migrates, runs bench/programme_bench.py (generates the scoring benchmark's 40 omi-2006
# inspections x 200 cases, ~1.4M answers, finalises them all and publishes 30, then measures
# export_programme, the programme page, one inspection's scores and the API) and stops PostgreSQL
# on exit, whatever happens. Nothing is kept between runs. How to read the output: bench/PROGRAMME.md.
#
# Settings (environment): PGPORT_TEST=54343, BENCH_INSPECTIONS=40, BENCH_CASES=200, BENCH_RUNS=30,
# BENCH_WARMUP=3, BENCH_SEED=2006.
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
source "$ROOT/scripts/pg.sh"
cd "$ROOT"

export PGPORT_TEST="${PGPORT_TEST:-54343}"
(exec 3<>"/dev/tcp/127.0.0.1/$PGPORT_TEST") 2>/dev/null && { log "port $PGPORT_TEST is in use: set PGPORT_TEST"; exit 1; }

ensure_debs postgresql
ensure_venv requirements-dev.txt

trap pg_down EXIT
trap 'exit 130' INT TERM
log "starting PostgreSQL on 127.0.0.1:$PGPORT_TEST"
pg_up
# The test settings: static files served from the finders, so pages render without collectstatic.
export DJANGO_SETTINGS_MODULE=config.settings_test

log "migrating"
"$VENV/bin/python" manage.py migrate --noinput -v0

log "running bench/programme_bench.py"
"$VENV/bin/python" bench/programme_bench.py "$@"
