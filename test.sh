#!/usr/bin/env bash
# Runs every test in the solution, installing what the tests need first. CI runs exactly this (.ci/run).
# The tests need the .NET 10 SDK, the NuGet packages pinned in Directory.Packages.props, and, for the browser
# tests, Debian's Chromium (installed below with apt-get when missing; Playwright cannot download a browser here).
set -euo pipefail
cd "$(dirname "$0")"

if ! command -v dotnet >/dev/null 2>&1; then
    echo "test.sh: the .NET 10 SDK is required (no 'dotnet' on PATH)." >&2
    exit 1
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# tests/Liberterra.Browser.Tests drive this Chromium; without it they fail (by design, never skip).
chromium=${LIBERTERRA_CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$chromium" ]; then
    cannot_install() {
        echo "test.sh: the browser tests need Chromium at $chromium and it could not be installed ($1)." >&2
        echo "test.sh: install Debian's package by hand (apt-get install chromium) or set LIBERTERRA_CHROMIUM." >&2
        exit 1
    }
    [ -z "${LIBERTERRA_CHROMIUM:-}" ] || cannot_install "LIBERTERRA_CHROMIUM names no executable"
    command -v apt-get >/dev/null 2>&1 || cannot_install "no apt-get on this machine"
    as_root=()
    if [ "$(id -u)" -ne 0 ]; then
        # -n: CI has no terminal to type a password into, so fail rather than hang.
        sudo -n true 2>/dev/null || cannot_install "not root, and sudo -n is not allowed"
        as_root=(sudo -n)
    fi
    echo "test.sh: installing Debian's chromium for the browser tests"
    { "${as_root[@]}" apt-get update \
        && "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium; } </dev/null \
        || cannot_install "apt-get failed"
    [ -x "$chromium" ] || cannot_install "apt-get installed no $chromium"
fi

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
