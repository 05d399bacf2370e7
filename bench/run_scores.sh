#!/usr/bin/env bash
# Scoring benchmark in one command: one inspection and a programme of 40, in PostgreSQL.
#
#   bash bench/run_scores.sh [--explain]
#
# Starts a throwaway PostgreSQL (port PGPORT_TEST, default 54341), migrates, runs
# bench/score_bench.py (generates 40 omi-2006 inspections x 200 cases x 179 answers, ~1.4M answers,
# then measures) and stops PostgreSQL on exit, whatever happens. Nothing is kept between runs.
# How to read the output: bench/SCORES.md.
#
# Arguments go to score_bench.py: --explain adds EXPLAIN ANALYZE of the aggregates and the indexes.
# Settings (environment): PGPORT_TEST=54341, BENCH_INSPECTIONS=40, BENCH_CASES=200, BENCH_RUNS=7,
# BENCH_WARMUP=2, BENCH_SEED=2006.
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
source "$ROOT/scripts/pg.sh"
cd "$ROOT"

export PGPORT_TEST="${PGPORT_TEST:-54341}"
(exec 3<>"/dev/tcp/127.0.0.1/$PGPORT_TEST") 2>/dev/null && { log "port $PGPORT_TEST is in use: set PGPORT_TEST"; exit 1; }

ensure_debs postgresql
ensure_venv requirements-dev.txt

trap pg_down EXIT
trap 'exit 130' INT TERM
log "starting PostgreSQL on 127.0.0.1:$PGPORT_TEST"
pg_up
export DJANGO_SETTINGS_MODULE=config.settings

log "migrating"
"$VENV/bin/python" manage.py migrate --noinput -v0

log "running bench/score_bench.py"
"$VENV/bin/python" bench/score_bench.py "$@"
