#!/usr/bin/env bash
# Rate-limit check latency, in process against Redis: starts a throw-away redis-server
# (tests/support/redis_server.py, a temp dir, a free loopback port), runs
# atrium_ratelimit_bench against it, stops it. Run by hand; see bench/README.md.
#
#   cmake --preset bench && cmake --build --preset bench --target atrium_ratelimit_bench
#   bench/ratelimit_bench.sh [--checks N] [--threads T]
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${ATRIUM_RATELIMIT_BENCH:-build/bench/bench/atrium_ratelimit_bench}
[[ -x $BIN ]] || { echo "bench: $BIN not built (see the header)" >&2; exit 1; }
dir=$(mktemp -d)
trap '/usr/bin/python3 tests/support/redis_server.py stop --dir "$dir/redis"; rm -rf "$dir"' EXIT
url=$(/usr/bin/python3 tests/support/redis_server.py start --dir "$dir/redis")
"$BIN" --redis "$url" "$@"
