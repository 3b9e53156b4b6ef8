namespace Telemetry.Core.Mailbox;

/// <summary>
/// Filing of local message files, shared by the Maildir and folder mailboxes: a message already gone is skipped,
/// a deleted one is unlinked, a filed one is renamed into its folder and dated when it was filed (so processed
/// mail expires that long after filing).
/// </summary>
internal static class LocalFiling
{
    public static void File(
        IReadOnlyList<(string Key, MailboxFolder Folder)> messages,
        Func<string, MailboxFolder, string> target,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        foreach (var (key, folder) in messages)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!System.IO.File.Exists(key))
            {
                continue;
            }

            if (folder == MailboxFolder.Delete)
            {
                System.IO.File.Delete(key);
                continue;
            }

            var destination = target(key, folder);
            System.IO.File.Move(key, destination, overwrite: false);
            System.IO.File.SetLastWriteTimeUtc(destination, time.GetUtcNow().UtcDateTime);
        }
    }

    /// <summary>Deletes the files of <paramref name="folders"/> filed before <paramref name="cutoff"/>; returns how many went.</summary>
    public static int DeleteFiledBefore(IEnumerable<string> folders, DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        var deleted = 0;
        foreach (var folder in folders.Where(Directory.Exists))
        {
            foreach (var file in Directory.EnumerateFiles(folder).ToList())
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (System.IO.File.GetLastWriteTimeUtc(file) < cutoff.UtcDateTime)
                {
                    System.IO.File.Delete(file);
                    deleted++;
                }
            }
        }

        return deleted;
    }
}
