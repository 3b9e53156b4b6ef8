using System.Text.Json;
using System.Text.Json.Serialization;
using Dapper;
using Microsoft.Data.Sqlite;
using Telemetry.Core.Health;
using Telemetry.Core.Storage;

namespace Telemetry.Core.Alerts;

/// <summary>
/// The transactional outbox of alert emails (table <c>alert_outbox</c>): <see cref="Enqueue"/> writes one digest in the
/// caller's transaction, the one that stores the flags, so a digest exists exactly when its flags do;
/// <see cref="AlertSender"/> delivers it later.
/// </summary>
public sealed class AlertOutbox(TimeProvider time, Func<string, string>? advice = null)
{
    /// <summary>A digest that failed this many times is marked failed and shown by <see cref="Status"/>.</summary>
    public const int MaxAttempts = 10;

    internal static readonly JsonSerializerOptions Json = new() { Converters = { new JsonStringEnumConverter() } };

    private readonly Func<string, string> advice = advice ?? AlertAdvice.Default;

    /// <summary>
    /// Writes one digest listing <paramref name="newFlags"/> in <paramref name="transaction"/>; returns its id, or null
    /// when there is no flag (nothing written). The caller commits, or rolls back flags and digest together.
    /// </summary>
    public long? Enqueue(IReadOnlyList<HealthFlag> newFlags, SqliteConnection connection, SqliteTransaction transaction)
    {
        if (newFlags.Count == 0)
        {
            return null;
        }

        return Insert(connection, transaction, [.. newFlags.Select(f => AlertEntry.From(f, advice))], time.GetUtcNow(), attempts: 0, lastAttemptAt: null, lastError: null);
    }

    /// <summary>What <c>telemetry status</c> shows: digests waiting, the last one sent, and those that gave up.</summary>
    public static AlertOutboxStatus Status(SqliteConnection connection)
    {
        var pending = connection.ExecuteScalar<long>("SELECT count(*) FROM alert_outbox WHERE status = 'pending'");
        var lastSent = connection.ExecuteScalar<string?>("SELECT max(sent_at) FROM alert_outbox WHERE status = 'sent'");
        var failed = connection.Query<(long Id, string CreatedAt, string FlagIds, long Attempts, string? LastError)>(
            """
            SELECT id, created_at, flag_ids, attempts, last_error FROM alert_outbox
            WHERE status = 'failed' ORDER BY created_at, id
            """).Select(r => new FailedDigest(r.Id, SqlTypeHandlers.FromSql(r.CreatedAt), JsonSerializer.Deserialize<long[]>(r.FlagIds)!.Length, (int)r.Attempts, r.LastError)).ToList();
        return new AlertOutboxStatus(pending, lastSent is null ? null : SqlTypeHandlers.FromSql(lastSent), failed);
    }

    /// <summary>Puts failed digests back in the queue (after the SMTP settings were fixed); returns how many.</summary>
    public static int RetryFailed(SqliteConnection connection) =>
        connection.Execute("UPDATE alert_outbox SET status = 'pending', attempts = 0 WHERE status = 'failed'");

    internal static long Insert(SqliteConnection connection, SqliteTransaction transaction, IReadOnlyList<AlertEntry> entries, DateTimeOffset createdAt, int attempts, DateTimeOffset? lastAttemptAt, string? lastError) =>
        connection.ExecuteScalar<long>(
            """
            INSERT INTO alert_outbox (created_at, flag_ids, entries, subject, text_body, html_body, attempts, last_attempt_at, last_error)
            VALUES (@CreatedAt, @FlagIds, @Entries, @Subject, @Text, @Html, @attempts, @LastAttemptAt, @lastError)
            RETURNING id
            """,
            new
            {
                CreatedAt = SqlTypeHandlers.ToSql(createdAt),
                FlagIds = JsonSerializer.Serialize(entries.Select(e => e.FlagId)),
                Entries = JsonSerializer.Serialize(entries, Json),
                Subject = DigestComposer.Subject(entries),
                Text = DigestComposer.Text(entries),
                Html = DigestComposer.Html(entries),
                attempts,
                LastAttemptAt = SqlTypeHandlers.ToSql(lastAttemptAt),
                lastError,
            },
            transaction);
}

/// <summary>The state of the alert outbox.</summary>
public sealed record AlertOutboxStatus(long Pending, DateTimeOffset? LastSentAt, IReadOnlyList<FailedDigest> Failed);

/// <summary>A digest that gave up after <see cref="AlertOutbox.MaxAttempts"/> attempts.</summary>
public sealed record FailedDigest(long Id, DateTimeOffset CreatedAt, int Flags, int Attempts, string? LastError);
