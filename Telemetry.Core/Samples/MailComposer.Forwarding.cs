using MimeKit;
using MimeKit.Utils;

namespace Telemetry.Core.Samples;

/// <summary>Mail forwarded by an administrator whose Confluence cannot reach the vendor.</summary>
internal static partial class MailComposer
{
    private static MailboxAddress Admin(InstanceProfile p) =>
        p.ContactEmail is { } email
            ? new MailboxAddress(p.ContactName ?? "Wiki Admin", email)
            : new MailboxAddress("Wiki Admin", "admin@" + p.Domain);

    private static string Fwd(InstanceProfile p) => p.Language switch
    {
        "fr" => "TR: ",
        "de" => "WG: ",
        _ => "Fwd: ",
    };

    private static MimeMessage ForwardAsAttachment(InstanceProfile p, DateTimeOffset sentAt, MimeMessage original, Random r)
    {
        var mixed = MimeParts.Multipart("mixed", r, sentAt);
        mixed.Add(MimeParts.Text("Our wiki cannot send mail outside; here is the report it produced.\n", MimeParts.Charset("utf-8"), ContentEncoding.QuotedPrintable));
        mixed.Add(new MessagePart { Message = original });
        return MimeParts.Message(Admin(p), Fwd(p) + original.Subject, sentAt, MimeParts.MessageId(r, sentAt, p.Domain), mixed);
    }

    private static MimeMessage ForwardInline(InstanceProfile p, ReportPayload payload, DateTimeOffset sentAt, Random r)
    {
        var original = Original(p, payload, Shape.Standard, OriginalDate(payload), r);
        var header = $"---------- Forwarded message ---------\nFrom: {original.From}\nDate: {DateUtils.FormatDate(original.Date)}\nSubject: {original.Subject}\nTo: {MimeParts.ReportsAddress}\n\n";
        var utf8 = MimeParts.Charset("utf-8");
        MimeEntity body;
        if (payload.Text is { } block)
        {
            var quoted = string.Join('\n', CoveringText(p.Language, payload.Planned.Kind, block).TrimEnd('\n').Split('\n').Select(l => l.Length == 0 ? ">" : "> " + l));
            body = MimeParts.Text($"Hello,\n\nplease find our report below.\n\n{header}{quoted}\n", utf8, ContentEncoding.QuotedPrintable);
        }
        else
        {
            var mixed = MimeParts.Multipart("mixed", r, sentAt);
            mixed.Add(MimeParts.Text($"FYI, this did not go through from our wiki.\n\n{header}", utf8, ContentEncoding.QuotedPrintable));
            mixed.Add(MimeParts.Attachment(payload.Json!, "application", "json", "playsql-report.json", ContentEncoding.Base64));
            body = mixed;
        }

        return MimeParts.Message(Admin(p), Fwd(p) + original.Subject, sentAt, MimeParts.MessageId(r, sentAt, p.Domain), body);
    }

    /// <summary>Two reports the wiki could not send, forwarded together: attached mails, two JSON files, or two pasted blocks.</summary>
    private static MimeMessage Backlog(InstanceProfile p, PlannedMessage m, IReadOnlyList<ReportPayload> payloads, Random r)
    {
        var utf8 = MimeParts.Charset("utf-8");
        var intro = "Hello, our wiki was cut off from the internet for a while; here are the reports it could not send.\n";
        var subject = Fwd(p) + "Play SQL reports (backlog)";
        if (payloads.All(x => x.Text is not null) && r.Chance(0.5))
        {
            var pasted = intro + "\n" + string.Join("\n", payloads.Select(x => x.Text));
            return MimeParts.Message(Admin(p), subject, m.SentAt, MimeParts.MessageId(r, m.SentAt, p.Domain), MimeParts.Text(pasted, utf8, ContentEncoding.QuotedPrintable));
        }

        var mixed = MimeParts.Multipart("mixed", r, m.SentAt);
        mixed.Add(MimeParts.Text(intro, utf8, ContentEncoding.QuotedPrintable));
        var attachJson = payloads.All(x => x.Json is not null) && r.Chance(0.5);
        for (var i = 0; i < payloads.Count; i++)
        {
            var x = payloads[i];
            if (attachJson)
            {
                mixed.Add(MimeParts.Attachment(x.Json!, "application", "json", $"playsql-report-{i + 1}.json", ContentEncoding.Base64));
            }
            else
            {
                mixed.Add(new MessagePart { Message = Original(p, x, Shape.Standard, OriginalDate(x), r) });
            }
        }

        return MimeParts.Message(Admin(p), subject, m.SentAt, MimeParts.MessageId(r, m.SentAt, p.Domain), mixed);
    }
}
