using MimeKit;

namespace Telemetry.Core.Samples;

/// <summary>The rest of what lands in the reporting inbox: bounces, auto-replies, people writing, spam.</summary>
internal static class NoiseComposer
{
    public static MimeMessage Compose(CorpusPlan plan, PlannedMessage m, Random r)
    {
        var domain = plan.Profiles.Count > 0 ? r.Pick(plan.Profiles).Domain : "customer.example";
        var message = m.Noise switch
        {
            NoiseKind.Bounce => Bounce(domain, m.SentAt, r),
            NoiseKind.AutoReply => AutoReply(domain, m.SentAt, r),
            NoiseKind.Human => Human(domain, m.SentAt, r),
            _ => Spam(m.SentAt, r),
        };
        MimeParts.AddReceived(message, "mx.elsewhere.example", m.ReceivedAt, r);
        return message;
    }

    private static MimeMessage Bounce(string domain, DateTimeOffset at, Random r)
    {
        var report = MimeParts.Multipart("report", r, at);
        report.ContentType.Parameters.Add("report-type", "delivery-status");
        var recipient = $"nobody{r.Between(1, 99)}@{domain}";
        report.Add(MimeParts.Text($"Delivery has failed to these recipients or groups:\n\n{recipient}\nThe email address couldn't be found.\n", MimeParts.Charset("utf-8"), ContentEncoding.SevenBit));
        report.Add(new MimePart("message", "delivery-status")
        {
            Content = new MimeContent(new MemoryStream(System.Text.Encoding.ASCII.GetBytes(
                $"Reporting-MTA: dns; mx.playsql.example\n\nFinal-Recipient: rfc822; {recipient}\nAction: failed\nStatus: 5.1.1\n"))),
        });
        return MimeParts.Message(
            new MailboxAddress("Mail Delivery System", "MAILER-DAEMON@mx.playsql.example"),
            r.Pick(["Undeliverable: Play SQL license renewal", "Delivery Status Notification (Failure)", "Mail delivery failed: returning message to sender"]),
            at,
            MimeParts.MessageId(r, at, "mx.playsql.example"),
            report);
    }

    private static MimeMessage AutoReply(string domain, DateTimeOffset at, Random r)
    {
        var (subject, text) = r.Pick<(string, string)>([
            ("Out of office", "I am away until Monday with limited access to email.\n"),
            ("Absence du bureau", "Je suis absent jusqu'au 3 et je n'ai pas accès à mes messages.\n"),
            ("Automatische Antwort: Play SQL", "Ich bin bis Montag nicht im Büro.\n"),
        ]);
        var message = MimeParts.Message(
            new MailboxAddress(string.Empty, $"it-support@{domain}"),
            subject,
            at,
            MimeParts.MessageId(r, at, domain),
            MimeParts.Text(text, MimeParts.Charset("utf-8"), ContentEncoding.Base64));
        message.Headers.Add("Auto-Submitted", "auto-replied");
        return message;
    }

    private static MimeMessage Human(string domain, DateTimeOffset at, Random r)
    {
        var text = "Hello,\n\nwe received an invoice for Play SQL but our license shows as expired in Confluence.\n"
            + "From what I see in the add-on, the reports are sent to this address: can you check?\n\n"
            + "Also, does the playsql-report.json contain any personal data?\n\nBest regards,\nOla\n";
        MimeEntity body = MimeParts.Text(text, MimeParts.Charset("utf-8"), ContentEncoding.QuotedPrintable);
        if (r.Chance(0.4))
        {
            var mixed = MimeParts.Multipart("mixed", r, at);
            mixed.Add(body);
            var config = System.Text.Encoding.UTF8.GetBytes("{\"datasource\": \"jdbc:postgresql://db/wiki\", \"pool\": 20}\n");
            mixed.Add(MimeParts.Attachment(config, "application", "json", r.Chance(0.5) ? "config.json" : "report.json", ContentEncoding.Base64));
            body = mixed;
        }

        return MimeParts.Message(
            new MailboxAddress("Ola Nordmann", $"ola.nordmann@{domain}"),
            r.Pick(["Question about our license", "Play SQL reports?", "Re: Play SQL renewal"]),
            at,
            MimeParts.MessageId(r, at, domain),
            body);
    }

    private static MimeMessage Spam(DateTimeOffset at, Random r)
    {
        var alternative = MimeParts.Multipart("alternative", r, at);
        alternative.Add(MimeParts.Text("Congratulations! You have been selected. Claim your prize now.\n", MimeParts.Charset("utf-8"), ContentEncoding.QuotedPrintable));
        alternative.Add(MimeParts.Text("<html><body><h1>Congratulations!</h1><p>Claim your <b>prize</b> now.</p></body></html>\n", MimeParts.Charset("utf-8"), ContentEncoding.QuotedPrintable, "html"));
        return MimeParts.Message(
            new MailboxAddress("Prize Desk", $"promo{r.Between(1, 999)}@deals.example"),
            r.Pick(["You have won!", "Your invoice is ready", "Boost your wiki traffic 300%"]),
            at,
            MimeParts.MessageId(r, at, "deals.example"),
            alternative);
    }
}
