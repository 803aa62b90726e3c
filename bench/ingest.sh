#!/usr/bin/env bash
# Ingest benchmark (docs/performance.md). The one command: bash bench/ingest.sh
#
# 32 national-unit clients (one key and one country each) post distinct returns to the app, which acknowledges a
# return (201) only after its transaction has committed durably. Every round runs, in the same run and on the same disk:
#   sqlite-loop   a bare ADO.NET loop making the same number of single-row commits as the app gets returns, with the
#                 app's settings (WAL, synchronous=FULL): the most a single SQLite writer can do here;
#   sqlite-app    the app on SQLite, one instance (SQLite takes one writer: one instance is all it supports);
#   pg-loop       a bare Npgsql loop on PostgreSQL: BEGIN, one INSERT, COMMIT, from one connection;
#   pg-loop-N     the same from N connections at once (N = BENCH_CLIENTS), where PostgreSQL can flush several
#                 commits with one fsync;
#   pg-app-1      the app on PostgreSQL, one instance;
#   pg-app-2      the app on PostgreSQL, two instances on the same database, the clients dealt out between them;
# and, diagnostic (BENCH_SPREAD_OPERATIONS, 0 leaves them out), to tell what the design serialises from what the
# machine does: every write to an operation takes its row lock (SELECT … FOR UPDATE) until it commits, so writes to
# one operation take turns; these two modes deal the clients out among several operations instead of one:
#   pg-app-1-spread, pg-app-2-spread.
# All PostgreSQL modes share one throwaway cluster (scripts/pg-cluster.sh) that keeps the server's default
# durability: fsync on, synchronous_commit on, full_page_writes on (the test cluster turns them off; this one must not).
# During each PostgreSQL app mode the bench tool samples pg_stat_activity every 25 ms (lock waits, who holds the
# operation's row lock and what it is doing), and this script reads /proc for the CPU time of each app process, the
# postgres processes and the load generator, per return.
# Modes run in one order in odd rounds and the reverse in even rounds, so a drift in machine speed does not favour
# one; each round posts new days, so no round is a resend. An unmeasured warm-up round comes first (JIT, tiered
# compilation, connection pools: a few thousand returns would otherwise carry a second of start-up CPU each). The target of the first ingest issue stays: the SQLite app
# reaches at least 0.5x the SQLite loop.
#
# Settings (environment):
#   BENCH_CLIENTS=32            concurrent national-unit clients
#   BENCH_PER_CLIENT=60         returns each client posts per round (distinct days; (rounds + 1) x this must be <= 366)
#   BENCH_ROUNDS=3              rounds of every mode
#   BENCH_PROVIDERS="sqlite postgres"  "sqlite" alone runs only the SQLite modes, as before PostgreSQL was added
#   BENCH_SPREAD_OPERATIONS=4   operations the clients are dealt out among in the diagnostic modes (0: no such modes)
#   BENCH_QUIET_CPU=10          a mode is quiet when other processes used at most this percent of one core meanwhile;
#                               the tables come from the rounds in which every mode was quiet, if any
#   BENCH_QUIET_WAIT=20         seconds to wait, at most, for the machine to be quiet before each round
#   BENCH_SERVER_TIMEOUT=900    seconds after which a server stops by itself, even if this script was killed
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CLIENTS="${BENCH_CLIENTS:-32}"
PER_CLIENT="${BENCH_PER_CLIENT:-60}"
ROUNDS="${BENCH_ROUNDS:-3}"
PROVIDERS="${BENCH_PROVIDERS:-sqlite postgres}"
SPREAD="${BENCH_SPREAD_OPERATIONS:-4}"
QUIET_CPU="${BENCH_QUIET_CPU:-10}"
QUIET_WAIT="${BENCH_QUIET_WAIT:-20}"
SERVER_TIMEOUT="${BENCH_SERVER_TIMEOUT:-900}"
for setting in CLIENTS PER_CLIENT ROUNDS QUIET_CPU QUIET_WAIT SERVER_TIMEOUT; do
  if ! [[ "${!setting}" =~ ^[1-9][0-9]*$ ]]; then
    echo "BENCH_$setting must be a positive whole number, not '${!setting}'" >&2
    exit 2
  fi
done
[[ $SPREAD =~ ^[0-9]+$ ]] || { echo "BENCH_SPREAD_OPERATIONS must be a whole number, not '$SPREAD'" >&2; exit 2; }
((PER_CLIENT * (ROUNDS + 1) <= 366)) || { echo "BENCH_PER_CLIENT x (BENCH_ROUNDS + 1) must be at most 366 (one return a day; one round warms up)" >&2; exit 2; }
POSTGRES=0
for provider in $PROVIDERS; do
  case $provider in
    sqlite) ;;
    postgres) POSTGRES=1 ;;
    *) echo "BENCH_PROVIDERS takes 'sqlite' and 'postgres', not '$provider'" >&2; exit 2 ;;
  esac
done
[[ " $PROVIDERS " == *" sqlite "* ]] || { echo "BENCH_PROVIDERS must include sqlite: the ratios are taken against it" >&2; exit 2; }

STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
# Results and the SQLite databases live under the repository, so the SQLite loop and app write to the same disk as
# each other (the PostgreSQL cluster's temporary folder is on the same file system here; the summary says where).
RESULTS="$ROOT/bench/results/ingest-$STAMP"
mkdir -p "$RESULTS"
WORK="$(mktemp -d "$RESULTS/work.XXXXXX")"
SERVER_PIDS=() # the `timeout` wrapper of each server
declare -A APP_PID_OF PORT_OF

PG_CLUSTER_WHO=ingest.sh
. "$ROOT/scripts/pg-cluster.sh"
. "$ROOT/bench/cpu.sh"
. "$ROOT/bench/servers.sh"

# Whatever happens, the servers, the cluster and the work folder go when the script ends.
stop_on_exit

say() { printf '\n== %s\n' "$*" >&2; }

echo "building (Release)..." >&2
dotnet build "$ROOT/src/Liberterra.Web" -c Release -v q -nologo "-clp:ErrorsOnly;NoSummary" >&2
dotnet build "$ROOT/bench/Liberterra.Bench" -c Release -v q -nologo "-clp:ErrorsOnly;NoSummary" >&2
WEB="$ROOT/src/Liberterra.Web/bin/Release/net10.0"
BENCH=(dotnet "$ROOT/bench/Liberterra.Bench/bin/Release/net10.0/Liberterra.Bench.dll")
{
  echo "commit: $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$ROOT" diff --quiet HEAD 2>/dev/null || echo ' (uncommitted changes)')"
  echo "cores: $(nproc); cpu: $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)"
  echo "dotnet: $(dotnet --version)"
  echo "settings: clients=$CLIENTS per_client=$PER_CLIENT rounds=$ROUNDS providers='$PROVIDERS' spread_operations=$SPREAD"
} | tee "$RESULTS/environment.txt" >&2

# start_app NAME DATABASE: the app on a free port of 127.0.0.1 (Production, seeding off, rate limit raised: one client
# per key, posting as fast as it can). DATABASE is a SQLite file or postgres:<connection string>.
start_app() {
  local name=$1 database=$2 port pid log="$WORK/server-$1.log" provider connection
  if [[ $database == postgres:* ]]; then provider=Postgres connection="${database#postgres:}"; else provider=Sqlite connection="Data Source=$database"; fi
  port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  (cd "$WEB" && ASPNETCORE_ENVIRONMENT=Production Database__Provider=$provider ConnectionStrings__Liberterra="$connection" \
    Seed__Enabled=false RateLimiting__PermitsPerSecond=1000000 RateLimiting__Burst=1000000 \
    exec timeout "$SERVER_TIMEOUT" dotnet Liberterra.Web.dll --urls "http://127.0.0.1:$port") >"$log" 2>&1 </dev/null &
  pid=$!
  SERVER_PIDS+=("$pid")
  for _ in $(seq 1 300); do
    curl -fs "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1 && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.2
  done
  if ! curl -fs "http://127.0.0.1:$port/health/ready" >/dev/null; then
    echo "the $name app did not start; its log:" >&2
    tail -n 30 "$log" >&2
    exit 1
  fi
  APP_PID_OF[$name]="$(pgrep -P "$pid" | head -n 1)"
  PORT_OF[$name]=$port
  echo "$name app: pid ${APP_PID_OF[$name]}, http://127.0.0.1:$port ($provider)" >&2
}

say "preparing the SQLite database"
SQLITE_DB="$WORK/ingest.db"
"${BENCH[@]}" prepare --database "$SQLITE_DB" --seed "$ROOT/seed-data" >&2
"${BENCH[@]}" ingest-setup --database "$SQLITE_DB" --clients "$CLIENTS" --keys "$WORK/keys-sqlite.txt" >&2
start_app sqlite "$SQLITE_DB"

MODES=(sqlite-loop sqlite-app)
if ((POSTGRES)); then
  if ! pg_cluster_find_bin; then
    say "installing PostgreSQL (Debian package postgresql)"
    as_root=()
    [[ $EUID -eq 0 ]] || as_root=(sudo)
    { "${as_root[@]}" apt-get update -q && "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends postgresql; } >/dev/null </dev/null
    pg_cluster_find_bin || { echo "PostgreSQL could not be installed" >&2; exit 1; }
  fi
  say "starting a throwaway PostgreSQL cluster (durability left at the server's defaults)"
  pg_cluster_start
  settings="$("$PG_BIN/psql" -X -A -t -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -c "SELECT string_agg(name || '=' || current_setting(name), ' ' ORDER BY name)
    FROM pg_settings WHERE name IN ('fsync', 'synchronous_commit', 'full_page_writes', 'wal_sync_method', 'shared_buffers', 'max_connections', 'commit_delay')")"
  echo "postgres: $("$PG_BIN/postgres" --version) in $PG_DIR ($(df --output=source "$PG_DIR" | tail -n 1); SQLite's folder: $(df --output=source "$WORK" | tail -n 1)); $settings" |
    tee -a "$RESULTS/environment.txt" >&2
  if [[ " $settings " != *" fsync=on "* || " $settings " != *" synchronous_commit=on "* ]]; then
    echo "the benchmark cluster must commit durably (fsync and synchronous_commit on): $settings" >&2
    exit 1
  fi
  PG_DB="postgres:$PG_CONNECTION;Database=bench_ingest"
  "${BENCH[@]}" prepare --database "$PG_DB" --seed "$ROOT/seed-data" >&2
  # Each app mode writes to operations of its own, so that no mode's returns are another's amendments.
  "${BENCH[@]}" ingest-setup --database "$PG_DB" --clients "$CLIENTS" --keys "$WORK/keys-pg-app-1.txt" --operation bench-ingest-one >&2
  "${BENCH[@]}" ingest-setup --database "$PG_DB" --clients "$CLIENTS" --keys "$WORK/keys-pg-app-2.txt" --operation bench-ingest-two >&2
  MODES+=(pg-loop "pg-loop-$CLIENTS" pg-app-1 pg-app-2)
  if ((SPREAD > 0)); then
    "${BENCH[@]}" ingest-setup --database "$PG_DB" --clients "$CLIENTS" --keys "$WORK/keys-pg-app-1-spread.txt" --operation bench-spread-one --operations "$SPREAD" >&2
    "${BENCH[@]}" ingest-setup --database "$PG_DB" --clients "$CLIENTS" --keys "$WORK/keys-pg-app-2-spread.txt" --operation bench-spread-two --operations "$SPREAD" >&2
    MODES+=(pg-app-1-spread pg-app-2-spread)
  fi
  # Started one after the other: the first applies the migrations (none are pending after prepare), the second finds
  # them applied.
  start_app pg-a "$PG_DB"
  start_app pg-b "$PG_DB"
fi

own_jiffies() {
  local total=0 name
  for name in "${!APP_PID_OF[@]}"; do total=$((total + $(process_jiffies "${APP_PID_OF[$name]}" all))); done
  echo $((total + $(process_jiffies $$ all) + $(postgres_jiffies))) # this shell's includes the bench tool's, once reaped
}
wait_for_quiet() {
  local waited busy own started other=0
  for ((waited = 0; waited < QUIET_WAIT; waited++)); do
    busy=$(busy_jiffies) own=$(own_jiffies) started=$(date +%s%N)
    sleep 1
    other=$(other_cpu "$busy" "$(busy_jiffies)" "$own" "$(own_jiffies)" "$started" "$(date +%s%N)")
    ((other <= QUIET_CPU)) && return
  done
  echo "  (the machine did not become quiet within ${QUIET_WAIT}s: other processes use ${other}% of a core; going on)" >&2
}

# run_mode MODE ROUND: runs one mode and appends one line of key=value pairs to raw.txt: the bench tool's own line
# (and its pg_stat_activity summary), plus CPU from /proc over the invocation, per return (or commit), in µs. Round 0
# is the warm-up: it posts the first block of days and is recorded in warmup.txt instead.
COMMITS=$((CLIENTS * PER_CLIENT))
run_mode() {
  local mode=$1 round=$2 command=() apps=() out="$RESULTS/round$2-$1.txt" hz raw="$RESULTS/raw.txt"
  ((round > 0)) || out="$RESULTS/warmup-$1.txt" raw="$RESULTS/warmup.txt"
  case $mode in
    sqlite-loop) command=(sqlite-ceiling --directory "$WORK" --commits "$COMMITS") ;;
    sqlite-app) command=(ingest --url "http://127.0.0.1:${PORT_OF[sqlite]}" --keys "$WORK/keys-sqlite.txt") apps=(sqlite) ;;
    pg-loop) command=(postgres-ceiling --database "$PG_DB" --commits "$COMMITS") ;;
    pg-loop-*) command=(postgres-ceiling --database "$PG_DB" --commits "$COMMITS" --connections "$CLIENTS") ;;
    pg-app-1*) command=(ingest --url "http://127.0.0.1:${PORT_OF[pg-a]}" --keys "$WORK/keys-$mode.txt" --sample-postgres "$PG_DB") apps=(pg-a) ;;
    pg-app-2*) command=(ingest --url "http://127.0.0.1:${PORT_OF[pg-a]}" --url "http://127.0.0.1:${PORT_OF[pg-b]}"
      --keys "$WORK/keys-$mode.txt" --sample-postgres "$PG_DB") apps=(pg-a pg-b) ;;
  esac
  [[ $mode == *-app* ]] && command+=(--per-client "$PER_CLIENT" --round "$round")
  local busy_before own_before started app_before=() pg_before name i
  busy_before=$(busy_jiffies) own_before=$(own_jiffies) started=$(date +%s%N) pg_before=$(postgres_jiffies)
  for name in "${apps[@]}"; do app_before+=("$(process_jiffies "${APP_PID_OF[$name]}")"); done
  "${BENCH[@]}" "${command[@]}" >"$out"
  local pg_after app_after=() other
  pg_after=$(postgres_jiffies)
  for name in "${apps[@]}"; do app_after+=("$(process_jiffies "${APP_PID_OF[$name]}")"); done
  other=$(other_cpu "$busy_before" "$(busy_jiffies)" "$own_before" "$(own_jiffies)" "$started" "$(date +%s%N)")
  hz=$(getconf CLK_TCK)
  local count app_cpu="" per_instance=""
  count=$(grep -o -E '(acknowledged|commits)=[0-9]+' "$out" | head -n 1 | cut -d= -f2)
  for i in "${!apps[@]}"; do
    per_instance+="${per_instance:+,}$(awk -v j=$((app_after[i] - app_before[i])) -v n="$count" -v hz="$hz" 'BEGIN { printf "%.0f", j / hz * 1e6 / n }')"
    app_cpu=$((${app_cpu:-0} + app_after[i] - app_before[i]))
  done
  {
    printf 'round=%s mode=%s other_pct=%s postgres_cpu_us=%s' "$round" "$mode" "$other" \
      "$(awk -v j=$((pg_after - pg_before)) -v n="$count" -v hz="$hz" 'BEGIN { printf "%.0f", j / hz * 1e6 / n }')"
    [[ -n $app_cpu ]] && printf ' app_cpu_us=%s app_cpu_us_each=%s' \
      "$(awk -v j="$app_cpu" -v n="$count" -v hz="$hz" 'BEGIN { printf "%.0f", j / hz * 1e6 / n }')" "$per_instance"
    printf ' %s\n' "$(grep -h -E '^(ingest|sqlite-ceiling|postgres-ceiling|pg-activity) ' "$out" | cut -d' ' -f2- | tr '\n' ' ')"
  } >>"$raw"
  printf '  %-16s %s\n' "$mode" "$(tail -n 1 "$raw" | grep -o -E '(per_second|p50_ms|p99_ms|other_pct|app_cpu_us|postgres_cpu_us|lock_waiters_mean|holder_busy_pct)=[^ ]*' | tr '\n' ' ')" >&2
}

say "warm-up round (not measured)"
for mode in "${MODES[@]}"; do run_mode "$mode" 0; done

for round in $(seq 1 "$ROUNDS"); do
  say "round $round of $ROUNDS"
  wait_for_quiet
  order=("${MODES[@]}")
  if ((round % 2 == 0)); then
    order=()
    for ((i = ${#MODES[@]} - 1; i >= 0; i--)); do order+=("${MODES[$i]}"); done
  fi
  for mode in "${order[@]}"; do run_mode "$mode" "$round"; done
done

python3 "$ROOT/bench/ingest-report.py" "$RESULTS/raw.txt" "$CLIENTS" "$COMMITS" "$QUIET_CPU" "$SPREAD" >"$RESULTS/summary.md"
{
  echo
  echo "Rerun: $( [[ $PROVIDERS != "sqlite postgres" ]] && echo "BENCH_PROVIDERS='$PROVIDERS' ")$( ((ROUNDS != 3)) && echo "BENCH_ROUNDS=$ROUNDS ")bash bench/ingest.sh"
} >>"$RESULTS/summary.md"
cp "$WORK"/server-*.log "$RESULTS/" 2>/dev/null || true
say "results"
cat "$RESULTS/summary.md"
echo
echo "raw output: ${RESULTS#"$ROOT"/}/"
