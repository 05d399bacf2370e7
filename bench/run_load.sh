#!/usr/bin/env bash
# Load test of the criterion page and the answer autosave, end to end, in one command:
#
#   bash bench/run_load.sh
#
# Starts a throwaway PostgreSQL (port PGPORT_TEST, default 54340), migrates, seeds bench-load
# (bench/seed_load.py), collects static files into a temporary VAR_DIR, serves the app with
# gunicorn (DEBUG off), runs locust headless (bench/locustfile.py), checks for lost updates
# (bench/check_lost_updates.py) and prints the figures against the targets (bench/report.py),
# with the peak RSS of each gunicorn worker. Everything is stopped on exit.
# Output: bench/out/run-<timestamp>/ (locust CSVs and log, gunicorn log, saves log, summary.txt).
#
# Settings (environment):
#   PGPORT_TEST=54340        PostgreSQL port        BENCH_PORT=8799        gunicorn port
#   BENCH_USERS=32           locust users (30 inspectors + 2 shared editors; the seed has 32)
#   BENCH_RUN_TIME=60s       locust run time (sign-in of all users happens inside it)
#   BENCH_THINK=0.5-2        think time between a user's requests, seconds; 0 = flat out
#   GUNICORN_WORKERS=2 GUNICORN_THREADS=1   2 sync workers, one per core: the best measured on
#                            2 cores (see bench/README.md); THREADS > 1 uses the gthread worker
#   GUNICORN_KEEPALIVE=0     0 closes each connection after its response, as nginx's default
#                            (HTTP/1.0 to the upstream) does; with keep-alive, gthread workers keep
#                            the connections they accepted and one worker ends up with most users
#   GUNICORN_ARGS=""         more gunicorn options, e.g. "--worker-connections 4"
#   BENCH_PREFILL=0.5        share of each case's questions answered by the seed before the run
#   BENCH_WAIT_QUIET=0       wait up to this many seconds for other processes to leave the CPU idle
#   BENCH_REFERENCE_SHARE=0.25  share of the inspectors' saves sent to the reference save (bench/reference:
#                            the same POST on the thinnest view of the same stack) instead
#
# The server runs with bench.reference.settings: the product's settings and URLs plus the reference
# save (bench/reference), which the product's own URLs never include.
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
source "$ROOT/scripts/pg.sh"
cd "$ROOT"

export PGPORT_TEST="${PGPORT_TEST:-54340}"
PORT="${BENCH_PORT:-8799}"
USERS="${BENCH_USERS:-32}"
RUN_TIME="${BENCH_RUN_TIME:-60s}"
export BENCH_THINK="${BENCH_THINK:-0.5-2}"
export BENCH_REFERENCE_SHARE="${BENCH_REFERENCE_SHARE:-0.25}"
WORKERS="${GUNICORN_WORKERS:-2}"
THREADS="${GUNICORN_THREADS:-1}"
KEEPALIVE="${GUNICORN_KEEPALIVE:-0}"

RUN_DIR="$ROOT/bench/out/run-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$RUN_DIR"
PY="$VENV/bin/python"
VAR_TMP=""
GUNICORN_PID=""
SAMPLER_PID=""
LOCUST_PID=""

stop_pid() {  # stop one process we started, by its pid, and wait for it
  local pid="$1"
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

cleanup() {
  stop_pid "$LOCUST_PID"
  stop_pid "$SAMPLER_PID"
  stop_pid "$GUNICORN_PID"
  pg_down
  [ -n "$VAR_TMP" ] && rm -rf "$VAR_TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
port_free "$PORT" || { log "port $PORT is in use: set BENCH_PORT"; exit 1; }
port_free "$PGPORT_TEST" || { log "port $PGPORT_TEST is in use: set PGPORT_TEST"; exit 1; }

ensure_venv requirements-dev.txt

log "starting PostgreSQL on 127.0.0.1:$PGPORT_TEST"
pg_up
VAR_TMP=$(mktemp -d "${TMPDIR:-/tmp}/benchvar.XXXXXX")
export VAR_DIR="$VAR_TMP" DJANGO_SETTINGS_MODULE=bench.reference.settings
export DEBUG=false SECRET_KEY="bench-$(date +%s%N)-$RANDOM$RANDOM$RANDOM-not-a-production-key"
# The bench talks plain HTTP to 127.0.0.1: no redirect to HTTPS, and cookies without Secure.
export PLAIN_HTTP=true
export BENCH_SEED="$RUN_DIR/seed.json" BENCH_SAVES_LOG="$RUN_DIR/saves.json"

log "migrating, collecting static files, seeding bench-load"
"$PY" manage.py migrate --noinput -v0
"$PY" manage.py collectstatic --noinput -v0
"$PY" bench/seed_load.py
"$PY" manage.py shell -v0 -c "from bench.reference.models import ReferenceRow; ReferenceRow.seed()"

if [ "$THREADS" -gt 1 ]; then worker_args=(--worker-class gthread --threads "$THREADS"); else worker_args=(--worker-class sync); fi
read -r -a extra_args <<< "${GUNICORN_ARGS:-}"
SERVER="gunicorn --workers $WORKERS ${worker_args[*]} --keep-alive $KEEPALIVE${GUNICORN_ARGS:+ $GUNICORN_ARGS}"
log "starting $SERVER on 127.0.0.1:$PORT"
"$VENV/bin/gunicorn" config.wsgi:application --bind "127.0.0.1:$PORT" --workers "$WORKERS" "${worker_args[@]}" \
  --keep-alive "$KEEPALIVE" ${extra_args[@]+"${extra_args[@]}"} --pid "$RUN_DIR/gunicorn.pid" --error-logfile "$RUN_DIR/gunicorn.log" --log-level warning &
GUNICORN_PID=$!
for _ in $(seq 100); do
  "$PY" -c "import urllib.request,sys; urllib.request.urlopen('http://127.0.0.1:$PORT/sign-in/', timeout=2)" 2>/dev/null && break
  kill -0 "$GUNICORN_PID" 2>/dev/null || { log "gunicorn did not start:"; tail -20 "$RUN_DIR/gunicorn.log" >&2; exit 1; }
  sleep 0.2
done
# Load every worker once (each imports Django and builds its caches on its first requests).
for _ in $(seq $((WORKERS * 4))); do
  "$PY" -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$PORT/sign-in/', timeout=5)" >/dev/null 2>&1 || true
done

if [ "${BENCH_WAIT_QUIET:-0}" -gt 0 ]; then
  log "waiting up to ${BENCH_WAIT_QUIET} s for the machine to be quiet (5 s in a row over 85% idle)"
  "$PY" - "$BENCH_WAIT_QUIET" <<'PYEOF'
import sys, time
def ticks():
    f = [int(x) for x in open("/proc/stat").readline().split()[1:]]
    return sum(f), f[3] + f[4]
deadline, quiet = time.time() + float(sys.argv[1]), 0
while time.time() < deadline and quiet < 5:
    t0, i0 = ticks(); time.sleep(1); t1, i1 = ticks()
    quiet = quiet + 1 if (i1 - i0) / max(t1 - t0, 1) > 0.85 else 0
print("quiet" if quiet >= 5 else "still busy: going ahead", file=sys.stderr)
PYEOF
fi

cat > "$RUN_DIR/meta.json" <<EOF
{"users": $USERS, "run_time": "$RUN_TIME", "think": "$BENCH_THINK", "reference_share": "$BENCH_REFERENCE_SHARE",
 "server": "$SERVER", "cores": $(nproc)}
EOF

"$PY" bench/procstat.py --out "$RUN_DIR/procstat.json" \
  gunicorn="$RUN_DIR/gunicorn.pid" postgres="$PG_TMP/data/postmaster.pid" locust="$RUN_DIR/locust.pid" &
SAMPLER_PID=$!

log "running locust: $USERS users for $RUN_TIME, think time $BENCH_THINK s"
"$VENV/bin/locust" -f bench/locustfile.py --headless -u "$USERS" -r "$USERS" -t "$RUN_TIME" \
  -H "http://127.0.0.1:$PORT" --only-summary --csv "$RUN_DIR/locust" >"$RUN_DIR/locust.log" 2>&1 &
LOCUST_PID=$!
echo "$LOCUST_PID" > "$RUN_DIR/locust.pid"
locust_status=0
wait "$LOCUST_PID" || locust_status=$?
LOCUST_PID=""
stop_pid "$SAMPLER_PID"; SAMPLER_PID=""
grep "^bench:" "$RUN_DIR/locust.log" || true
sed -n '/^Type /,$p' "$RUN_DIR/locust.log" | grep -v '^\[' || true
[ "$locust_status" = 0 ] || log "locust exited with status $locust_status (failures, or see $RUN_DIR/locust.log)"

log "checking for lost updates"
"$PY" bench/check_lost_updates.py --json "$RUN_DIR/saves.json" > "$RUN_DIR/check.txt" || true
grep -v '^JSON ' "$RUN_DIR/check.txt" | head -40

log "summary (also in ${RUN_DIR#"$ROOT"/}/summary.txt)"
"$PY" bench/report.py "$RUN_DIR"
