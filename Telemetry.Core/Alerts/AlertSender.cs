using System.Globalization;
using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MimeKit;

namespace Telemetry.Core.Alerts;

/// <summary>
/// Delivers the digests waiting in the outbox through SMTP (MailKit), at most <see cref="AlertOptions.MaxPerHour"/>
/// emails in any rolling hour (counted from <c>sent_at</c>, so across restarts).
/// <para>
/// Waiting digests are merged before sending: all digests pending at once go out as one email (at most
/// <see cref="MaxFlagsPerEmail"/> flags each), so a flood or an outage costs a few emails and loses no flag. A digest
/// whose delivery was interrupted (<c>in_flight</c>) is never merged: it may have reached the server, so it is sent
/// again alone, with the same Message-ID, which lets a reader (or a server) recognise the copy.
/// </para>
/// <para>
/// A failed attempt is recorded (attempts, last error) and retried after a back-off (1 minute, doubling, at most
/// 2 hours); after <see cref="AlertOutbox.MaxAttempts"/> the digest is marked failed and <see cref="AlertOutbox.Status"/>
/// reports it. One sender per database: two running at once could send the same digest twice.
/// </para>
/// </summary>
public sealed partial class AlertSender(AlertOptions options, TimeProvider time, ILogger? logger = null)
{
    /// <summary>The most flags one merged email lists (a single digest larger than that is sent as it is).</summary>
    public const int MaxFlagsPerEmail = 250;

    private static readonly TimeSpan FirstRetry = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan LongestRetry = TimeSpan.FromHours(2);

    private readonly ILogger logger = logger ?? NullLogger.Instance;

    /// <summary>
    /// Merges what waits, then sends what is due and allowed. Call it after each evaluation and from time to time
    /// (the service's cycle); never inside a transaction of <paramref name="connection"/>: each outcome is committed
    /// on its own. Does nothing while <see cref="AlertOptions.Enabled"/> is false.
    /// </summary>
    public AlertSendResult SendPending(SqliteConnection connection, CancellationToken cancellationToken = default)
    {
        if (!options.Enabled)
        {
            return new AlertSendResult(0, 0, 0, CountPending(connection), null);
        }

        var now = time.GetUtcNow();
        var merged = Merge(connection);
        var allowance = options.MaxPerHour - SentSince(connection, now - TimeSpan.FromHours(1));
        if (allowance <= 0)
        {
            var waiting = CountPending(connection);
            if (waiting > 0)
            {
                Log.RateLimited(logger, waiting, options.MaxPerHour);
            }

            return new AlertSendResult(0, 0, merged, waiting, null);
        }

        var due = Due(connection, now, allowance);
        if (due.Count == 0)
        {
            return new AlertSendResult(0, 0, merged, CountPending(connection), null);
        }

        int sent = 0, failed = 0;
        string? lastError = null;
        using var smtp = new SmtpClient
        {
            Timeout = 60_000,
            ServerCertificateValidationCallback = (_, certificate, _, errors) => SmtpCertificate.Validate(options.Smtp.CertificateThumbprint, certificate, errors),
        };
        try
        {
            Connect(smtp, cancellationToken);
        }
        catch (Exception e) when (IsDeliveryFailure(e))
        {
            lastError = Describe(e);
            foreach (var row in due)
            {
                RecordFailure(connection, row, row.Attempts + 1, lastError);
            }

            return new AlertSendResult(0, due.Count, merged, CountPending(connection), lastError);
        }

        foreach (var row in due)
        {
            var attempt = row.Attempts + 1;
            if (row.InFlight)
            {
                Log.Resending(logger, row.Id);
            }

            MarkInFlight(connection, row.Id, attempt, time.GetUtcNow());
            using var message = Compose(row);
            try
            {
                smtp.Send(message, cancellationToken);
            }
            catch (Exception e) when (IsDeliveryFailure(e))
            {
                lastError = Describe(e);
                RecordFailure(connection, row, attempt, lastError);
                failed++;
                if (!smtp.IsConnected)
                {
                    break;
                }

                continue;
            }

            // The server has accepted the message. A crash between here and the commit of MarkSent is the only way
            // a digest goes out twice: in_flight stays 1, and it is sent again with the same Message-ID. Nothing
            // else happens in between.
            MarkSent(connection, row.Id, time.GetUtcNow());
            sent++;
            Log.DigestSent(logger, row.Id, row.FlagCount);
        }

        try
        {
            smtp.Disconnect(true, cancellationToken);
        }
        catch (Exception e) when (IsDeliveryFailure(e))
        {
            // Everything accepted was recorded already; a failed QUIT changes nothing.
        }

        return new AlertSendResult(sent, failed, merged, CountPending(connection), lastError);
    }

    /// <summary>
    /// The email of an outbox row. Headers hold only configured addresses, the subject (a count) and values derived
    /// from the row id; report values live in the bodies only.
    /// </summary>
    internal MimeMessage Compose(OutboxRow row)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(options.From!));
        foreach (var to in options.To)
        {
            message.To.Add(MailboxAddress.Parse(to));
        }

        message.Subject = row.Subject;
        message.Date = time.GetUtcNow();
        message.MessageId = MessageIdOf(row.Id, row.CreatedAt, options.From!);
        message.Headers.Add("Auto-Submitted", "auto-generated");
        message.Headers.Add("X-Auto-Response-Suppress", "All");
        var body = new BodyBuilder { TextBody = row.TextBody, HtmlBody = row.HtmlBody };
        message.Body = body.ToMessageBody();
        return message;
    }

    /// <summary>A Message-ID from the outbox id and its creation time: a re-sent digest carries the same one.</summary>
    internal static string MessageIdOf(long id, DateTimeOffset createdAt, string from)
    {
        var domain = from[(from.LastIndexOf('@') + 1)..].Trim();
        return string.Create(CultureInfo.InvariantCulture, $"telemetry-alert-{id}-{createdAt.UtcDateTime:yyyyMMddHHmmssfff}@{domain}");
    }

    internal static TimeSpan Backoff(int attempts)
    {
        var minutes = FirstRetry.TotalMinutes * Math.Pow(2, Math.Max(0, attempts - 1));
        return minutes >= LongestRetry.TotalMinutes ? LongestRetry : TimeSpan.FromMinutes(minutes);
    }

    private static bool IsDeliveryFailure(Exception e) =>
        e is IOException or SocketException or TimeoutException or UnauthorizedAccessException
            or SmtpCommandException or SmtpProtocolException or ServiceNotConnectedException
            or MailKit.Security.AuthenticationException or System.Security.Authentication.AuthenticationException
            or SslHandshakeException or SaslException or NotSupportedException;

    private static string Describe(Exception e)
    {
        var text = $"{e.GetType().Name}: {e.Message}";
        return text.Length <= 500 ? text : text[..500];
    }

    private void Connect(SmtpClient smtp, CancellationToken cancellationToken)
    {
        var s = options.Smtp;
        smtp.Connect(s.Host!, s.EffectivePort, s.Security switch
        {
            SmtpSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
            SmtpSecurity.StartTls => SecureSocketOptions.StartTls,
            _ => SecureSocketOptions.None,
        }, cancellationToken);
        if (!string.IsNullOrEmpty(s.Username))
        {
            smtp.Authenticate(s.Username, Password(s), cancellationToken);
        }
    }

    private static string Password(SmtpOptions s)
    {
        if (!string.IsNullOrEmpty(s.Password))
        {
            return s.Password;
        }

        return File.ReadLines(s.PasswordFile!).FirstOrDefault()?.TrimEnd('\r', '\n')
            ?? throw new IOException($"The password file (Telemetry:Alerts:Smtp:PasswordFile) is empty.");
    }

    private void RecordFailure(SqliteConnection connection, OutboxRow row, int attempt, string error)
    {
        var gaveUp = attempt >= AlertOutbox.MaxAttempts;
        MarkFailed(connection, row.Id, attempt, time.GetUtcNow(), error, gaveUp, row.InFlight);
        if (gaveUp)
        {
            Log.DigestGaveUp(logger, row.Id, attempt, error);
        }
        else
        {
            Log.DigestFailed(logger, row.Id, attempt, error);
        }
    }
}

/// <summary>What one <see cref="AlertSender.SendPending"/> did: emails sent and failed, digests merged, digests still waiting.</summary>
public sealed record AlertSendResult(int Sent, int Failed, int Merged, long Waiting, string? LastError);
