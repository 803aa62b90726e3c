#!/usr/bin/env bash
# The long forms of the reliability tests (issue 6, docs/reliability.md), on SQLite and on a throwaway PostgreSQL
# cluster that runs with production settings (fsync on). The same tests run in their short forms in ./test.sh;
# LIBERTERRA_RELIABILITY=long makes them bigger: more kills, a 60 s soak, 100,000+ hostile requests, more retries and
# more fault cycles. Each test prints one "RELIABILITY ..." line of figures; this script collects them.
#
#   bash scripts/reliability.sh                  both providers (about 15-25 minutes on 2 cores)
#   bash scripts/reliability.sh sqlite           SQLite only
#   LIBERTERRA_RELIABILITY_SEED=123 bash ...     replay the hostile generator's run with that seed
#
# Everything binds to 127.0.0.1 and stops by itself: the tests own their servers, and the cluster is stopped and
# deleted on exit. Raw output goes to bench/results/reliability-<timestamp>/ (ignored by git).
set -euo pipefail
cd "$(dirname "$0")/.."

which=${1:-all}
case "$which" in
    all | sqlite) ;;
    *) echo "usage: bash scripts/reliability.sh [sqlite]" >&2; exit 2 ;;
esac

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 LIBERTERRA_RELIABILITY=long
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
RESULTS="bench/results/reliability-$STAMP"
mkdir -p "$RESULTS"

PG_CLUSTER_WHO=reliability.sh
. scripts/pg-cluster.sh
trap pg_cluster_stop EXIT
trap 'exit 130' INT TERM

# The reliability tests: the separate-process ones (crash, soak) and the in-process ones in the Web suite.
WEB_FILTER="FullyQualifiedName~HostileInputTests|FullyQualifiedName~AuthorizationMatrixTests|FullyQualifiedName~RetryTests|FullyQualifiedName~DatabaseFaultTests"

status=0
# run NAME COMMAND...: one test run; its detailed output (where the RELIABILITY lines are) goes to the results folder.
run() {
    local name=$1 started=$SECONDS
    shift
    echo "reliability.sh: $name"
    if ! "$@" --no-build --logger "console;verbosity=detailed" >"$RESULTS/$name.log" 2>&1; then
        status=1
        echo "reliability.sh: $name FAILED; see $RESULTS/$name.log" >&2
        grep -E '^\s+Failed |Error Message' -A3 "$RESULTS/$name.log" | head -n 40 >&2 || true
    fi
    grep -ho 'RELIABILITY .*' "$RESULTS/$name.log" | tee -a "$RESULTS/figures.txt" || true
    echo "reliability.sh: $name took $((SECONDS - started)) s"
}

dotnet build Liberterra.sln --nologo -v quiet "-clp:ErrorsOnly;NoSummary"

run sqlite-web env -u LIBERTERRA_TEST_POSTGRES dotnet test tests/Liberterra.Web.Tests --filter "$WEB_FILTER"
run sqlite-process env -u LIBERTERRA_TEST_POSTGRES dotnet test tests/Liberterra.Reliability.Tests

if [ "$which" = all ]; then
    pg_cluster_find_bin || { echo "reliability.sh: PostgreSQL is not installed (apt-get install postgresql)." >&2; exit 1; }
    pg_cluster_start
    export LIBERTERRA_TEST_POSTGRES="$PG_CONNECTION"
    echo "reliability.sh: PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PG_PORT, fsync on"
    run postgres-web dotnet test tests/Liberterra.Web.Tests --filter "$WEB_FILTER"
    run postgres-process dotnet test tests/Liberterra.Reliability.Tests
fi

echo "reliability.sh: figures in $RESULTS/figures.txt (commit $(git rev-parse --short HEAD), $(nproc) cores)"
exit "$status"
