#!/usr/bin/env bash
# Report benchmark in one command: the full PDF report of a 150-case OMI inspection, in PostgreSQL.
#
#   bash bench/run_report.sh [--profile] [--skip-long]
#
# Starts a throwaway PostgreSQL (port PGPORT_TEST, default 54342; a port in use is refused),
# migrates, runs bench/report_bench.py (seeds a finalised omi-2006 inspection of 150 cases with
# full narrative, and a longer variant of >= 50 pages, then measures render_report_pdf against
# plain WeasyPrint on the same HTML) and stops PostgreSQL on exit, whatever happens. Nothing is
# kept between runs. How to read the output: bench/REPORT.md.
#
# Arguments go to report_bench.py: --profile adds cProfile of the product path (printed anyway
# when a target is missed); --skip-long measures the 150-case report only.
# Settings (environment): PGPORT_TEST=54342, BENCH_CASES=150, BENCH_RUNS=5, BENCH_WARMUP=1,
# BENCH_SEED=2007.
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
source "$ROOT/scripts/pg.sh"
cd "$ROOT"

export PGPORT_TEST="${PGPORT_TEST:-54342}"
(exec 3<>"/dev/tcp/127.0.0.1/$PGPORT_TEST") 2>/dev/null && { log "port $PGPORT_TEST is in use: set PGPORT_TEST"; exit 1; }

ensure_debs postgresql "${WEASYPRINT_DEBS[@]}"
ensure_venv requirements-dev.txt

trap pg_down EXIT
trap 'exit 130' INT TERM
log "starting PostgreSQL on 127.0.0.1:$PGPORT_TEST"
pg_up
export DJANGO_SETTINGS_MODULE=config.settings

log "migrating"
"$VENV/bin/python" manage.py migrate --noinput -v0

log "running bench/report_bench.py"
"$VENV/bin/python" bench/report_bench.py "$@"
