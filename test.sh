#!/usr/bin/env bash
# Runs every test in the solution, installing what the tests need first. CI runs exactly this (.ci/run).
# The tests need the .NET 10 SDK and the NuGet packages pinned in Directory.Packages.props, nothing else.
set -euo pipefail
cd "$(dirname "$0")"

if ! command -v dotnet >/dev/null 2>&1; then
    echo "test.sh: the .NET 10 SDK is required (no 'dotnet' on PATH)." >&2
    exit 1
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

dotnet restore Liberterra.sln

log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
dotnet test Liberterra.sln --no-restore 2>&1 | tee "$log" || status=$?

# One closing line for the whole run, summed over the test projects' "Passed!/Failed!" summaries.
passed=$(grep -E '^(Passed|Failed)!' "$log" | grep -oE 'Passed: +[0-9]+' | awk '{s += $2} END {print s + 0}')
failed=$(grep -E '^(Passed|Failed)!' "$log" | grep -oE 'Failed: +[0-9]+' | awk '{s += $2} END {print s + 0}')
skipped=$(grep -E '^(Passed|Failed)!' "$log" | grep -oE 'Skipped: +[0-9]+' | awk '{s += $2} END {print s + 0}')
echo "${passed} passed, ${failed} failed, ${skipped} skipped"

if [ "$status" -ne 0 ] || [ "$failed" -ne 0 ] || [ "$passed" -eq 0 ]; then
    exit 1
fi
