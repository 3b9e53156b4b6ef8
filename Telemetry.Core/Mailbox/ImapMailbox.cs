using System.Globalization;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using MailKit.Security;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using Telemetry.Core.Configuration;

namespace Telemetry.Core.Mailbox;

/// <summary>
/// The reports mailbox over IMAP (Gmail today), with MailKit. Messages are keyed by (UIDVALIDITY, UID) and read
/// in batched UID FETCH; filing uses UID MOVE, or UID COPY + UID EXPUNGE of exactly those messages (UIDPLUS), never
/// a mailbox-wide EXPUNGE. Short steps (connect, authenticate, fetch a batch, move a batch) are retried with
/// exponential back-off and jitter; a broken connection is dropped and opened again on the next step.
/// TLS is validated against the system's trust store, or against a pinned SHA-256 thumbprint.
/// </summary>
public sealed class ImapMailbox : IMailbox, IDisposable
{
    private const int BatchCount = 500;
    private const long BatchBytes = 32L * 1024 * 1024;

    private readonly ImapOptions options;
    private readonly MailboxFolders folders;
    private readonly IImapAuthenticator authenticator;
    private readonly TimeSpan idleRefresh;
    private readonly ILogger logger;
    private readonly ResiliencePipeline retry;
    private ImapClient? client;

    /// <summary>
    /// One IMAP command sequence at a time: ingestion fetches the next batch on another thread while the committed one
    /// is filed.
    /// </summary>
    private readonly Lock gate = new();

    public ImapMailbox(ImapOptions options, MailboxFolders folders, IImapAuthenticator authenticator, TimeSpan idleRefresh, ILogger logger)
    {
        this.options = options;
        this.folders = folders;
        this.authenticator = authenticator;
        this.idleRefresh = idleRefresh;
        this.logger = logger;
        retry = new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder()
                    .Handle<IOException>()
                    .Handle<SocketException>()
                    .Handle<ImapProtocolException>()
                    .Handle<ServiceNotConnectedException>()
                    .Handle<TimeoutException>(),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromSeconds(1),
                MaxRetryAttempts = 3,
                OnRetry = args =>
                {
                    Drop();
                    Log.ImapRetry(logger, args.AttemptNumber + 1, args.Outcome.Exception?.GetType().Name ?? "error", args.RetryDelay);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
    }

    public string Description => $"imap://{options.Username}@{options.Host}:{options.EffectivePort}/{options.Folder}";

    /// <summary>The server's capabilities once connected (for logs and tests).</summary>
    public ImapCapabilities Capabilities => Connected().Capabilities;

    /// <summary>True: each fetch and each filing takes the connection in turn.</summary>
    public bool ReadsAheadWhileFiling => true;

    public int CountPending(CancellationToken cancellationToken)
    {
        lock (gate)
        {
            return retry.Execute(ct => Inbox(ct, fresh: true).Count, cancellationToken);
        }
    }

    public IEnumerable<RawMessage> Pending(long maxMessageBytes, CancellationToken cancellationToken)
    {
        var (validity, uids, sizes) = Locked(() => retry.Execute(
            ct =>
            {
                var inbox = Inbox(ct, fresh: true);
                // Messages only flagged \Deleted (a server without UIDPLUS) were filed already.
                var all = inbox.Search(SearchQuery.NotDeleted, ct).OrderBy(u => u.Id).ToList();
                var summaries = all.Count == 0
                    ? []
                    : inbox.Fetch(all, new FetchRequest(MessageSummaryItems.UniqueId | MessageSummaryItems.Size), ct);
                return (inbox.UidValidity, all, summaries.ToDictionary(s => s.UniqueId, s => (long)(s.Size ?? 0)));
            },
            cancellationToken));

        foreach (var batch in Batches(uids, sizes, maxMessageBytes))
        {
            cancellationToken.ThrowIfCancellationRequested();
            foreach (var message in Locked(() => FetchBatch(validity, batch, sizes, maxMessageBytes, cancellationToken)))
            {
                yield return message;
            }
        }
    }

    public void File(IReadOnlyList<(string Key, MailboxFolder Folder)> messages, CancellationToken cancellationToken)
    {
        if (messages.Count == 0)
        {
            return;
        }

        using var held = gate.EnterScope();
        retry.Execute(
            ct =>
            {
                var inbox = Inbox(ct, fresh: true);
                var current = inbox.UidValidity;
                foreach (var group in messages.GroupBy(m => m.Folder))
                {
                    // A UIDVALIDITY change means these UIDs name other messages now: leave them for the rescan.
                    var uids = group.Select(m => ParseKey(m.Key)).Where(k => k.Validity == current).Select(k => new UniqueId(k.Validity, k.Uid)).ToList();
                    if (uids.Count == 0)
                    {
                        continue;
                    }

                    if (group.Key == MailboxFolder.Delete)
                    {
                        Delete(inbox, uids, ct);
                    }
                    else
                    {
                        Move(inbox, uids, Folder(folders.NameOf(group.Key), create: true, ct), ct);
                    }
                }
            },
            cancellationToken);
    }

    public int DeleteProcessedBefore(DateTimeOffset cutoff, CancellationToken cancellationToken) => Locked(() =>
        retry.Execute(
            ct =>
            {
                var processed = FolderOrNull(folders.Processed, create: false, ct);
                if (processed is null)
                {
                    return 0;
                }

                processed.Open(FolderAccess.ReadWrite, ct);
                // IMAP keeps no filing date: the arrival date (INTERNALDATE) stands for it.
                var old = processed.Search(SearchQuery.DeliveredBefore(cutoff.UtcDateTime.Date), ct);
                if (old.Count > 0)
                {
                    Delete((ImapFolder)processed, old, ct);
                }

                return old.Count;
            },
            cancellationToken));

    /// <summary>
    /// Waits with IDLE (re-issued every <c>IdleRefresh</c>, as Gmail drops idle connections after about 10 minutes)
    /// until the inbox changes or <paramref name="timeout"/> passes; without IDLE, simply waits (polling).
    /// </summary>
    public async Task<bool> WaitForNewMailAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        var imap = Connected(cancellationToken);
        var inbox = Inbox(cancellationToken);
        if (!imap.Capabilities.HasFlag(ImapCapabilities.Idle))
        {
            await Task.Delay(timeout, cancellationToken).ConfigureAwait(false);
            return false;
        }

        var arrived = false;
        CancellationTokenSource? done = null;
        void OnChange(object? sender, EventArgs e)
        {
            arrived = true;
            done?.Cancel();
        }

        inbox.CountChanged += OnChange;
        try
        {
            // One IDLE per slice: ending it and issuing a new one keeps the connection alive where the server
            // (Gmail) drops connections idle for about 10 minutes.
            while (!arrived && DateTime.UtcNow < deadline)
            {
                var slice = TimeSpan.FromTicks(Math.Min((deadline - DateTime.UtcNow).Ticks, idleRefresh.Ticks));
                using (done = new CancellationTokenSource(slice))
                {
                    await imap.IdleAsync(done.Token, cancellationToken).ConfigureAwait(false);
                }

                done = null;
            }
        }
        catch (Exception e) when (e is IOException or ImapProtocolException or SocketException)
        {
            Drop();
            throw;
        }
        finally
        {
            inbox.CountChanged -= OnChange;
        }

        return arrived;
    }

    public void Dispose()
    {
        lock (gate)
        {
            Drop();
        }
    }

    private T Locked<T>(Func<T> action)
    {
        lock (gate)
        {
            return action();
        }
    }

    /// <summary>Messages are keyed "imap:UIDVALIDITY:UID".</summary>
    public static string Key(uint validity, uint uid) => string.Create(CultureInfo.InvariantCulture, $"imap:{validity}:{uid}");

    private static (uint Validity, uint Uid) ParseKey(string key)
    {
        var parts = key.Split(':');
        return (uint.Parse(parts[1], CultureInfo.InvariantCulture), uint.Parse(parts[2], CultureInfo.InvariantCulture));
    }

    private static IEnumerable<List<UniqueId>> Batches(List<UniqueId> uids, Dictionary<UniqueId, long> sizes, long maxMessageBytes)
    {
        var batch = new List<UniqueId>();
        long bytes = 0;
        foreach (var uid in uids)
        {
            var size = Math.Min(sizes.GetValueOrDefault(uid), maxMessageBytes);
            if (batch.Count > 0 && (batch.Count >= BatchCount || bytes + size > BatchBytes))
            {
                yield return batch;
                batch = [];
                bytes = 0;
            }

            batch.Add(uid);
            bytes += size;
        }

        if (batch.Count > 0)
        {
            yield return batch;
        }
    }

    private List<RawMessage> FetchBatch(uint validity, List<UniqueId> batch, Dictionary<UniqueId, long> sizes, long maxMessageBytes, CancellationToken cancellationToken)
    {
        // Over-size messages are not downloaded: their identity is their place and size, which is all they are recorded by.
        var large = batch.Where(u => sizes.GetValueOrDefault(u) > maxMessageBytes).ToHashSet();
        var result = new Dictionary<UniqueId, RawMessage>();
        foreach (var uid in large)
        {
            var size = sizes[uid];
            var hash = SHA256.HashData(System.Text.Encoding.ASCII.GetBytes($"imap-oversize:{validity}:{uid.Id}:{size}"));
            result[uid] = new RawMessage(Key(validity, uid.Id), null, size, hash);
        }

        var small = batch.Where(u => !large.Contains(u)).ToList();
        if (small.Count > 0)
        {
            retry.Execute(
                ct =>
                {
                    var inbox = (ImapFolder)Inbox(ct);
                    inbox.GetStreams(small, (_, _, uid, stream) =>
                    {
                        using var memory = new MemoryStream();
                        stream.CopyTo(memory);
                        var content = memory.ToArray();
                        result[uid] = new RawMessage(Key(validity, uid.Id), content, content.Length, MessageHasher.Hash(content));
                    }, ct);
                },
                cancellationToken);
        }

        return batch.Where(result.ContainsKey).Select(u => result[u]).ToList();
    }

    private void Move(IMailFolder inbox, IList<UniqueId> uids, IMailFolder destination, CancellationToken cancellationToken)
    {
        var imap = Connected(cancellationToken);
        if (imap.Capabilities.HasFlag(ImapCapabilities.Move))
        {
            inbox.MoveTo(uids, destination, cancellationToken);
            return;
        }

        // No MOVE: copy, then remove exactly these messages once the copy succeeded.
        inbox.CopyTo(uids, destination, cancellationToken);
        Delete(inbox, uids, cancellationToken);
    }

    /// <summary>
    /// Removes messages: to the Trash when the server has one (on Gmail, removing from INBOX only drops a label),
    /// otherwise \Deleted then UID EXPUNGE of exactly these messages (UIDPLUS). Without UIDPLUS they are only flagged,
    /// never expunged mailbox-wide.
    /// </summary>
    private void Delete(IMailFolder folder, IList<UniqueId> uids, CancellationToken cancellationToken)
    {
        var imap = Connected(cancellationToken);
        var trash = imap.Capabilities.HasFlag(ImapCapabilities.SpecialUse) || imap.Capabilities.HasFlag(ImapCapabilities.XList)
            ? imap.GetFolder(SpecialFolder.Trash)
            : null;
        if (trash is not null && trash.FullName != folder.FullName && imap.Capabilities.HasFlag(ImapCapabilities.Move))
        {
            folder.MoveTo(uids, trash, cancellationToken);
            return;
        }

        folder.Store(uids, new StoreFlagsRequest(StoreAction.Add, MessageFlags.Deleted) { Silent = true }, cancellationToken);
        if (imap.Capabilities.HasFlag(ImapCapabilities.UidPlus))
        {
            folder.Expunge(uids, cancellationToken);
        }
        else
        {
            Log.NoUidPlus(logger, uids.Count);
        }
    }

    /// <summary>The folder of a configured name ("Telemetry/Processed"), created level by level when asked.</summary>
    private IMailFolder Folder(string name, bool create, CancellationToken cancellationToken) =>
        FolderOrNull(name, create, cancellationToken) ?? throw new FolderNotFoundException(name);

    private IMailFolder? FolderOrNull(string name, bool create, CancellationToken cancellationToken)
    {
        var imap = Connected(cancellationToken);
        var root = imap.GetFolder(imap.PersonalNamespaces[0]);
        var separator = root.DirectorySeparator == '\0' ? '/' : root.DirectorySeparator;
        var path = string.Join(separator, name.Split('/', StringSplitOptions.RemoveEmptyEntries));
        try
        {
            return imap.GetFolder(path, cancellationToken);
        }
        catch (FolderNotFoundException) when (create)
        {
            var parent = root;
            foreach (var part in name.Split('/', StringSplitOptions.RemoveEmptyEntries))
            {
                parent = parent!.GetSubfolders(false, cancellationToken).FirstOrDefault(f => f.Name == part)
                    ?? parent.Create(part, isMessageFolder: true, cancellationToken);
            }

            return parent;
        }
        catch (FolderNotFoundException)
        {
            return null;
        }
    }

    /// <summary>
    /// The inbox, selected. <paramref name="fresh"/> selects it again, so its UIDVALIDITY and message count are the
    /// server's current ones (a folder recreated by someone else gets a new UIDVALIDITY that only a new SELECT shows).
    /// </summary>
    private IMailFolder Inbox(CancellationToken cancellationToken, bool fresh = false)
    {
        var imap = Connected(cancellationToken);
        var inbox = options.Folder.Equals("INBOX", StringComparison.OrdinalIgnoreCase)
            ? imap.Inbox
            : imap.GetFolder(options.Folder, cancellationToken);
        if (fresh && inbox.IsOpen)
        {
            inbox.Close(expunge: false, cancellationToken);
        }

        if (!inbox.IsOpen || inbox.Access != FolderAccess.ReadWrite)
        {
            inbox.Open(FolderAccess.ReadWrite, cancellationToken);
        }

        return inbox;
    }

    private ImapClient Connected(CancellationToken cancellationToken = default)
    {
        if (client is { IsConnected: true, IsAuthenticated: true })
        {
            return client;
        }

        Drop();
        var imap = new ImapClient { ServerCertificateValidationCallback = ValidateCertificate, Timeout = 60_000 };
        try
        {
            imap.Connect(options.Host!, options.EffectivePort, options.Security switch
            {
                ImapSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
                ImapSecurity.StartTls => SecureSocketOptions.StartTls,
                _ => SecureSocketOptions.None,
            }, cancellationToken);
            authenticator.Authenticate(imap, cancellationToken);
        }
        catch
        {
            imap.Dispose();
            throw;
        }

        client = imap;
        Log.ImapConnected(logger, Description);
        return imap;
    }

    /// <summary>The system's validation, or, when a thumbprint is pinned, exactly that certificate.</summary>
    private bool ValidateCertificate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (options.CertificateThumbprint is { } pinned && certificate is not null)
        {
            var actual = Convert.ToHexString(SHA256.HashData(certificate.GetRawCertData()));
            return string.Equals(actual, pinned.Replace(":", string.Empty, StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase);
        }

        return errors == SslPolicyErrors.None;
    }

    private void Drop()
    {
        var old = client;
        client = null;
        if (old is null)
        {
            return;
        }

        try
        {
            if (old.IsConnected)
            {
                old.Disconnect(true);
            }
        }
        catch (Exception e) when (e is IOException or ImapProtocolException or SocketException or ServiceNotConnectedException or OperationCanceledException)
        {
            // Already broken: nothing to say goodbye to.
        }
        finally
        {
            old.Dispose();
        }
    }
}
