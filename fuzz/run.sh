#!/usr/bin/env bash
# Fuzzes the report extractor and the two format parsers with afl-fuzz (AFL++) and SharpFuzz.
#
#   fuzz/run.sh [TARGET|all] [SECONDS]
#
# TARGET is extractor, format1 or format2; "all" runs each of them for SECONDS in turn (default: all, 60 s).
# See docs/fuzzing.md. What it does:
#   1. installs afl++ with apt-get when afl-fuzz is missing (Debian);
#   2. builds Telemetry.Fuzz in Release and instruments a copy of Telemetry.Core.dll with the
#      sharpfuzz dotnet tool (.config/dotnet-tools.json, restored with `dotnet tool restore`);
#   3. seeds each target from samples/mailbox and Telemetry.Tests/Corpus/messages (seeds over
#      FUZZ_MAX_SEED_BYTES are skipped) and replays the seeds once without AFL;
#   4. runs afl-fuzz for SECONDS (-V) and prints executions, execs/s, corpus, crashes and hangs
#      from fuzzer_stats;
#   5. copies crash and hang inputs to fuzz/findings/TARGET/ and replays them to show the exception.
#
# Exit code: 0 nothing found; 1 a crash, or a hang that replays slowly; 2 usage; 3 the fuzzing could
# not run (afl++ not installable, build or instrumentation failed, afl-fuzz stopped with an error).
#
# Settings (environment): FUZZ_TIMEOUT_MS (5000, afl-fuzz -t), FUZZ_MAX_SEED_BYTES (65536),
# FUZZ_HEAP_LIMIT_MB (1024, the .NET heap limit: beyond it an allocation is an OutOfMemoryException,
# so a crash), FUZZ_INSTRUMENT (extra assemblies to instrument besides Telemetry.Core.dll, for
# example "MimeKit.dll"), FUZZ_RESUME=1 (go on from the queue of the previous run of the target
# instead of the seeds), FUZZ_OUT (work folder, default out/fuzz).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
root=$PWD

targets_all=(extractor format1 format2)
target=${1:-all}
seconds=${2:-60}
if [[ $target == all ]]; then
    targets=("${targets_all[@]}")
elif [[ " ${targets_all[*]} " == *" $target "* ]]; then
    targets=("$target")
else
    echo "usage: fuzz/run.sh [extractor|format1|format2|all] [SECONDS]" >&2
    exit 2
fi
if [[ ! $seconds =~ ^[0-9]+$ || $seconds -lt 1 ]]; then
    echo "fuzz: SECONDS must be a positive whole number, not '$seconds'" >&2
    exit 2
fi

timeout_ms=${FUZZ_TIMEOUT_MS:-5000}
max_seed_bytes=${FUZZ_MAX_SEED_BYTES:-65536}
heap_limit_mb=${FUZZ_HEAP_LIMIT_MB:-1024}
work=${FUZZ_OUT:-$root/out/fuzz}
findings_root=$root/fuzz/findings
seed_sources=("$root/samples/mailbox" "$root/Telemetry.Tests/Corpus/messages")
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1

cannot_run() {
    echo "fuzz: FUZZING DID NOT RUN: $*" >&2
    exit 3
}

# --- 1. afl-fuzz -------------------------------------------------------------------------------
if ! command -v afl-fuzz >/dev/null 2>&1; then
    echo "fuzz: installing afl++ with apt-get"
    apt_log=$(mktemp)
    if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends afl++; } >"$apt_log" 2>&1; then
        tail -n 20 "$apt_log" >&2
        rm -f "$apt_log"
        cannot_run "afl++ could not be installed with apt-get (see above)"
    fi
    rm -f "$apt_log"
    command -v afl-fuzz >/dev/null 2>&1 || cannot_run "afl++ is installed but afl-fuzz is not on PATH"
fi

# --- 2. build and instrument -------------------------------------------------------------------
echo "fuzz: building Telemetry.Fuzz (Release)"
build_log=$work/build.log
mkdir -p "$work"
if ! { dotnet tool restore && dotnet build Telemetry.Fuzz/Telemetry.Fuzz.csproj -c Release; } >"$build_log" 2>&1; then
    tail -n 30 "$build_log" >&2
    cannot_run "the build of Telemetry.Fuzz failed (log: $build_log)"
fi
plain=$root/Telemetry.Fuzz/bin/Release/net10.0
# A copy of its own per run, so that runs of different targets can go on side by side.
bin=$(mktemp -d "$work/bin.XXXXXX")
trap 'rm -rf "$bin"' EXIT
cp -a "$plain/." "$bin/"
for assembly in Telemetry.Core.dll ${FUZZ_INSTRUMENT:-}; do
    if ! dotnet sharpfuzz "$bin/$assembly" >>"$build_log" 2>&1; then
        tail -n 10 "$build_log" >&2
        cannot_run "sharpfuzz could not instrument $assembly (log: $build_log)"
    fi
done
echo "fuzz: instrumented Telemetry.Core.dll ${FUZZ_INSTRUMENT:-} in $bin"

# The build that is not instrumented writes the seeds and replays inputs: instrumented code only
# runs under SharpFuzz.
fuzz_plain() {
    DOTNET_GCHeapHardLimit=$(printf '0x%x' $((heap_limit_mb * 1024 * 1024))) dotnet "$plain/Telemetry.Fuzz.dll" "$@"
}

# Reads one field of a fuzzer_stats file (AFL++ 4 names first, older names second).
stat() {
    local file=$1 name value
    shift
    for name in "$@"; do
        value=$(awk -F' *: *' -v k="$name" '$1 == k { print $2; exit }' "$file")
        if [[ -n $value ]]; then
            echo "$value"
            return
        fi
    done
    echo "?"
}

# --- 3-5. one target ---------------------------------------------------------------------------
summary=()
status=0
fuzz_target() {
    local t=$1 dir=$work/$1 in afl_out log dict findings
    in=$dir/in
    afl_out=$dir/afl
    log=$dir/afl.log
    findings=$findings_root/$t
    mkdir -p "$dir"

    if [[ ${FUZZ_RESUME:-0} == 1 && -f $afl_out/default/fuzzer_stats ]]; then
        in=-
        echo "fuzz: $t: resuming from $afl_out"
    else
        rm -rf "$in" "$afl_out"
        fuzz_plain seed "$t" "$in" "$max_seed_bytes" "${seed_sources[@]}" || cannot_run "no seeds for $t"
        # A seed that already fails is a finding of its own; AFL would refuse to start on it.
        if ! fuzz_plain replay "$t" --slow-ms "$timeout_ms" "$in" >"$dir/seeds-replay.log" 2>&1; then
            mkdir -p "$findings"
            grep -E '^(CRASH|SLOW) ' "$dir/seeds-replay.log" | while read -r _ file _; do
                cp "${file%:}" "$findings/seed-$(basename "${file%:}")"
            done
            echo "fuzz: $t: SEEDS FAIL before fuzzing (copied to $findings):" >&2
            grep -E -A3 '^(CRASH|SLOW) ' "$dir/seeds-replay.log" | head -n 20 >&2
            status=1
        fi
    fi

    dict=$dir/$t.dict
    case $t in
        extractor) cat fuzz/dict/mime.dict fuzz/dict/format1.dict fuzz/dict/format2.dict >"$dict" ;;
        *) cp "fuzz/dict/$t.dict" "$dict" ;;
    esac

    echo "fuzz: $t: afl-fuzz for $seconds s (timeout ${timeout_ms} ms, log $log)"
    local afl_status=0
    # Root in a container, no terminal: no CPU governor or core_pattern checks, no status screen.
    # dotnet itself is not instrumented (the instrumented code is in Telemetry.Core.dll): skip the binary check.
    AFL_SKIP_CPUFREQ=1 \
        AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 \
        AFL_NO_UI=1 \
        AFL_SKIP_BIN_CHECK=1 \
        AFL_NO_AFFINITY=1 \
        AFL_SKIP_CRASHES=1 \
        AFL_FAST_CAL=1 \
        AFL_FORKSRV_INIT_TMOUT=60000 \
        DOTNET_GCHeapHardLimit=$(printf '0x%x' $((heap_limit_mb * 1024 * 1024))) \
        afl-fuzz -i "$in" -o "$afl_out" -t "$timeout_ms" -m none -V "$seconds" -x "$dict" \
        -- dotnet "$bin/Telemetry.Fuzz.dll" "$t" </dev/null >"$log" 2>&1 || afl_status=$?

    local stats=$afl_out/default/fuzzer_stats
    if [[ ! -f $stats ]]; then
        tail -n 30 "$log" >&2
        cannot_run "afl-fuzz stopped before fuzzing $t (exit $afl_status; log: $log)"
    fi
    if [[ $afl_status -ne 0 ]]; then
        echo "fuzz: $t: afl-fuzz exited with code $afl_status (log: $log)" >&2
        tail -n 15 "$log" >&2
        [[ $status -ne 0 ]] || status=3
    fi

    local execs eps corpus crashes hangs run_time stability
    execs=$(stat "$stats" execs_done)
    eps=$(stat "$stats" execs_per_sec)
    corpus=$(stat "$stats" corpus_count paths_total)
    crashes=$(stat "$stats" saved_crashes unique_crashes)
    hangs=$(stat "$stats" saved_hangs unique_hangs)
    run_time=$(stat "$stats" run_time)
    stability=$(stat "$stats" stability)

    # Crashes are findings; hangs count when they are slow again outside AFL.
    local crash_files=() hang_files=() confirmed_hangs=0 f
    shopt -s nullglob
    crash_files=("$afl_out"/default/crashes/id:*)
    hang_files=("$afl_out"/default/hangs/id:*)
    shopt -u nullglob
    if [[ ${#crash_files[@]} -gt 0 || ${#hang_files[@]} -gt 0 ]]; then
        mkdir -p "$findings"
    fi
    for f in "${crash_files[@]}"; do
        cp "$f" "$findings/crash-$(basename "$f" | tr ':,' '_.')"
    done
    for f in "${hang_files[@]}"; do
        cp "$f" "$findings/hang-$(basename "$f" | tr ':,' '_.')"
    done
    if [[ ${#crash_files[@]} -gt 0 ]]; then
        echo "fuzz: $t: ${#crash_files[@]} CRASH INPUT(S) copied to $findings; replayed:" >&2
        fuzz_plain replay "$t" "${crash_files[@]}" >"$dir/crashes-replay.log" 2>&1 || true
        grep -E '^distinct crash: ' "$dir/crashes-replay.log" >&2 \
            || echo "fuzz: $t: none of them crashes when replayed with the current build (changed since the run began?)" >&2
        echo "fuzz: $t: stack traces in $dir/crashes-replay.log" >&2
        status=1
    fi
    if [[ ${#hang_files[@]} -gt 0 ]]; then
        local hang_log=$dir/hangs-replay.log
        fuzz_plain replay "$t" --slow-ms "$timeout_ms" "${hang_files[@]}" >"$hang_log" 2>&1 || true
        confirmed_hangs=$(grep -c -E '^(SLOW|CRASH) ' "$hang_log" || true)
        if [[ $confirmed_hangs -gt 0 ]]; then
            echo "fuzz: $t: $confirmed_hangs HANG INPUT(S) still over ${timeout_ms} ms when replayed, copied to $findings:" >&2
            grep -E '^(SLOW|CRASH) ' "$hang_log" | head -n 10 >&2
            status=1
        else
            echo "fuzz: $t: ${#hang_files[@]} input(s) timed out under afl-fuzz but replay in time (copied to $findings, not counted)"
        fi
    fi

    summary+=("$(printf '%-9s %6ss %10s execs %8s execs/s  corpus %5s  crashes %s  hangs %s  stability %s' \
        "$t" "$run_time" "$execs" "$eps" "$corpus" "$crashes" "$hangs" "$stability")")
}

for t in "${targets[@]}"; do
    fuzz_target "$t"
done

echo "fuzz: results ($(date -u +%Y-%m-%dT%H:%MZ), afl-fuzz $(afl-fuzz -h 2>&1 | grep -o -m1 'afl-fuzz[^ ]*' | sed 's/\x1b\[[0-9;]*m//g' || true))"
for line in "${summary[@]}"; do
    echo "fuzz:   $line"
done
case $status in
    0) echo "fuzz: no crash found" ;;
    1) echo "fuzz: FINDINGS: inputs in $findings_root (see docs/fuzzing.md to turn them into tests)" >&2 ;;
    *) echo "fuzz: afl-fuzz did not finish cleanly" >&2 ;;
esac
exit "$status"
