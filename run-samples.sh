#!/usr/bin/env bash
# Builds the receiver, ingests the sample mailbox samples/mailbox (a Maildir) into
# a fresh ./out/samples.db and prints the statistics as of 2026-11-15, the date
# the samples are built around.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"

mailbox=samples/mailbox
db=out/samples.db
as_of=2026-11-15

export DOTNET_NOLOGO="${DOTNET_NOLOGO:-1}"
export DOTNET_CLI_TELEMETRY_OPTOUT="${DOTNET_CLI_TELEMETRY_OPTOUT:-1}"

if [[ ! -d $mailbox ]]; then
    echo "error: $mailbox does not exist" >&2
    exit 1
fi

# The build log is shown only when the build fails.
if ! build_log=$(dotnet build Telemetry.Receiver/Telemetry.Receiver.csproj -c Debug --nologo 2>&1); then
    printf '%s\n' "$build_log" >&2
    exit 1
fi
telemetry() {
    dotnet Telemetry.Receiver/bin/Debug/net10.0/telemetry.dll "$@"
}

mkdir -p out
rm -f "$db" "$db-wal" "$db-shm"

telemetry ingest "$mailbox" --db "$db"
telemetry stats summary --db "$db" --as-of "$as_of"
telemetry stats features --db "$db" --as-of "$as_of"
telemetry stats versions --db "$db" --as-of "$as_of" --cumulative
telemetry stats trend --db "$db" --as-of "$as_of" --from 2026-01
telemetry report --db "$db" --as-of "$as_of" --out out/samples-report.html
telemetry report --db "$db" --as-of "$as_of" --out out/samples-report-shareable.html --shareable
telemetry health list --db "$db"
