#!/usr/bin/env bash
# Start-up: wall time of `telemetry stats summary` on a small database (the bundled samples), for the build
# (`dotnet build`, JIT only) and for the published receiver (`dotnet publish`, ReadyToRun), side by side.
# Usage: Telemetry.Benchmarks/startup.sh [RUNS]   (default 11; prints the median and the spread of each)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
runs=${1:-11}
work=$(mktemp -d /tmp/telemetry-startup.XXXXXX)
trap 'rm -rf "$work"' EXIT

dotnet build Telemetry.Receiver -c Release -o "$work/build" -p:PublishReadyToRun=false -v q --nologo >/dev/null
dotnet publish Telemetry.Receiver -c Release -o "$work/publish" -v q --nologo >/dev/null
"$work/publish/telemetry" ingest samples/mailbox --db "$work/t.db" >/dev/null

measure() {
    local name=$1
    shift
    local times=()
    for _ in $(seq "$runs"); do
        local start end
        start=$(date +%s%N)
        "$@" >/dev/null
        end=$(date +%s%N)
        times+=($(( (end - start) / 1000000 )))
    done
    local sorted
    sorted=$(printf '%s\n' "${times[@]}" | sort -n)
    printf '| %s | %s ms | %s–%s ms |\n' "$name" "$(sed -n "$(( (runs + 1) / 2 ))p" <<<"$sorted")" "$(head -1 <<<"$sorted")" "$(tail -1 <<<"$sorted")"
}

echo "telemetry stats summary on the samples' database, $runs runs each, $(nproc) cores, $(dotnet --version)"
echo "| binary | median | range |"
echo "| --- | ---: | ---: |"
measure "build (JIT)" "$work/build/telemetry" stats summary --db "$work/t.db" --as-of 2026-11-15
measure "publish (ReadyToRun)" "$work/publish/telemetry" stats summary --db "$work/t.db" --as-of 2026-11-15
measure "publish, --format json" "$work/publish/telemetry" stats summary --db "$work/t.db" --as-of 2026-11-15 --format json
measure "publish, --help" "$work/publish/telemetry" --help
