using Telemetry.Core.Reports;

namespace Telemetry.Core.Samples;

/// <summary>
/// Builds the <see cref="Report"/> a planned report stands for, exactly as the parsers must read it back:
/// format 1 reports hold only what a 3.x text block carries.
/// </summary>
internal static class ReportFactory
{
    public static Report Build(CorpusPlan plan, int index)
    {
        var planned = plan.Reports[index];
        var p = plan.Profiles[planned.Instance];
        var report = new Report
        {
            FormatVersion = Math.Min(planned.Format, 2),
            ReportId = planned.ReportId,
            Kind = planned.Kind,
            ServerId = ServerId.Parse(p.ServerId),
            GeneratedAt = planned.GeneratedAt,
        };
        if (planned.Kind.IsNotice())
        {
            return report;
        }

        var r = new Random(RandomExtensions.Derive(plan.Options.Seed, index, 7));
        var m = planned.Month;
        var install = planned.Kind == ReportKind.Install;
        var format1 = planned.Format == 1;
        var addon = p.AddonVersionByMonth[m];
        var months = install ? 0 : m - p.InstallMonth + 1;

        var users = (long)Math.Clamp(Math.Round(p.BaseUsers * Math.Exp(p.Growth * m) * (1 + (0.02 * r.Normal()))), 5, 20000);
        var active = install
            ? Math.Min(users, r.Between(1, 3))
            : Math.Clamp((long)Math.Round(users * p.ActiveShare * (0.8 + (0.4 * r.NextDouble()))), 0, users);
        var sheets = install ? 0 : (long)Math.Round(p.SheetsPerMonth * months * (0.9 + (0.2 * r.NextDouble())));
        var queries = install ? 0 : (long)Math.Round(active * p.QueriesPerActiveUser * (0.7 + (0.6 * r.NextDouble())));
        var pages = (long)Math.Round(sheets * (0.5 + (0.3 * r.NextDouble())));

        var features = new List<NamedCount>();
        for (var f = 0; f < KnownFeatures(addon); f++)
        {
            var basis = f == 1 ? queries : sheets * 2;
            var count = (long)Math.Round(p.FeatureUse[f] * basis * (0.8 + (0.4 * r.NextDouble())));
            if (!format1 || count > 0)
            {
                features.Add(new NamedCount(Catalog.Features[f], count));
            }
        }

        var errors = new List<NamedCount>
        {
            new("connectionFailures", Math.Max(0, (long)Math.Round((r.Normal() * 2) + p.Connections.Length - 1))),
            new("queryErrors", (long)Math.Round(queries * 0.004 * r.NextDouble())),
            new("exceptions", r.Chance(0.6) ? 0 : r.Between(1, 6)),
        };
        if (format1)
        {
            errors.RemoveAll(e => e.Count == 0);
        }

        var evaluating = p.LicenseType == "evaluation" && planned.GeneratedAt < p.InstallAt.AddDays(30);
        var licenseType = p.LicenseType == "evaluation" && !evaluating ? "commercial" : p.LicenseType;
        var installDate = DateOnly.FromDateTime(p.InstallAt.DateTime);
        var reportDate = DateOnly.FromDateTime(planned.GeneratedAt.DateTime);
        var expires = installDate.AddDays(30);
        if (!evaluating)
        {
            expires = installDate.AddYears(1);
            while (expires <= reportDate)
            {
                expires = expires.AddYears(1);
            }
        }

        return report with
        {
            Period = planned.Kind == ReportKind.Monthly
                ? new ReportPeriod(plan.FirstPeriod.AddMonths(m), plan.FirstPeriod.AddMonths(m + 1).AddDays(-1))
                : null,
            Confluence = new ConfluenceInfo
            {
                Version = Catalog.ConfluenceVersions[p.ConfluenceVersionByMonth[m]],
                Edition = format1 ? null : p.Edition,
                ClusterNodes = format1 ? null : p.ClusterNodes,
                UserCount = users,
                Database = format1 ? null : p.Database,
            },
            Addon = new AddonInfo
            {
                Version = planned.Format == 3 ? "5.0.0-beta2" : Catalog.AddonVersions[addon],
                LicenseType = licenseType,
                LicenseSen = p.LicenseSen,
                LicenseMaxUsers = format1 ? null : p.LicenseMaxUsers,
                LicenseExpiresOn = format1 ? null : expires,
            },
            Usage = new UsageInfo
            {
                ActiveUsers = active,
                Spreadsheets = sheets,
                Queries = queries,
                PagesWithMacros = format1 ? null : pages,
            },
            Connections = p.Connections.Select(c => new NamedCount(c.Type, c.Count)).ToList(),
            Features = features,
            Errors = errors,
            Contact = p.ContactEmail is null && p.ContactName is null
                ? null
                : format1
                    ? (p.ContactEmail is null ? null : new ContactInfo(p.ContactEmail, null))
                    : new ContactInfo(p.ContactEmail, p.ContactName),
        };
    }

    /// <summary>Features a build reports: 3.x and 4.0 to 4.4 know three, 4.5 adds charts and pivot, 4.8 the REST API.</summary>
    private static int KnownFeatures(int addon) => addon switch
    {
        < 13 => 3,
        < 16 => 5,
        _ => 6,
    };
}
