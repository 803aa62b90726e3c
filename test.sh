#!/usr/bin/env bash
# Runs every test in the solution, installing what the tests need first. CI runs exactly this (.ci/run).
# The tests need the .NET 10 SDK, the NuGet packages pinned in Directory.Packages.props, and two things from Debian,
# installed below with apt-get when missing: Chromium for the browser tests (Playwright cannot download a browser
# here), and PostgreSQL for the second pass.
#
# First, dotnet ef (a local tool, .config/dotnet-tools.json) checks that each provider's migrations cover the model.
# Then two passes: the whole solution on SQLite, then the API, storage and reliability tests (tests/Liberterra.Web.Tests and
# tests/Liberterra.Reliability.Tests) again on a throwaway PostgreSQL cluster that this script starts in a temporary
# folder, on 127.0.0.1 and a free port, and stops and deletes when it exits, whether the tests passed or not.
#
#   ./test.sh                             both passes
#   ./test.sh postgres                    the PostgreSQL pass alone
#   LIBERTERRA_SKIP_POSTGRES=1 ./test.sh  the SQLite pass alone; says loudly that PostgreSQL was not tested
#
# On a PostgreSQL server of your own (its user must be allowed to create databases), without this script:
#   LIBERTERRA_TEST_POSTGRES='Host=127.0.0.1;Port=5432;Username=postgres;Password=...' dotnet test tests/Liberterra.Web.Tests
set -euo pipefail
cd "$(dirname "$0")"

mode=${1:-all}
case "$mode" in
    all | postgres) ;;
    *) echo "usage: ./test.sh [postgres]" >&2; exit 2 ;;
esac

skip_postgres=false
if [ "${LIBERTERRA_SKIP_POSTGRES:-}" = 1 ]; then
    [ "$mode" = all ] || { echo "test.sh: LIBERTERRA_SKIP_POSTGRES=1 leaves nothing for './test.sh postgres' to run." >&2; exit 2; }
    skip_postgres=true
fi

if ! command -v dotnet >/dev/null 2>&1; then
    echo "test.sh: the .NET 10 SDK is required (no 'dotnet' on PATH)." >&2
    exit 1
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# Installs Debian packages, as root or through sudo -n (CI has no terminal to type a password into, so fail rather
# than hang). The tests that need them fail without them, by design, so a missing package ends the run here.
apt_install() {
    local why=$1 problem="" as_root=()
    shift
    if ! command -v apt-get >/dev/null 2>&1; then
        problem="no apt-get on this machine"
    elif [ "$(id -u)" -ne 0 ] && ! sudo -n true 2>/dev/null; then
        problem="not root, and sudo -n is not allowed"
    else
        [ "$(id -u)" -eq 0 ] || as_root=(sudo -n)
        echo "test.sh: installing Debian's $* for $why"
        { "${as_root[@]}" apt-get update \
            && "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$@"; } </dev/null \
            || problem="apt-get failed"
    fi
    if [ -n "$problem" ]; then
        echo "test.sh: $why need Debian's $* and it could not be installed ($problem)." >&2
        echo "test.sh: install it by hand (apt-get install $*)." >&2
        exit 1
    fi
}

# tests/Liberterra.Browser.Tests drive this Chromium.
if [ "$mode" = all ]; then
    chromium=${LIBERTERRA_CHROMIUM:-/usr/bin/chromium}
    if [ ! -x "$chromium" ]; then
        if [ -n "${LIBERTERRA_CHROMIUM:-}" ]; then
            echo "test.sh: LIBERTERRA_CHROMIUM names no executable ($chromium)." >&2
            exit 1
        fi
        apt_install "the browser tests" chromium
        [ -x "$chromium" ] || { echo "test.sh: apt-get installed no $chromium." >&2; exit 1; }
    fi
fi

log=$(mktemp)
# The throwaway cluster's helpers (pg_cluster_start, pg_cluster_stop), shared with the benchmarks in bench/.
PG_CLUSTER_WHO=test.sh
. scripts/pg-cluster.sh
cleanup() {
    pg_cluster_stop
    rm -f "$log"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# A new cluster for this run.
start_postgres() {
    if ! pg_cluster_find_bin; then
        apt_install "the PostgreSQL pass" postgresql
        pg_cluster_find_bin || { echo "test.sh: apt-get installed no /usr/lib/postgresql/*/bin/initdb." >&2; exit 1; }
    fi

    # fsync and friends off: durability is the server's business, not under test, and this data dies with the run.
    pg_cluster_start "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    export LIBERTERRA_TEST_POSTGRES="$PG_CONNECTION"
    echo "test.sh: PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') started in $PG_DIR on 127.0.0.1:$PG_PORT"
}

if $skip_postgres; then
    echo "test.sh: !!! LIBERTERRA_SKIP_POSTGRES=1: the PostgreSQL pass is SKIPPED; nothing is tested on PostgreSQL. !!!" >&2
else
    start_postgres
fi

dotnet restore Liberterra.sln
# The local tools pinned in .config/dotnet-tools.json: dotnet-ef for the migrations check below, and Kiota, which
# generates tests/Liberterra.Client.Tests' client during its build.
dotnet tool restore

status=0
passes=()
# Runs one pass, adding its output to the log the closing line is counted from.
run_pass() {
    local name=$1 started=$SECONDS
    shift
    echo "test.sh: $name pass"
    "$@" 2>&1 | tee -a "$log" || status=$?
    passes+=("$name $((SECONDS - started)) s")
}

# The suites that touch the database, on PostgreSQL; both run even when the first fails.
postgres_tests() {
    local failed=0
    dotnet test tests/Liberterra.Web.Tests --no-restore || failed=1
    dotnet test tests/Liberterra.Reliability.Tests --no-restore || failed=1
    return "$failed"
}

# Every change to the model needs a migration on each provider (docs/operations.md, "Adding a migration"): dotnet ef
# compares the model with each provider's snapshot, without a database, and fails if they differ.
pending_model_changes() {
    local project failed=0
    for project in src/Liberterra.Data.Sqlite src/Liberterra.Data.Postgres; do
        echo "test.sh: migrations cover the model? ($project)"
        { dotnet build "$project" --no-restore -v q -nologo \
            && dotnet ef migrations has-pending-model-changes --project "$project" --no-build; } || failed=1
    done
    return "$failed"
}

run_pass "migrations (has-pending-model-changes, both providers)" pending_model_changes
if [ "$mode" = all ]; then
    run_pass "SQLite (solution)" env -u LIBERTERRA_TEST_POSTGRES dotnet test Liberterra.sln --no-restore
fi
if $skip_postgres; then
    passes+=("PostgreSQL SKIPPED by LIBERTERRA_SKIP_POSTGRES=1")
else
    run_pass "PostgreSQL (Liberterra.Web.Tests, Liberterra.Reliability.Tests)" postgres_tests
fi

if $skip_postgres; then
    echo "test.sh: !!! LIBERTERRA_SKIP_POSTGRES=1: the PostgreSQL pass was SKIPPED; nothing was tested on PostgreSQL. !!!" >&2
fi

# One closing line for the whole run, summed over every pass's "Passed!/Failed!" summaries.
passed=$(grep -E '^(Passed|Failed)!' "$log" | grep -oE 'Passed: +[0-9]+' | awk '{s += $2} END {print s + 0}')
failed=$(grep -E '^(Passed|Failed)!' "$log" | grep -oE 'Failed: +[0-9]+' | awk '{s += $2} END {print s + 0}')
skipped=$(grep -E '^(Passed|Failed)!' "$log" | grep -oE 'Skipped: +[0-9]+' | awk '{s += $2} END {print s + 0}')
summary=$(printf '%s; ' "${passes[@]}")
echo "${passed} passed, ${failed} failed, ${skipped} skipped (passes: ${summary%; })"

if [ "$status" -ne 0 ] || [ "$failed" -ne 0 ] || [ "$passed" -eq 0 ]; then
    exit 1
fi
