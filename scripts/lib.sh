# Shared set-up steps for run-demo.sh and test.sh. Source it; do not run it.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    log "need root to run: $*"; return 1; fi
}

# Install the Debian packages named, skipping those already installed.
ensure_debs() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing system packages: ${missing[*]}"
    as_root apt-get update -q >/dev/null
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
  fi
}

# Django 6 needs Python 3.12 or newer; plain python3 may be older.
find_python() {
  local candidate
  for candidate in python3.13 python3.12 python3; do
    if command -v "$candidate" >/dev/null 2>&1 &&
       "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then
      command -v "$candidate"; return 0
    fi
  done
  for candidate in "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.1[2-9]*/bin/python3 /usr/local/bin/python3.1[2-9]; do
    if [ -x "$candidate" ] && "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then
      echo "$candidate"; return 0
    fi
  done
  log "Python 3.12 or newer is needed and was not found"; return 1
}

# A virtual environment with the given requirements file installed (default: the run-time
# requirements.txt; the test command passes requirements-dev.txt, which includes it); reinstalled
# when a requirements file changes.
ensure_venv() {
  local name="${1:-requirements.txt}"
  local stamp="$VENV/.${name%.txt}.sha256" want
  want=$(cat "$ROOT"/requirements*.txt | sha256sum | cut -d' ' -f1)
  if [ -x "$VENV/bin/python" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then return 0; fi
  local python; python=$(find_python)
  log "creating the Python environment with $("$python" --version)"
  [ -x "$VENV/bin/python" ] || "$python" -m venv "$VENV"
  "$VENV/bin/pip" install -q --disable-pip-version-check -U pip
  "$VENV/bin/pip" install -q --disable-pip-version-check -r "$ROOT/$name"
  echo "$want" > "$stamp"
  if [ "$name" != requirements.txt ]; then echo "$want" > "$VENV/.requirements.sha256"; fi
}

# WeasyPrint's shared libraries (PDF rendering).
WEASYPRINT_DEBS=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core)

# Run a command, and run it again whenever it exits: after WORKER_RESTART_DELAY seconds (default 2),
# doubling up to 60 s while it keeps stopping within 30 s of its start. TERM or INT stops the
# command (TERM, then waits for it) and then this loop. Meant to run in the background:
#   supervise .venv/bin/python manage.py run_worker >worker.log 2>&1 &
supervise() {
  local base="${WORKER_RESTART_DELAY:-2}" delay child="" started status
  delay="$base"
  trap 'if [ -n "$child" ]; then kill -TERM "$child" 2>/dev/null || true; wait "$child" 2>/dev/null || true; fi; exit 0' TERM INT
  while true; do
    started=$SECONDS
    "$@" &
    child=$!
    status=0
    wait "$child" || status=$?
    child=""
    if [ $((SECONDS - started)) -ge 30 ]; then delay="$base"; fi
    log "$(date +%H:%M:%S) $* exited with status $status; starting it again in $delay s"
    sleep "$delay" & wait $! || true  # waiting in `wait` lets TERM stop the loop at once
    delay=$((delay * 2 > 60 ? 60 : delay * 2))
  done
}
