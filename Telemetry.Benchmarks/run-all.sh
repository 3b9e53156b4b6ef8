#!/usr/bin/env bash
# Runs every benchmark of docs/benchmarks.md, one after the other, and keeps each one's output in
# out/benchmarks/DATE/NAME.txt. Run it as root on an otherwise idle machine where ./test.sh has installed the
# packages (the IMAP benchmarks start a private Dovecot). About 30 minutes on 2 cores, most of it building the
# 1,000,000-report statistics database the first time (kept in /var/tmp/telemetry-bench for the next runs).
#
# Usage: Telemetry.Benchmarks/run-all.sh [--quick]
#   --quick: fewer runs and smaller inputs, to check that everything runs (the figures are not the documented ones;
#            outputs in out/benchmarks/DATE-quick)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

quick=false
[[ ${1:-} == --quick ]] && quick=true

out=out/benchmarks/$(date -u +%Y-%m-%d)
# A quick run never overwrites the outputs of a full one.
$quick && out=$out-quick
mkdir -p "$out"
dotnet build Telemetry.Benchmarks -c Release -v q --nologo >/dev/null
bench() {
    local name=$1
    shift
    echo "== $name: $*"
    dotnet Telemetry.Benchmarks/bin/Release/net10.0/Telemetry.Benchmarks.dll "$@" 2>&1 | tee "$out/$name.txt"
}

if $quick; then
    bench files files --messages 2000 --runs 1
    bench store store --messages 2000 --runs 1
    bench imap imap --messages 1000 --runs 1
    bench mbox-memory mbox-memory --messages 1000,5000
    bench stats-100k stats --reports 100000 --runs 3
    Telemetry.Benchmarks/startup.sh 3 | tee "$out/startup.txt"
else
    bench files files --messages 20000 --runs 3
    bench store store --messages 20000 --runs 3
    bench imap imap --messages 10000 --runs 3
    bench imap-memory-10k imap-memory --messages 10000
    bench imap-memory-100k imap-memory --messages 100000
    bench mbox-memory mbox-memory --messages 10000,50000,100000
    bench stats-100k stats --reports 100000
    bench stats-1m stats --reports 1000000
    Telemetry.Benchmarks/startup.sh 11 | tee "$out/startup.txt"
fi
echo "== results in $out"
