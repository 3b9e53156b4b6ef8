#!/usr/bin/env bash
# Runs every test of the solution and ends with one plain line:
#     tests: N passed, M failed
# Exit code: 0 only when `dotnet test` succeeded and no test failed.
# Test results (.trx) are written to ./out/test-results/.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"

# CI is passed to the tests exactly as the caller set it (set or unset, same value).
if [[ -n "${CI+set}" ]]; then
    export CI
fi
export DOTNET_NOLOGO="${DOTNET_NOLOGO:-1}"
export DOTNET_CLI_TELEMETRY_OPTOUT="${DOTNET_CLI_TELEMETRY_OPTOUT:-1}"

results=out/test-results
rm -rf "$results"
mkdir -p "$results"

# Sums the counters of every .trx file and prints "PASSED FAILED".
# Errored, timed-out and aborted tests count as failed.
count_results() {
    local files=()
    while IFS= read -r -d '' f; do
        files+=("$f")
    done < <(find "$results" -type f -name '*.trx' -print0)
    if [[ ${#files[@]} -eq 0 ]]; then
        echo "0 0"
        return
    fi
    awk '
        function attr(rec, name,    s) {
            if (match(rec, "[ \t\r\n]" name "=\"[0-9]+\"")) {
                s = substr(rec, RSTART, RLENGTH)
                sub(/^[^"]*"/, "", s)
                sub(/"$/, "", s)
                return s + 0
            }
            return 0
        }
        BEGIN { RS = "<" }
        /^Counters[ \t\r\n]/ {
            passed += attr($0, "passed")
            failed += attr($0, "failed") + attr($0, "error") + attr($0, "timeout") + attr($0, "aborted")
        }
        END { printf "%d %d\n", passed, failed }
    ' "${files[@]}"
}

# Stops whatever was started for the integration tests; the summary line is printed after it.
cleanup() {
    : # Integration services are stopped here once there are some (see below).
}

dotnet_status=0
finish() {
    local status=$? passed failed
    trap - EXIT
    set +e
    cleanup
    read -r passed failed < <(count_results)
    if [[ $dotnet_status -ne 0 && $failed -eq 0 ]]; then
        echo "dotnet test exited with code $dotnet_status (build error or test host crash?)" >&2
    fi
    if [[ $status -eq 0 ]]; then
        if [[ $dotnet_status -ne 0 ]]; then
            status=$dotnet_status
        elif [[ $failed -gt 0 ]]; then
            status=1
        fi
    fi
    echo "tests: $passed passed, $failed failed"
    exit "$status"
}
trap finish EXIT

# ----------------------------------------------------------------------------
# INTEGRATION SERVICES (not implemented yet)
# Integration tests will need real mail servers on loopback. This is where the
# script will, when missing, install them (apt-get install -y
# --no-install-recommends dovecot-imapd dovecot-lmtpd python3-aiosmtpd), start
# a private Dovecot and an SMTP relay on free ports, export their addresses for
# the tests, and register their shutdown in cleanup() above.
# ----------------------------------------------------------------------------

dotnet test telemetry.sln --logger trx --results-directory "$results" || dotnet_status=$?
