#!/usr/bin/env bash
# Ingest benchmark (docs/performance.md). The one command: bash bench/ingest.sh
#
# 32 national-unit clients (one key and one country each) post distinct returns to the app, which acknowledges a
# return (201) only after its transaction has committed with synchronous=FULL. Side by side, in the same run and on
# the same disk, a bare ADO.NET loop makes the same number of single-row commits with the same settings: the most a
# single SQLite writer can do here. Rounds alternate the two so both see the same machine noise. Target: the app
# reaches at least 0.5x the loop.
#
# Settings (environment):
#   BENCH_CLIENTS=32          concurrent national-unit clients
#   BENCH_PER_CLIENT=60       returns each client posts per round (distinct days; rounds x this must be <= 366)
#   BENCH_ROUNDS=3            rounds of (loop, app)
#   BENCH_SERVER_TIMEOUT=600  seconds after which the server stops by itself, even if this script was killed
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CLIENTS="${BENCH_CLIENTS:-32}"
PER_CLIENT="${BENCH_PER_CLIENT:-60}"
ROUNDS="${BENCH_ROUNDS:-3}"
SERVER_TIMEOUT="${BENCH_SERVER_TIMEOUT:-600}"
# The database lives under the repository, so the loop and the app write to the same disk.
WORK="$(mktemp -d "$ROOT/bench/results/ingest.XXXXXX" 2>/dev/null || { mkdir -p "$ROOT/bench/results" && mktemp -d "$ROOT/bench/results/ingest.XXXXXX"; })"
SERVER_PID=""

cleanup() {
  if [ -n "$SERVER_PID" ]; then kill -TERM "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  rm -f "$WORK"/*.db "$WORK"/*.db-wal "$WORK"/*.db-shm "$WORK/keys.txt"
}
trap cleanup EXIT INT TERM

echo "building (Release)..." >&2
dotnet build "$ROOT/src/Liberterra.Web" -c Release -v q -nologo >&2
dotnet build "$ROOT/bench/Liberterra.Bench" -c Release -v q -nologo >&2
WEB="$ROOT/src/Liberterra.Web/bin/Release/net10.0"
BENCH=(dotnet "$ROOT/bench/Liberterra.Bench/bin/Release/net10.0/Liberterra.Bench.dll")

DB="$WORK/ingest.db"
"${BENCH[@]}" prepare --database "$DB" --seed "$ROOT/seed-data" >&2
"${BENCH[@]}" ingest-setup --database "$DB" --clients "$CLIENTS" --keys "$WORK/keys.txt" >&2

PORT="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
(cd "$WEB" && ASPNETCORE_ENVIRONMENT=Production \
  ConnectionStrings__Liberterra="Data Source=$DB" Seed__Enabled=false \
  RateLimiting__PermitsPerSecond=1000000 RateLimiting__Burst=1000000 \
  exec timeout "$SERVER_TIMEOUT" dotnet Liberterra.Web.dll --urls "http://127.0.0.1:$PORT") > "$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 100); do
  curl -fs "http://127.0.0.1:$PORT/health/ready" >/dev/null 2>&1 && break
  sleep 0.2
done
curl -fs "http://127.0.0.1:$PORT/health/ready" >/dev/null || { echo "the app did not start; see $WORK/server.log" >&2; exit 1; }

COMMITS=$((CLIENTS * PER_CLIENT))
declare -a APP LOOP APP_P50 APP_P99
for round in $(seq 0 $((ROUNDS - 1))); do
  loop_line="$("${BENCH[@]}" sqlite-ceiling --directory "$WORK" --commits "$COMMITS")"
  app_line="$("${BENCH[@]}" ingest --url "http://127.0.0.1:$PORT" --keys "$WORK/keys.txt" --per-client "$PER_CLIENT" --round "$round")"
  echo "round $((round + 1)): $loop_line | $app_line" >&2
  LOOP+=("$(sed -E 's/.*per_second=([0-9.]+).*/\1/' <<<"$loop_line")")
  APP+=("$(sed -E 's/.*per_second=([0-9.]+).*/\1/' <<<"$app_line")")
  APP_P50+=("$(sed -E 's/.*p50_ms=([0-9.]+).*/\1/' <<<"$app_line")")
  APP_P99+=("$(sed -E 's/.*p99_ms=([0-9.]+).*/\1/' <<<"$app_line")")
done

python3 - "${LOOP[*]}" "${APP[*]}" "${APP_P50[*]}" "${APP_P99[*]}" "$CLIENTS" "$COMMITS" <<'PY'
import statistics, sys
loop, app, p50, p99 = ([float(x) for x in arg.split()] for arg in sys.argv[1:5])
clients, commits = sys.argv[5], sys.argv[6]
print(f"Ingest: {clients} concurrent national-unit clients, {commits} distinct returns per round, {len(app)} rounds")
print(f"{'round':>5}  {'bare loop commits/s':>20}  {'app returns/s':>14}  {'ratio':>6}  {'app p50 ms':>10}  {'app p99 ms':>10}")
for i, (l, a, m, n) in enumerate(zip(loop, app, p50, p99), 1):
    print(f"{i:>5}  {l:>20.1f}  {a:>14.1f}  {a / l:>6.2f}  {m:>10.2f}  {n:>10.2f}")
ratio = statistics.median(a / l for a, l in zip(app, loop))
print(f"median ratio app / bare loop: {ratio:.2f} (target >= 0.50): {'PASS' if ratio >= 0.5 else 'FAIL'}")
PY
