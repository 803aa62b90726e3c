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
# one; each round posts new days, so no round is a resend. Each app instance is first warmed up, unmeasured, for
# BENCH_WARMUP_SECONDS against an operation of its own: the JIT's tiered compilation keeps recompiling hot methods for
# about the first 30 s of load (dotnet-counters counted 500-1,000 methods every 2 s for 30 s, then none), and a round
# measured inside that window shows start-up, not the steady state a server runs in (app CPU per return fell from
# 3.4 ms in the first round to 1.1 ms in the fifth). Then an unmeasured warm-up round of every mode. The target of the first ingest issue stays: the SQLite app
# reaches at least 0.5x the SQLite loop.
#
# The batch series (BENCH_SERIES) runs after the ingest modes, against the same app instance: the SQLite app and, with
# PostgreSQL, pg-a. An admin key posts batches of BENCH_BATCH_SIZES rows spanning 28 countries (a national unit may
# write only its own), each to a fresh operation so that every row is a new return, timed from sending the request to
# the whole answer. For each size and format (JSON, CSV) it posts: a committed batch; a dry run (?dryRun=true); an
# atomic batch whose last row is invalid (expects 400, and checks that the operation still holds no return); and, for
# the largest size, a committed JSON batch while BENCH_BATCH_WRITERS national units of other countries post single
# returns to the same operation until it answers. Side by side, in the same round, the bare database inserts the same
# rows (a return row with all its columns and its first version row each) in one transaction into a database prepared
# like the app's on the same disk: on SQLite with two prepared statements a row, bound by position through
# SQLitePCL.raw as the app binds them, and WAL, synchronous=FULL and foreign keys on, as the app has them; on PostgreSQL
# with a binary COPY of the returns and one of their versions, as the app writes them, with the cluster's durable defaults
# (bench/Liberterra.Bench/Batch.cs says why). One warm-up round of the smallest size comes first;
# the steps of a round run in one order in odd rounds and the reverse in even ones. The report checks the batch
# import's targets: a 10,000-row batch commits in <= 1 s; its cost per row is within 1.25x that at 1,000 rows; a dry
# run is at least as fast; a batch failing on its last row writes nothing within the same bounds; single writes during
# a 10,000-row batch are acknowledged with p99 <= 500 ms.
#
# Settings (environment):
#   BENCH_SERIES="ingest batch" which series to run; BENCH_SERIES=batch reruns the batch series alone
#   BENCH_CLIENTS=32            concurrent national-unit clients
#   BENCH_PER_CLIENT=60         returns each client posts per round (distinct days; (rounds + 1) x this must be <= 366)
#   BENCH_ROUNDS=3              rounds of every mode
#   BENCH_PROVIDERS="sqlite postgres"  "sqlite" alone runs only the SQLite modes, as before PostgreSQL was added
#   BENCH_SPREAD_OPERATIONS=4   operations the clients are dealt out among in the diagnostic modes (0: no such modes)
#   BENCH_QUIET_CPU=10          a mode is quiet when other processes used at most this percent of one core meanwhile;
#                               the tables come from the rounds in which every mode was quiet, if any
#   BENCH_QUIET_WAIT=20         seconds to wait, at most, for the machine to be quiet before each round
#   BENCH_WARMUP_SECONDS=45     seconds of load each app instance gets before anything is measured (0: none); it stops
#                               early when its own operation's 366 days are used up
#   BENCH_SERVER_TIMEOUT        seconds after which a server stops by itself, even if this script was killed: 900, or
#                               3600 with the batch series (on code that takes minutes a batch, raise it)
#   BENCH_BATCH_SIZES="1000 10000"  rows per batch (at most 10,000, the API's limit)
#   BENCH_BATCH_ROUNDS=3        rounds of the batch series
#   BENCH_BATCH_WRITERS=4       national-unit clients posting single returns during the largest batch
#   BENCH_BATCH_TIMEOUT=600     seconds the load generator waits for one batch's answer
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CLIENTS="${BENCH_CLIENTS:-32}"
PER_CLIENT="${BENCH_PER_CLIENT:-60}"
ROUNDS="${BENCH_ROUNDS:-3}"
PROVIDERS="${BENCH_PROVIDERS:-sqlite postgres}"
SPREAD="${BENCH_SPREAD_OPERATIONS:-4}"
QUIET_CPU="${BENCH_QUIET_CPU:-10}"
QUIET_WAIT="${BENCH_QUIET_WAIT:-20}"
WARMUP_SECONDS="${BENCH_WARMUP_SECONDS:-45}"
WARMUP_OPERATIONS=4 # each holds 366 days of returns per client, enough for 45 s of warm-up at about 1,000 returns/s
SERIES="${BENCH_SERIES:-ingest batch}"
INGEST=0 BATCH=0
for series in $SERIES; do
  case $series in
    ingest) INGEST=1 ;;
    batch) BATCH=1 ;;
    *) echo "BENCH_SERIES takes 'ingest' and 'batch', not '$series'" >&2; exit 2 ;;
  esac
done
((INGEST + BATCH > 0)) || { echo "BENCH_SERIES names no series" >&2; exit 2; }
SERVER_TIMEOUT="${BENCH_SERVER_TIMEOUT:-$((BATCH ? 3600 : 900))}"
BATCH_ROUNDS="${BENCH_BATCH_ROUNDS:-3}"
BATCH_WRITERS="${BENCH_BATCH_WRITERS:-4}"
BATCH_TIMEOUT="${BENCH_BATCH_TIMEOUT:-600}"
for setting in CLIENTS PER_CLIENT ROUNDS QUIET_CPU QUIET_WAIT SERVER_TIMEOUT BATCH_ROUNDS BATCH_WRITERS BATCH_TIMEOUT; do
  if ! [[ "${!setting}" =~ ^[1-9][0-9]*$ ]]; then
    echo "BENCH_$setting must be a positive whole number, not '${!setting}'" >&2
    exit 2
  fi
done
[[ $SPREAD =~ ^[0-9]+$ ]] || { echo "BENCH_SPREAD_OPERATIONS must be a whole number, not '$SPREAD'" >&2; exit 2; }
[[ $WARMUP_SECONDS =~ ^[0-9]+$ ]] || { echo "BENCH_WARMUP_SECONDS must be a whole number, not '$WARMUP_SECONDS'" >&2; exit 2; }
((!INGEST || PER_CLIENT * (ROUNDS + 1) <= 366)) || { echo "BENCH_PER_CLIENT x (BENCH_ROUNDS + 1) must be at most 366 (one return a day; one round warms up)" >&2; exit 2; }
# A batch spans BATCH_COUNTRIES countries, one row per country and day of a 366-day operation: 28 x 366 holds the
# API's 10,000 rows.
BATCH_COUNTRIES=28
BATCH_SIZES=()
for size in ${BENCH_BATCH_SIZES:-1000 10000}; do
  if ! [[ $size =~ ^[1-9][0-9]*$ ]] || ((size > 10000)); then
    echo "BENCH_BATCH_SIZES takes row counts from 1 to 10000 (the API's limit), not '$size'" >&2
    exit 2
  fi
  BATCH_SIZES+=("$size")
done
mapfile -t BATCH_SIZES < <(printf '%s\n' "${BATCH_SIZES[@]}" | sort -n -u)
((!BATCH || ${#BATCH_SIZES[@]} > 0)) || { echo "BENCH_BATCH_SIZES names no size" >&2; exit 2; }
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
  echo "settings: series='$SERIES' providers='$PROVIDERS'"
  if ((INGEST)); then echo "ingest: clients=$CLIENTS per_client=$PER_CLIENT rounds=$ROUNDS spread_operations=$SPREAD"; fi
  if ((BATCH)); then echo "batch: sizes='${BATCH_SIZES[*]}' rounds=$BATCH_ROUNDS countries=$BATCH_COUNTRIES writers=$BATCH_WRITERS timeout=${BATCH_TIMEOUT}s"; fi
  echo "server timeout: ${SERVER_TIMEOUT}s"
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
if ((INGEST)); then
  "${BENCH[@]}" ingest-setup --database "$SQLITE_DB" --clients "$CLIENTS" --keys "$WORK/keys-sqlite.txt" >&2
  for k in $(seq 1 "$WARMUP_OPERATIONS"); do
    "${BENCH[@]}" ingest-setup --database "$SQLITE_DB" --clients "$CLIENTS" --keys "$WORK/keys-warmup-sqlite-$k.txt" --operation "bench-warmup-sqlite-$k" >&2
  done
fi
if ((BATCH)); then
  "${BENCH[@]}" batch-setup --database "$SQLITE_DB" --keys "$WORK/keys-batch-sqlite.txt" --countries "$BATCH_COUNTRIES" --writers "$BATCH_WRITERS" >&2
  # The bare insert's own database, prepared like the app's (same migrations, same seed) in the same folder.
  SQLITE_CEILING_DB="$WORK/batch-ceiling.db"
  "${BENCH[@]}" prepare --database "$SQLITE_CEILING_DB" --seed "$ROOT/seed-data" >&2
fi
start_app sqlite "$SQLITE_DB"

MODES=(sqlite-loop sqlite-app)
BATCH_TARGETS=(sqlite)
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
  if ((INGEST)); then
    # Each app mode writes to operations of its own, so that no mode's returns are another's amendments.
    "${BENCH[@]}" ingest-setup --database "$PG_DB" --clients "$CLIENTS" --keys "$WORK/keys-pg-app-1.txt" --operation bench-ingest-one >&2
    "${BENCH[@]}" ingest-setup --database "$PG_DB" --clients "$CLIENTS" --keys "$WORK/keys-pg-app-2.txt" --operation bench-ingest-two >&2
    for k in $(seq 1 "$WARMUP_OPERATIONS"); do
      for name in pg-a pg-b; do
        "${BENCH[@]}" ingest-setup --database "$PG_DB" --clients "$CLIENTS" --keys "$WORK/keys-warmup-$name-$k.txt" --operation "bench-warmup-$name-$k" >&2
      done
    done
    MODES+=(pg-loop "pg-loop-$CLIENTS" pg-app-1 pg-app-2)
    if ((SPREAD > 0)); then
      "${BENCH[@]}" ingest-setup --database "$PG_DB" --clients "$CLIENTS" --keys "$WORK/keys-pg-app-1-spread.txt" --operation bench-spread-one --operations "$SPREAD" >&2
      "${BENCH[@]}" ingest-setup --database "$PG_DB" --clients "$CLIENTS" --keys "$WORK/keys-pg-app-2-spread.txt" --operation bench-spread-two --operations "$SPREAD" >&2
      MODES+=(pg-app-1-spread pg-app-2-spread)
    fi
  fi
  if ((BATCH)); then
    "${BENCH[@]}" batch-setup --database "$PG_DB" --keys "$WORK/keys-batch-pg.txt" --countries "$BATCH_COUNTRIES" --writers "$BATCH_WRITERS" >&2
    PG_CEILING_DB="postgres:$PG_CONNECTION;Database=bench_batch_ceiling"
    "${BENCH[@]}" prepare --database "$PG_CEILING_DB" --seed "$ROOT/seed-data" >&2
    BATCH_TARGETS+=(pg)
  fi
  # Started one after the other: the first applies the migrations (none are pending after prepare), the second finds
  # them applied. The batch series uses pg-a alone.
  start_app pg-a "$PG_DB"
  if ((INGEST)); then start_app pg-b "$PG_DB"; fi
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

# run_batch_step TARGET STEP ROUND: one step of the batch series against TARGET (sqlite: the SQLite app and the bare
# SQLite insert; pg: pg-a and the bare PostgreSQL insert). STEP is ceiling:ROWS, batch:ROWS:FORMAT:KIND or during:ROWS.
# Appends one line to batch.txt (batch-warmup.txt in round 0): the round, target, step, the CPU other processes used
# meanwhile (percent of a core), and the bench tool's own key=value pairs.
run_batch_step() {
  local target=$1 step=$2 round=$3 app url keys ceiling command=() raw="$RESULTS/batch.txt" out parts=()
  ((round > 0)) || raw="$RESULTS/batch-warmup.txt"
  if [[ $target == sqlite ]]; then app=sqlite keys="$WORK/keys-batch-sqlite.txt" ceiling=$SQLITE_CEILING_DB; else app=pg-a keys="$WORK/keys-batch-pg.txt" ceiling=$PG_CEILING_DB; fi
  if ! kill -0 "${APP_PID_OF[$app]}" 2>/dev/null; then
    echo "the $app app is gone (it stops by itself after BENCH_SERVER_TIMEOUT=${SERVER_TIMEOUT}s; raise it for slow batches); its log:" >&2
    tail -n 20 "$WORK/server-$app.log" >&2
    exit 1
  fi
  url="http://127.0.0.1:${PORT_OF[$app]}"
  IFS=: read -r -a parts <<<"$step"
  case ${parts[0]} in
    ceiling) command=(batch-ceiling --database "$ceiling" --keys "$keys" --rows "${parts[1]}" --round "$round") ;;
    batch) command=(batch --url "$url" --keys "$keys" --rows "${parts[1]}" --format "${parts[2]}" --kind "${parts[3]}" --round "$round" --timeout "$BATCH_TIMEOUT") ;;
    during) command=(batch-during --url "$url" --keys "$keys" --rows "${parts[1]}" --round "$round" --timeout "$BATCH_TIMEOUT") ;;
  esac
  out="$RESULTS/batch-round$round-$target-${step//:/-}.txt"
  local busy_before own_before started other
  busy_before=$(busy_jiffies) own_before=$(own_jiffies) started=$(date +%s%N)
  "${BENCH[@]}" "${command[@]}" >"$out"
  other=$(other_cpu "$busy_before" "$(busy_jiffies)" "$own_before" "$(own_jiffies)" "$started" "$(date +%s%N)")
  printf 'round=%s target=%s step=%s other_pct=%s %s\n' "$round" "$target" "$step" "$other" \
    "$(grep -h -E '^batch(-ceiling|-during)? ' "$out" | sed -E 's/^([a-z-]+) /what=\1 /')" >>"$raw"
  printf '  %-6s %-28s %s\n' "$target" "$step" "$(tail -n 1 "$raw" | grep -o -E ' (status|batch_status|seconds|batch_seconds|us_per_row|singles|acknowledged_during|p99_ms|verified|other_pct)=[^ ]*' | tr -d '\n')" >&2
}

# batch_steps ROUND: the steps of a round, for every target: the warm-up (round 0) posts the smallest size only.
batch_steps() {
  local sizes=("${BATCH_SIZES[@]}") target size format kind
  (($1 > 0)) || sizes=("${BATCH_SIZES[0]}")
  for target in "${BATCH_TARGETS[@]}"; do
    for size in "${sizes[@]}"; do
      echo "$target ceiling:$size"
      for format in json csv; do
        for kind in commit dry-run invalid-last; do echo "$target batch:$size:$format:$kind"; done
      done
    done
    echo "$target during:${sizes[-1]}"
  done
}

# warm_up NAME: posts rounds of returns to app NAME's own warm-up operations until WARMUP_SECONDS have passed (or
# their days are used up), so that the JIT has settled before anything is measured. Not measured; its output goes to
# warmup-instance-NAME.txt.
warm_up() {
  local name=$1 rounds=0 k round started=$SECONDS
  for k in $(seq 1 "$WARMUP_OPERATIONS"); do
    for ((round = 0; (round + 1) * PER_CLIENT <= 366 && SECONDS - started < WARMUP_SECONDS; round++)); do
      "${BENCH[@]}" ingest --url "http://127.0.0.1:${PORT_OF[$name]}" --keys "$WORK/keys-warmup-$name-$k.txt" \
        --per-client "$PER_CLIENT" --round "$round" >>"$RESULTS/warmup-instance-$name.txt"
      rounds=$((rounds + 1))
    done
  done
  echo "  $name: warmed up for $((SECONDS - started)) s ($rounds rounds of $COMMITS returns)" >&2
}

if ((INGEST)); then
  if ((WARMUP_SECONDS > 0)); then
    say "warming up every app instance for ${WARMUP_SECONDS} s (not measured)"
    for name in "${!PORT_OF[@]}"; do warm_up "$name"; done
  fi
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
fi

if ((BATCH)); then
  for round in $(seq 0 "$BATCH_ROUNDS"); do
    if ((round == 0)); then say "batch series: warm-up round (not measured)"; else say "batch series: round $round of $BATCH_ROUNDS"; wait_for_quiet; fi
    mapfile -t steps < <(batch_steps "$round")
    ((round % 2 == 1)) || mapfile -t steps < <(printf '%s\n' "${steps[@]}" | tac)
    for step in "${steps[@]}"; do run_batch_step "${step% *}" "${step#* }" "$round"; done
  done
fi

{
  if ((INGEST)); then
    python3 "$ROOT/bench/ingest-report.py" ingest "$RESULTS/raw.txt" "$CLIENTS" "$COMMITS" "$QUIET_CPU" "$SPREAD"
  fi
  if ((BATCH)); then
    if ((INGEST)); then echo; fi
    python3 "$ROOT/bench/ingest-report.py" batch "$RESULTS/batch.txt" "$QUIET_CPU"
  fi
  rerun=""
  if [[ $PROVIDERS != "sqlite postgres" ]]; then rerun+="BENCH_PROVIDERS='$PROVIDERS' "; fi
  if [[ $SERIES != "ingest batch" ]]; then rerun+="BENCH_SERIES='$SERIES' "; fi
  if ((INGEST && ROUNDS != 3)); then rerun+="BENCH_ROUNDS=$ROUNDS "; fi
  if ((BATCH && BATCH_ROUNDS != 3)); then rerun+="BENCH_BATCH_ROUNDS=$BATCH_ROUNDS "; fi
  if ((BATCH)) && [[ ${BATCH_SIZES[*]} != "1000 10000" ]]; then rerun+="BENCH_BATCH_SIZES='${BATCH_SIZES[*]}' "; fi
  echo
  echo "Rerun: ${rerun}bash bench/ingest.sh"
} >"$RESULTS/summary.md"
cp "$WORK"/server-*.log "$RESULTS/" 2>/dev/null || true
say "results"
cat "$RESULTS/summary.md"
echo
echo "raw output: ${RESULTS#"$ROOT"/}/"
