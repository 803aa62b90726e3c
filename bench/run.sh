#!/usr/bin/env bash
# Read benchmark (docs/performance.md). The one command: bash bench/run.sh
#
# Builds Release; prepares two SQLite databases (seed only; seed plus history filled to BENCH_VERSIONS rows in
# ReturnVersions) and issues an analyst key in each with the app's own `keys issue`, and adds an analyst account to
# the seed database with `users add`; times the uncached roll-up on both; starts the app on each (127.0.0.1, a port
# Kestrel picks, Production, request log to a file), plus a third instance on the seed database with anonymous reads
# on, for diagnosis and the dashboard, a fourth like it whose output cache the uncached-render series churns, and a
# fifth on the seed database with the request log off, whose ceiling, run right after the seed instance's, prices the
# request log (target: it costs at most 10% of the ceiling);
# signs in once with curl; measures the dashboard's page weight (bench/page-weight.sh); then runs wrk against
# GET /health/live (the framework's ceiling), /totals and /countries (with the analyst key, as Production requires),
# /totals without a key, and the dashboard page (anonymous reads on: plain, with a sort and filter query, and with
# its output cache defeated; and signed in, as Production serves it), interleaved round by round so the figures that
# are compared see the same machine noise. The ceiling runs twice a round, beside the API series and beside the
# dashboard's.
# Prints one table with ratios and PASS/FAIL for the four targets; raw output goes to bench/results/<timestamp>/.
#
# PostgreSQL in the same run (BENCH_PROVIDERS, on by default): a throwaway cluster (scripts/pg-cluster.sh: a temporary
# folder, 127.0.0.1, a free port, Debian's postgresql installed with apt-get when missing; the server's default
# durability, fsync and synchronous_commit on), the same two databases in it (seed only; seed plus history filled to
# BENCH_VERSIONS rows) prepared by the same bench tool, an analyst key in each, an app instance on each, and /totals
# and /countries with the key against both, interleaved in the same rounds as the SQLite series, each next to its
# SQLite counterpart on the history database. The table labels every row with its provider and gives PostgreSQL's
# ratios to SQLite, and the postgres processes' CPU per request beside the app's. The uncached roll-up is timed on all
# four databases. The cluster is stopped and deleted when the script exits.
#
# The per-key rate limit (RateLimiting:PermitsPerSecond, 50 by default) is raised for the benchmark's servers: it
# caps one client, and wrk is one client with one key, so leaving it on would measure only the limiter's 429s.
#
# Settings (environment):
#   BENCH_DURATION=3              seconds per wrk series, per round (short, so a compared pair runs close in time)
#   BENCH_ROUNDS=7                rounds; each runs every series once, odd rounds forwards, even rounds backwards
#   BENCH_CONNECTIONS=32          wrk connections
#   BENCH_THREADS=1               wrk threads (the machine has 2 cores: wrk competes with the server for them)
#   BENCH_WARMUP=5                seconds of unmeasured load per series before the first round
#   BENCH_VERSIONS=1000000        rows in ReturnVersions in the history database
#   BENCH_AGGREGATE_ITERATIONS=200  timed uncached roll-ups per database (the two databases alternate)
#   BENCH_SERVER_TIMEOUT=900      seconds after which a server stops by itself, even if this script was killed
#   BENCH_QUIET_CPU=10            a series is quiet when other processes used at most this percent of one core
#                                 meanwhile; the table comes from the rounds in which every series was quiet, if any
#   BENCH_QUIET_WAIT=20           seconds to wait, at most, for the machine to be quiet before each round
#   BENCH_STRICT=0                1: exit 3 when a target is missed (by default a run reports PASS/FAIL and exits 0)
#   BENCH_PROVIDERS="sqlite postgres"  the storage engines to measure /totals and /countries on; "sqlite" alone leaves
#                                 PostgreSQL out (the ceiling and the dashboard series always run on SQLite)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DURATION="${BENCH_DURATION:-3}"
ROUNDS="${BENCH_ROUNDS:-7}"
CONNECTIONS="${BENCH_CONNECTIONS:-32}"
THREADS="${BENCH_THREADS:-1}"
WARMUP="${BENCH_WARMUP:-5}"
VERSIONS="${BENCH_VERSIONS:-1000000}"
AGGREGATE_ITERATIONS="${BENCH_AGGREGATE_ITERATIONS:-200}"
SERVER_TIMEOUT="${BENCH_SERVER_TIMEOUT:-900}"
STRICT="${BENCH_STRICT:-0}"
QUIET_CPU="${BENCH_QUIET_CPU:-10}"
QUIET_WAIT="${BENCH_QUIET_WAIT:-20}"
PROVIDERS="${BENCH_PROVIDERS:-sqlite postgres}"
OPERATION="liberterra-iii"
DASHBOARD_QUERY="sort=arrests&dir=desc&region=Africa" # a shared link to a sorted, filtered country table

for setting in DURATION ROUNDS CONNECTIONS THREADS WARMUP VERSIONS AGGREGATE_ITERATIONS SERVER_TIMEOUT QUIET_CPU QUIET_WAIT; do
  if ! [[ "${!setting}" =~ ^[1-9][0-9]*$ ]]; then
    echo "BENCH_$setting must be a positive whole number (seconds where it is a time), not '${!setting}'" >&2
    exit 2
  fi
done

POSTGRES=0
for provider in $PROVIDERS; do
  case $provider in
    sqlite) ;;
    postgres) POSTGRES=1 ;;
    *) echo "BENCH_PROVIDERS takes 'sqlite' and 'postgres', not '$provider'" >&2; exit 2 ;;
  esac
done
if [[ " $PROVIDERS " != *" sqlite "* ]]; then
  echo "BENCH_PROVIDERS must include sqlite: the ceiling and the dashboard series run on it" >&2
  exit 2
fi

STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
RESULTS="$ROOT/bench/results/$STAMP"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/liberterra-bench.XXXXXX")"
SERVER_PIDS=() # the `timeout` wrapper of each server
APP_PIDS=()    # the dotnet process inside it
declare -A APP_PID_OF
BENCH_USER="bench@example.org"
PG_CLUSTER_WHO=run.sh
. "$ROOT/scripts/pg-cluster.sh"
. "$ROOT/bench/cpu.sh"
. "$ROOT/bench/servers.sh"

# Whatever happens, the servers, the cluster and the work folder go when the script ends.
stop_on_exit

say() { printf '\n== %s\n' "$*"; }

ensure_wrk() {
  command -v wrk >/dev/null 2>&1 && return
  local sudo=()
  if [[ $EUID -ne 0 ]]; then sudo=(sudo); fi
  say "installing wrk (Debian package)"
  export DEBIAN_FRONTEND=noninteractive
  if ! "${sudo[@]}" apt-get install -y -q wrk >/dev/null 2>&1; then
    "${sudo[@]}" apt-get update -q >/dev/null
    "${sudo[@]}" apt-get install -y -q wrk >/dev/null
  fi
  command -v wrk >/dev/null 2>&1 || { echo "wrk could not be installed" >&2; exit 1; }
}

median() { # numbers...
  printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
at_least() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a + 0 >= b + 0) }'; }
ms() { awk -v v="$1" 'BEGIN { printf "%.2f", v / 1000 }'; }
field() { grep -o "$1=[^ ]*" "$2" | head -n 1 | cut -d= -f2; } # key file: the value of key=value in a file

ensure_postgres() {
  pg_cluster_find_bin && return
  local sudo=()
  if [[ $EUID -ne 0 ]]; then sudo=(sudo); fi
  say "installing PostgreSQL (Debian package postgresql)"
  export DEBIAN_FRONTEND=noninteractive
  if ! "${sudo[@]}" apt-get install -y -q --no-install-recommends postgresql >/dev/null 2>&1; then
    "${sudo[@]}" apt-get update -q >/dev/null
    "${sudo[@]}" apt-get install -y -q --no-install-recommends postgresql >/dev/null
  fi
  pg_cluster_find_bin || { echo "PostgreSQL could not be installed" >&2; exit 1; }
}

# app_env DATABASE [ANONYMOUS_READS]: the environment every app process of this benchmark runs with. DATABASE is a
# SQLite file, or postgres:<connection string> (as the bench tool takes it).
app_env() {
  export ASPNETCORE_ENVIRONMENT=Production
  if [[ $1 == postgres:* ]]; then
    export ConnectionStrings__Liberterra="${1#postgres:}"
    export Database__Provider=Postgres
  else
    export ConnectionStrings__Liberterra="Data Source=$1"
    export Database__Provider=Sqlite
  fi
  export RateLimiting__PermitsPerSecond=100000000 RateLimiting__Burst=100000000
  export Security__AllowAnonymousReads="${2:-false}"
}

# issue_key DATABASE: an analyst key, issued by the app's own command line; prints the key.
issue_key() {
  (
    cd "$ROOT/src/Liberterra.Web"
    app_env "$1"
    dotnet "$APP_DLL" keys issue --role analyst --label "read benchmark" 2>>"$WORK/keys.log" </dev/null
  )
}

# add_user DATABASE PASSWORD: an analyst account for the dashboard, added by the app's own command line.
add_user() {
  (
    cd "$ROOT/src/Liberterra.Web"
    app_env "$1"
    dotnet "$APP_DLL" users add --role analyst --email "$BENCH_USER" 2>>"$WORK/users.log" <<<"$2"
  )
}

# sign_in SERVER PASSWORD: signs in as a browser does (the form's anti-forgery token and cookie, then the POST) and
# sets COOKIE_<SERVER> to the Cookie header value of the session.
sign_in() {
  local jar="$WORK/cookies-$1.txt" page="$WORK/sign-in-$1.html" token answer session
  curl -sS -c "$jar" -b "$jar" -o "$page" "$(url_of "$1" /account/sign-in)"
  token="$(grep -o '<input[^>]*name="__RequestVerificationToken"[^>]*>' "$page" | sed -nE 's/.*value="([^"]*)".*/\1/p' | head -n 1)"
  answer="$(curl -sS -c "$jar" -b "$jar" -o /dev/null -w '%{http_code}' --data-urlencode "Email=$BENCH_USER" \
    --data-urlencode "Password=$2" --data-urlencode "__RequestVerificationToken=$token" "$(url_of "$1" /account/sign-in)")"
  # The session cookie, in every chunk the cookie manager may have split it into (HttpOnly lines start with #HttpOnly_).
  session="$(awk -F '\t' '$6 ~ /^liberterra\.auth/ { printf "%s%s=%s", sep, $6, $7; sep = "; " }' "$jar")"
  if [[ $answer != 302 || -z $session ]]; then
    echo "signing in to the $1 server failed (answer $answer, token ${token:+found}${token:-missing}); its log:" >&2
    tail -c 3000 "$WORK/$1.log" >&2
    exit 1
  fi
  printf -v "COOKIE_$1" '%s' "$session"
}

# start_server NAME DATABASE [ANONYMOUS_READS] [REQUEST_LOG]: starts the app on a port Kestrel picks and waits until it
# answers; sets PORT_<NAME>. REQUEST_LOG=off raises the request logger's level to Warning, so it writes no request
# line (the "nolog" instance, whose ceiling prices the request log).
start_server() {
  local name=$1 database=$2 log="$WORK/$1.log" port="" tries pid
  (
    cd "$ROOT/src/Liberterra.Web"
    app_env "$database" "${3:-false}"
    # The logger's name has dots, which a shell variable's name cannot hold, so env sets it.
    local log_level=()
    [[ ${4:-on} == off ]] && log_level=("Serilog__MinimumLevel__Override__Serilog.AspNetCore.RequestLoggingMiddleware=Warning")
    exec env "${log_level[@]}" timeout "$SERVER_TIMEOUT" dotnet "$APP_DLL" --urls http://127.0.0.1:0
  ) >>"$log" 2>&1 </dev/null & # appending, so truncate_log can empty the file under the running server
  pid=$!
  SERVER_PIDS+=("$pid")
  for ((tries = 0; tries < 600; tries++)); do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "the $name server exited during start-up; its log:" >&2
      tail -n 30 "$log" >&2
      exit 1
    fi
    port="$(grep -o '"address":"http://127\.0\.0\.1:[0-9]*"' "$log" | head -n 1 | grep -o '[0-9][0-9]*"$' | tr -d '"' || true)"
    if [[ -n "$port" ]] && curl -fsS -o /dev/null "http://127.0.0.1:$port/health/live" 2>/dev/null; then
      printf -v "PORT_$name" '%s' "$port"
      APP_PIDS+=("$(pgrep -P "$pid" | head -n 1)")
      APP_PID_OF[$name]=${APP_PIDS[-1]}
      cp "$log" "$RESULTS/server-$name-startup-log.txt"
      echo "$name server: pid ${APP_PIDS[-1]}, http://127.0.0.1:$port, log $log"
      return
    fi
    sleep 0.1
  done
  echo "the $name server did not answer within 60 s; its log:" >&2
  tail -n 30 "$log" >&2
  exit 1
}

# The request log (one JSON line per request: gigabytes over a run) is counted, then emptied after every series.
declare -A LOG_BYTES LOG_LINES
truncate_log() { # server
  local log="$WORK/$1.log"
  LOG_BYTES[$1]=$((${LOG_BYTES[$1]:-0} + $(stat -c %s "$log")))
  LOG_LINES[$1]=$((${LOG_LINES[$1]:-0} + $(wc -l <"$log")))
  : >"$log"
}

# CPU used by processes other than this benchmark (its servers, its PostgreSQL cluster, wrk, the script), in jiffies:
# the machine is shared and a build running beside a series skews it. busy_jiffies, process_jiffies, postgres_jiffies
# and other_cpu are in bench/cpu.sh.
own_jiffies() {
  local total=0 pid
  for pid in "${APP_PIDS[@]}" $$; do # this shell's own time includes wrk's and the helpers' once they are reaped
    total=$((total + $(process_jiffies "$pid" all)))
  done
  echo $((total + $(postgres_jiffies)))
}

# Waits, at most BENCH_QUIET_WAIT seconds, until other processes use no more than BENCH_QUIET_CPU percent of a core
# over one second. A shared machine (a build or test run beside the benchmark) is the largest source of noise here.
wait_for_quiet() {
  local waited busy own started other
  for ((waited = 0; waited < QUIET_WAIT; waited++)); do
    busy=$(busy_jiffies) own=$(own_jiffies) started=$(date +%s%N)
    sleep 1
    other=$(other_cpu "$busy" "$(busy_jiffies)" "$own" "$(own_jiffies)" "$started" "$(date +%s%N)")
    ((other <= QUIET_CPU)) && return
  done
  echo "  (the machine did not become quiet within ${QUIET_WAIT}s: other processes use ${other}% of a core; going on)"
}

url_of() { # server path
  local port_var="PORT_$1"
  printf 'http://127.0.0.1:%s%s' "${!port_var}" "$2"
}

key_header() { # server auth: wrk/curl arguments that send the server's analyst key (auth "key") or session ("cookie")
  if [[ $2 == key ]]; then
    local key_var="KEY_$1"
    printf '%s\n' -H "X-Api-Key: ${!key_var}"
  elif [[ $2 == cookie ]]; then
    local cookie_var="COOKIE_$1"
    printf '%s\n' -H "Cookie: ${!cookie_var}"
  fi
}
credential() { # auth: how the table names it
  case $1 in key) echo "analyst key" ;; cookie) echo "analyst session cookie" ;; *) echo none ;; esac
}

# CPU time the server process has used, in jiffies (all its threads; the kernel charges some of the loopback's
# softirq work to it too).
server_jiffies() { process_jiffies "${APP_PID_OF[$1]}"; }

# run_wrk SECONDS URL OUTPUT SERVER AUTH [SCRIPT RUN]: SCRIPT "unique" sends every request with a query parameter
# no request sent before, named after RUN, to defeat the output cache (bench/wrk-unique-query.lua).
run_wrk() {
  local status=0 log="$WORK/$4.log" header=() script="$ROOT/bench/wrk-report.lua" script_args=()
  mapfile -t header < <(key_header "$4" "$5")
  if [[ ${6:-} == unique ]]; then
    script="$ROOT/bench/wrk-unique-query.lua" script_args=(-- "$STAMP-$7")
  fi
  timeout --foreground "$(($1 + 60))" wrk --latency -t"$THREADS" -c"$CONNECTIONS" -d"$1s" --timeout 5s \
    "${header[@]}" -s "$script" "$2" "${script_args[@]}" >"$3" 2>&1 || status=$?
  if [[ $status != 0 ]] || ! grep -q '^BENCH ' "$3"; then
    echo "wrk against $2 failed (exit $status):" >&2
    cat "$3" >&2
    echo "last lines of the $4 server's log:" >&2
    tail -c 3000 "$log" >&2
    exit 1
  fi
}

# key|label|server|path|auth[|script], in the order odd rounds run them. Each compared pair runs back to back:
# /totals without a key and the ceiling, the ceiling and /totals, /totals on both databases, /countries on both
# databases, the dashboard and the ceiling's second run. The dashboard with a query and the uncached render are
# compared with that same second run of the ceiling, one and two series away. The ceiling sends no key, as a load
# balancer's probe would not; /totals and /countries send the analyst key; the anonymous dashboard series send
# nothing, on instances with anonymous reads on (as in Development); the signed-in one sends the session cookie to the
# seed instance, which runs as Production does, and is compared with the ceiling's second run, which it follows.
SERIES=(
  "totals-anonymous|GET /totals, no key (anonymous reads on; diagnostic)|anonymous|/api/v1/operations/$OPERATION/totals|none"
  "ceiling|GET /health/live|seed|/health/live|none"
  "ceiling-nolog|GET /health/live, request log off (prices the request log)|nolog|/health/live|none"
  "totals-seed|GET /totals|seed|/api/v1/operations/$OPERATION/totals|key"
  "totals-history|GET /totals|history|/api/v1/operations/$OPERATION/totals|key"
  "countries-history|GET /countries|history|/api/v1/operations/$OPERATION/countries|key"
  "countries-seed|GET /countries|seed|/api/v1/operations/$OPERATION/countries|key"
  "dashboard-render|GET /operations/$OPERATION, output cache defeated (render cost; diagnostic)|render|/operations/$OPERATION|none|unique"
  "dashboard-query|GET /operations/$OPERATION?$DASHBOARD_QUERY|anonymous|/operations/$OPERATION?$DASHBOARD_QUERY|none"
  "dashboard|GET /operations/$OPERATION|anonymous|/operations/$OPERATION|none"
  "ceiling-dashboard|GET /health/live, again beside the dashboard|seed|/health/live|none"
  "dashboard-signed-in|GET /operations/$OPERATION, signed in (Production)|seed|/operations/$OPERATION|cookie"
)
# PostgreSQL's series go between /totals and /countries on the history database, which were not a compared pair: each
# runs back to back with its SQLite counterpart on the history database and with its own seed-only series, and three
# series away from its SQLite counterpart on the seed-only database. The SQLite series keep their order and pairs.
PG_SERIES=(
  "totals-pg-history|GET /totals|pghistory|/api/v1/operations/$OPERATION/totals|key"
  "totals-pg-seed|GET /totals|pgseed|/api/v1/operations/$OPERATION/totals|key"
  "countries-pg-seed|GET /countries|pgseed|/api/v1/operations/$OPERATION/countries|key"
  "countries-pg-history|GET /countries|pghistory|/api/v1/operations/$OPERATION/countries|key"
)
TABLE_ORDER=(ceiling ceiling-nolog totals-seed countries-seed totals-history countries-history)
if ((POSTGRES)); then
  SERIES=("${SERIES[@]:0:5}" "${PG_SERIES[@]}" "${SERIES[@]:5}") # after totals-history, before countries-history
  TABLE_ORDER+=(totals-pg-seed countries-pg-seed totals-pg-history countries-pg-history)
fi
TABLE_ORDER+=(totals-anonymous ceiling-dashboard dashboard dashboard-query dashboard-signed-in dashboard-render)
provider_of() { [[ $1 == pg* ]] && echo PostgreSQL || echo SQLite; } # server

mkdir -p "$RESULTS"
say "Liberterra read benchmark $STAMP (results in ${RESULTS#"$ROOT"/})"
{
  echo "commit: $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$ROOT" diff --quiet HEAD 2>/dev/null || echo ' (uncommitted changes)')"
  echo "cores: $(nproc); cpu: $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)"
  echo "dotnet: $(dotnet --version)"
  echo "settings: duration=${DURATION}s rounds=$ROUNDS connections=$CONNECTIONS threads=$THREADS warmup=${WARMUP}s versions=$VERSIONS"
} | tee "$RESULTS/environment.txt"

ensure_wrk
echo "wrk: $(wrk -v 2>&1 | head -n 1)" | tee -a "$RESULTS/environment.txt"

if ((POSTGRES)); then
  ensure_postgres
  say "starting a throwaway PostgreSQL cluster (scripts/pg-cluster.sh; durability left at the server's defaults)"
  pg_cluster_start
  psql_value() { "$PG_BIN/psql" -X -A -t -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -c "$1"; }
  echo "postgres: $("$PG_BIN/postgres" --version) in $PG_DIR on 127.0.0.1:$PG_PORT;" \
    "$(psql_value "SELECT string_agg(name || '=' || current_setting(name), ' ' ORDER BY name) FROM pg_settings
      WHERE name IN ('fsync', 'synchronous_commit', 'full_page_writes', 'wal_sync_method', 'shared_buffers', 'max_connections')")" |
    tee -a "$RESULTS/environment.txt"
  PG_SEED_DB="postgres:$PG_CONNECTION;Database=bench_seed"
  PG_HISTORY_DB="postgres:$PG_CONNECTION;Database=bench_history"
fi

say "building Release"
dotnet build "$ROOT/src/Liberterra.Web/Liberterra.Web.csproj" -c Release --nologo -v quiet "-clp:ErrorsOnly;NoSummary"
dotnet build "$ROOT/bench/Liberterra.Bench/Liberterra.Bench.csproj" -c Release --nologo -v quiet "-clp:ErrorsOnly;NoSummary"
APP_DLL="$ROOT/src/Liberterra.Web/bin/Release/net10.0/Liberterra.Web.dll"
BENCH=(dotnet "$ROOT/bench/Liberterra.Bench/bin/Release/net10.0/Liberterra.Bench.dll")
[[ -f "$APP_DLL" ]] || { echo "$APP_DLL is missing after the build" >&2; exit 1; }

say "preparing databases in $WORK"
SEED_DB="$WORK/seed-only.db"
HISTORY_DB="$WORK/history.db"
"${BENCH[@]}" prepare --database "$SEED_DB" --seed "$ROOT/seed-data"
"${BENCH[@]}" prepare --database "$HISTORY_DB" --seed "$ROOT/seed-data"
"${BENCH[@]}" fill-history --database "$HISTORY_DB" --versions "$VERSIONS"
AGG_DATABASES=(--database "$SEED_DB" --database "$HISTORY_DB")
if ((POSTGRES)); then
  "${BENCH[@]}" prepare --database "$PG_SEED_DB" --seed "$ROOT/seed-data"
  "${BENCH[@]}" prepare --database "$PG_HISTORY_DB" --seed "$ROOT/seed-data"
  "${BENCH[@]}" fill-history --database "$PG_HISTORY_DB" --versions "$VERSIONS"
  AGG_DATABASES+=(--database "$PG_SEED_DB" --database "$PG_HISTORY_DB")
fi

say "uncached roll-up: OperationReader.AggregateAsync, $AGGREGATE_ITERATIONS iterations per database, alternating"
wait_for_quiet
busy_before=$(busy_jiffies) own_before=$(own_jiffies) started=$(date +%s%N)
"${BENCH[@]}" aggregate-timing "${AGG_DATABASES[@]}" --iterations "$AGGREGATE_ITERATIONS" >"$RESULTS/aggregate-timing.txt"
AGG_OTHER=$(other_cpu "$busy_before" "$(busy_jiffies)" "$own_before" "$(own_jiffies)" "$started" "$(date +%s%N)")
echo "other_processes_cpu_percent=$AGG_OTHER" >>"$RESULTS/aggregate-timing.txt"
cat "$RESULTS/aggregate-timing.txt"
grep "database=seed-only.db " "$RESULTS/aggregate-timing.txt" >"$WORK/agg-seed.txt"
grep "database=history.db " "$RESULTS/aggregate-timing.txt" >"$WORK/agg-history.txt"
AGG_FILES=(agg-seed agg-history)
if ((POSTGRES)); then
  grep "database=bench_seed " "$RESULTS/aggregate-timing.txt" >"$WORK/agg-pg-seed.txt"
  grep "database=bench_history " "$RESULTS/aggregate-timing.txt" >"$WORK/agg-pg-history.txt"
  AGG_FILES+=(agg-pg-seed agg-pg-history)
fi
# Every database holds the same current returns, so every one must roll up to the same totals.
for file in "${AGG_FILES[@]:1}"; do
  for key in returns countries_reporting arrests victims_safeguarded officers_deployed; do
    if [[ "$(field "$key" "$WORK/agg-seed.txt")" != "$(field "$key" "$WORK/$file.txt")" ]]; then
      echo "$file rolls up to a different $key than the SQLite seed-only database: the databases are not consistent" >&2
      exit 1
    fi
  done
done
SEED_ROWS="$(field versions "$WORK/agg-seed.txt")"
HISTORY_ROWS="$(field versions "$WORK/agg-history.txt")"
RETURN_ROWS="$(field returns "$WORK/agg-seed.txt")"

say "issuing an analyst key in each database (keys issue)"
keys_failed() { echo "keys issue failed:" >&2; cat "$WORK/keys.log" >&2; exit 1; }
KEY_seed="$(issue_key "$SEED_DB")" || keys_failed
KEY_history="$(issue_key "$HISTORY_DB")" || keys_failed
[[ -n $KEY_seed && -n $KEY_history ]] || keys_failed
if ((POSTGRES)); then
  KEY_pgseed="$(issue_key "$PG_SEED_DB")" || keys_failed
  KEY_pghistory="$(issue_key "$PG_HISTORY_DB")" || keys_failed
  [[ -n $KEY_pgseed && -n $KEY_pghistory ]] || keys_failed
fi

say "adding an analyst account to the seed database (users add)"
BENCH_PASSWORD="bench-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
add_user "$SEED_DB" "$BENCH_PASSWORD" || { echo "users add failed:" >&2; cat "$WORK/users.log" >&2; exit 1; }

say "starting the app: seed only, with history, and twice seed only with anonymous reads on$( ((POSTGRES)) && echo "; on PostgreSQL, seed only and with history")"
start_server seed "$SEED_DB"
start_server nolog "$SEED_DB" false off
start_server history "$HISTORY_DB"
start_server anonymous "$SEED_DB" true
# The uncached-render series fills its server's output cache with pages nobody asks for twice and makes it evict;
# on a server of its own, it cannot evict the cached dashboard the other series measure.
start_server render "$SEED_DB" true
if ((POSTGRES)); then
  start_server pgseed "$PG_SEED_DB"
  start_server pghistory "$PG_HISTORY_DB"
fi

say "signing in to the seed server as $BENCH_USER"
sign_in seed "$BENCH_PASSWORD"
echo "session cookie: ${#COOKIE_seed} characters"

# Page weight: what a first visit to the dashboard transfers, against the budget: the page a signed-in analyst gets
# from Production, and, for comparison, the anonymous-reads page (it has a banner instead of the account links).
say "page weight of GET /operations/$OPERATION (bench/page-weight.sh)"
bash "$ROOT/bench/page-weight.sh" -H "Cookie: $COOKIE_seed" "$(url_of seed "/operations/$OPERATION")" >"$RESULTS/page-weight.md"
bash "$ROOT/bench/page-weight.sh" "$(url_of anonymous "/operations/$OPERATION")" >"$RESULTS/page-weight-anonymous.md"
grep -v '^WEIGHT ' "$RESULTS/page-weight.md"
weight() { grep '^WEIGHT ' "$RESULTS/page-weight${2:-}.md" | grep -o "$1=[^ ]*" | cut -d= -f2; } # key [file suffix]
if [[ "$(weight non200)" != 0 || "$(weight non200 -anonymous)" != 0 ]]; then
  echo "the dashboard or one of its resources did not answer 200; see $RESULTS/page-weight*.md" >&2
  exit 1
fi

declare -A BYTES
for entry in "${SERIES[@]}"; do
  IFS='|' read -r key label server path auth _ <<<"$entry"
  mapfile -t header < <(key_header "$server" "$auth")
  read -r status bytes < <(curl -sS -o /dev/null -w '%{http_code} %{size_download}\n' "${header[@]}" "$(url_of "$server" "$path")")
  if [[ "$status" != 200 ]]; then
    echo "$label on $server answered $status, not 200" >&2
    exit 1
  fi
  BYTES[$key]=$bytes
done

say "warming up (${WARMUP}s per series, not measured)"
for entry in "${SERIES[@]}"; do
  IFS='|' read -r key label server path auth script <<<"$entry"
  run_wrk "$WARMUP" "$(url_of "$server" "$path")" "$RESULTS/warmup-$key.txt" "$server" "$auth" "$script" "$key-warmup"
  truncate_log "$server"
done

# The dashboard series measure what they say. The output cache marks a response it served with an Age header: the
# cached series must get one, and the render series must not. The parameter the render series adds must not change
# the page, so that it renders the same page as the cached series serve.
age_of() { curl -sS -o /dev/null -D - "$@" | tr -d '\r' | sed -nE 's/^age:[[:space:]]*//Ip'; } # curl arguments
for key in dashboard dashboard-query dashboard-signed-in; do
  for entry in "${SERIES[@]}"; do IFS='|' read -r k _ server path auth _ <<<"$entry"; [[ $k == "$key" ]] && break; done
  mapfile -t header < <(key_header "$server" "$auth")
  if [[ -z "$(age_of "${header[@]}" "$(url_of "$server" "$path")")" ]]; then
    echo "$path on $server was not served from the output cache after the warm-up (no Age header)" >&2
    exit 1
  fi
done
render_check="$(url_of render "/operations/$OPERATION?bench-nocache=check-$STAMP")"
if [[ -n "$(age_of "$render_check")" ]]; then
  echo "a request with an unknown query parameter was served from the output cache: the render series would not render" >&2
  exit 1
fi
render_bytes="$(curl -sS -o /dev/null -w '%{size_download}' "$render_check")"
if [[ $render_bytes != "${BYTES[dashboard]}" ]]; then
  echo "with the cache-defeating parameter the dashboard is $render_bytes bytes, not ${BYTES[dashboard]}: not the same page" >&2
  exit 1
fi

declare -A RPS P50 P99 OTHER ERRORS CPU_US PG_CPU_US
for ((round = 1; round <= ROUNDS; round++)); do
  say "round $round of $ROUNDS"
  wait_for_quiet
  for ((i = 0; i < ${#SERIES[@]}; i++)); do
    # Odd rounds forwards, even rounds backwards, so a drift in machine speed does not favour one side of a pair.
    index=$(( round % 2 == 1 ? i : ${#SERIES[@]} - 1 - i ))
    IFS='|' read -r key label server path auth script <<<"${SERIES[$index]}"
    raw="$RESULTS/round$round-$key.txt"
    busy_before=$(busy_jiffies) own_before=$(own_jiffies) started=$(date +%s%N) server_before=$(server_jiffies "$server")
    pg_before=$(postgres_jiffies)
    run_wrk "$DURATION" "$(url_of "$server" "$path")" "$raw" "$server" "$auth" "$script" "$key-round$round"
    server_after=$(server_jiffies "$server") pg_after=$(postgres_jiffies)
    other=$(other_cpu "$busy_before" "$(busy_jiffies)" "$own_before" "$(own_jiffies)" "$started" "$(date +%s%N)")
    OTHER[$key,$round]=$other
    truncate_log "$server"
    line="$(grep '^BENCH ' "$raw")"
    get() { grep -o "$1=[^ ]*" <<<"$line" | cut -d= -f2; }
    if [[ "$(get non2xx)" != 0 ]]; then
      echo "$label on $server: $(get non2xx) responses were not 2xx; see $raw" >&2
      exit 1
    fi
    RPS[$key,$round]="$(get rps)"
    # Server CPU per request: what one request costs the app, whatever wrk and the rest of the machine did meanwhile.
    CPU_US[$key,$round]="$(awk -v j=$((server_after - server_before)) -v n="$(get requests)" -v hz="$(getconf CLK_TCK)" \
      'BEGIN { printf "%.0f", (n > 0 ? j / hz * 1e6 / n : 0) }')"
    # On PostgreSQL the database's work is in the postgres processes: the cluster's CPU over the series, per request.
    PG_CPU_US[$key,$round]="$(awk -v j=$((pg_after - pg_before)) -v n="$(get requests)" -v hz="$(getconf CLK_TCK)" \
      'BEGIN { printf "%.0f", (n > 0 ? j / hz * 1e6 / n : 0) }')"
    P50[$key,$round]="$(get p50_us)"
    P99[$key,$round]="$(get p99_us)"
    ERRORS[$key]=$((${ERRORS[$key]:-0} + $(get socket_errors)))
    printf '  %-16s %-9s %9.0f req/s  p50 %6s ms  p99 %6s ms  other processes %3s%% of a core\n' \
      "$label" "$server" "$(get rps)" "$(ms "$(get p50_us)")" "$(ms "$(get p99_us)")" "$other"
    echo "other_processes_cpu_percent=$other server_cpu_us_per_request=${CPU_US[$key,$round]} postgres_cpu_us_per_request=${PG_CPU_US[$key,$round]}" >>"$raw"
  done
done

# The table comes from the quiet rounds, those in which other processes used at most BENCH_QUIET_CPU percent of a
# core during every series, or from all rounds when none was quiet (and then says so). Throughput and latency are
# medians over those rounds; a ratio is the median of the per-round ratios of two series that ran back to back.
USED_ROUNDS=()
for ((round = 1; round <= ROUNDS; round++)); do
  calm=1
  for key in "${TABLE_ORDER[@]}"; do ((OTHER[$key,$round] <= QUIET_CPU)) || calm=0; done
  ((calm)) && USED_ROUNDS+=("$round")
done
QUIET_COUNT=${#USED_ROUNDS[@]}
((QUIET_COUNT > 0)) || mapfile -t USED_ROUNDS < <(seq 1 "$ROUNDS")
declare -A MED_RPS MED_P50 MED_P99 MED_CPU MED_PG_CPU
for key in "${TABLE_ORDER[@]}"; do
  rps=() p50=() p99=() cpu=() pg_cpu=()
  for round in "${USED_ROUNDS[@]}"; do
    rps+=("${RPS[$key,$round]}") p50+=("${P50[$key,$round]}") p99+=("${P99[$key,$round]}") cpu+=("${CPU_US[$key,$round]}")
    pg_cpu+=("${PG_CPU_US[$key,$round]}")
  done
  MED_RPS[$key]="$(median "${rps[@]}")" MED_P50[$key]="$(median "${p50[@]}")" MED_P99[$key]="$(median "${p99[@]}")"
  MED_CPU[$key]="$(median "${cpu[@]}")" MED_PG_CPU[$key]="$(median "${pg_cpu[@]}")"
done
is_used() { [[ " ${USED_ROUNDS[*]} " == *" $1 "* ]]; }
paired() { # numerator denominator -> "median over the used rounds|every round's ratio, * marking a round not used"
  local round value used=() shown=()
  for ((round = 1; round <= ROUNDS; round++)); do
    value="$(ratio "${RPS[$1,$round]}" "${RPS[$2,$round]}")"
    if is_used "$round"; then used+=("$value") shown+=("$value"); else shown+=("$value*"); fi
  done
  printf '%s|%s' "$(ratio "$(median "${used[@]}")" 1)" "${shown[*]}"
}
IFS='|' read -r TOTALS_VS_CEILING TOTALS_VS_CEILING_ROUNDS <<<"$(paired totals-seed ceiling)"
IFS='|' read -r COUNTRIES_VS_CEILING _ <<<"$(paired countries-seed ceiling)"
IFS='|' read -r ANONYMOUS_VS_CEILING ANONYMOUS_VS_CEILING_ROUNDS <<<"$(paired totals-anonymous ceiling)"
IFS='|' read -r TOTALS_HISTORY_VS_SEED TOTALS_HISTORY_VS_SEED_ROUNDS <<<"$(paired totals-history totals-seed)"
IFS='|' read -r COUNTRIES_HISTORY_VS_SEED COUNTRIES_HISTORY_VS_SEED_ROUNDS <<<"$(paired countries-history countries-seed)"
IFS='|' read -r DASHBOARD_VS_CEILING DASHBOARD_VS_CEILING_ROUNDS <<<"$(paired dashboard ceiling-dashboard)"
IFS='|' read -r QUERY_VS_CEILING QUERY_VS_CEILING_ROUNDS <<<"$(paired dashboard-query ceiling-dashboard)"
IFS='|' read -r RENDER_VS_CEILING RENDER_VS_CEILING_ROUNDS <<<"$(paired dashboard-render ceiling-dashboard)"
IFS='|' read -r SIGNED_IN_VS_CEILING SIGNED_IN_VS_CEILING_ROUNDS <<<"$(paired dashboard-signed-in ceiling-dashboard)"
IFS='|' read -r CEILINGS CEILINGS_ROUNDS <<<"$(paired ceiling-dashboard ceiling)"
IFS='|' read -r LOG_ON_VS_OFF LOG_ON_VS_OFF_ROUNDS <<<"$(paired ceiling ceiling-nolog)"
IFS='|' read -r NOLOG_VS_CEILING _ <<<"$(paired ceiling-nolog ceiling)"
LOG_COST_PCT=$(awk -v r="$LOG_ON_VS_OFF" 'BEGIN { printf "%.0f", (1 - r) * 100 }')
at_least 10 "$LOG_COST_PCT" && TARGET_LOG=PASS || TARGET_LOG=FAIL
declare -A VS_SQLITE VS_SQLITE_ROUNDS PG_VS_SEED_ROUNDS
if ((POSTGRES)); then
  for key in totals-pg-seed totals-pg-history countries-pg-seed countries-pg-history; do
    IFS='|' read -r "VS_SQLITE[$key]" "VS_SQLITE_ROUNDS[$key]" <<<"$(paired "$key" "${key/-pg/}")"
  done
  IFS='|' read -r PG_TOTALS_VS_CEILING _ <<<"$(paired totals-pg-seed ceiling)"
  IFS='|' read -r PG_COUNTRIES_VS_CEILING _ <<<"$(paired countries-pg-seed ceiling)"
  IFS='|' read -r PG_TOTALS_HISTORY_VS_SEED "PG_VS_SEED_ROUNDS[totals]" <<<"$(paired totals-pg-history totals-pg-seed)"
  IFS='|' read -r PG_COUNTRIES_HISTORY_VS_SEED "PG_VS_SEED_ROUNDS[countries]" <<<"$(paired countries-pg-history countries-pg-seed)"
fi
at_least "$TOTALS_VS_CEILING" 0.60 && TARGET1=PASS || TARGET1=FAIL
at_least "$TOTALS_HISTORY_VS_SEED" 0.90 && TARGET2=PASS || TARGET2=FAIL
at_least "$DASHBOARD_VS_CEILING" 0.15 && TARGET3=PASS || TARGET3=FAIL
at_least "$SIGNED_IN_VS_CEILING" 0.15 && TARGET3_SIGNED_IN=PASS || TARGET3_SIGNED_IN=FAIL
TARGET4="$(weight result)"
if ((QUIET_COUNT > 0)); then
  ROUNDS_NOTE="from the $QUIET_COUNT of $ROUNDS rounds that were quiet (rounds ${USED_ROUNDS[*]})"
else
  ROUNDS_NOTE="from all $ROUNDS rounds, none of which was quiet: unreliable, rerun when the machine is idle"
fi

declare -A VS_CEILING VS_SEED
VS_CEILING[ceiling]="1.00"
VS_CEILING[ceiling-nolog]="$NOLOG_VS_CEILING"
VS_CEILING[totals-seed]="$TOTALS_VS_CEILING"
VS_CEILING[countries-seed]="$COUNTRIES_VS_CEILING"
VS_CEILING[totals-history]="-"
VS_CEILING[countries-history]="-"
VS_CEILING[totals-anonymous]="$ANONYMOUS_VS_CEILING"
VS_CEILING[ceiling-dashboard]="$CEILINGS"
VS_CEILING[dashboard]="$DASHBOARD_VS_CEILING"
VS_CEILING[dashboard-query]="$QUERY_VS_CEILING"
VS_CEILING[dashboard-render]="$RENDER_VS_CEILING"
VS_CEILING[dashboard-signed-in]="$SIGNED_IN_VS_CEILING"
VS_SEED[totals-history]="$TOTALS_HISTORY_VS_SEED"
VS_SEED[countries-history]="$COUNTRIES_HISTORY_VS_SEED"
if ((POSTGRES)); then
  VS_CEILING[totals-pg-seed]="$PG_TOTALS_VS_CEILING"
  VS_CEILING[countries-pg-seed]="$PG_COUNTRIES_VS_CEILING"
  VS_CEILING[totals-pg-history]="-"
  VS_CEILING[countries-pg-history]="-"
  VS_SEED[totals-pg-history]="$PG_TOTALS_HISTORY_VS_SEED"
  VS_SEED[countries-pg-history]="$PG_COUNTRIES_HISTORY_VS_SEED"
fi

total_errors=0
for key in "${!ERRORS[@]}"; do total_errors=$((total_errors + ERRORS[$key])); done
{
  echo "Liberterra read benchmark $STAMP: wrk -t$THREADS -c$CONNECTIONS on the same 2-core machine as the app;"
  echo "$ROUNDS interleaved rounds of ${DURATION}s per series. Figures $ROUNDS_NOTE;"
  echo "a quiet round is one in which other processes used <= $QUIET_CPU% of a core during every series."
  echo "requests/s, p50 and p99 are medians over those rounds; ratios are medians of per-round ratios of series that ran back to back."
  echo "Databases: seed only ($SEED_ROWS rows in ReturnVersions) and seed + history ($HISTORY_ROWS rows); both hold the same $RETURN_ROWS current returns."
  if ((POSTGRES)); then
    echo "The same two databases on PostgreSQL too (a throwaway cluster, the server's default durability); postgres CPU is"
    echo "the whole cluster's CPU over the series per request; vs SQLite is the median of per-round ratios to the same"
    echo "series on SQLite (back to back on the history database, three series apart on the seed-only one)."
  fi
  echo
  echo "| endpoint | provider | database | credential | requests/s | p50 ms | p99 ms | server CPU µs/request | postgres CPU µs/request | body bytes | vs ceiling | vs seed only | vs SQLite |"
  echo "| --- | --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
  for key in "${TABLE_ORDER[@]}"; do
    for entry in "${SERIES[@]}"; do
      IFS='|' read -r k label server _ auth _ <<<"$entry"
      [[ $k == "$key" ]] && break
    done
    db_label="seed only"
    [[ $server == history || $server == pghistory ]] && db_label="$HISTORY_ROWS versions"
    pg_cpu="-"
    [[ $server == pg* ]] && pg_cpu="${MED_PG_CPU[$key]}"
    printf '| %s | %s | %s | %s | %.0f | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$label" "$(provider_of "$server")" "$db_label" \
      "$(credential "$auth")" "${MED_RPS[$key]}" "$(ms "${MED_P50[$key]}")" "$(ms "${MED_P99[$key]}")" "${MED_CPU[$key]}" "$pg_cpu" \
      "${BYTES[$key]}" "${VS_CEILING[$key]}" "${VS_SEED[$key]:--}" "${VS_SQLITE[$key]:--}"
  done
  echo
  echo "| uncached roll-up of liberterra-iii ($AGGREGATE_ITERATIONS each, alternating) | provider | database | median ms | p90 ms | min ms | seed-only median / this median |"
  echo "| --- | --- | --- | ---: | ---: | ---: | ---: |"
  for file in "${AGG_FILES[@]}"; do
    seed_file=agg-seed
    [[ $file == agg-pg-* ]] && seed_file=agg-pg-seed
    printf '| OperationReader.AggregateAsync, fresh DbContext | %s | %s | %s | %s | %s | %s |\n' \
      "$([[ $file == agg-pg-* ]] && echo PostgreSQL || echo SQLite)" \
      "$([[ $file == *-seed ]] && echo "seed only" || echo "$HISTORY_ROWS versions")" "$(field median_ms "$WORK/$file.txt")" \
      "$(field p90_ms "$WORK/$file.txt")" "$(field min_ms "$WORK/$file.txt")" \
      "$(ratio "$(field median_ms "$WORK/$seed_file.txt")" "$(field median_ms "$WORK/$file.txt")")"
  done
  echo "(other processes used $AGG_OTHER% of a core while the roll-ups were timed)"
  echo
  echo "Per-round ratios (* = a round left out: other processes used more than $QUIET_CPU% of a core during one of its series):"
  echo "- /totals vs ceiling: $TOTALS_VS_CEILING_ROUNDS"
  echo "- /totals without a key (anonymous reads on) vs ceiling: $ANONYMOUS_VS_CEILING_ROUNDS"
  echo "- /totals, history vs seed only: $TOTALS_HISTORY_VS_SEED_ROUNDS"
  echo "- /countries, history vs seed only: $COUNTRIES_HISTORY_VS_SEED_ROUNDS"
  echo "- dashboard vs the ceiling's second run: $DASHBOARD_VS_CEILING_ROUNDS"
  echo "- dashboard with ?$DASHBOARD_QUERY vs the ceiling's second run: $QUERY_VS_CEILING_ROUNDS"
  echo "- dashboard signed in vs the ceiling's second run: $SIGNED_IN_VS_CEILING_ROUNDS"
  echo "- dashboard, output cache defeated, vs the ceiling's second run: $RENDER_VS_CEILING_ROUNDS"
  echo "- the ceiling's second run vs its first (drift within a round): $CEILINGS_ROUNDS"
  echo "- the ceiling with the request log on vs off: $LOG_ON_VS_OFF_ROUNDS"
  if ((POSTGRES)); then
    echo "- /totals, PostgreSQL vs SQLite, seed only: ${VS_SQLITE_ROUNDS[totals-pg-seed]}"
    echo "- /totals, PostgreSQL vs SQLite, history: ${VS_SQLITE_ROUNDS[totals-pg-history]}"
    echo "- /countries, PostgreSQL vs SQLite, seed only: ${VS_SQLITE_ROUNDS[countries-pg-seed]}"
    echo "- /countries, PostgreSQL vs SQLite, history: ${VS_SQLITE_ROUNDS[countries-pg-history]}"
    echo "- /totals on PostgreSQL, history vs seed only: ${PG_VS_SEED_ROUNDS[totals]}"
    echo "- /countries on PostgreSQL, history vs seed only: ${PG_VS_SEED_ROUNDS[countries]}"
  fi
  others=()
  for key in "${TABLE_ORDER[@]}"; do for ((round = 1; round <= ROUNDS; round++)); do others+=("${OTHER[$key,$round]}"); done; done
  echo "Other processes' CPU during the measured series, percent of one core: median $(median "${others[@]}"), max $(printf '%s\n' "${others[@]}" | sort -g | tail -n 1)."
  echo "Socket errors (connect/read/write/timeout) over all series: $total_errors; non-2xx responses: 0."
  echo
  echo "Target 1: /totals reaches >= 60% of the ceiling's throughput: $TOTALS_VS_CEILING -> $TARGET1"
  echo "Target 2: /totals with $HISTORY_ROWS versions keeps >= 90% of its seed-only throughput: $TOTALS_HISTORY_VS_SEED -> $TARGET2"
  echo "Target 3: the dashboard (anonymous reads on, output-cached) reaches >= 15% of the ceiling's throughput: $DASHBOARD_VS_CEILING -> $TARGET3"
  echo "          signed in, as Production serves it: $SIGNED_IN_VS_CEILING -> $TARGET3_SIGNED_IN"
  echo "          (without the output cache it renders at $(printf '%.0f' "${MED_RPS[dashboard-render]}") requests/s, $RENDER_VS_CEILING of the ceiling: the cache carries target 3)"
  echo "Target 4: the dashboard transfers <= 150 KB on a first visit: $(weight transferred) bytes signed in -> $TARGET4"
  echo "          ($(weight transferred -anonymous) bytes with anonymous reads on -> $(weight result -anonymous))"
  echo "Target 5: the request log costs <= 10% of the ceiling's throughput: with it on, the ceiling reaches $LOG_ON_VS_OFF of"
  echo "          its throughput with it off, a cost of $LOG_COST_PCT% -> $TARGET_LOG"
  if ((POSTGRES)); then
    echo "On PostgreSQL (not targets of their own): /totals reaches $PG_TOTALS_VS_CEILING of the ceiling (SQLite: $TOTALS_VS_CEILING);"
    echo "          with $HISTORY_ROWS versions it keeps $PG_TOTALS_HISTORY_VS_SEED of its seed-only throughput (/countries $PG_COUNTRIES_HISTORY_VS_SEED)."
  fi
  echo
  grep -v '^WEIGHT ' "$RESULTS/page-weight.md"
  echo
  echo "Rerun: $( [[ $VERSIONS != 1000000 ]] && echo "BENCH_VERSIONS=$VERSIONS ")$( [[ $PROVIDERS != "sqlite postgres" ]] && echo "BENCH_PROVIDERS='$PROVIDERS' ")bash bench/run.sh"
} >"$RESULTS/summary.md"

for name in seed nolog history anonymous render $( ((POSTGRES)) && echo pgseed pghistory); do
  echo "server $name: ${LOG_LINES[$name]} request-log lines, ${LOG_BYTES[$name]} bytes written to its log file" >>"$RESULTS/environment.txt"
done

say "results"
cat "$RESULTS/summary.md"
echo
echo "raw output: ${RESULTS#"$ROOT"/}/"

if [[ $STRICT == 1 && ($TARGET1 == FAIL || $TARGET2 == FAIL || $TARGET3 == FAIL || $TARGET3_SIGNED_IN == FAIL || $TARGET4 == FAIL || $TARGET_LOG == FAIL) ]]; then
  exit 3
fi
