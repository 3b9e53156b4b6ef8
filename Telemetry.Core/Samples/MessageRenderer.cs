using System.Globalization;

using MimeKit;

using Telemetry.Core.Reports;

namespace Telemetry.Core.Samples;

/// <summary>Turns one planned message into bytes, its name and its expected outcomes.</summary>
internal sealed class MessageRenderer(CorpusPlan plan, Outcome[][] outcomes)
{
    private static readonly FormatOptions Format = CreateFormat();

    public GeneratedMessage Render(int position)
    {
        var m = plan.Messages[position];
        var r = new Random(m.RenderSeed);
        MimeMessage message;
        IReadOnlyList<ExpectedItem> expected;
        string name;
        if (m.First < 0)
        {
            message = NoiseComposer.Compose(plan, m, r);
            expected = [new ExpectedItem(Outcome.NotReport.ToWire(), null)];
            name = "noise-" + m.Noise.ToString().ToLowerInvariant();
        }
        else
        {
            var payloads = m.Second < 0 ? new[] { Payload(m.First) } : [Payload(m.First), Payload(m.Second)];
            var p = plan.Profiles[payloads[0].Planned.Instance];
            message = MailComposer.Compose(p, m, payloads, r);
            var items = new ExpectedItem[payloads.Length];
            for (var i = 0; i < payloads.Length; i++)
            {
                var outcome = outcomes[position][i];
                var keeps = outcome is Outcome.Accepted or Outcome.Duplicate or Outcome.Dropped;
                items[i] = new ExpectedItem(outcome.ToWire(), keeps ? payloads[i].Report : null);
            }

            expected = items;
            name = Name(p, payloads[0].Planned, m);
        }

        using var buffer = new MemoryStream();
        message.WriteTo(Format, buffer);
        return new GeneratedMessage(name, buffer.ToArray(), expected) { ArrivedAt = m.ArrivesAt };
    }

    private ReportPayload Payload(int index)
    {
        var planned = plan.Reports[index];
        var p = plan.Profiles[planned.Instance];
        var report = ReportFactory.Build(plan, index);
        var style = new Random(RandomExtensions.Derive(plan.Options.Seed, index, 8));
        return planned.Format == 1
            ? new ReportPayload(planned, report, null, TextReportWriter.Write(report, p, planned.Breakage, style))
            : new ReportPayload(planned, report, JsonReportWriter.Write(report, p, planned.Format, planned.Breakage, style), null);
    }

    private static string Name(InstanceProfile p, PlannedReport report, PlannedMessage m)
    {
        var when = report.Kind == ReportKind.Monthly
            ? report.GeneratedAt.AddMonths(-1).ToString("yyyy-MM", CultureInfo.InvariantCulture)
            : report.GeneratedAt.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var name = $"{(m.Second >= 0 ? "backlog" : report.Kind.ToWire())}-{p.ServerId}-{when}";
        if (report.Format == 1)
        {
            name += "-text";
        }

        if (report.Format > 2)
        {
            name += "-future";
        }

        if (report.Breakage != Breakage.None)
        {
            name += "-invalid";
        }

        foreach (var flag in new[] { MessageFlags.Late, MessageFlags.Resend, MessageFlags.Copy })
        {
            if (m.Flags.HasFlag(flag))
            {
                name += "-" + flag.ToString().ToLowerInvariant();
            }
        }

        return name;
    }

    private static FormatOptions CreateFormat()
    {
        var format = FormatOptions.Default.Clone();
        format.NewLineFormat = NewLineFormat.Unix;
        return format;
    }
}
