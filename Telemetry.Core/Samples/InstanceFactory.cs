namespace Telemetry.Core.Samples;

/// <summary>Draws the profile of one instance from its own random stream, so instances do not depend on each other.</summary>
internal static class InstanceFactory
{
    public static InstanceProfile Create(int index, string serverId, CorpusOptions options, DateOnly firstPeriod, Random r)
    {
        var months = options.Months;
        var installMonth = r.Chance(0.45) ? 0 : r.Next(months);
        var zone = r.Pick(Catalog.Zones);
        var company = Catalog.Companies[index % Catalog.Companies.Length];
        var slug = index < Catalog.Companies.Length ? company : $"{company}{index / Catalog.Companies.Length}";
        var domain = slug + ".customer.example";

        var lastPeriod = months - 1;
        if (installMonth <= months - 2 && r.Chance(options.UninstallRate))
        {
            lastPeriod = r.Between(installMonth - 1, months - 2);
        }

        var startsOnFormat1 = r.Chance(options.Format1Share);
        var addon = new int[months];
        var confluence = new int[months];
        var a = startsOnFormat1
            ? r.Between(0, Catalog.FirstFormat2Addon - 1)
            : r.Between(Catalog.FirstFormat2Addon, Catalog.AddonVersions.Length - 1);
        var c = startsOnFormat1 ? r.Between(0, 7) : r.Between(3, Catalog.ConfluenceVersions.Length - 1);
        for (var m = 0; m < months; m++)
        {
            if (m > installMonth)
            {
                if (Catalog.IsFormat1(a) && r.Chance(0.03))
                {
                    a = r.Between(Catalog.FirstFormat2Addon + 2, Catalog.AddonVersions.Length - 1);
                }
                else if (r.Chance(0.12))
                {
                    var top = Catalog.IsFormat1(a) ? Catalog.FirstFormat2Addon - 1 : Catalog.AddonVersions.Length - 1;
                    a = Math.Min(top, a + r.Between(1, 3));
                }

                if (r.Chance(0.06))
                {
                    c = Math.Min(Catalog.ConfluenceVersions.Length - 1, c + r.Between(1, 2));
                }
            }

            addon[m] = a;
            confluence[m] = c;
        }

        var users = Math.Clamp(Math.Exp(Math.Log(250) + (1.3 * r.Normal())), 5, 20000);
        var datacenter = (users > 1500 && r.Chance(0.6)) || r.Chance(0.03);
        var licenseType = users <= 10 && r.Chance(0.7) ? "starter" : r.Weighted(Catalog.LicenseTypes);
        int? maxUsers = null;
        foreach (var tier in Catalog.LicenseTiers)
        {
            if (tier >= users * 1.1)
            {
                maxUsers = tier;
                break;
            }
        }

        var features = new double[Catalog.Features.Length];
        for (var f = 0; f < features.Length; f++)
        {
            features[f] = f < 2 || r.Chance(0.6) ? r.NextDouble() : 0;
        }

        var connectionTypes = Catalog.ConnectionTypes.OrderBy(_ => r.Next()).Take(r.Between(0, 3)).ToArray();
        var connections = connectionTypes.Select(t => (t, r.Between(1, 5))).ToArray();

        string? email = null;
        string? name = null;
        if (r.Chance(0.3))
        {
            var person = r.Pick(Catalog.People);
            email = r.Chance(0.4) ? $"wiki-admin@{domain}" : $"{person.Login}@{domain}";
            name = r.Chance(0.6) ? person.Name : null;
        }

        var installDay = firstPeriod.AddMonths(installMonth);
        installDay = installDay.AddDays(r.Next(DateTime.DaysInMonth(installDay.Year, installDay.Month)));
        var installAt = InstanceProfile.Local(zone, installDay, new TimeOnly(r.Between(8, 18), r.Next(60), r.Next(60)));
        DateTimeOffset MonthlyAt(int period) => InstanceProfile.Local(zone, firstPeriod.AddMonths(period + 1), new TimeOnly(2, 0));

        DateTimeOffset? optOut = null;
        DateTimeOffset? optIn = null;
        var stray = -1;
        var optShare = Math.Min(1, options.OptOutRate / Math.Max(0.05, 1 - options.Format1Share));
        if (!Catalog.IsFormat1(addon[installMonth]) && r.Chance(optShare))
        {
            var from = installAt.AddDays(2);
            var to = lastPeriod >= installMonth ? MonthlyAt(lastPeriod) : installAt.AddDays(25);
            if (to - from > TimeSpan.FromDays(3))
            {
                optOut = OptInstant(zone, from + ((to - from) * r.NextDouble()), r);
                if (r.Chance(0.5))
                {
                    var back = OptInstant(zone, optOut.Value.AddDays(r.Between(15, 120)), r);
                    optIn = back < MonthlyAt(months - 1).AddDays(20) ? back : null;
                }

                var silenced = Enumerable.Range(installMonth, lastPeriod - installMonth + 1)
                    .Where(p => MonthlyAt(p) >= optOut && (optIn is null || MonthlyAt(p) < optIn))
                    .ToArray();
                if (silenced.Length > 0 && r.Chance(0.3))
                {
                    stray = r.Pick(silenced);
                }
            }
        }

        (string, string, string, string)? environment = r.Chance(0.4)
            ? (r.Pick(Catalog.JavaVersions), r.Pick(Catalog.OperatingSystems),
                r.Chance(0.5) ? $"wiki.{slug}.internal" : $"confluence-prod-{r.Between(1, 4):D2}",
                r.Chance(0.7) ? $"10.{r.Next(256)}.{r.Next(256)}.{r.Between(1, 254)}" : $"192.168.{r.Next(256)}.{r.Between(1, 254)}")
            : null;

        return new InstanceProfile
        {
            Index = index,
            ServerId = serverId,
            Domain = domain,
            Company = company,
            Zone = zone,
            WritesZ = r.Chance(0.5),
            InstallMonth = installMonth,
            InstallAt = installAt,
            LastPeriod = lastPeriod,
            ConfluenceVersionByMonth = confluence,
            AddonVersionByMonth = addon,
            Edition = datacenter ? "datacenter" : "server",
            ClusterNodes = datacenter ? r.Between(2, 4) : 1,
            Database = r.Weighted(Catalog.Databases),
            BaseUsers = users,
            Growth = (r.NextDouble() * 0.04) - 0.01,
            ActiveShare = 0.02 + (r.NextDouble() * 0.38),
            SheetsPerMonth = 1 + (r.NextDouble() * Math.Sqrt(users) * 2),
            QueriesPerActiveUser = 5 + (r.NextDouble() * 300),
            FeatureUse = features,
            Connections = connections,
            LicenseType = licenseType,
            LicenseSen = $"SEN-L{r.Between(1_000_000, 99_999_999):D8}",
            LicenseMaxUsers = maxUsers,
            ContactEmail = email,
            ContactName = name,
            Environment = environment,
            ExternalTag = r.Chance(0.25),
            Charset = r.Weighted<string>([("iso-8859-1", 40), ("windows-1252", 30), ("utf-8", 30)]),
            Language = r.Weighted<string>([("en", 60), ("fr", 25), ("de", 15)]),
            OptOutAt = optOut,
            OptInAt = optIn,
            StrayPeriod = stray,
        };
    }

    /// <summary>
    /// An administrator's click: office hours, never on the 1st or 2nd of a month, so that no notice falls within
    /// a day of a monthly report (the fate of such a report would depend on the order of arrival).
    /// </summary>
    private static DateTimeOffset OptInstant((TimeSpan Standard, TimeSpan Summer, bool Southern) zone, DateTimeOffset around, Random r)
    {
        var local = around.ToOffset(InstanceProfile.OffsetOn(zone, DateOnly.FromDateTime(around.UtcDateTime)));
        var date = DateOnly.FromDateTime(local.DateTime);
        if (date.Day <= 2)
        {
            date = new DateOnly(date.Year, date.Month, 3);
        }

        return InstanceProfile.Local(zone, date, new TimeOnly(r.Between(9, 17), r.Next(60), r.Next(60)));
    }
}
