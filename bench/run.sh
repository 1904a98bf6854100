#!/usr/bin/env bash
# End-to-end HTTP benchmark, run by hand (not in CI): wrk against Atrium's unamentis
# GET /health, against nginx serving the same JSON as a static file, and against a
# minimal aiohttp app serving the same JSON. Prints a markdown table and writes it to
# bench/results/latest.md. Everything listens on 127.0.0.1 only. See bench/README.md.
#
# Environment:
#   ATRIUM_BIN                 server binary (default build/release/src/app/atrium)
#   ATRIUM_BENCH_IO_THREADS    Atrium io_threads = nginx worker_processes (default 1)
#   ATRIUM_BENCH_CONNECTIONS   wrk connections (default 64)
#   ATRIUM_BENCH_SECONDS       wrk duration per server, seconds (default 10)
#   ATRIUM_BENCH_PIN           1 (default): pin servers to the first IO_THREADS cores
#                              and wrk to the rest, when there are cores left; 0: don't
set -euo pipefail
export LC_ALL=C

cd "$(dirname "$0")/.."
REPO_ROOT=$(pwd)

ATRIUM_BIN=${ATRIUM_BIN:-build/release/src/app/atrium}
IO_THREADS=${ATRIUM_BENCH_IO_THREADS:-1}
CONNECTIONS=${ATRIUM_BENCH_CONNECTIONS:-64}
DURATION=${ATRIUM_BENCH_SECONDS:-10}
PIN=${ATRIUM_BENCH_PIN:-1}
WARMUP_SECONDS=2
PY=/usr/bin/python3
HOST=127.0.0.1
RESULTS_DIR=bench/results

die() {
  echo "bench: $*" >&2
  exit 1
}
log() { echo "bench: $*" >&2; }

is_posint() { [[ $1 =~ ^[1-9][0-9]{0,5}$ ]]; }
is_posint "$IO_THREADS" || die "ATRIUM_BENCH_IO_THREADS must be a positive integer (got '$IO_THREADS')"
is_posint "$CONNECTIONS" || die "ATRIUM_BENCH_CONNECTIONS must be a positive integer (got '$CONNECTIONS')"
is_posint "$DURATION" || die "ATRIUM_BENCH_SECONDS must be a positive integer (got '$DURATION')"
((IO_THREADS <= 256)) || die "ATRIUM_BENCH_IO_THREADS must be at most 256 (got $IO_THREADS)"
[[ $PIN == 0 || $PIN == 1 ]] || die "ATRIUM_BENCH_PIN must be 0 or 1 (got '$PIN')"

# --- prerequisites --------------------------------------------------------------

if [[ ! -x $ATRIUM_BIN ]]; then
  die "no Atrium binary at '$ATRIUM_BIN' (relative to $REPO_ROOT).
Build it first:  cmake --preset release && cmake --build --preset release
or point ATRIUM_BIN at a release build."
fi
case $ATRIUM_BIN in
  /*) ;;
  *) ATRIUM_BIN="$REPO_ROOT/$ATRIUM_BIN" ;;
esac

NGINX=$(command -v nginx || true)
[[ -z $NGINX && -x /usr/sbin/nginx ]] && NGINX=/usr/sbin/nginx
have_aiohttp() { [[ -x $PY ]] && "$PY" -c 'import aiohttp' >/dev/null 2>&1; }
if ! command -v wrk >/dev/null || [[ -z $NGINX ]] || ! have_aiohttp; then
  log "installing the benchmark's Debian packages: wrk nginx-light python3-aiohttp"
  SUDO=()
  if ((EUID != 0)); then
    command -v sudo >/dev/null || die "need root (or sudo) to run: apt-get install -y wrk nginx-light python3-aiohttp"
    SUDO=(sudo)
  fi
  if ! "${SUDO[@]}" apt-get install -y wrk nginx-light python3-aiohttp; then
    # A fresh machine may have no package lists yet.
    "${SUDO[@]}" apt-get update
    "${SUDO[@]}" apt-get install -y wrk nginx-light python3-aiohttp
  fi
  NGINX=$(command -v nginx || true)
  [[ -z $NGINX && -x /usr/sbin/nginx ]] && NGINX=/usr/sbin/nginx
  command -v wrk >/dev/null || die "wrk is still missing after apt-get install"
  [[ -n $NGINX ]] || die "nginx is still missing after apt-get install"
  have_aiohttp || die "python3-aiohttp is still missing after apt-get install"
fi
command -v curl >/dev/null || die "curl is required (apt-get install -y curl)"

if pgrep -x wrk >/dev/null 2>&1; then
  log "warning: another wrk is already running on this machine; the numbers will be skewed"
fi

# Percent of all CPUs busy (not idle, not iowait) over one second, from /proc/stat.
cpu_busy_pct() {
  local a b
  a=$(awk '$1 == "cpu" { print $2 + $3 + $4 + $7 + $8 + $9, $5 + $6; exit }' /proc/stat)
  sleep 1
  b=$(awk '$1 == "cpu" { print $2 + $3 + $4 + $7 + $8 + $9, $5 + $6; exit }' /proc/stat)
  awk -v a="$a" -v b="$b" 'BEGIN {
    split(a, x, " "); split(b, y, " ")
    busy = y[1] - x[1]; idle = y[2] - x[2]
    printf "%d", (busy + idle > 0) ? 100 * busy / (busy + idle) : 0
  }'
}
OTHER_LIMIT=10 # percent of all CPUs used by anything else; above it a run is flagged
BUSY_BEFORE=$(cpu_busy_pct)
if ((BUSY_BEFORE > OTHER_LIMIT)); then
  log "warning: the machine is ${BUSY_BEFORE}% busy before the benchmark; the numbers will be skewed"
fi

# --- CPU placement ----------------------------------------------------------------

NCPU=$(nproc)
SERVER_PIN=()
WRK_PIN=()
PLACEMENT="not pinned"
if [[ $PIN == 1 ]] && command -v taskset >/dev/null && ((NCPU > IO_THREADS)); then
  SERVER_CPUS="0-$((IO_THREADS - 1))"
  WRK_CPUS="$IO_THREADS-$((NCPU - 1))"
  SERVER_PIN=(taskset -c "$SERVER_CPUS")
  WRK_PIN=(taskset -c "$WRK_CPUS")
  PLACEMENT="servers on CPU $SERVER_CPUS, wrk on CPU $WRK_CPUS"
fi

# --- temp dir, processes, cleanup ----------------------------------------------------

TMP=$(mktemp -d "${TMPDIR:-/tmp}/atrium-bench.XXXXXX")
# nginx workers may run as another user when started as root: let them traverse.
chmod 755 "$TMP"
PIDS=()
WRK_PID=

stop_pid() {
  local pid=$1 i
  kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < 50; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
}

cleanup() {
  local rc=$? i
  set +e
  trap - EXIT INT TERM
  [[ -n ${WRK_PID:-} ]] && stop_pid "$WRK_PID"
  for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do
    stop_pid "${PIDS[i]}"
  done
  [[ -n ${TMP:-} && -d $TMP ]] && rm -rf -- "$TMP"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

free_ports() { # N distinct free ports on 127.0.0.1, all held until all are chosen
  "$PY" -c '
import socket, sys
ss = [socket.socket() for _ in range(int(sys.argv[1]))]
for s in ss:
    s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in ss))
for s in ss:
    s.close()
' "$1"
}

# wait_http NAME PID URL: poll up to 10 s; fail early if the process died.
wait_http() {
  local name=$1 pid=$2 url=$3 i
  for ((i = 0; i < 100; i++)); do
    if curl -fsS -o /dev/null --max-time 1 "$url" 2>/dev/null; then
      return 0
    fi
    kill -0 "$pid" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}

# kB value of a /proc/PID/status field, summed over the given pids.
status_kb() {
  local field=$1 total=0 pid v
  shift
  for pid in "$@"; do
    v=$(awk -v f="$field:" '$1 == f { print $2 }' "/proc/$pid/status" 2>/dev/null || true)
    total=$((total + ${v:-0}))
  done
  echo "$total"
}
mb() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }

read -r P_UNAMENTIS P_UNICHAT P_SECONDBRAIN P_PISOVEREIGN P_MIRA P_NGINX P_AIOHTTP <<<"$(free_ports 7)"

# --- Atrium -------------------------------------------------------------------------

mkdir -p "$TMP/atrium"
cat >"$TMP/atrium/atrium.toml" <<EOF
[server]
bind = "$HOST"
io_threads = $IO_THREADS
max_connections_per_address = 0

[log]
level = "warn"
access_log = false

[data]
dir = "$TMP/atrium/data"

[dialects.unamentis]
port = $P_UNAMENTIS

[dialects.unichat]
port = $P_UNICHAT

[dialects.secondbrain]
port = $P_SECONDBRAIN

[dialects.pisovereign]
port = $P_PISOVEREIGN

[dialects.mira]
port = $P_MIRA
EOF

# ATRIUM_* variables override the config file; keep the caller's out of the server.
ENV_CLEAN=()
while read -r v; do
  [[ -n $v ]] && ENV_CLEAN+=(-u "$v")
done < <(compgen -e | grep '^ATRIUM_' || true)

log "starting Atrium ($ATRIUM_BIN, io_threads=$IO_THREADS)"
env "${ENV_CLEAN[@]}" "${SERVER_PIN[@]}" "$ATRIUM_BIN" serve --config "$TMP/atrium/atrium.toml" \
  >"$TMP/atrium/out.log" 2>&1 &
ATRIUM_PID=$!
PIDS+=("$ATRIUM_PID")
ATRIUM_URL="http://$HOST:$P_UNAMENTIS/health"
if ! wait_http atrium "$ATRIUM_PID" "$ATRIUM_URL"; then
  cat "$TMP/atrium/out.log" >&2 || true
  die "Atrium did not answer $ATRIUM_URL within 10 s"
fi
for url in "http://$HOST:$P_UNICHAT/api/health" "http://$HOST:$P_SECONDBRAIN/api/health" \
  "http://$HOST:$P_PISOVEREIGN/health" "http://$HOST:$P_MIRA/api/v1/health"; do
  curl -sS -o /dev/null --max-time 2 "$url" || log "warning: $url did not answer (dialect not up?)"
done

# The baselines serve the exact bytes Atrium answered with.
curl -fsS --max-time 2 "$ATRIUM_URL" >"$TMP/body.json"
[[ -s $TMP/body.json ]] || die "Atrium's /health returned an empty body"
chmod 644 "$TMP/body.json"

# --- nginx --------------------------------------------------------------------------

NGX=$TMP/nginx
mkdir -p "$NGX/www" "$NGX/logs"
cp "$TMP/body.json" "$NGX/www/health"
chmod 755 "$NGX" "$NGX/www"
chmod 644 "$NGX/www/health"
cat >"$NGX/nginx.conf" <<EOF
daemon off;
master_process on;
worker_processes $IO_THREADS;
pid $NGX/nginx.pid;
error_log $NGX/logs/error.log warn;

events {
    worker_connections 4096;
}

http {
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_timeout 65s;
    keepalive_requests 1000000;
    default_type application/json;
    client_body_temp_path $NGX/client_body;
    proxy_temp_path $NGX/proxy;
    fastcgi_temp_path $NGX/fastcgi;
    uwsgi_temp_path $NGX/uwsgi;
    scgi_temp_path $NGX/scgi;

    server {
        listen $HOST:$P_NGINX;
        root $NGX/www;
        location = /health {
            default_type application/json;
        }
    }
}
EOF

log "starting nginx ($NGINX, worker_processes=$IO_THREADS)"
"${SERVER_PIN[@]}" "$NGINX" -p "$NGX" -c "$NGX/nginx.conf" -e "$NGX/logs/error.log" \
  >"$NGX/logs/out.log" 2>&1 &
NGINX_PID=$!
PIDS+=("$NGINX_PID")
NGINX_URL="http://$HOST:$P_NGINX/health"
if ! wait_http nginx "$NGINX_PID" "$NGINX_URL"; then
  cat "$NGX/logs/out.log" "$NGX/logs/error.log" >&2 2>/dev/null || true
  die "nginx did not answer $NGINX_URL within 10 s"
fi

# --- aiohttp -------------------------------------------------------------------------

log "starting aiohttp ($PY bench/aiohttp_health.py)"
"${SERVER_PIN[@]}" "$PY" bench/aiohttp_health.py "$P_AIOHTTP" "$TMP/body.json" >"$TMP/aiohttp.log" 2>&1 &
AIOHTTP_PID=$!
PIDS+=("$AIOHTTP_PID")
AIOHTTP_URL="http://$HOST:$P_AIOHTTP/health"
if ! wait_http aiohttp "$AIOHTTP_PID" "$AIOHTTP_URL"; then
  cat "$TMP/aiohttp.log" >&2 || true
  die "aiohttp did not answer $AIOHTTP_URL within 10 s"
fi

for url in "$NGINX_URL" "$AIOHTTP_URL"; do
  if ! cmp -s "$TMP/body.json" <(curl -fsS --max-time 2 "$url"); then
    die "$url does not serve the same body as Atrium"
  fi
done

# Idle memory, all three up and before any load. nginx: master + workers.
nginx_pids() {
  echo "$NGINX_PID"
  pgrep -P "$NGINX_PID" || true
}
sleep 1
mapfile -t NGINX_PIDS < <(nginx_pids)
IDLE_KB_atrium=$(status_kb VmRSS "$ATRIUM_PID")
IDLE_KB_nginx=$(status_kb VmRSS "${NGINX_PIDS[@]}")
IDLE_KB_aiohttp=$(status_kb VmRSS "$AIOHTTP_PID")

# --- load ---------------------------------------------------------------------------

# run_wrk NAME URL SECONDS OUTFILE. Bounded by timeout in case wrk hangs. wrk runs in
# the background and the script waits with the `wait` builtin so that Ctrl-C runs the
# INT trap at once (wrk itself catches SIGINT and would exit 0 with partial numbers).
run_wrk() {
  local name=$1 url=$2 secs=$3 out=$4 rc=0
  timeout -k 5 $((secs + 30)) "${WRK_PIN[@]}" wrk -t1 -c"$CONNECTIONS" -d"${secs}s" --latency "$url" >"$out" 2>&1 &
  WRK_PID=$!
  wait "$WRK_PID" || rc=$?
  WRK_PID=
  if ((rc != 0)); then
    cat "$out" >&2
    die "wrk against $name failed (exit $rc)"
  fi
}

# CPU accounting, to tell whether something else ran during a measured run: the
# machine's busy ticks minus the servers' and wrk's. Ticks are 1/CLK_TCK seconds.
HZ=$(getconf CLK_TCK)
machine_ticks() { awk '$1 == "cpu" { print $2 + $3 + $4 + $7 + $8; exit }' /proc/stat; }
servers_ticks() { # utime + stime of every server process, all threads
  local pid total=0 v
  for pid in "$ATRIUM_PID" "${NGINX_PIDS[@]}" "$AIOHTTP_PID"; do
    v=$(sed 's/.*) //' "/proc/$pid/stat" 2>/dev/null | awk '{ print $12 + $13 }' || true)
    total=$((total + ${v:-0}))
  done
  echo "$total"
}
# Sets CHILD_TICKS: CPU of this shell's reaped children (wrk, through timeout). `times`
# must run in this shell, so call it directly, never inside $(...).
children_ticks() {
  times >"$TMP/times"
  CHILD_TICKS=$(awk -v hz="$HZ" 'NR == 2 {
    t = 0
    for (i = 1; i <= 2; i++) { split($i, p, "m"); t += p[1] * 60 + p[2] }
    printf "%d", t * hz
  }' "$TMP/times")
}
now_ticks() { awk -v hz="$HZ" '{ printf "%d", $1 * hz }' /proc/uptime; }

rps_of() { awk '$1 == "Requests/sec:" { print $2; exit }' "$1"; }
# p99 in milliseconds, from wrk's "Latency Distribution" section (units us, ms, s, m).
p99_ms_of() {
  awk '
    /Latency Distribution/ { f = 1; next }
    f && $1 == "99%" {
      v = $2; n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
      if (u == "us") n /= 1000; else if (u == "s") n *= 1000; else if (u == "m") n *= 60000
      printf "%.2f", n; exit
    }' "$1"
}
# Socket errors and non-2xx counts, as one line (empty when clean).
errors_of() {
  awk '/Socket errors:|Non-2xx or 3xx responses:/ { sub(/^ +/, ""); printf "%s%s", sep, $0; sep = "; " }' "$1"
}

RAW=$TMP/raw
mkdir -p "$RAW"
declare -A RPS P99 ERRS OTHER
for name in atrium nginx aiohttp; do
  case $name in
    atrium) url=$ATRIUM_URL ;;
    nginx) url=$NGINX_URL ;;
    aiohttp) url=$AIOHTTP_URL ;;
  esac
  log "$name: warm-up ${WARMUP_SECONDS}s, then ${DURATION}s with $CONNECTIONS connections"
  run_wrk "$name" "$url" "$WARMUP_SECONDS" "$RAW/$name-warmup.txt"
  children_ticks
  m0=$(machine_ticks) s0=$(servers_ticks) c0=$CHILD_TICKS t0=$(now_ticks)
  run_wrk "$name" "$url" "$DURATION" "$RAW/$name.txt"
  children_ticks
  m1=$(machine_ticks) s1=$(servers_ticks) c1=$CHILD_TICKS t1=$(now_ticks)
  # Percent of the machine's capacity used by other processes during the run.
  OTHER[$name]=$(awk -v m=$((m1 - m0)) -v s=$((s1 - s0)) -v c=$((c1 - c0)) -v t=$((t1 - t0)) -v n="$NCPU" \
    'BEGIN { o = (t > 0) ? 100 * (m - s - c) / (t * n) : 0; printf "%d", (o < 0) ? 0 : o }')
  if ((OTHER[$name] > OTHER_LIMIT)); then
    log "warning: other processes used ${OTHER[$name]}% of the CPUs during the $name run; its numbers are skewed"
  fi
  RPS[$name]=$(rps_of "$RAW/$name.txt")
  P99[$name]=$(p99_ms_of "$RAW/$name.txt")
  ERRS[$name]=$(errors_of "$RAW/$name.txt")
  [[ -n ${RPS[$name]} && -n ${P99[$name]} ]] || {
    cat "$RAW/$name.txt" >&2
    die "could not parse wrk's output for $name"
  }
done
# Peak memory (high-water mark) once the load is over.
mapfile -t NGINX_PIDS < <(nginx_pids)
PEAK_KB_atrium=$(status_kb VmHWM "$ATRIUM_PID")
PEAK_KB_nginx=$(status_kb VmHWM "${NGINX_PIDS[@]}")
PEAK_KB_aiohttp=$(status_kb VmHWM "$AIOHTTP_PID")

kill -0 "$ATRIUM_PID" 2>/dev/null || die "Atrium exited during the run; its log:
$(cat "$TMP/atrium/out.log")"

# --- report -------------------------------------------------------------------------

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
ge() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a >= b) }'; }
lt() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a < b) }'; }
verdict() { if "$@"; then echo "met"; else echo "NOT met"; fi; }

R_NGINX=$(ratio "${RPS[atrium]}" "${RPS[nginx]}")
R_AIOHTTP=$(ratio "${RPS[atrium]}" "${RPS[aiohttp]}")
IDLE_MB=$(mb "$IDLE_KB_atrium")
PEAK_MB=$(mb "$PEAK_KB_atrium")

COMMIT=$(git -C "$REPO_ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
if [[ -n $(git -C "$REPO_ROOT" status --porcelain --untracked-files=no 2>/dev/null || true) ]]; then
  COMMIT="$COMMIT (with uncommitted changes)"
fi
CPU_MODEL=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || true)
VERSIONS="$("$ATRIUM_BIN" --version 2>/dev/null | head -n1 || echo atrium), $("$NGINX" -v 2>&1 | sed 's/^nginx version: //'), aiohttp $("$PY" -c 'import aiohttp; print(aiohttp.__version__)'), $( (wrk -v 2>&1 || true) | head -n1 | awk '{ print $1, $2 }')"

REPORT=$TMP/report.md
{
  echo "# Atrium HTTP benchmark"
  echo
  echo "- date: $(date -u '+%Y-%m-%dT%H:%M:%SZ'), commit $COMMIT"
  echo "- machine: $NCPU CPU(s)${CPU_MODEL:+, $CPU_MODEL}; $PLACEMENT"
  echo "- other load: ${BUSY_BEFORE}% of the CPUs busy just before the run; during the runs, other processes used atrium ${OTHER[atrium]}%, nginx ${OTHER[nginx]}%, aiohttp ${OTHER[aiohttp]}% (over $OTHER_LIMIT%: numbers skewed)"
  echo "- load: wrk -t1 -c$CONNECTIONS -d${DURATION}s --latency, after a ${WARMUP_SECONDS}s warm-up; GET /health, $(wc -c <"$TMP/body.json") B JSON body, keep-alive"
  echo "- servers: Atrium io_threads=$IO_THREADS (all five dialects on), nginx worker_processes=$IO_THREADS, aiohttp 1 process; logs off"
  echo "- versions: $VERSIONS"
  echo
  echo "| server | requests/s | p99 (ms) | RSS idle (MB) | RSS peak (MB) |"
  echo "|---|---:|---:|---:|---:|"
  printf '| atrium | %s | %s | %s | %s |\n' "${RPS[atrium]}" "${P99[atrium]}" "$IDLE_MB" "$PEAK_MB"
  printf '| nginx | %s | %s | %s | %s |\n' "${RPS[nginx]}" "${P99[nginx]}" "$(mb "$IDLE_KB_nginx")" "$(mb "$PEAK_KB_nginx")"
  printf '| aiohttp | %s | %s | %s | %s |\n' "${RPS[aiohttp]}" "${P99[aiohttp]}" "$(mb "$IDLE_KB_aiohttp")" "$(mb "$PEAK_KB_aiohttp")"
  echo
  echo "| measure | value | goal | |"
  echo "|---|---:|---:|---|"
  echo "| atrium / nginx (requests/s) | ${R_NGINX}x | >= 0.8x | $(verdict ge "$R_NGINX" 0.8) |"
  echo "| atrium / aiohttp (requests/s) | ${R_AIOHTTP}x | >= 5x | $(verdict ge "$R_AIOHTTP" 5) |"
  echo "| atrium idle RSS | $IDLE_MB MB | < 20 MB | $(verdict lt "$IDLE_MB" 20) |"
  echo "| atrium peak RSS (VmHWM after load) | $PEAK_MB MB | | |"
  echo
  echo "RSS idle: VmRSS with all three servers started, before any load. RSS peak: VmHWM after the load. nginx: master + workers. MB = 1024 x 1024 bytes."
  if ((BUSY_BEFORE > OTHER_LIMIT || OTHER[atrium] > OTHER_LIMIT || OTHER[nginx] > OTHER_LIMIT ||
    OTHER[aiohttp] > OTHER_LIMIT)); then
    echo
    echo "**warning** the machine was not quiet (see other load above): these numbers are skewed; run again on a quiet machine"
  fi
  for name in atrium nginx aiohttp; do
    if [[ -n ${ERRS[$name]} ]]; then
      echo
      echo "**warning** $name: ${ERRS[$name]} (its numbers are not comparable)"
    fi
  done
} >"$REPORT"

mkdir -p "$RESULTS_DIR"
cp "$REPORT" "$RESULTS_DIR/latest.md"
for name in atrium nginx aiohttp; do
  cp "$RAW/$name.txt" "$RESULTS_DIR/latest-wrk-$name.txt"
done
echo
cat "$REPORT"
echo
log "written to $RESULTS_DIR/latest.md (raw wrk output: $RESULTS_DIR/latest-wrk-*.txt)"
