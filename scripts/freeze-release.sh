#!/usr/bin/env bash
# Freezes this commit as "the previous release" for UpgradeTests: builds a deployment with this commit's app on SQLite
# and on a throwaway PostgreSQL cluster, and writes the databases and what the app served over the files in
# tests/Liberterra.Web.Tests/Database/Release (see its README.md). Run it on the release commit, before the change that
# needs an upgrade, then commit the files.
set -euo pipefail
cd "$(dirname "$0")/.."
export LIBERTERRA_REFRESH_RELEASE_FIXTURE=1
filter="FullyQualifiedName~ReleaseFixtureTests"

dotnet build tests/Liberterra.Web.Tests -v q
env -u LIBERTERRA_TEST_POSTGRES dotnet test tests/Liberterra.Web.Tests --no-build --filter "$filter"

PG_CLUSTER_WHO=freeze-release.sh
. scripts/pg-cluster.sh
pg_cluster_find_bin || { echo "freeze-release.sh: PostgreSQL is not installed (apt-get install postgresql)." >&2; exit 1; }
pg_cluster_start "-c fsync=off"
trap pg_cluster_stop EXIT
LIBERTERRA_TEST_POSTGRES="$PG_CONNECTION" dotnet test tests/Liberterra.Web.Tests --no-build --filter "$filter"
ls -l tests/Liberterra.Web.Tests/Database/Release
