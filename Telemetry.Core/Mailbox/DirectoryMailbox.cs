namespace Telemetry.Core.Mailbox;

/// <summary>
/// A folder of .eml files as a mailbox: the inbox is every .eml file under it, except in the filing folders
/// ("Telemetry/Processed", ...) which are created inside it. Only used when modifying the files was asked for;
/// otherwise a folder is read by <see cref="FileMessageSource"/> and never changed.
/// </summary>
public sealed class DirectoryMailbox(string root, MailboxFolders folders, TimeProvider time) : IMailbox
{
    private readonly string root = Path.GetFullPath(root);

    public string Description => "folder " + root;

    public int CountPending(CancellationToken cancellationToken) => PendingFiles().Count;

    public Task<bool> WaitForNewMailAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        FolderWatch.WaitAsync(root, "*.eml", subdirectories: true, timeout, cancellationToken);

    public IEnumerable<RawMessage> Pending(long maxMessageBytes, CancellationToken cancellationToken)
    {
        foreach (var file in PendingFiles())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (System.IO.File.Exists(file))
            {
                yield return FileMessageSource.ReadMessageFile(file, maxMessageBytes);
            }
        }
    }

    private List<string> PendingFiles()
    {
        var filing = Enum.GetValues<MailboxFolder>()
            .Where(f => f != MailboxFolder.Delete)
            .Select(f => FolderPath(f, create: false) + Path.DirectorySeparatorChar)
            .ToList();
        return Directory.EnumerateFiles(root, "*.eml", SearchOption.AllDirectories)
            .Where(f => !filing.Any(prefix => f.StartsWith(prefix, StringComparison.Ordinal)))
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    public void File(IReadOnlyList<(string Key, MailboxFolder Folder)> messages, CancellationToken cancellationToken) =>
        LocalFiling.File(messages, (key, folder) => Unique(Path.Combine(FolderPath(folder, create: true), Path.GetFileName(key))), time, cancellationToken);

    public int DeleteProcessedBefore(DateTimeOffset cutoff, CancellationToken cancellationToken) =>
        LocalFiling.DeleteFiledBefore([FolderPath(MailboxFolder.Processed, create: false)], cutoff, cancellationToken);

    private string FolderPath(MailboxFolder folder, bool create)
    {
        var path = Path.Combine([root, .. folders.NameOf(folder).Split('/', StringSplitOptions.RemoveEmptyEntries)]);
        if (create)
        {
            Directory.CreateDirectory(path);
        }

        return path;
    }

    /// <summary>Two messages with one name filed into one folder both stay: the second gets a numbered name.</summary>
    private static string Unique(string path)
    {
        if (!System.IO.File.Exists(path))
        {
            return path;
        }

        var directory = Path.GetDirectoryName(path)!;
        var name = Path.GetFileNameWithoutExtension(path);
        var extension = Path.GetExtension(path);
        for (var i = 2; ; i++)
        {
            var candidate = Path.Combine(directory, $"{name}-{i}{extension}");
            if (!System.IO.File.Exists(candidate))
            {
                return candidate;
            }
        }
    }
}
