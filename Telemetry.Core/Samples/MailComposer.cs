using MimeKit;

using Telemetry.Core.Reports;

namespace Telemetry.Core.Samples;

/// <summary>
/// Puts reports into mail the way Confluence and the people around it do: JSON attachments in their various
/// encodings, text blocks in old charsets, forwards inline and as attachments, and backlogs of two reports.
/// </summary>
internal static partial class MailComposer
{
    private enum Shape
    {
        Standard,
        QuotedPrintable,
        OctetStream,
        SevenBit,
        Gzip,
        Base64Text,
        Alternative,
        ForwardedInline,
        ForwardedAttachment,
    }

    public static MimeMessage Compose(InstanceProfile p, PlannedMessage m, IReadOnlyList<ReportPayload> payloads, Random r)
    {
        MimeMessage message;
        if (payloads.Count > 1)
        {
            message = Backlog(p, m, payloads, r);
        }
        else
        {
            var payload = payloads[0];
            var shape = payload.Text is not null
                ? r.Weighted<Shape>([
                    (Shape.Standard, 55), (Shape.Base64Text, 10), (Shape.Alternative, 10),
                    (Shape.ForwardedInline, 15), (Shape.ForwardedAttachment, 10)])
                : r.Weighted<Shape>([
                    (Shape.Standard, 55), (Shape.QuotedPrintable, 10), (Shape.OctetStream, 8), (Shape.SevenBit, 5),
                    (Shape.Gzip, 7), (Shape.ForwardedInline, 5), (Shape.ForwardedAttachment, 10)]);
            if (m.Flags.HasFlag(MessageFlags.Resend) && r.Chance(0.5))
            {
                shape = Shape.ForwardedAttachment;
            }

            message = shape switch
            {
                Shape.ForwardedAttachment => ForwardAsAttachment(p, m.SentAt, Original(p, payload, Shape.Standard, OriginalDate(payload), r), r),
                Shape.ForwardedInline => ForwardInline(p, payload, m.SentAt, r),
                _ => Original(p, payload, shape, m.SentAt, r),
            };
        }

        if (p.ExternalTag)
        {
            message.Subject = "[EXTERNAL] " + message.Subject;
        }

        MimeParts.AddReceived(message, "mail." + p.Domain, m.ReceivedAt, r);
        return message;
    }

    /// <summary>When the add-on mailed a report that someone forwards later: seconds after generating it, before any forward.</summary>
    private static DateTimeOffset OriginalDate(ReportPayload payload) => payload.Planned.GeneratedAt.AddSeconds(3);

    /// <summary>The mail as the add-on sends it.</summary>
    private static MimeMessage Original(InstanceProfile p, ReportPayload payload, Shape shape, DateTimeOffset sentAt, Random r)
    {
        var date = sentAt.ToOffset(payload.Planned.GeneratedAt.Offset);
        var body = payload.Text is { } text
            ? TextBody(p, payload.Planned.Kind, text, shape, date, r)
            : JsonBody(p, payload, shape, date, r);
        var message = MimeParts.Message(
            new MailboxAddress("Confluence", "confluence@" + p.Domain),
            Subject(p, payload.Planned),
            date,
            MimeParts.MessageId(r, date, "mail." + p.Domain),
            body);
        if (r.Chance(0.5))
        {
            message.Headers.Add("Auto-Submitted", "auto-generated");
        }

        return message;
    }

    private static string Subject(InstanceProfile p, PlannedReport report)
    {
        if (report.Format == 1)
        {
            return p.Language switch
            {
                "fr" => "Rapport d'utilisation Play SQL",
                "de" => "Automatic message",
                _ => "Play SQL usage report",
            };
        }

        var kind = report.Kind.ToWire();
        return $"[Play SQL] {char.ToUpperInvariant(kind[0])}{kind[1..]} usage report for {p.ServerId}";
    }

    private static Multipart JsonBody(InstanceProfile p, ReportPayload payload, Shape shape, DateTimeOffset date, Random r)
    {
        var kind = payload.Planned.Kind.ToWire();
        var cover = MimeParts.Text(
            $"This is the {kind} usage report of Play SQL Spreadsheets for the Confluence\ninstance {p.ServerId}. You can turn these reports off in the add-on's\nadministration page. Thank you for using Play SQL!\n",
            MimeParts.Charset("utf-8"),
            ContentEncoding.Base64);
        var json = payload.Json!;
        var fileName = r.Weighted<string>([("playsql-report.json", 85), ("playsql-report-2.json", 10), ("playsql-report (1).json", 5)]);
        var attachment = shape switch
        {
            Shape.QuotedPrintable => MimeParts.Attachment(json, "application", "json", fileName, ContentEncoding.QuotedPrintable),
            Shape.OctetStream => MimeParts.Attachment(json, "application", "octet-stream", fileName, ContentEncoding.Base64),
            Shape.SevenBit when MimeParts.Is7BitSafe(json) => MimeParts.Attachment(json, "application", "json", fileName, ContentEncoding.SevenBit),
            Shape.Gzip => MimeParts.Attachment(MimeParts.Gzip(json), "application", "gzip", "playsql-report.json.gz", ContentEncoding.Base64),
            _ => MimeParts.Attachment(json, "application", "json", fileName, ContentEncoding.Base64),
        };
        var mixed = MimeParts.Multipart("mixed", r, date);
        mixed.Add(cover);
        mixed.Add(attachment);
        return mixed;
    }

    private static MimeEntity TextBody(InstanceProfile p, ReportKind kind, string block, Shape shape, DateTimeOffset date, Random r)
    {
        var text = CoveringText(p.Language, kind, block);
        var charset = MimeParts.Charset(p.Charset);
        if (shape == Shape.Base64Text)
        {
            return MimeParts.Text(text, charset, ContentEncoding.Base64);
        }

        var plain = MimeParts.Text(text, charset, ContentEncoding.QuotedPrintable);
        if (shape != Shape.Alternative)
        {
            return plain;
        }

        var html = $"<html><body><p>Play SQL</p><pre>{System.Net.WebUtility.HtmlEncode(block)}</pre></body></html>\n";
        var alternative = MimeParts.Multipart("alternative", r, date);
        alternative.Add(plain);
        alternative.Add(MimeParts.Text(html, charset, ContentEncoding.QuotedPrintable, "html"));
        return alternative;
    }

    private static string CoveringText(string language, ReportKind kind, string block)
    {
        var install = kind == ReportKind.Install;
        return language switch
        {
            "fr" => $"Bonjour,\n\nVoici le rapport d'utilisation {(install ? "d'installation" : "mensuel")} de Play SQL.\n\n{block}\n-- \nEnvoyé automatiquement par Confluence\n",
            "de" => $"Guten Tag,\n\nhier ist der {(install ? "Installationsbericht" : "monatliche Nutzungsbericht")} von Play SQL.\n\n{block}\n-- \nAutomatisch gesendet von Confluence. Grüße!\n",
            _ => $"Hello,\n\nHere is the {(install ? "installation" : "monthly usage")} report of Play SQL.\n\n{block}\n-- \nSent automatically by Confluence\n",
        };
    }
}
