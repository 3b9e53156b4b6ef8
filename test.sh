#!/usr/bin/env bash
# Runs every test of the solution and ends with one plain line:
#     tests: N passed, M failed
# Exit code: 0 only when `dotnet test` succeeded and no test failed.
# Test results (.trx) are written to ./out/test-results/, screenshots of the HTML
# report taken by the browser tests to ./out/report-screenshots/.
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
screenshots=out/report-screenshots
rm -rf "$screenshots"

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

# Runs before the summary line is printed. The integration servers are started
# and stopped by the tests themselves, so there is nothing to stop here yet.
cleanup() {
    :
}

# Says where the browser tests left their screenshots of the HTML report, if they took any.
report_screenshots() {
    local count
    count=$(find "$screenshots" -maxdepth 1 -type f -name '*.png' 2>/dev/null | wc -l)
    if [[ $count -gt 0 ]]; then
        echo "HTML report screenshots ($count): $PWD/$screenshots/"
    fi
}

dotnet_status=0
finish() {
    local status=$? passed failed
    trap - EXIT
    set +e
    cleanup
    report_screenshots
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
# INTEGRATION SERVICES
# The integration tests start their own private Dovecot (IMAP, LMTP) and an
# aiosmtpd relay on free loopback ports (Telemetry.Tests/Integration); this
# block only installs the packages when they are missing. Nothing is started
# here, so cleanup() has nothing to stop.
# ----------------------------------------------------------------------------
# systemd brings systemd-analyze, with which a test checks the hardening of samples/telemetry.service.
# chromium is the headless browser that the HTML report tests (Telemetry.Tests/Reporting) start
# themselves from /usr/bin/chromium; they never download a browser.
# time is GNU time (/usr/bin/time), with which the hostile corpus tests (Telemetry.Tests/Hostile) measure the
# peak memory of `telemetry ingest` on each hostile message.
integration_packages=(dovecot-imapd dovecot-lmtpd python3-aiosmtpd openssl systemd chromium time)

integration_packages_missing() {
    local package
    for package in "${integration_packages[@]}"; do
        if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q '^install ok installed$'; then
            return 0
        fi
    done
    return 1
}

if integration_packages_missing; then
    echo "installing integration test servers: ${integration_packages[*]}"
    apt_log=$(mktemp)
    if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
        --no-install-recommends "${integration_packages[@]}"; } >"$apt_log" 2>&1; then
        tail -n 20 "$apt_log" >&2
        rm -f "$apt_log"
        echo "test.sh: could not install ${integration_packages[*]} with apt-get (see above); the integration tests need them" >&2
        exit 1
    fi
    rm -f "$apt_log"
fi

dotnet test telemetry.sln --logger trx --results-directory "$results" || dotnet_status=$?
