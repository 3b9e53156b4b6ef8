using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using MailKit.Security;
using MimeKit;

namespace Telemetry.Testing;

/// <summary>Test-side mail access: plain MailKit on the plaintext port, one connection per call.</summary>
public sealed partial class DovecotServer
{
    /// <summary>Messages per APPEND command (Dovecot has MULTIAPPEND, so MailKit sends each batch as one command).</summary>
    private const int AppendBatchSize = 200;

    /// <summary>
    /// Appends one message to a folder of <paramref name="user"/> (default <see cref="Username"/>), creating the folder
    /// when missing, and returns its UID. MailKit sends the message as MimeKit parsed it, with CRLF line endings.
    /// </summary>
    public UniqueId Append(string folder, byte[] message, string? user = null, CancellationToken cancellationToken = default) =>
        AppendMany(folder, [message], user, cancellationToken).Single();

    /// <summary>Appends messages in batches, in order, creating the folder when missing; returns their UIDs.</summary>
    public IReadOnlyList<UniqueId> AppendMany(string folder, IEnumerable<byte[]> messages, string? user = null, CancellationToken cancellationToken = default)
    {
        using var client = Connect(user, cancellationToken);
        var target = GetFolder(client, folder, create: true, cancellationToken);
        var uids = new List<UniqueId>();
        var batch = new List<MimeMessage>(AppendBatchSize);
        try
        {
            foreach (var message in messages)
            {
                batch.Add(MimeMessage.Load(new MemoryStream(message), cancellationToken));
                if (batch.Count == AppendBatchSize)
                {
                    uids.AddRange(AppendBatch(target, batch, cancellationToken));
                }
            }

            uids.AddRange(AppendBatch(target, batch, cancellationToken));
        }
        finally
        {
            batch.ForEach(m => m.Dispose());
        }

        client.Disconnect(true, cancellationToken);
        return uids;
    }

    /// <summary>The number of messages in a folder.</summary>
    public int Count(string folder, string? user = null, CancellationToken cancellationToken = default)
    {
        using var client = Connect(user, cancellationToken);
        var target = GetFolder(client, folder, create: false, cancellationToken);
        target.Open(FolderAccess.ReadOnly, cancellationToken);
        var count = target.Count;
        client.Disconnect(true, cancellationToken);
        return count;
    }

    /// <summary>The full names of the user's folders, INBOX included, sorted.</summary>
    public IReadOnlyList<string> Folders(string? user = null, CancellationToken cancellationToken = default)
    {
        using var client = Connect(user, cancellationToken);
        var folders = client.GetFolders(client.PersonalNamespaces[0], cancellationToken: cancellationToken);
        client.Disconnect(true, cancellationToken);
        return [.. folders.Select(f => f.FullName).Order(StringComparer.Ordinal)];
    }

    /// <summary>The raw bytes of every message of a folder as the server sends them, in UID order (batched UID FETCH).</summary>
    public IReadOnlyList<byte[]> ReadAll(string folder, string? user = null, CancellationToken cancellationToken = default)
    {
        using var client = Connect(user, cancellationToken);
        var target = (ImapFolder)GetFolder(client, folder, create: false, cancellationToken);
        target.Open(FolderAccess.ReadOnly, cancellationToken);
        var messages = new SortedDictionary<uint, byte[]>();
        var uids = target.Search(SearchQuery.All, cancellationToken);
        if (uids.Count > 0)
        {
            target.GetStreams(
                uids,
                (_, _, uid, stream) =>
                {
                    using var copy = new MemoryStream();
                    stream.CopyTo(copy);
                    messages[uid.Id] = copy.ToArray();
                },
                cancellationToken);
        }

        client.Disconnect(true, cancellationToken);
        return [.. messages.Values];
    }

    private static IList<UniqueId> AppendBatch(IMailFolder target, List<MimeMessage> batch, CancellationToken cancellationToken)
    {
        if (batch.Count == 0)
        {
            return [];
        }

        var uids = target.Append([.. batch.Select(m => (IAppendRequest)new AppendRequest(m, MessageFlags.None))], cancellationToken);
        batch.ForEach(m => m.Dispose());
        batch.Clear();
        return uids;
    }

    /// <summary>INBOX, or a top-level folder of the personal namespace.</summary>
    private static IMailFolder GetFolder(ImapClient client, string name, bool create, CancellationToken cancellationToken)
    {
        if (string.Equals(name, "INBOX", StringComparison.OrdinalIgnoreCase))
        {
            return client.Inbox;
        }

        try
        {
            return client.GetFolder(name, cancellationToken);
        }
        catch (FolderNotFoundException) when (create)
        {
            var root = client.GetFolder(client.PersonalNamespaces[0]);
            return root.Create(name, true, cancellationToken) ?? throw new InvalidOperationException($"The server did not create the folder {name}");
        }
    }

    private ImapClient Connect(string? user, CancellationToken cancellationToken)
    {
        var client = new ImapClient();
        try
        {
            client.Connect(Host, ImapPort, SecureSocketOptions.None, cancellationToken);
            client.Authenticate(user ?? Username, Password, cancellationToken);
            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }
}
