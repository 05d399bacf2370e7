# A throwaway PostgreSQL on 127.0.0.1 for the test run. Source lib.sh first.
# pg_up prints nothing and exports DATABASE_URL; pg_down stops it and removes its files.
PG_TMP=""

pg_up() {
  local pgbin port="${PGPORT_TEST:-54329}"
  pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  PG_TMP=$(mktemp -d "${TMPDIR:-/tmp}/pgtest.XXXXXX")
  local as=()
  # initdb refuses to run as root; the postgres user may not be able to enter the current folder.
  if [ "$(id -u)" = 0 ]; then as=(runuser -u postgres --); chown postgres: "$PG_TMP"; fi
  pushd / >/dev/null
  echo postgres > "$PG_TMP/pw"
  "${as[@]}" "$pgbin/initdb" -D "$PG_TMP/data" -U postgres --pwfile="$PG_TMP/pw" \
    --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 --no-sync >"$PG_TMP/initdb.log"
  "${as[@]}" "$pgbin/pg_ctl" -D "$PG_TMP/data" -l "$PG_TMP/server.log" -w -t 30 start \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $PG_TMP -c fsync=off -c synchronous_commit=off -c full_page_writes=off" >/dev/null
  "${as[@]}" "$pgbin/psql" -X -q -h "$PG_TMP" -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 \
    -c "CREATE ROLE app LOGIN PASSWORD 'app' CREATEDB" -c "CREATE DATABASE app OWNER app" >/dev/null
  popd >/dev/null
  export DATABASE_URL="postgres://app:app@127.0.0.1:$port/app"
}

pg_down() {
  [ -n "$PG_TMP" ] || return 0
  local pgbin as=()
  pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  if [ "$(id -u)" = 0 ]; then as=(runuser -u postgres --); fi
  (cd / && "${as[@]}" "$pgbin/pg_ctl" -D "$PG_TMP/data" -m fast -w stop >/dev/null 2>&1) || true
  rm -rf "$PG_TMP"; PG_TMP=""
}
