namespace Telemetry.Core.Mailbox;

/// <summary>
/// A Maildir as a mailbox: the inbox is the root's new/ and cur/; messages are filed into Maildir++ sub-folders
/// (".Telemetry.Processed/cur", ...) by renaming, which is atomic on one file system, and deleted messages are
/// unlinked. A filed message's time is set to when it was filed, so processed mail expires that long after.
/// </summary>
public sealed class MaildirMailbox(string root, MailboxFolders folders, TimeProvider time) : IMailbox
{
    private static readonly string[] Inbox = ["new", "cur"];
    private static readonly string[] Subfolders = ["cur", "new", "tmp"];

    private readonly string root = Path.GetFullPath(root);

    public string Description => "Maildir " + root;

    public IEnumerable<RawMessage> Pending(long maxMessageBytes, CancellationToken cancellationToken)
    {
        var files = Inbox
            .Select(sub => Path.Combine(root, sub))
            .Where(Directory.Exists)
            .SelectMany(Directory.EnumerateFiles)
            .Order(StringComparer.Ordinal)
            .ToList();
        foreach (var file in files)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (System.IO.File.Exists(file))
            {
                yield return FileMessageSource.ReadMessageFile(file, maxMessageBytes);
            }
        }
    }

    public int CountPending(CancellationToken cancellationToken) =>
        Inbox.Select(sub => Path.Combine(root, sub)).Where(Directory.Exists).Sum(dir => Directory.EnumerateFiles(dir).Count());

    public Task<bool> WaitForNewMailAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        FolderWatch.WaitAsync(Path.Combine(root, "new"), "*", subdirectories: false, timeout, cancellationToken);

    public void File(IReadOnlyList<(string Key, MailboxFolder Folder)> messages, CancellationToken cancellationToken) =>
        LocalFiling.File(messages, (key, folder) => Path.Combine(FolderPath(folder), "cur", SeenName(Path.GetFileName(key))), time, cancellationToken);

    public int DeleteProcessedBefore(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        var processed = FolderPath(MailboxFolder.Processed);
        return LocalFiling.DeleteFiledBefore(Inbox.Select(sub => Path.Combine(processed, sub)), cutoff, cancellationToken);
    }

    /// <summary>The Maildir++ sub-folder of a folder name ("Telemetry/Processed" is ".Telemetry.Processed"), created when missing.</summary>
    private string FolderPath(MailboxFolder folder)
    {
        var path = Path.Combine(root, "." + folders.NameOf(folder).Replace('/', '.'));
        foreach (var sub in Subfolders)
        {
            Directory.CreateDirectory(Path.Combine(path, sub));
        }

        return path;
    }

    /// <summary>A message in cur/ carries its flags after ":2,"; a filed message is marked seen (S).</summary>
    private static string SeenName(string name)
    {
        var info = name.IndexOf(":2,", StringComparison.Ordinal);
        if (info < 0)
        {
            return name + ":2,S";
        }

        return name.AsSpan(info + 3).Contains('S') ? name : name + "S";
    }
}
