using Spectre.Console.Cli;
using Telemetry.Core.Stats;
using Telemetry.Receiver.Cli;

namespace Telemetry.Receiver.Commands.Stats;

/// <summary><c>telemetry stats licenses</c>: active instances and their users per license type.</summary>
public sealed class LicensesCommand(CliContext cli) : Command<StatsSettings>
{
    private static readonly Column<LicenseRow>[] Columns =
    [
        new("licenseType", "License type", r => r.LicenseType),
        Column.Figure<LicenseRow>("instances", "Instances", r => r.Instances),
        Column.Share<LicenseRow>("share", "Share", r => r.Share),
        Column.Figure<LicenseRow>("users", "Users (Confluence)", r => r.Users),
    ];

    public override int Execute(CommandContext context, StatsSettings settings, CancellationToken cancellationToken)
    {
        using var connection = settings.OpenExisting();
        var asOf = settings.Resolve(cli);
        var d = settings.Publisher(connection).Licenses(asOf);
        var caption = $"{d.Total.Text} active instances." + (settings.ShareableCaption is { } c ? " " + c : string.Empty);
        Listing.Write(cli, settings.OutputFormat, d.Rows, Columns, $"License types of active instances as of {asOf.Date:yyyy-MM-dd}", "No active instance.", caption);
        if (settings.Charts(cli))
        {
            Charts.Shares(cli, "Share of active instances per license type", d.Rows.Select(r => (r.LicenseType, r.Share)));
        }

        return TelemetryApp.ExitOk;
    }
}
